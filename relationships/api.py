"""The relationships API.

- `GET/POST /api/profile/<username>/relationships` — a profile's relationships; add one.
- `GET/PATCH/DELETE /api/profile/<username>/relationships/<id>` — one of them.
- `GET /api/profile/<username>/relationships/history` — every change, removals included.
- `GET /api/relationships?type=dom&tier=tier1&status=active&mine=true` — across all profiles.
"""

from django.conf import settings
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from events.fields import WHY_PARAMETER, WhyField, why_of
from profiles.api import BulkUsernamesField, PersonFromPathMixin, UsernameField
from profiles.selectors import people_by_usernames
from relationships.filters import RelationshipFilterSet
from relationships.models import (
    TRACKED_CHOICES,
    Relationship,
    RelationshipHistory,
    RelationshipType,
    Status,
    Tier,
    allowed_values_message,
)
from relationships.selectors import relationship_history, relationship_of, relationships, relationships_of
from relationships.services import (
    relationship_record,
    relationship_remove,
    relationship_update,
    relationships_add_for_people,
)


def _choice(label: str, choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose error lists the allowed values."""
    return serializers.ChoiceField(
        choices=choices.choices,
        error_messages={"invalid_choice": allowed_values_message(label, choices)},
        **kwargs,
    )


class RelationshipSerializer(serializers.ModelSerializer):
    """A relationship as the API shows it: whose it is, with whom, and how it stands."""

    username = serializers.CharField(source="profile.person.username", read_only=True)
    related_username = serializers.CharField(source="related_person.username", read_only=True)
    related_display_name = serializers.SerializerMethodField()
    related_url = serializers.CharField(source="related_person.get_absolute_url", read_only=True)
    stars = serializers.IntegerField(read_only=True, help_text="3 for tier 1 (closest) … 1 for tier 3.")

    class Meta:
        model = Relationship
        fields = [
            "id",
            "username",
            "related_username",
            "related_display_name",
            "related_url",
            "type",
            "tier",
            "stars",
            "status",
            "notes",
            "started_at",
            "ended_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_related_display_name(self, relationship: Relationship) -> str:
        profile = getattr(relationship.related_person, "profile", None)
        return profile.display_name if profile else ""


class RelationshipChangeSerializer(serializers.Serializer):
    """What PATCH may change. Answers with the whole relationship."""

    type = _choice("Type", RelationshipType, required=False)
    tier = _choice("Tier", Tier, required=False)
    status = _choice("Status", Status, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    started_at = serializers.DateField(required=False, allow_null=True)
    ended_at = serializers.DateField(required=False, allow_null=True)
    why = WhyField()

    def validate(self, data: dict) -> dict:
        started, ended = data.get("started_at"), data.get("ended_at")
        if started and ended and ended < started:
            raise serializers.ValidationError({"ended_at": "A relationship cannot end before it started."})
        return data

    def to_representation(self, instance: Relationship) -> dict:
        return RelationshipSerializer(instance, context=self.context).data


class RelationshipCreateSerializer(RelationshipChangeSerializer):
    """A new relationship: with whom (a valid unseen username creates the person) and of which type."""

    related_username = UsernameField()
    type = _choice("Type", RelationshipType)
    tier = _choice("Tier", Tier, default=Tier.TIER1)
    status = _choice("Status", Status, default=Status.ACTIVE)


class RelationshipStateSerializer(serializers.Serializer):
    """A relationship's type, tier and status at one moment."""

    type = serializers.ChoiceField(choices=RelationshipType.choices, read_only=True)
    tier = serializers.ChoiceField(choices=Tier.choices, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)


def _state(entry: RelationshipHistory, side: str) -> dict | None:
    if not getattr(entry, f"{side}_type"):
        return None
    return {name: getattr(entry, f"{side}_{name}") for name in TRACKED_CHOICES}


class RelationshipHistorySerializer(serializers.ModelSerializer):
    """One change: the relationship before (`old`, null for an addition) and after (`new`, null for
    a removal), in words (`text`), when and by whom."""

    username = serializers.CharField(source="profile.person.username", read_only=True)
    related_username = serializers.CharField(source="related_person.username", read_only=True)
    old = serializers.SerializerMethodField()
    new = serializers.SerializerMethodField()
    text = serializers.CharField(read_only=True)
    changed_by = serializers.CharField(source="changed_by.get_username", read_only=True, allow_null=True)

    class Meta:
        model = RelationshipHistory
        fields = [
            "id",
            "username",
            "related_username",
            "action",
            "old",
            "new",
            "text",
            "changed_at",
            "changed_by",
        ]
        read_only_fields = fields

    @extend_schema_field(RelationshipStateSerializer(allow_null=True))
    def get_old(self, entry: RelationshipHistory) -> dict | None:
        return _state(entry, "old")

    @extend_schema_field(RelationshipStateSerializer(allow_null=True))
    def get_new(self, entry: RelationshipHistory) -> dict | None:
        return _state(entry, "new")


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


class BulkRelationshipSerializer(serializers.Serializer):
    usernames = BulkUsernamesField()
    type = _choice("Type", RelationshipType)
    tier = _choice("Tier", Tier, default=Tier.TIER1)
    why = WhyField()


class BulkRelationshipResultSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="How many people were given.")
    changed = serializers.IntegerField(help_text="How many relationships were added or moved to the tier.")


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
            people=people, type=data["type"], tier=data["tier"], changed_by=request.user, why=data["why"]
        )
        return Response(BulkRelationshipResultSerializer({"people": len(people), "changed": changed}).data)


urlpatterns.append(path("relationships/bulk", BulkRelationships.as_view(), name="api-relationships-bulk"))
