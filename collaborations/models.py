"""Collaborations: two people seen on cam together, stored once per unordered pair."""

import uuid

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from profiles.models import Person


def ordered_pair(first: Person, second: Person) -> tuple[Person, Person]:
    """The two people in the order a collaboration stores them: smaller id first.

    Python compares `UUID`s by their 128-bit value. PostgreSQL compares its `uuid` type the same
    way, and on SQLite Django stores UUIDs as 32 lower-case hex digits, whose text order is that
    value's order too, so this order satisfies the `ordered_pair` CHECK on both databases.
    """
    if _uuid(first.pk) <= _uuid(second.pk):
        return first, second
    return second, first


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class CollaborationQuerySet(models.QuerySet):
    def involving(self, person: Person) -> "CollaborationQuerySet":
        """Collaborations the person is part of, on either side of the pair."""
        return self.filter(Q(person_a=person) | Q(person_b=person))

    def between(self, first: Person, second: Person) -> "CollaborationQuerySet":
        """The collaboration of these two people (at most one row), in either order."""
        person_a, person_b = ordered_pair(first, second)
        return self.filter(person_a=person_a, person_b=person_b)

    def seen_from(self, person: Person) -> "CollaborationQuerySet":
        """The person's collaborations, each annotated with the other person's username and
        display name (`collaborator_username`, `collaborator_display_name`: "" without a
        profile), ordered by that username. One query, and no Person rows to build."""

        def other(field: str) -> Case:
            return Case(When(person_a=person, then=F(f"person_b__{field}")), default=F(f"person_a__{field}"))

        return (
            self.involving(person)
            .annotate(
                collaborator_username=other("username"),
                collaborator_display_name=Coalesce(other("profile__display_name"), Value("")),
            )
            .order_by("collaborator_username", "pk")
        )


class Collaboration(models.Model):
    """Two people who have appeared on cam together: one row per pair, shown on both profiles.

    The pair is stored ordered (`person_a_id < person_b_id`), so (A, B) and (B, A) can never be
    two rows; write through `collaborations.services`, which orders the pair for you.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Look-ups from either side use an index: person_a the unique pair's (person_a, person_b),
    # so it needs none of its own; person_b the foreign key's.
    person_a = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="collaborations_as_a",
        verbose_name="person A",
        db_index=False,
    )
    person_b = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="collaborations_as_b", verbose_name="person B"
    )
    notes = models.TextField(blank=True, help_text='e.g. "seen together 2024-01-15"')
    first_seen_at = models.DateTimeField("first seen together", default=timezone.now)
    created_at = models.DateTimeField("created", auto_now_add=True, db_index=True)

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        verbose_name = "collaboration"
        verbose_name_plural = "collaborations"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")),
                name="%(app_label)s_%(class)s_ordered_pair",
                violation_error_message=(
                    "A collaboration stores its pair ordered (person A before person B) and never "
                    "pairs a person with themself."
                ),
            ),
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="These two people are already collaborators.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a} & {self.person_b}"

    def collaborator_of(self, person: Person) -> Person:
        """The other person of the pair, seen from `person`'s profile."""
        return self.person_b if self.person_a_id == person.pk else self.person_a
