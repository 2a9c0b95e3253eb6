"""The collaboration graph: who shows with whom, around one person or across everyone.

Around a person (`ego_graph`): the person, their collaborators and, at depth 2, their
collaborators' collaborators, capped at `limit` people (nearest first, then the most connected),
in a fixed number of statements whatever the size of the network. Across everyone
(`network_graph`): the most connected people of a selection (a cluster, people matching the
directory's filters, pairs first seen since a date), never more than `limit` at once, each with
their cluster as last computed (see `collaborations.clusters`), read from what was kept.
"""

import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from collaborations.models import ClusterMember, ClusterRun, Collaboration
from profiles.marks import marks_for
from profiles.models import Person, PersonQuerySet

DEFAULT_LIMIT = 150
MAX_LIMIT = 1000
DEFAULT_NETWORK_LIMIT = 300
MAX_NETWORK_LIMIT = 3000


@dataclass(frozen=True)
class GraphNode:
    id: Any
    username: str
    display_name: str
    followers: int | None
    degree: int  # collaborations of this person in the part of the network that was read
    depth: int | None = None  # steps from the person a graph is drawn around
    cluster: int | None = None
    relationship: dict | None = None  # the owner's relationship with them: {"type", "tier"}
    badges: list = field(default_factory=list)  # badge attributes set: [{"key", "label", "color"}]


@dataclass(frozen=True)
class GraphEdge:
    a: str
    b: str
    first_seen_at: datetime
    notes: str
    weight: int  # 1 to 6: grows with how long the pair has been seen together (log scale)


@dataclass(frozen=True)
class Graph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: int  # people of the selection left out by the limit


def pair_weight(first_seen_at: datetime, now: datetime) -> int:
    """1 for a pair first seen this month, one more for each doubling of the months since."""
    months = max((now - first_seen_at).days, 0) / 30
    return min(1 + int(math.log2(1 + months)), 6)


def _edges_touching(ids: Collection[Any]) -> list[tuple[Any, Any]]:
    """(person_a, person_b) of every collaboration of anyone in `ids`: one statement, each half of
    the union read through its own index (the pair's for person_a, the foreign key's for person_b)."""
    ids = list(ids)
    pairs = Collaboration.objects.order_by().values_list("person_a_id", "person_b_id")
    return list(pairs.filter(person_a_id__in=ids).union(pairs.filter(person_b_id__in=ids)))


def _neighbours(ids: Collection[Any], edges: Iterable[tuple[Any, Any]]) -> set:
    found = set()
    for a, b in edges:
        if a in ids:
            found.add(b)
        if b in ids:
            found.add(a)
    return found


def _build(
    kept: list, *, degree: Mapping, depth: dict | None = None, cluster: dict | None = None, since=None
) -> tuple[list[GraphNode], list[GraphEdge]]:
    """Nodes and edges for the `kept` people: three statements and one per registered mark."""
    people = {
        row["id"]: row
        for row in Person.objects.filter(pk__in=kept).values(
            "id", "username", "profile__display_name", "profile__followers"
        )
    }
    marks = marks_for(kept)
    relationships, badges = marks.get("relationship", {}), marks.get("badges", {})
    nodes = [
        GraphNode(
            id=pk,
            username=people[pk]["username"],
            display_name=people[pk]["profile__display_name"] or "",
            followers=people[pk]["profile__followers"],
            degree=degree.get(pk, 0),
            depth=depth.get(pk) if depth else None,
            cluster=cluster.get(pk) if cluster else None,
            relationship=relationships.get(pk),
            badges=badges.get(pk, []),
        )
        for pk in kept
        if pk in people
    ]
    rows = Collaboration.objects.filter(person_a_id__in=kept, person_b_id__in=kept)
    if since is not None:
        rows = rows.filter(first_seen_at__gte=since)
    now = timezone.now()
    edges = [
        GraphEdge(
            a=people[a]["username"],
            b=people[b]["username"],
            first_seen_at=first_seen_at,
            notes=notes,
            weight=pair_weight(first_seen_at, now),
        )
        for a, b, first_seen_at, notes in rows.order_by("person_a_id", "person_b_id").values_list(
            "person_a_id", "person_b_id", "first_seen_at", "notes"
        )
        if a in people and b in people
    ]
    return nodes, edges


