"""What the relationships API reads and writes: a relationship, a change, a new one, its history
and a bulk add."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.fields import WhyField
from profiles.api import BulkUsernamesField, UsernameField
from relationships.models import (
    TRACKED_CHOICES,
    Relationship,
    RelationshipHistory,
    RelationshipType,
    Status,
    Tier,
    allowed_values_message,
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


class BulkRelationshipSerializer(serializers.Serializer):
    usernames = BulkUsernamesField()
    type = _choice("Type", RelationshipType)
    tier = _choice(
        "Tier",
        Tier,
        required=False,
        help_text="The tier to give everyone. Left out: a new relationship starts at tier 1 and one "
        "that exists keeps its tier.",
    )
    why = WhyField()


class BulkRelationshipResultSerializer(serializers.Serializer):
    people = serializers.IntegerField(help_text="How many people were given.")
    changed = serializers.IntegerField(help_text="How many relationships were added or moved to the tier.")
