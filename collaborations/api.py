"""The collaborations API: a profile's collaborators (list, add, remove) and group adds."""

from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from collaborations.models import Collaboration
from collaborations.selectors import Collaborator, collaborations_of
from collaborations.services import collaboration_group_record, collaboration_record, collaboration_remove
from events.fields import WHY_PARAMETER, WhyField, why_of
from profiles.api import PersonFromPathMixin, UsernameField
from profiles.selectors import person_by_username
from profiles.usernames import UsernameConverter

NOTES_MAX_LENGTH = 2000
GROUP_MAX_PEOPLE = 50


class CollaboratorSerializer(serializers.Serializer):
    """Someone the profile's person has been on cam with."""

    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    first_seen_at = serializers.DateTimeField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    url = serializers.CharField(read_only=True, help_text="Their profile page.")


class AddedCollaboratorSerializer(CollaboratorSerializer):
    new_person = serializers.SerializerMethodField(
        help_text="True when nobody had seen this username before: the person was created now (role unknown)."
    )

    def get_new_person(self, collaborator: Collaborator) -> bool:
        return self.context["new_person"]


class CollaborationAddSerializer(serializers.Serializer):
    collaborator_username = UsernameField()
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Optional; when the two are already collaborators, given notes replace the old ones.",
    )
    first_seen_at = serializers.DateTimeField(
        required=False, help_text="When they were first seen together (default: now)."
    )
    why = WhyField()


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "pattern": rf"^\s*{UsernameConverter.regex}\s*$"},
    }
)
class UsernameListField(serializers.ListField):
    """Usernames; one given twice (or differing only in case or spaces) counts once, so the
    schema cannot promise unique items: the code is more lenient than `uniqueItems` would say."""


class CollaborationGroupSerializer(serializers.Serializer):
    usernames = UsernameListField(
        child=UsernameField(),
        min_length=2,
        max_length=GROUP_MAX_PEOPLE,
        help_text="At least two different people; a username given twice counts once.",
        error_messages={"min_length": "A group needs at least two different people."},
    )
    notes = serializers.CharField(
        max_length=NOTES_MAX_LENGTH, required=False, allow_blank=True, allow_null=True
    )
    first_seen_at = serializers.DateTimeField(
        required=False, help_text="When they were first seen together (default: now)."
    )
    why = WhyField()


class CollaborationGroupResultSerializer(serializers.Serializer):
    usernames = serializers.ListField(child=serializers.CharField(), help_text="The group, by username.")
    pairs = serializers.IntegerField(help_text="How many pairs the group makes.")
    created = serializers.IntegerField(help_text="How many of those pairs were new.")
    new_people = serializers.ListField(
        child=serializers.CharField(),
        help_text="Usernames nobody had seen before, created now (role unknown).",
    )


class CollaborationList(PersonFromPathMixin, generics.ListAPIView):
    """The people a person has been on cam with (by username), and adding one."""

    serializer_class = CollaboratorSerializer
    queryset = Collaboration.objects.none()  # what the schema generator sees; requests use get_queryset

    def get_queryset(self):
        return collaborations_of(self.person)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        collaborators = [Collaborator(**row) for row in page]
        return self.get_paginated_response(self.get_serializer(collaborators, many=True).data)

    @extend_schema(
        request=CollaborationAddSerializer,
        responses={
            201: OpenApiResponse(AddedCollaboratorSerializer, description="Now collaborators."),
            200: OpenApiResponse(
                AddedCollaboratorSerializer, description="Already were; notes updated if given."
            ),
        },
        examples=[
            OpenApiExample(
                "Seen together",
                value={"collaborator_username": "david_stain", "notes": "seen together 2024-01-15"},
                request_only=True,
            ),
            OpenApiExample(
                "Added",
                value={
                    "username": "david_stain",
                    "display_name": "David",
                    "notes": "seen together 2024-01-15",
                    "first_seen_at": "2024-01-15T21:00:00Z",
                    "created_at": "2024-01-16T09:12:03Z",
                    "url": "/profile/david_stain/",
                    "new_person": False,
                },
                response_only=True,
                status_codes=["201", "200"],
            ),
        ],
    )
    def post(self, request, username: str):
        serializer = CollaborationAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        collaboration, other, created, new_person = collaboration_record(
            person=self.person,
            username=data["collaborator_username"],
            notes=data.get("notes"),
            first_seen_at=data.get("first_seen_at"),
            why=data["why"],
        )
        body = AddedCollaboratorSerializer(
            Collaborator.of(collaboration, other), context={"new_person": new_person}
        ).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class CollaborationDetail(PersonFromPathMixin, APIView):
    """One of a person's collaborators."""

    @extend_schema(
        parameters=[WHY_PARAMETER],
        responses={204: None, 404: OpenApiResponse(description="They are not collaborators.")},
    )
    def delete(self, request, username: str, collaborator_username: str):
        other = person_by_username(collaborator_username)
        if not collaboration_remove(person=self.person, other=other, why=why_of(request)):
            raise NotFound(f"{self.person.username} and {other.username} are not collaborators.")
        return Response(status=status.HTTP_204_NO_CONTENT)


class CollaborationGroup(APIView):
    """Everyone in a group has been on cam with everyone else: adds every pair."""

    @extend_schema(
        request=CollaborationGroupSerializer,
        responses={
            201: OpenApiResponse(CollaborationGroupResultSerializer, description="Some pairs were new."),
            200: OpenApiResponse(
                CollaborationGroupResultSerializer, description="Every pair existed already."
            ),
        },
        examples=[
            OpenApiExample(
                "A show of three",
                value={"usernames": ["jay_and_lee", "hot_guy_2000", "leather_rex"], "notes": "group show"},
                request_only=True,
            ),
            OpenApiExample(
                "Added",
                value={
                    "usernames": ["hot_guy_2000", "jay_and_lee", "leather_rex"],
                    "pairs": 3,
                    "created": 3,
                    "new_people": [],
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request):
        serializer = CollaborationGroupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result, new_people = collaboration_group_record(
            usernames=data["usernames"],
            notes=data.get("notes"),
            first_seen_at=data.get("first_seen_at"),
            why=data["why"],
        )
        body = CollaborationGroupResultSerializer(
            {
                "usernames": sorted(person.username for person in result.people),
                "pairs": result.pairs,
                "created": result.created,
                "new_people": new_people,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


urlpatterns = [
    path(
        "profile/<username:username>/collaborations", CollaborationList.as_view(), name="api-collaborations"
    ),
    path(
        "profile/<username:username>/collaborations/<username:collaborator_username>",
        CollaborationDetail.as_view(),
        name="api-collaboration",
    ),
    path("collaborations/groups", CollaborationGroup.as_view(), name="api-collaboration-groups"),
]
