"""People seen on the platform, the richer profiles of those we track, and page preferences."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from mhc.models import TimestampedModel
from profiles.usernames import validate_username

# The profile fields a person edits (and a merge settles one by one).
PROFILE_EDITABLE_FIELDS = (
    "display_name",
    "bio",
    "location",
    "age",
    "gender",
    "smoke_drink",
    "followers",
    "rank",
    "last_broadcast_at",
    "tags",
    "social_links",
)
SOCIAL_LINKS_MESSAGE = 'Social links must be a list of {"label": text, "url": an http(s) address}.'
TAGS_MESSAGE = "Tags must be a list of strings."


def validate_social_links(links: object) -> None:
    """Model-field validator: a list of {"label": text, "url": an http(s) address, at most 500
    characters}, so that a link on the page can only ever open a web page."""
    if not isinstance(links, list):
        raise ValidationError(SOCIAL_LINKS_MESSAGE)
    for link in links:
        if not (isinstance(link, dict) and set(link) == {"label", "url"} and isinstance(link["label"], str)):
            raise ValidationError(SOCIAL_LINKS_MESSAGE)
        url = link["url"]
        if not (isinstance(url, str) and url.lower().startswith(("http://", "https://")) and len(url) <= 500):
            raise ValidationError(SOCIAL_LINKS_MESSAGE)


def validate_tags(tags: object) -> None:
    """Model-field validator: a list of strings."""
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ValidationError(TAGS_MESSAGE)


class PersonQuerySet(models.QuerySet):
    def search(self, text: str) -> "PersonQuerySet":
        """People whose username (or a former one) starts with `text`, or whose display name
        contains it.

        Each part is its own subquery, joined by UNION, so each can use its own index (trigram
        indexes on PostgreSQL, see migration 0003) instead of one scan of the tables.
        """
        text = (text or "").strip().lower()
        if not text:
            return self
        by_username = Person.objects.filter(username__startswith=text).order_by().values("pk")
        by_name = Profile.objects.filter(display_name__icontains=text).order_by().values("person_id")
        formerly = FormerUsername.objects.filter(username__startswith=text).order_by().values("person_id")
        return self.filter(pk__in=by_username.union(by_name, formerly))

    def with_profile(self) -> "PersonQuerySet":
        return self.select_related("profile")


class Person(TimestampedModel):
    """Anyone ever seen on the platform, broadcaster or viewer, addressed by username."""

    class Role(models.TextChoices):
        MODEL = "model", "Model"
        VIEWER = "viewer", "Viewer"
        BOTH = "both", "Both"
        UNKNOWN = "unknown", "Unknown"

    DEFAULT_PLATFORM = "chaturbate"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(max_length=64, validators=[validate_username])
    platform = models.CharField(max_length=32, default=DEFAULT_PLATFORM)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.UNKNOWN)
    first_seen_at = models.DateTimeField("first seen", default=timezone.now)
    last_seen_at = models.DateTimeField("last seen", default=timezone.now, db_index=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "people"
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                fields=["username", "platform"],
                name="%(app_label)s_%(class)s_unique_username_platform",
                violation_error_message="A person with this username already exists on this platform.",
            ),
            models.CheckConstraint(
                condition=models.Q(username=Lower("username")),
                name="%(app_label)s_%(class)s_username_lower_case",
                violation_error_message="Usernames are stored lower-case.",
            ),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("profile-detail", kwargs={"username": self.username})


class Profile(TimestampedModel):
    """The richer record of a person we track: what their platform profile says about them."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=128, blank=True)
    bio = models.TextField(blank=True)
    location = models.CharField(max_length=128, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=32, blank=True)
    smoke_drink = models.CharField(
        "smoke / drink", max_length=64, blank=True, help_text='As the platform shows it, e.g. "Yes/No".'
    )
    followers = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    last_broadcast_at = models.DateTimeField("last broadcast", null=True, blank=True)
    tags = models.JSONField(default=list, blank=True, validators=[validate_tags], help_text="A list of tags.")
    social_links = models.JSONField(
        default=list, blank=True, validators=[validate_social_links], help_text='A list of {"label", "url"}.'
    )

    class Meta:
        verbose_name = "profile"
        verbose_name_plural = "profiles"
        ordering = ["person__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__gte=18, age__lte=120),
                name="%(app_label)s_%(class)s_adult_age",
                violation_error_message="Age must be between 18 and 120.",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.person.username}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


