"""The relationships API.

- `GET/POST /api/profile/<username>/relationships` — a profile's relationships; add one.
- `GET/PATCH/DELETE /api/profile/<username>/relationships/<id>` — one of them.
- `GET /api/profile/<username>/relationships/history` — every change, removals included.
- `GET /api/relationships?type=dom&tier=tier1&status=active&mine=true` — across all profiles.
"""

from django.conf import settings
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from events.fields import WHY_PARAMETER, why_of
from profiles.api import PersonFromPathMixin
from profiles.selectors import people_by_usernames
from relationships.filters import RelationshipFilterSet
from relationships.models import Relationship
from relationships.selectors import relationship_history, relationship_of, relationships, relationships_of
from relationships.serializers import (
    BulkRelationshipResultSerializer,
    BulkRelationshipSerializer,
    RelationshipChangeSerializer,
    RelationshipCreateSerializer,
    RelationshipHistorySerializer,
    RelationshipSerializer,
)
from relationships.services import (
    relationship_record,
    relationship_remove,
    relationship_update,
    relationships_add_for_people,
)

DUPLICATE_RESPONSE = OpenApiResponse(description="The profile already has this type with this person.")
CREATE_EXAMPLES = [
    OpenApiExample(
        "Add a dom",
        value={"related_username": "leather_rex", "type": "dom", "tier": "tier1", "started_at": "2024-05-01"},
        request_only=True,
    ),
    OpenApiExample(
        "Block someone",
        value={"related_username": "quiet_tom", "type": "blocked", "notes": "Rude in chat."},
        request_only=True,
    ),
]


class ProfileFromPathMixin(PersonFromPathMixin):
    """`self.person` from the path (or 404) and `self.profile`, their profile or None."""

    person = None  # until initial(); the schema generator builds views without a request

    @property
    def profile(self):
        return getattr(self.person, "profile", None)


class PersonOrNewOwnerFromPathMixin(ProfileFromPathMixin):
    """As ProfileFromPathMixin, except that the owner may add a relationship before their own
    person exists (`self.person` is then None, and the owner is created on success)."""

    def initial(self, request, *args, **kwargs):
        try:
            super().initial(request, *args, **kwargs)
        except Http404:
            if request.method != "POST" or kwargs["username"] != settings.MHC_OWNER_USERNAME:
                raise
            self.person = None


@extend_schema_view(
    get=extend_schema(summary="A profile's relationships", responses=RelationshipSerializer),
    post=extend_schema(
        summary="Add a relationship to a profile",
        request=RelationshipCreateSerializer,
        responses={201: RelationshipSerializer, 409: DUPLICATE_RESPONSE},
        examples=CREATE_EXAMPLES,
        description="400 for a bad type, tier or status (the message lists the allowed values) or "
        "for the person themself; 409 if the profile already has this type with this person.",
    ),
)
class ProfileRelationships(PersonOrNewOwnerFromPathMixin, generics.ListCreateAPIView):
    """The relationships on a profile, in display order; POST adds one."""

    def get_queryset(self):
        return relationships_of(self.profile)

    def get_serializer_class(self):
        return RelationshipCreateSerializer if self.request.method == "POST" else RelationshipSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = relationship_record(
            person=self.person,
            username=data.pop("related_username"),
            changed_by=self.request.user,
            **data,
        )


@extend_schema_view(
    get=extend_schema(summary="One relationship", responses=RelationshipSerializer),
    patch=extend_schema(
        summary="Change a relationship's type, tier, status, notes or dates",
        request=RelationshipChangeSerializer,
        responses={200: RelationshipSerializer, 409: DUPLICATE_RESPONSE},
        examples=[OpenApiExample("Move to tier 2", value={"tier": "tier2"}, request_only=True)],
    ),
    delete=extend_schema(summary="Remove a relationship (its history stays)", parameters=[WHY_PARAMETER]),
)
class ProfileRelationshipDetail(ProfileFromPathMixin, generics.RetrieveUpdateDestroyAPIView):
    """One relationship on the profile; a change of type, tier or status is written to its history."""

    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return relationship_of(self.profile, self.kwargs["pk"])

    def get_serializer_class(self):
        return RelationshipChangeSerializer if self.request.method == "PATCH" else RelationshipSerializer

    def perform_update(self, serializer):
        serializer.instance = relationship_update(
            relationship=serializer.instance, changed_by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        relationship_remove(relationship=instance, changed_by=self.request.user, why=why_of(self.request))


@extend_schema(summary="The history of a profile's relationships, newest first")
class ProfileRelationshipHistory(ProfileFromPathMixin, generics.ListAPIView):
    """Every addition, change of type, tier or status, and removal, on this profile."""

    serializer_class = RelationshipHistorySerializer

    def get_queryset(self):
        return relationship_history(self.profile)


@extend_schema(summary="Relationships across all profiles, filtered")
class RelationshipList(generics.ListAPIView):
    """Everyone's relationships, or only the owner's (`mine=true`), by type, tier and status."""

    serializer_class = RelationshipSerializer
    queryset = Relationship.objects.none()  # what the schema generator sees; the filter set reads
    filterset_class = RelationshipFilterSet

    def get_queryset(self):
        return relationships()


urlpatterns = [
    path("relationships", RelationshipList.as_view(), name="api-relationships"),
    path(
        "profile/<username:username>/relationships",
        ProfileRelationships.as_view(),
        name="api-profile-relationships",
    ),
    path(
        "profile/<username:username>/relationships/history",
        ProfileRelationshipHistory.as_view(),
        name="api-profile-relationship-history",
    ),
    path(
        "profile/<username:username>/relationships/<int:pk>",
        ProfileRelationshipDetail.as_view(),
        name="api-profile-relationship",
    ),
]


class BulkRelationships(APIView):
    """The owner has each of these people as this type (the directory's bulk edit), all or nothing."""

    @extend_schema(
        request=BulkRelationshipSerializer,
        responses={
            200: BulkRelationshipResultSerializer,
            404: OpenApiResponse(description="A username names nobody who has been seen."),
        },
        examples=[
            OpenApiExample(
                "Two new friends",
                value={"usernames": ["leather_rex", "hot_guy_2000"], "type": "friend", "tier": "tier2"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        serializer = BulkRelationshipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        people = people_by_usernames(data["usernames"])
        changed = relationships_add_for_people(
            people=people, type=data["type"], tier=data.get("tier"), changed_by=request.user, why=data["why"]
        )
        return Response(BulkRelationshipResultSerializer({"people": len(people), "changed": changed}).data)


urlpatterns.append(path("relationships/bulk", BulkRelationships.as_view(), name="api-relationships-bulk"))
