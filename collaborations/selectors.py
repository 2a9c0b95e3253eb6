"""Reads that the profile page, the activity log and the API share."""

from dataclasses import dataclass
from datetime import datetime

from collaborations.models import Collaboration, CollaborationQuerySet
from profiles.models import Person


@dataclass(frozen=True)
class Collaborator:
    """Someone a person has been on cam with, as that person's profile shows them."""

    person: Person
    collaboration: Collaboration

    @classmethod
    def of(cls, collaboration: Collaboration, seen_from: Person) -> "Collaborator":
        return cls(person=collaboration.collaborator_of(seen_from), collaboration=collaboration)

    @property
    def username(self) -> str:
        return self.person.username

    @property
    def display_name(self) -> str:
        profile = getattr(self.person, "profile", None)
        return profile.display_name if profile else ""

    @property
    def notes(self) -> str:
        return self.collaboration.notes

    @property
    def first_seen_at(self) -> datetime:
        return self.collaboration.first_seen_at

    @property
    def created_at(self) -> datetime:
        return self.collaboration.created_at


def collaborations_of(person: Person) -> CollaborationQuerySet:
    """The person's collaborations, from either side of the pair, ordered by the other person's
    username, with both people and their profiles preloaded (one query however many)."""
    return Collaboration.objects.seen_from(person)


def collaborators_of(person: Person) -> list[Collaborator]:
    """Everyone the person has been on cam with, by username, in one query."""
    return [Collaborator.of(collaboration, person) for collaboration in collaborations_of(person)]


def are_collaborators(first: Person, second: Person) -> bool:
    """Whether these two people have been seen on cam together (in either order)."""
    return first.pk != second.pk and Collaboration.objects.between(first, second).exists()


def latest_collaborations_of(person: Person, *, limit: int) -> list[Collaboration]:
    """The person's `limit` most recently added collaborations, newest first, in one query."""
    return list(
        Collaboration.objects.involving(person)
        .select_related("person_a", "person_b")
        .order_by("-created_at")[:limit]
    )