class SectionPreference(models.Model):
    """Whether one user keeps one profile-page section open or closed (the same on every profile)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="section_preferences"
    )
    section_key = models.SlugField(max_length=64)
    is_open = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "section preference"
        verbose_name_plural = "section preferences"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "section_key"],
                name="%(app_label)s_%(class)s_unique_user_section",
                violation_error_message="This section already has a preference for this user.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section_key}: {'open' if self.is_open else 'closed'}"


class FormerUsername(models.Model):
    """A name a person went by before a rename (or a merge): old links and searches still find
    them, and nobody else takes the name without an explicit choice."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="former_usernames")
    username = models.CharField(max_length=64, validators=[validate_username])
    platform = models.CharField(max_length=32, default=Person.DEFAULT_PLATFORM)
    used_from = models.DateTimeField("used from", null=True, blank=True)
    used_until = models.DateTimeField("used until", null=True, blank=True)
    created_at = models.DateTimeField("recorded", default=timezone.now)

    class Meta:
        verbose_name = "former username"
        verbose_name_plural = "former usernames"
        ordering = ["-used_until", "-created_at", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["username", "platform"],
                name="%(app_label)s_%(class)s_unique_username_platform",
                violation_error_message="This name is already a former username of someone.",
            ),
            models.CheckConstraint(
                condition=models.Q(username=Lower("username")),
                name="%(app_label)s_%(class)s_username_lower_case",
                violation_error_message="Usernames are stored lower-case.",
            ),
            models.CheckConstraint(
                condition=models.Q(used_from__isnull=True)
                | models.Q(used_until__isnull=True)
                | models.Q(used_until__gte=models.F("used_from")),
                name="%(app_label)s_%(class)s_used_in_order",
                violation_error_message="A name cannot stop being used before it was first used.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.username} (now {self.person.username})"


class AlternateAccount(models.Model):
    """Two persons known to be one human with two accounts: one row per unordered pair, stored
    ordered (`person_a_id < person_b_id`) like a collaboration, and shown on both profiles."""

    person_a = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="alternates_as_a",
        verbose_name="person A",
        db_index=False,  # the unique pair's index serves look-ups by person_a
    )
    person_b = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="alternates_as_b", verbose_name="person B"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField("linked", default=timezone.now)

    class Meta:
        verbose_name = "alternate account"
        verbose_name_plural = "alternate accounts"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="%(app_label)s_%(class)s_ordered_pair",
                violation_error_message=(
                    "An alternate-account link stores its pair ordered and never links a person to themself."
                ),
            ),
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="These two people are already linked as alternate accounts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} = {self.person_b}"


class PersonMerge(models.Model):
    """One merge of a person into another, kept so that it can be shown and undone.

    People are referenced by id and username as they were, not by foreign key: the merged person
    no longer exists, and a merge must not be one of the rows the merge itself moves. `before`
    holds every row that referred to either person before the merge and `after` every row that
    referred to the kept person right after it; an undo restores `before` while the kept
    person's rows still equal `after`.
    """

    kept_person_id = models.UUIDField(db_index=True)
    kept_username = models.CharField(max_length=64)
    merged_person_id = models.UUIDField(db_index=True)
    merged_username = models.CharField(max_length=64)
    platform = models.CharField(max_length=32, default=Person.DEFAULT_PLATFORM)
    plan = models.JSONField(default=dict, help_text="What the merge did: counts and conflicts, as previewed.")
    before = models.JSONField(default=dict, help_text="Every row that referred to either person before.")
    after = models.JSONField(default=dict, help_text="Every row that referred to the kept person after.")
    merged_at = models.DateTimeField("merged", default=timezone.now, db_index=True)
    undone_at = models.DateTimeField("undone", null=True, blank=True)

    class Meta:
        verbose_name = "merge"
        verbose_name_plural = "merges"
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_username} → {self.kept_username} ({self.merged_at:%Y-%m-%d %H:%M})"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