def ego_graph(person: Person, *, depth: int = 1, limit: int = DEFAULT_LIMIT) -> Graph:
    """`person`, their collaborators and (depth 2) their collaborators' collaborators.

    At most `limit` people: the person, then the nearer before the farther, the most connected
    first (ties by id, so the same data always draws the same graph). Reads the collaborations of
    the person and of their collaborators (two statements), then builds the kept part.
    """
    center = person.pk
    first_ring = _neighbours({center}, _edges_touching([center]))
    edges = _edges_touching(first_ring) if first_ring else []
    degree = Counter()
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    if not first_ring:
        degree[center] = 0
    second_ring = _neighbours(first_ring, edges) - first_ring - {center} if depth >= 2 else set()

    def by_connections(ids: set) -> list:
        return sorted(ids, key=lambda pk: (-degree[pk], str(pk)))

    ranked = [center, *by_connections(first_ring), *by_connections(second_ring)]
    kept = ranked[:limit]
    distance = {center: 0, **dict.fromkeys(first_ring, 1), **dict.fromkeys(second_ring, 2)}
    nodes, graph_edges = _build(kept, degree=degree, depth=distance)
    return Graph(nodes=nodes, edges=graph_edges, truncated=len(ranked) - len(kept))


def _ranked_members(run: ClusterRun, *, cluster: int | None) -> QuerySet:
    members = ClusterMember.objects.filter(run=run)
    if cluster is not None:
        return members.filter(cluster=cluster).order_by("position")
    return members.order_by("rank")


def _ranked_now() -> QuerySet:
    """Everyone with a collaborator, the most connected first, counted in the database: what the
    whole network shows before its clusters were ever computed."""

    def pairs(side: str) -> Coalesce:
        rows = Collaboration.objects.filter(**{side: OuterRef("pk")}).order_by().values(side)
        return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

    people = Person.objects.annotate(degree=pairs("person_a") + pairs("person_b")).filter(degree__gt=0)
    return people.order_by("-degree", "pk")


def network_graph(
    *,
    run: ClusterRun | None,
    people: PersonQuerySet | None = None,
    since: datetime | None = None,
    cluster: int | None = None,
    limit: int = DEFAULT_NETWORK_LIMIT,
) -> Graph:
    """The most connected `limit` people of a selection of the whole network, and the pairs among
    them: everyone who has a collaborator, narrowed to one cluster, to `people` (the directory's
    filters) and to pairs first seen since `since`.

    Who is the most connected, and their clusters, come from the kept `run` (see
    `collaborations.services.network_clusters_compute`), read through its indexes; without one,
    the collaborations are counted in the database and nobody has a cluster. One statement for
    the selection's first `limit`, one more for its size when there are more and it is narrowed
    (or nothing was computed), and `_build`'s."""
    if run is None and cluster is not None:  # no clusters yet: nobody is in one
        return Graph(nodes=[], edges=[], truncated=0)
    if run is not None:
        selection, person = _ranked_members(run, cluster=cluster), "person_id"
    else:
        selection, person = _ranked_now(), "pk"
    if people is not None:
        selection = selection.filter(**{f"{person}__in": people.order_by().values("pk")})
    if since is not None:
        recent = Collaboration.objects.filter(first_seen_at__gte=since).order_by()
        selection = selection.filter(
            Q(**{f"{person}__in": recent.values("person_a_id")})
            | Q(**{f"{person}__in": recent.values("person_b_id")})
        )
    if run is not None:
        rows = list(selection.values_list("person_id", "degree", "cluster")[:limit])
    else:
        rows = [(pk, degree, None) for pk, degree in selection.values_list("pk", "degree")[:limit]]
    if len(rows) < limit:
        total = len(rows)
    elif run is not None and cluster is None and people is None and since is None:
        total = run.people  # everyone the run ranked: no need to count them again
    else:
        total = selection.count()
    kept = [pk for pk, _, _ in rows]
    degree = {pk: value for pk, value, _ in rows}
    clusters = {pk: number for pk, _, number in rows}
    nodes, edges = _build(kept, degree=degree, cluster=clusters if run else None, since=since)
    return Graph(nodes=nodes, edges=edges, truncated=total - len(kept))
