"""Relationships recorded on a profile (friend, dom, sub, partner, acquaintance, blocked), with a
tier and a status, and their append-only history.

A relationship belongs to a profile ("whose relationship it is") and points at another person.
The owner's own relationships are those on the owner's profile (`MHC_OWNER_USERNAME`), so "my
Doms" are the dom relationships on that profile; relationships between other people are recorded
the same way on their profiles.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from mhc.models import TimestampedModel
from profiles.models import Person, Profile

SELF_RELATIONSHIP_MESSAGE = "A person cannot be in a relationship with themself."


def allowed_values_message(label: str, choices: type[models.TextChoices]) -> str:
    """The error for a value outside `choices`, listing what is allowed."""
    return f"{label} must be one of: {', '.join(choices.values)}."


class RelationshipType(models.TextChoices):
    DOM = "dom", "Dom"
    SUB = "sub", "Sub"
    PARTNER = "partner", "Partner"
    FRIEND = "friend", "Friend"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    BLOCKED = "blocked", "Blocked"


class Tier(models.TextChoices):
    """How close a relationship is: tier 1 is the closest (three stars)."""

    TIER1 = "tier1", "Tier 1"
    TIER2 = "tier2", "Tier 2"
    TIER3 = "tier3", "Tier 3"


class Status(models.TextChoices):
    POTENTIAL = "potential", "Potential"
    ACTIVE = "active", "Active"
    OCCASIONAL = "occasional", "Occasional"
    ON_HOLD = "on_hold", "On hold"
    INACTIVE = "inactive", "Inactive"
    ENDED = "ended", "Ended"


# The fields whose every change is written to the history, with their choices.
TRACKED_CHOICES: dict[str, type[models.TextChoices]] = {
    "type": RelationshipType,
    "tier": Tier,
    "status": Status,
}
TIER_STARS = {Tier.TIER1: 3, Tier.TIER2: 2, Tier.TIER3: 1}
MAX_STARS = 3
# (stars, tier) from one star to three: the order tier stars are drawn in.
STARS_TO_TIERS = sorted((stars, tier) for tier, stars in TIER_STARS.items())
TYPE_TONES = {
    RelationshipType.DOM: "red",
    RelationshipType.SUB: "violet",
    RelationshipType.PARTNER: "pink",
    RelationshipType.FRIEND: "green",
    RelationshipType.ACQUAINTANCE: "sky",
    RelationshipType.BLOCKED: "gray",
}
STATUS_TONES = {
    Status.POTENTIAL: "amber",
    Status.ACTIVE: "emerald",
    Status.OCCASIONAL: "teal",
    Status.ON_HOLD: "orange",
    Status.INACTIVE: "gray",
    Status.ENDED: "gray",
}


def _in_choices(field: str, choices: type[models.TextChoices]) -> models.Q:
    return models.Q(**{f"{field}__in": choices.values})


def _display_rank(field: str, choices: type[models.TextChoices]) -> models.Case:
    """Sorts by the order the choices are declared in, not alphabetically."""
    return models.Case(
        *(models.When(**{field: value}, then=index) for index, value in enumerate(choices.values)),
        default=len(choices.values),
        output_field=models.IntegerField(),
    )


class RelationshipQuerySet(models.QuerySet):
    def in_display_order(self) -> "RelationshipQuerySet":
        """Dom, sub, partner, friend, acquaintance, blocked; closest tier first; then by username."""
        return self.order_by(
            _display_rank("type", RelationshipType), "tier", "related_person__username", "id"
        )

    def of_owner(self) -> "RelationshipQuerySet":
        """The owner's own relationships: those on the profile of `MHC_OWNER_USERNAME`."""
        return self.filter(
            profile__person__username=settings.MHC_OWNER_USERNAME,
            profile__person__platform=Person.DEFAULT_PLATFORM,
        )


