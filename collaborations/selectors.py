"""Reads that the profile page, the activity log and the API share."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, QuerySet
from django.urls import reverse

from collaborations.models import Collaboration
from profiles.models import Person


@dataclass(frozen=True)
class Collaborator:
    """Someone a person has been on cam with, as that person's profile shows them."""

    username: str
    display_name: str
    notes: str
    first_seen_at: datetime
    created_at: datetime

    @classmethod
    def of(cls, collaboration: Collaboration, collaborator: Person) -> "Collaborator":
        """`collaborator`, one of the collaboration's pair, as the other one's profile shows
        them (one query if their profile is not loaded)."""
        profile = getattr(collaborator, "profile", None)
        return cls(
            username=collaborator.username,
            display_name=profile.display_name if profile else "",
            notes=collaboration.notes,
            first_seen_at=collaboration.first_seen_at,
            created_at=collaboration.created_at,
        )

    @property
    def url(self) -> str:
        """Their profile page."""
        return reverse("profile-detail", kwargs={"username": self.username})


def collaborations_of(person: Person) -> QuerySet:
    """The person's collaborators, from either side of the pair, ordered by username, as
    `Collaborator` fields (dicts): a queryset, so the API can page it in the database."""
    return Collaboration.objects.seen_from(person).values(
        "notes",
        "first_seen_at",
        "created_at",
        username=F("collaborator_username"),
        display_name=F("collaborator_display_name"),
    )


def collaborators_of(person: Person) -> list[Collaborator]:
    """Everyone the person has been on cam with, by username, in one query however many."""
    return [Collaborator(**row) for row in collaborations_of(person)]


def are_collaborators(first: Person, second: Person) -> bool:
    """Whether these two people have been seen on cam together (in either order)."""
    return first.pk != second.pk and Collaboration.objects.between(first, second).exists()
