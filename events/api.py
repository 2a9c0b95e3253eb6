"""The event log in the API: a person's history, everyone's latest events, and undo."""

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from events.fields import WhyField
from events.filters import EventFilterSet
from events.models import Event
from events.selectors import events_of, events_recent_queryset, events_with_ids
from events.undo import can_undo, event_undo
from profiles.api import PersonFromPathMixin


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True, help_text="Who did it, in words.")
    undoes = serializers.IntegerField(source="undoes_id", read_only=True, allow_null=True)
    is_undone = serializers.BooleanField(read_only=True, help_text="Whether a later event undid it.")
    can_undo = serializers.SerializerMethodField(help_text="Whether POST .../undo may undo it.")

    class Meta:
        model = Event
        fields = [
            "id",
            "at",
            "kind",
            "summary",
            "username",
            "other_username",
            "actor_kind",
            "actor_name",
            "actor",
            "why",
            "data",
            "undoes",
            "is_undone",
            "can_undo",
        ]
        read_only_fields = fields

    def get_can_undo(self, event: Event) -> bool:
        return can_undo(event)


class PersonEventList(PersonFromPathMixin, generics.ListAPIView):
    """Everything that happened to this person (as the subject or the other party), newest first."""

    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no person
            return Event.objects.none()
        return events_of(self.person)


class EventList(generics.ListAPIView):
    """The latest events about anyone, newest first."""

    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        return events_recent_queryset()


class UndoSerializer(serializers.Serializer):
    why = WhyField()


class EventUndo(APIView):
    """Undo the change one event recorded: the old value comes back, as a new event that undoes it."""

    @extend_schema(
        request=UndoSerializer,
        responses={
            201: OpenApiResponse(EventSerializer(many=True), description="The events of the undo."),
            409: OpenApiResponse(
                description="It cannot be undone: not that kind of change, already undone, or changed since."
            ),
        },
    )
    def post(self, request, event_id: int):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise Http404("There is no such event.")
        serializer = UndoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = event_undo(event=event, why=serializer.validated_data["why"])
        body = EventSerializer(events_with_ids([item.pk for item in done]), many=True).data
        return Response(body, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("profile/<username:username>/events", PersonEventList.as_view(), name="api-person-events"),
    path("events", EventList.as_view(), name="api-events"),
    path("events/<int:event_id>/undo", EventUndo.as_view(), name="api-event-undo"),
]
