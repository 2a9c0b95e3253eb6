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


class ClusterRun(models.Model):
    """One computation of the whole network's clusters: when, from which state of the network
    (`stamp`, see `collaborations.clusters.network_stamp`) and what it found. The clusters and
    each person's place in them are kept with it; only the newest run is kept.

    Derived data, written only by `collaborations.services.network_clusters_compute` (the
    collaboration-clusters job, `manage.py graph_clusters`, the demo)."""

    stamp = models.CharField(max_length=200, help_text="The state of the network it was computed from.")
    computed_at = models.DateTimeField("computed", default=timezone.now, db_index=True)
    seconds = models.FloatField("seconds to compute", default=0)
    people = models.PositiveIntegerField("people with a collaborator", default=0)
    pairs = models.PositiveIntegerField("collaborations", default=0)
    cluster_count = models.PositiveIntegerField("clusters", default=0)

    class Meta:
        verbose_name = "cluster run"
        verbose_name_plural = "cluster runs"
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cluster_count} clusters of {self.people} people, {self.computed_at:%Y-%m-%d %H:%M}"


class NetworkCluster(models.Model):
    """A cluster of a run: a community within a connected part (`component`) of the network,
    numbered by size, largest first."""

    run = models.ForeignKey(ClusterRun, on_delete=models.CASCADE, related_name="clusters", db_index=False)
    number = models.PositiveIntegerField()
    component = models.PositiveIntegerField(help_text="The connected part of the network it belongs to.")
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = "network cluster"
        verbose_name_plural = "network clusters"
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message="A run numbers its clusters once each.",
            ),
        ]

    def __str__(self) -> str:
        return f"cluster {self.number} ({self.size} people)"


class ClusterMember(models.Model):
    """A person's place in a run: their cluster, their collaborations, and their rank (most
    connected first, across the network and within the cluster).

    `person_id` is a plain value, not a foreign key: the row describes the network as it was
    when computed, so a merge or removal of the person since leaves it alone (and a read simply
    finds nobody)."""

    run = models.ForeignKey(ClusterRun, on_delete=models.CASCADE, related_name="members", db_index=False)
    person_id = models.UUIDField()
    cluster = models.PositiveIntegerField(help_text="The number of their cluster in the run.")
    degree = models.PositiveIntegerField("collaborations")
    rank = models.PositiveIntegerField(help_text="0 for the most connected person of the network.")
    position = models.PositiveIntegerField(help_text="0 for the most connected person of their cluster.")

    class Meta:
        verbose_name = "cluster member"
        verbose_name_plural = "cluster members"
        ordering = ["run", "rank"]
        constraints = [
            # Each also serves the reads: the network's most connected people (run, rank), and a
            # cluster's (run, cluster, position).
            models.UniqueConstraint(
                fields=["run", "rank"],
                name="%(app_label)s_%(class)s_unique_rank",
                violation_error_message="A run ranks each person once.",
            ),
            models.UniqueConstraint(
                fields=["run", "cluster", "position"],
                name="%(app_label)s_%(class)s_unique_position",
                violation_error_message="A cluster ranks each of its members once.",
            ),
            models.UniqueConstraint(
                fields=["run", "person_id"],
                name="%(app_label)s_%(class)s_unique_person",
                violation_error_message="A person is in one cluster of a run.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in cluster {self.cluster}"
