"""Reads of relationships that the profile page, the relationships page and the API share.

The original system's names: `get_relationships(profile)` is `relationships_of`, `get_history(profile)` is
`relationship_history`, and the filterable selector (by type, tier, owner-only) is
`relationships`. Each preloads the people it shows, so query counts stay flat.
"""

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from profiles.models import Person, Profile
from relationships.models import Relationship, RelationshipHistory, RelationshipQuerySet


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
        .select_related("profile__person", "related_person")
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