class Relationship(TimestampedModel):
    """One relationship on a profile: whose it is, with whom, of which type, how close and how it stands."""

    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        related_name="relationships",
        help_text="Whose relationship it is.",
    )
    related_person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="related_relationships",
        verbose_name="related person",
        help_text="The person the relationship is with.",
    )
    type = models.CharField(max_length=16, choices=RelationshipType.choices)
    tier = models.CharField(max_length=8, choices=Tier.choices, default=Tier.TIER1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    started_at = models.DateField("started", null=True, blank=True)
    ended_at = models.DateField("ended", null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = "relationship"
        verbose_name_plural = "relationships"
        ordering = ["profile_id", "type", "tier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "related_person", "type"],
                name="%(app_label)s_%(class)s_unique_profile_person_type",
                violation_error_message="This profile already has this relationship with this person.",
            ),
            models.CheckConstraint(
                condition=_in_choices("type", RelationshipType),
                name="%(app_label)s_%(class)s_type_valid",
                violation_error_message=allowed_values_message("Type", RelationshipType),
            ),
            models.CheckConstraint(
                condition=_in_choices("tier", Tier),
                name="%(app_label)s_%(class)s_tier_valid",
                violation_error_message=allowed_values_message("Tier", Tier),
            ),
            models.CheckConstraint(
                condition=_in_choices("status", Status),
                name="%(app_label)s_%(class)s_status_valid",
                violation_error_message=allowed_values_message("Status", Status),
            ),
            models.CheckConstraint(
                condition=models.Q(started_at__isnull=True)
                | models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message="A relationship cannot end before it started.",
            ),
        ]
        indexes = [models.Index(fields=["type", "tier"], name="relationships_type_tier")]

    def __str__(self) -> str:
        return f"{self.profile_username} → {self.related_person.username}: {self.get_type_display()}"

    def clean(self) -> None:
        # A database constraint cannot see through profile → person, so the rule lives here.
        if self.profile_id and self.related_person_id and self.profile.person_id == self.related_person_id:
            raise ValidationError({"related_person": SELF_RELATIONSHIP_MESSAGE})

    @property
    def profile_username(self) -> str:
        return self.profile.person.username

    @property
    def stars(self) -> int:
        return TIER_STARS[self.tier]

    @property
    def stars_text(self) -> str:
        return "★" * self.stars

    @property
    def missing_stars_text(self) -> str:
        return "★" * (MAX_STARS - self.stars)

    @property
    def tone(self) -> str:
        return TYPE_TONES[self.type]

    @property
    def status_tone(self) -> str:
        return STATUS_TONES[self.status]


class RelationshipHistory(models.Model):
    """One change to a relationship: its creation, a change of type, tier or status, or its removal.

    Append-only. It points at the profile and the related person rather than at the relationship,
    so it outlives the relationship's removal.
    """

    class Action(models.TextChoices):
        CREATED = "created", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"

    profile = models.ForeignKey(
        Profile,
        on_delete=models.CASCADE,
        related_name="relationship_history",
        help_text="Whose relationship.",
    )
    related_person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="related_relationship_history",
        verbose_name="related person",
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    old_type = models.CharField(max_length=16, choices=RelationshipType.choices, blank=True)
    new_type = models.CharField(max_length=16, choices=RelationshipType.choices, blank=True)
    old_tier = models.CharField(max_length=8, choices=Tier.choices, blank=True)
    new_tier = models.CharField(max_length=8, choices=Tier.choices, blank=True)
    old_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    new_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    changed_at = models.DateTimeField("when", default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationship_changes",
        verbose_name="by",
    )

    class Meta:
        verbose_name = "relationship history entry"
        verbose_name_plural = "relationship history"
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (
                        models.Q(action="created", old_type="", old_tier="", old_status="")
                        & ~models.Q(new_type="")
                    )
                    | (
                        models.Q(action="removed", new_type="", new_tier="", new_status="")
                        & ~models.Q(old_type="")
                    )
                    | (models.Q(action="changed") & ~models.Q(old_type="") & ~models.Q(new_type=""))
                ),
                name="%(app_label)s_%(class)s_values_match_action",
                violation_error_message=(
                    "An addition has only new values, a removal only old ones, a change both."
                ),
            ),
        ]

    def __str__(self) -> str:
        whose = self.profile.person.username
        return f"{self.changed_at:%Y-%m-%d %H:%M} {whose} → {self.related_person}: {self.text}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Relationship history is append-only: rows are never changed.")
        super().save(*args, **kwargs)

    @property
    def summary(self) -> str:
        """What changed, without the verb: "as Dom · Tier 1 · Active" for an addition or a removal
        (the values it had), "Dom · Tier 2 → Tier 1" or "Friend → Dom" for a change."""
        if self.action != self.Action.CHANGED:
            side = "new" if self.action == self.Action.CREATED else "old"
            labels = [
                choices(getattr(self, f"{side}_{what}")).label for what, choices in TRACKED_CHOICES.items()
            ]
            return "as " + " · ".join(labels)
        moved = [
            f"{choices(old).label} → {choices(new).label}"
            for what, choices in TRACKED_CHOICES.items()
            if (old := getattr(self, f"old_{what}")) != (new := getattr(self, f"new_{what}"))
        ]
        if self.old_type == self.new_type:
            moved.insert(0, RelationshipType(self.new_type).label)
        return " · ".join(moved)

    @property
    def text(self) -> str:
        """The change in words: "added as Dom · Tier 1 · Active", "Dom · Tier 2 → Tier 1"."""
        if self.action == self.Action.CHANGED:
            return self.summary
        return f"{self.get_action_display().lower()} {self.summary}"
