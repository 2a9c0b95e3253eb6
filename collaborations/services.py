"""Every write to collaborations.

The original system's service named these operations; here they are:

- `add_collaboration`       → `collaboration_add(*, person, other, notes=None, first_seen_at=None)`
- `remove_collaboration`    → `collaboration_remove(*, person, other) -> bool`
- `add_collaboration_group` → `collaboration_add_group(*, people, notes=None, first_seen_at=None)`
- `are_collaborators`       → `collaborations.selectors.are_collaborators(first, second)` (a read)
- `get_collaborators`       → `collaborations.selectors.collaborators_of(person)` (a read)

`collaboration_update` (notes and first-seen date of one row, as the admin edits them) has no
counterpart in the original system, nor has `network_clusters_compute` (the whole network's
clusters, kept for the graph pages).
"""

import time
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations, islice

from django.db import connection, transaction

from collaborations.clusters import compute_clustering, network_pairs, network_stamp
from collaborations.models import ClusterMember, ClusterRun, Collaboration, NetworkCluster, ordered_pair
from events.services import event_build, event_record, events_record, json_value
from mhc.exceptions import ValidationError
from mhc.transactions import atomic_with_retry
from profiles.models import Person
from profiles.services import person_get_or_create

SELF_COLLABORATION_MESSAGE = "A person cannot be their own collaborator."


def _given(notes: str | None) -> str | None:
    """Notes as stored, or None when no notes were given (None or only whitespace)."""
    if notes is None or not notes.strip():
        return None
    return notes.strip()


def _new_row_fields(notes: str | None, first_seen_at: datetime | None) -> dict:
    """The fields of a newly added pair: the given notes (or none), first seen then (or now)."""
    fields = {"notes": notes or ""}
    if first_seen_at is not None:
        fields["first_seen_at"] = first_seen_at
    return fields


def _pair_words(first: Person, second: Person) -> str:
    return f"{first.username} and {second.username}"


def _record_added(collaboration: Collaboration, person: Person, other: Person, why: str) -> None:
    event_record(
        kind="collaboration.added",
        summary=f"Collaboration added: {_pair_words(person, other)}",
        person=person,
        other=other,
        subject=collaboration,
        data={"notes": collaboration.notes, "first_seen_at": json_value(collaboration.first_seen_at)},
        why=why,
    )


def _record_updated(collaboration: Collaboration, person: Person, other: Person, old: dict, why: str) -> None:
    new = {name: json_value(getattr(collaboration, name)) for name in old}
    if new == old:
        return
    event_record(
        kind="collaboration.updated",
        summary=f"Collaboration updated: {_pair_words(person, other)}",
        person=person,
        other=other,
        subject=collaboration,
        data={"old": old, "new": new},
        why=why,
    )


@transaction.atomic
def collaboration_add(
    *,
    person: Person,
    other: Person,
    notes: str | None = None,
    first_seen_at: datetime | None = None,
    why: str = "",
) -> tuple[Collaboration, bool]:
    """Record that two people appeared on cam together; the pair's order does not matter.

    Creates the row (first seen `first_seen_at`, or now), or, if these two are already
    collaborators, sets its notes when new notes are given and moves its first-seen date back
    when an earlier one is given. Returns the row and whether it was created (the original
    system's `add_collaboration` returns only the row; the flag lets the API answer 201 or 200).

    Two calls adding the same pair at once, in either order, both succeed and leave one row:
    `get_or_create` retries the read when the other's insert wins the unique constraint.
    """
    if person.pk == other.pk:
        raise ValidationError(SELF_COLLABORATION_MESSAGE)
    notes = _given(notes)
    person_a, person_b = ordered_pair(person, other)
    collaboration, created = Collaboration.objects.get_or_create(
        person_a=person_a, person_b=person_b, defaults=_new_row_fields(notes, first_seen_at)
    )
    if created:
        _record_added(collaboration, person, other, why)
    else:
        old = {"notes": collaboration.notes, "first_seen_at": json_value(collaboration.first_seen_at)}
        changed = []
        if notes is not None and collaboration.notes != notes:
            collaboration.notes = notes
            changed.append("notes")
        if first_seen_at is not None and first_seen_at < collaboration.first_seen_at:
            collaboration.first_seen_at = first_seen_at
            changed.append("first_seen_at")
        if changed:
            collaboration.save(update_fields=changed)
            _record_updated(collaboration, person, other, old, why)
    return collaboration, created


