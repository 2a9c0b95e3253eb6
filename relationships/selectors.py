"""Reads of relationships that the profile page, the relationships page and the API share.

The original system's names: `get_relationships(profile)` is `relationships_of`, `get_history(profile)` is
`relationship_history`, and the filterable selector (by type, tier, owner-only) is
`relationships`. Each preloads the people it shows, so query counts stay flat.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from profiles.models import Person, Profile
from relationships.models import (
    Relationship,
    RelationshipHistory,
    RelationshipQuerySet,
    RelationshipType,
    Status,
    Tier,
)


def relationships_of(profile: Profile | None) -> RelationshipQuerySet:
    """The relationships on a profile (its own), in display order, with the related people."""
    if profile is None:
        return Relationship.objects.none()
    return (
        Relationship.objects.filter(profile=profile)
        .select_related("profile__person", "related_person__profile")
        .in_display_order()
    )


def relationships_with(person: Person) -> RelationshipQuerySet:
    """Relationships other profiles have with this person ("listed by"), the owner's first."""
    return (
        Relationship.objects.filter(related_person=person)
        .select_related("profile__person")  # the related person is `person`
        .order_by(
            Case(
                When(profile__person__username=settings.MHC_OWNER_USERNAME, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "profile__person__username",
            "tier",
            "id",
        )
    )


def owner_relationships_with(person: Person) -> list[Relationship]:
    """The owner's own relationships with this person (for the profile header), closest first."""
    return list(
        Relationship.objects.of_owner()
        .filter(related_person=person)
        .select_related("related_person")
        .in_display_order()
    )


def relationship_of(profile: Profile | None, pk: int) -> Relationship:
    """One relationship on this profile, or Http404."""
    found = relationships_of(profile).filter(pk=pk).first()
    if found is None:
        raise Http404("This profile has no relationship with that id.")
    return found


def relationship_history(profile: Profile | None) -> QuerySet[RelationshipHistory]:
    """Every change to the relationships on a profile, removed ones included, newest first."""
    if profile is None:
        return RelationshipHistory.objects.none()
    return RelationshipHistory.objects.filter(profile=profile).select_related(
        "profile__person", "related_person", "changed_by"
    )


def relationship_events(person: Person, limit: int) -> list[RelationshipHistory]:
    """The newest `limit` history rows involving a person: on their profile or naming them."""
    return list(
        RelationshipHistory.objects.filter(Q(profile__person=person) | Q(related_person=person))
        .select_related("profile__person", "related_person")
        .order_by("-changed_at", "-id")[:limit]
    )


def relationships(
    *, type: str | None = None, tier: str | None = None, mine: bool = False, status: str | None = None
) -> RelationshipQuerySet:
    """Relationships across all profiles, filtered by type, tier and status, or only the owner's
    (`mine`): "my Doms" is `relationships(type="dom", mine=True)`."""
    found = Relationship.objects.select_related("profile__person", "related_person__profile")
    if mine:
        found = found.of_owner()
    if type:
        found = found.filter(type=type)
    if tier:
        found = found.filter(tier=tier)
    if status:
        found = found.filter(status=status)
    return found.in_display_order()


def owner_relationship_by_person(person_ids) -> dict:
    """The owner's closest relationship with each of these people, in one query:
    `{person_id: {"type", "tier"}}` (the first in display order where there are several)."""
    found: dict = {}
    rows = (
        Relationship.objects.of_owner()
        .filter(related_person_id__in=list(person_ids))
        .in_display_order()
        .values_list("related_person_id", "type", "tier")
    )
    for person_id, kind, tier in rows:
        found.setdefault(person_id, {"type": kind, "tier": tier})
    return found


@dataclass(frozen=True)
class PastRelationship:
    """A relationship as its history says it was at some moment."""

    related_username: str
    type: str
    tier: str
    status: str

    @property
    def type_label(self) -> str:
        return RelationshipType(self.type).label

    @property
    def tier_label(self) -> str:
        return Tier(self.tier).label

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class _Held:
    """One relationship through a replay of its history: `key`, (related person id, type), is the
    one it has now or had when it was removed."""

    key: tuple
    removed: bool = False


def _replay_until(person: Person, moment: datetime) -> list[tuple[_Held, PastRelationship]]:
    """The relationships on `person`'s profile at `moment` as their history says (one query): an
    addition adds one, a change replaces it (its type may change), a removal ends it. The replay
    goes on past `moment` so that each one's `key` is the one it has now."""
    rows = (
        RelationshipHistory.objects.filter(profile__person=person)
        .order_by("changed_at", "id")
        .values_list(
            *("changed_at", "related_person_id", "related_person__username", "action"),
            *("old_type", "new_type", "new_tier", "new_status"),
        )
    )
    held: dict[tuple, tuple[_Held, PastRelationship]] = {}
    then = None
    for changed_at, person_id, username, action, old_type, new_type, tier, status in rows:
        if then is None and changed_at > moment:
            then = list(held.values())
        line = None
        if action != RelationshipHistory.Action.CREATED:
            line, _ = held.pop((person_id, old_type), (None, None))
        if action == RelationshipHistory.Action.REMOVED:
            if line is not None:
                line.removed = True
            continue
        line = line or _Held((person_id, new_type))
        line.key = (person_id, new_type)
        held[line.key] = (line, PastRelationship(username, new_type, tier, status))
    return list(held.values()) if then is None else then


def relationships_as_of(person: Person, moment: datetime) -> list[PastRelationship]:
    """The relationships on `person`'s profile at `moment`, replayed from their history, less
    those that by their own dates (as the relationship has them now) had not started by that day
    or had ended before it. Two queries: the history and the dates. A relationship removed since
    has no dates left to read, so its history alone says whether it is shown."""
    day = timezone.localdate(moment)
    rows = Relationship.objects.filter(profile__person=person)
    rows = rows.values_list("related_person_id", "type", "started_at", "ended_at")
    dates = {(person_id, kind): (started, ended) for person_id, kind, started, ended in rows}
    shown = []
    for line, row in _replay_until(person, moment):
        started, ended = (None, None) if line.removed else dates.get(line.key, (None, None))
        if (started is None or started <= day) and (ended is None or ended >= day):
            shown.append(row)
    return sorted(shown, key=lambda row: (row.type, row.related_username))


def owner_related_ids(*, type: str = "", tier: str = "") -> QuerySet:
    """The ids of the people the owner has a relationship with (of this type, at this tier), as
    a subquery for the directory's filters."""
    rows = Relationship.objects.of_owner()
    if type:
        rows = rows.filter(type=type)
    if tier:
        rows = rows.filter(tier=tier)
    return rows.values("related_person_id")
