"""Reads that the profile page, the activity log and the API share."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse

from collaborations.clusters import network_stamp, stamp_pairs
from collaborations.models import ClusterMember, ClusterRun, Collaboration
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


@dataclass(frozen=True)
class ClusterState:
    """The kept clusters of the whole network (`run`, None before any was computed), and whether
    they were computed from the network as it is now."""

    run: ClusterRun | None
    current: bool
    pairs: int  # collaborations now

    @property
    def pending(self) -> bool:
        """The network has changed since the kept clusters were computed (or has pairs and none
        were): a computation is due."""
        return not self.current and (self.pairs > 0 or self.run is not None)


def cluster_state() -> ClusterState:
    """The kept run and whether it is current: three statements, whatever the network's size
    (the one that counts the pairs reads their table's smallest index or the table itself)."""
    run = ClusterRun.objects.first()
    stamp = network_stamp()
    return ClusterState(run=run, current=run is not None and run.stamp == stamp, pairs=stamp_pairs(stamp))


@dataclass(frozen=True)
class ClusterSummary:
    id: int
    component: int
    size: int
    members: list[str]  # usernames, the most connected first
    more: int


def cluster_summaries(
    run: ClusterRun | None, *, start: int = 0, count: int = 25, members: int = 12
) -> list[ClusterSummary]:
    """`count` clusters of the run from `start`, each with its `members` most connected usernames
    (people removed since the run was computed are left out): two statements."""
    if run is None:
        return []
    shown = list(run.clusters.filter(number__gte=start).order_by("number")[:count])
    if not shown:
        return []
    username = Person.objects.filter(pk=OuterRef("person_id")).values("username")[:1]
    rows = (
        ClusterMember.objects.filter(
            run=run, cluster__gte=shown[0].number, cluster__lte=shown[-1].number, position__lt=members
        )
        .annotate(username=Subquery(username))
        .order_by("cluster", "position")
        .values_list("cluster", "username")
    )
    listed: dict[int, list[str]] = {cluster.number: [] for cluster in shown}
    for number, name in rows:
        if name is not None:
            listed[number].append(name)
    return [
        ClusterSummary(
            id=cluster.number,
            component=cluster.component,
            size=cluster.size,
            members=listed[cluster.number],
            more=max(cluster.size - members, 0),
        )
        for cluster in shown
    ]
