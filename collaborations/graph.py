"""The collaboration graph: who shows with whom, around one person or across everyone.

Around a person (`ego_graph`): the person, their collaborators and, at depth 2, their
collaborators' collaborators, capped at `limit` people (nearest first, then the most connected),
in a fixed number of statements whatever the size of the network. Across everyone
(`network_graph`): the most connected people of a selection (a cluster, people matching the
directory's filters, pairs first seen since a date), never more than `limit` at once, with the
network's clusters: its connected parts, and within each the communities that igraph finds
(Louvain), so recurring group shows stand out.
"""

import math
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import timezone

from collaborations.models import Collaboration
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
    kept: list, *, degree: Counter, depth: dict | None = None, cluster: dict | None = None, since=None
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
            degree=degree[pk],
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


@dataclass(frozen=True)
class Cluster:
    """People linked by collaborations: a community (igraph's Louvain) within a connected part
    of the network (`component`); a small part is one community."""

    id: int
    component: int
    member_ids: tuple  # the most connected first


@dataclass(frozen=True)
class Clustering:
    clusters: list[Cluster]
    cluster_of: dict  # person id → cluster id
    degree: Counter  # person id → collaborations
    ranked: tuple = ()  # everyone with a collaborator, the most connected first (ties by id)


def network_graph(
    *,
    clustering: Clustering,
    people: PersonQuerySet | None = None,
    since: datetime | None = None,
    cluster: int | None = None,
    limit: int = DEFAULT_NETWORK_LIMIT,
) -> Graph:
    """The most connected `limit` people of a selection of the whole network, and the pairs among
    them: everyone who has a collaborator, narrowed to one cluster, to `people` (the directory's
    filters) and to pairs first seen since `since`."""
    candidates: set | None = None  # everyone

    def narrow(ids: set) -> None:
        nonlocal candidates
        candidates = ids if candidates is None else candidates & ids

    if cluster is not None:
        found = clustering.clusters[cluster] if 0 <= cluster < len(clustering.clusters) else None
        narrow(set(found.member_ids) if found else set())
    if people is not None:
        narrow(set(people.values_list("pk", flat=True)))
    if since is not None:
        recent = Collaboration.objects.filter(first_seen_at__gte=since).values_list(
            "person_a_id", "person_b_id"
        )
        narrow({pk for pair in recent.iterator(chunk_size=5000) for pk in pair})
    if candidates is None:
        kept, total = list(clustering.ranked[:limit]), len(clustering.ranked)
    else:
        ranked = [pk for pk in clustering.ranked if pk in candidates]
        kept, total = ranked[:limit], len(ranked)
    nodes, edges = _build(kept, degree=clustering.degree, cluster=clustering.cluster_of, since=since)
    return Graph(nodes=nodes, edges=edges, truncated=total - len(kept))
