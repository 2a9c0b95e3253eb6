"""Attributes: yes/no flags the owner defines (`AttributeDefinition`), their value on each person
(`PersonAttribute`), and the append-only record of every change (`AttributeHistory`)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from mhc.colors import TONE_CHOICES
from profiles.models import Person

KEY_RE = r"^[a-z][a-z0-9_]*\Z"
validate_key = RegexValidator(
    KEY_RE, "A key starts with a lower-case letter and has only lower-case letters, digits and _."
)
# Where an attribute may sit in the display order; a new one goes last, but never past the end.
SORT_ORDER_MIN, SORT_ORDER_MAX = -1_000_000, 1_000_000


class AttributeDefinitionQuerySet(models.QuerySet):
    def with_people_count(self) -> "AttributeDefinitionQuerySet":
        """Each definition with `people_count`: how many people have it set."""
        return self.annotate(people_count=models.Count("values", filter=models.Q(values__value=True)))


class AttributeDefinition(models.Model):
    """One attribute the owner can set on people: its key, how it looks and where it shows."""

    key = models.CharField(max_length=50, validators=[validate_key], help_text="A slug, e.g. regular_tipper.")
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    color = models.CharField("colour", max_length=20, choices=TONE_CHOICES, default="gray")
    icon = models.CharField(
        max_length=50, blank=True, help_text="An emoji or short symbol shown before the label."
    )
    is_system = models.BooleanField(
        "system", default=False, help_text="Built in: cannot be deleted, and its key is used by the app."
    )
    is_auto_derived = models.BooleanField(
        "auto-derived", default=False, help_text="Computed by the app: read-only on the page and in the API."
    )
    show_as_badge = models.BooleanField(
        "show as badge", default=False, help_text="A pill in the profile header instead of a checkbox."
    )
    sort_order = models.IntegerField(
        "order",
        default=0,
        validators=[MinValueValidator(SORT_ORDER_MIN), MaxValueValidator(SORT_ORDER_MAX)],
    )
    created_at = models.DateTimeField("created", auto_now_add=True)

    objects = AttributeDefinitionQuerySet.as_manager()

    class Meta:
        verbose_name = "attribute"
        verbose_name_plural = "attributes"
        ordering = ["sort_order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message="An attribute with this key already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class PersonAttributeQuerySet(models.QuerySet):
    """Writes row by row only: history is written by signals, which bulk writes would skip."""

    def update(self, **kwargs):
        raise TypeError("PersonAttribute rows are saved one by one so that their history is written.")

    def bulk_create(self, *args, **kwargs):
        raise TypeError("PersonAttribute rows are saved one by one so that their history is written.")

    def bulk_update(self, *args, **kwargs):
        raise TypeError("PersonAttribute rows are saved one by one so that their history is written.")


class PersonAttribute(models.Model):
    """The value of one attribute on one person. No row reads as false."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attribute_values")
    attribute = models.ForeignKey(
        AttributeDefinition,
        on_delete=models.CASCADE,
        to_field="key",
        db_column="attribute_key",
        related_name="values",
    )
    value = models.BooleanField(default=True)
    set_at = models.DateTimeField("set", default=timezone.now)

    objects = PersonAttributeQuerySet.as_manager()

    # Not stored: who is making the change (a user, or None for the app itself). Services set it
    # before saving or deleting; the history signals read it.
    changed_by = None

    class Meta:
        verbose_name = "person attribute"
        verbose_name_plural = "person attributes"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "attribute"],
                name="%(app_label)s_%(class)s_unique_person_attribute",
                violation_error_message="This person already has a value for this attribute.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_id} = {'yes' if self.value else 'no'}"


class AttributeHistory(models.Model):
    """One change of one attribute on one person. Append-only; the key is kept as text so the
    history outlives a deleted definition."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="attribute_history")
    attribute_key = models.CharField(max_length=50)
    old_value = models.BooleanField(null=True, help_text="Empty when the attribute was first set.")
    new_value = models.BooleanField()
    changed_at = models.DateTimeField("changed", default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attribute_changes",
        help_text="Empty when the app changed it (e.g. derived from the profile).",
    )

    class Meta:
        verbose_name = "attribute change"
        verbose_name_plural = "attribute changes"
        ordering = ["-changed_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-changed_at"], name="attributes_history_person_idx"),
            models.Index(fields=["attribute_key"], name="attributes_history_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_key}: {self.old_value} → {self.new_value}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Attribute history is append-only.")
        super().save(*args, **kwargs)
