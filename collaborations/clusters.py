"""Clusters of the collaboration network: how they are found, and the state of the network they
are found from.

The network is split into its connected parts, and each part into the communities that igraph's
Louvain method finds (multilevel modularity optimisation, in C: seconds for hundreds of
thousands of pairs, where a pure-Python implementation takes minutes). The random choices are
seeded and the graph built in a fixed order, so the same network always gives the same clusters.
A part of fewer than eight people is one community. Clusters are numbered by size, largest first.

Finding them reads the whole network, so it is never done in a request: the
collaboration-clusters job and `manage.py graph_clusters` do it through
`collaborations.services.network_clusters_compute`, which keeps the result (`ClusterRun`), and
the pages read what was kept.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import igraph
from django.db import connection
from django.db.models import Count, Max

from collaborations.models import Collaboration
from profiles.models import PersonMerge

SEED = 7
SMALLEST_SPLIT = 8  # a part with fewer people (a group show and its guests) is one community


@dataclass(frozen=True)
class Cluster:
    """People linked by collaborations: a community (igraph's Louvain) within a connected part
    of the network (`component`); a small part is one community."""

    id: int
    component: int
    member_ids: tuple  # the most connected first (ties by id)


@dataclass(frozen=True)
class Clustering:
    clusters: list[Cluster]
    cluster_of: dict  # person id → cluster id
    degree: Counter  # person id → collaborations
    ranked: tuple = ()  # everyone with a collaborator, the most connected first (ties by id)


def compute_clustering(pairs: Iterable[tuple]) -> Clustering:
    """Clusters of the network made of `pairs` ((person id, person id); ids of one orderable type,
    such as UUIDs, whose order breaks ties)."""
    pairs = {(a, b) if a < b else (b, a) for a, b in pairs if a != b}
    ids = sorted({pk for pair in pairs for pk in pair})
    index = {pk: position for position, pk in enumerate(ids)}
    graph = igraph.Graph(n=len(ids), edges=sorted((index[a], index[b]) for a, b in pairs))
    degrees = graph.degree()
    components = graph.connected_components().membership
    igraph.set_random_number_generator(random.Random(SEED))
    communities = graph.community_multilevel().membership if ids else []
    part_sizes = Counter(components)
    first_of_part: dict[int, int] = {}
    for position, part in enumerate(components):
        first_of_part.setdefault(part, position)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for position in range(len(ids)):
        part = components[position]
        community = -1 if part_sizes[part] < SMALLEST_SPLIT else communities[position]
        groups[(part, community)].append(position)
    # Parts numbered by size, largest first (ties by their first member), as the page lists them.
    part_order = {
        part: rank
        for rank, part in enumerate(
            sorted(part_sizes, key=lambda part: (-part_sizes[part], first_of_part[part]))
        )
    }

    def most_connected_first(positions: list[int]) -> tuple:
        return tuple(ids[position] for position in sorted(positions, key=lambda p: (-degrees[p], p)))

    found = [(part_order[part], most_connected_first(members)) for (part, _), members in groups.items()]
    found.sort(key=lambda item: (-len(item[1]), item[0], index[item[1][0]]))
    clusters = [
        Cluster(id=number, component=part, member_ids=members) for number, (part, members) in enumerate(found)
    ]
    cluster_of = {pk: cluster.id for cluster in clusters for pk in cluster.member_ids}
    degree = Counter(dict(zip(ids, degrees, strict=True)))
    return Clustering(
        clusters=clusters,
        cluster_of=cluster_of,
        degree=degree,
        ranked=most_connected_first(list(range(len(ids)))),
    )


def network_pairs() -> list[tuple]:
    """Every collaboration as (person A id, person B id), read in one statement."""
    pairs = Collaboration.objects.order_by().values_list("person_a_id", "person_b_id")
    if connection.vendor == "postgresql":
        # A plain cursor: psycopg returns UUIDs itself, without the ORM's per-value conversion.
        sql, params = pairs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return list(pairs)


def network_stamp() -> str:
    """The state of the network clusters are computed from: it changes whenever a pair is added
    or removed (their count, the newest row) and whenever people are merged or a merge undone
    (which move pairs from one person to another). Two statements, both on indexes."""
    state = Collaboration.objects.aggregate(count=Count("*"), newest=Max("created_at"))
    merges = PersonMerge.objects.aggregate(count=Count("pk"), undone=Max("undone_at"))
    parts = [
        state["count"],
        state["newest"].isoformat() if state["newest"] else "",
        merges["count"],
        merges["undone"].isoformat() if merges["undone"] else "",
    ]
    return ":".join(map(str, parts))


def stamp_pairs(stamp: str) -> int:
    """How many collaborations the network had in the state `stamp` names."""
    return int(stamp.split(":", 1)[0]) if stamp else 0