@transaction.atomic
def collaboration_update(
    *, collaboration: Collaboration, notes: str, first_seen_at: datetime, why: str = ""
) -> Collaboration:
    """Set one collaboration's notes (blank clears them) and first-seen date exactly as given."""
    old = {"notes": collaboration.notes, "first_seen_at": json_value(collaboration.first_seen_at)}
    collaboration.notes = (notes or "").strip()
    collaboration.first_seen_at = first_seen_at
    collaboration.save(update_fields=["notes", "first_seen_at"])
    _record_updated(collaboration, collaboration.person_a, collaboration.person_b, old, why)
    return collaboration


@transaction.atomic
def collaboration_remove(*, person: Person, other: Person, why: str = "") -> bool:
    """Forget that two people collaborated (either order). False if they were not collaborators.
    The removal is an event of its own: the one that recorded the pair's adding stays."""
    collaboration = Collaboration.objects.between(person, other).first()
    if collaboration is None:
        return False
    event_record(
        kind="collaboration.removed",
        summary=f"Collaboration removed: {_pair_words(person, other)}",
        person=person,
        other=other,
        subject=("collaborations.collaboration", collaboration.pk),
        data={"notes": collaboration.notes, "first_seen_at": json_value(collaboration.first_seen_at)},
        why=why,
    )
    collaboration.delete()
    return True


@dataclass(frozen=True)
class GroupResult:
    """What `collaboration_add_group` did: the pairs of the group, and how many were new."""

    people: list[Person]
    pairs: int
    created: int


@transaction.atomic
def collaboration_add_group(
    *,
    people: list[Person],
    notes: str | None = None,
    first_seen_at: datetime | None = None,
    why: str = "",
) -> GroupResult:
    """Record that everyone in the group appeared on cam with everyone else (every pair).

    Pairs that exist are treated as `collaboration_add` treats them (new notes replace the old,
    an earlier first-seen date moves theirs back). One transaction of at most four statements
    whatever the group's size: read the pairs that exist, insert the missing ones (in batches
    only where the database limits a statement's parameters), update notes, update dates, and
    one more for the events (a "collaboration.added" per new pair, naming the whole group).
    Running it again changes nothing. Fewer than two distinct people is a ValidationError.
    """
    distinct = list({person.pk: person for person in people}.values())
    if len(distinct) < 2:
        raise ValidationError("A group needs at least two different people.")
    notes = _given(notes)
    pairs = [ordered_pair(first, second) for first, second in combinations(distinct, 2)]
    ids = [person.pk for person in distinct]
    rows = Collaboration.objects.filter(person_a__in=ids, person_b__in=ids)
    existing = {(a, b): pk for pk, a, b in rows.values_list("pk", "person_a", "person_b")}
    missing = [(a, b) for a, b in pairs if (a.pk, b.pk) not in existing]
    fields = _new_row_fields(notes, first_seen_at)
    new_rows = [Collaboration(person_a=a, person_b=b, **fields) for a, b in missing]
    # ignore_conflicts: a pair someone else added since the read above is kept as they left it.
    Collaboration.objects.bulk_create(new_rows, ignore_conflicts=True)
    if existing and notes is not None:
        Collaboration.objects.filter(pk__in=existing.values()).exclude(notes=notes).update(notes=notes)
    if existing and first_seen_at is not None:
        Collaboration.objects.filter(pk__in=existing.values(), first_seen_at__gt=first_seen_at).update(
            first_seen_at=first_seen_at
        )
    group = [person.username for person in distinct]
    events_record(
        event_build(
            kind="collaboration.added",
            summary=f"Collaboration added: {_pair_words(a, b)} (group of {len(group)})",
            person=a,
            other=b,
            data={"group": group, "notes": notes or "", "first_seen_at": json_value(first_seen_at)},
            why=why,
        )
        for a, b in missing
    )
    return GroupResult(people=distinct, pairs=len(pairs), created=len(missing))


@transaction.atomic
def collaboration_record(
    *,
    person: Person,
    username: str,
    notes: str | None = None,
    first_seen_at: datetime | None = None,
    why: str = "",
) -> tuple[Collaboration, Person, bool, bool]:
    """`collaboration_add` with the collaborator named by username, created if nobody has seen
    them: returns the row, the collaborator, whether the row and whether the person are new.
    All or nothing: a refused add (a pair with themself) leaves no new person behind."""
    other, new_person = person_get_or_create(username=username)
    collaboration, created = collaboration_add(
        person=person, other=other, notes=notes, first_seen_at=first_seen_at, why=why
    )
    return collaboration, other, created, new_person


def collaboration_group_record(
    *, usernames: list[str], notes: str | None = None, first_seen_at: datetime | None = None, why: str = ""
) -> tuple[GroupResult, list[str]]:
    """`collaboration_add_group` for people named by username, creating those nobody has seen;
    returns the result and the usernames created (sorted). All or nothing.

    Safe with many such requests at once in any order: people are created in one fixed order
    (sorted by username), so two groups sharing new people never wait on each other in a cycle,
    and a transaction the database still aborts (a deadlock or serialisation failure) is retried.
    """

    def record() -> tuple[GroupResult, list[str]]:
        people, new_people = [], []
        for username in sorted(set(usernames)):
            person, created = person_get_or_create(username=username)
            people.append(person)
            if created:
                new_people.append(person.username)
        result = collaboration_add_group(people=people, notes=notes, first_seen_at=first_seen_at, why=why)
        return result, new_people

    return atomic_with_retry(record)


@dataclass(frozen=True)
class ClusterRefresh:
    """What `network_clusters_compute` did: the run kept now, and whether it computed it."""

    run: ClusterRun
    computed: bool

    def summary(self) -> str:
        run = self.run
        if not self.computed:
            return f"clusters up to date (computed {run.computed_at:%Y-%m-%d %H:%M:%S %Z})"
        return (
            f"{run.cluster_count:,} clusters of {run.people:,} people ({run.pairs:,} collaborations) "
            f"computed in {run.seconds:.1f} s"
        )

    def as_dict(self) -> dict:
        return {
            "computed": self.computed,
            "clusters": self.run.cluster_count,
            "people": self.run.people,
            "seconds": round(self.run.seconds, 3),
        }


MEMBER_BATCH = 5000


def network_clusters_compute(*, force: bool = False) -> ClusterRefresh:
    """Find the whole network's clusters and keep them as the new `ClusterRun`, unless the kept
    run was computed from the network as it is now (`force`: compute anyway).

    The network's state is read before its pairs, so a pair added meanwhile leaves the new run
    stale rather than wrongly current. The new run replaces the old in one transaction: readers
    see the old one until it commits. Reads the whole network: for the job and the command, never
    for a request.
    """
    stamp = network_stamp()
    latest = ClusterRun.objects.first()
    if latest is not None and latest.stamp == stamp and not force:
        return ClusterRefresh(run=latest, computed=False)
    started = time.monotonic()
    pairs = network_pairs()
    clustering = compute_clustering(pairs)
    with transaction.atomic():
        run = ClusterRun.objects.create(
            stamp=stamp,
            people=len(clustering.ranked),
            pairs=len(pairs),
            cluster_count=len(clustering.clusters),
        )
        NetworkCluster.objects.bulk_create(
            (
                NetworkCluster(run=run, number=c.id, component=c.component, size=len(c.member_ids))
                for c in clustering.clusters
            ),
            batch_size=MEMBER_BATCH,
        )
        rank = {pk: position for position, pk in enumerate(clustering.ranked)}
        members = (
            ClusterMember(
                run=run,
                person_id=pk,
                cluster=cluster.id,
                degree=clustering.degree[pk],
                rank=rank[pk],
                position=position,
            )
            for cluster in clustering.clusters
            for position, pk in enumerate(cluster.member_ids)
        )
        # In batches built as they are written: a whole network's rows at once would hold
        # every model instance in memory together.
        while batch := list(islice(members, MEMBER_BATCH)):
            ClusterMember.objects.bulk_create(batch)
        ClusterRun.objects.exclude(pk=run.pk).delete()
        run.seconds = time.monotonic() - started
        run.save(update_fields=["seconds"])
    if connection.vendor == "postgresql":
        # The rows replaced are the whole table: without fresh statistics until autovacuum comes
        # round, the planner scans it all for the pages' "most connected first" instead of
        # reading the first rows of its index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ClusterMember._meta.db_table}, {NetworkCluster._meta.db_table}")
    return ClusterRefresh(run=run, computed=True)
