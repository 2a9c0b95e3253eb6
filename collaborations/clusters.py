"""Clusters of the collaboration network, found once per state of the network and kept in memory.

A connected part of the network is split into communities by networkx's Louvain method (seeded,
so the same network always gives the same clusters); a part of two or three people is one
community. Clusters are numbered by size, largest first.
"""

from collections import Counter
from dataclasses import dataclass

import networkx as nx
from django.db.models import Count, Max

from collaborations.graph import Cluster, Clustering
from collaborations.models import Collaboration
from profiles.models import Person

SEED = 7
SMALLEST_SPLIT = 8  # a part with fewer people (a group show and its guests) is one community


def compute_clustering(pairs) -> Clustering:
    """Clusters of the network made of `pairs` ((person id, person id) iterable).

    The graph is built in a fixed order (pairs sorted), so that Louvain, seeded, finds the same
    communities however the pairs were read."""
    graph = nx.Graph()
    graph.add_edges_from(
        sorted((tuple(sorted(pair, key=str)) for pair in pairs), key=lambda pair: tuple(map(str, pair)))
    )
    degree = Counter(dict(graph.degree()))
    found: list[tuple[int, tuple]] = []
    for component_index, members in enumerate(
        sorted(nx.connected_components(graph), key=lambda part: (-len(part), min(map(str, part))))
    ):
        if len(members) < SMALLEST_SPLIT:
            communities = [members]
        else:
            communities = nx.community.louvain_communities(graph.subgraph(members), seed=SEED)
        for community in communities:
            ranked = tuple(sorted(community, key=lambda pk: (-degree[pk], str(pk))))
            found.append((component_index, ranked))
    found.sort(key=lambda item: (-len(item[1]), item[0], str(item[1][0])))
    clusters = [Cluster(id=index, component=part, member_ids=ids) for index, (part, ids) in enumerate(found)]
    cluster_of = {pk: cluster.id for cluster in clusters for pk in cluster.member_ids}
    return Clustering(clusters=clusters, cluster_of=cluster_of, degree=degree)


def _fingerprint() -> str:
    """Changes whenever a pair is added or removed (the count, the newest row)."""
    state = Collaboration.objects.aggregate(count=Count("pk"), newest=Max("created_at"))
    return f"collaboration-clusters:{state['count']}:{state['newest'].isoformat() if state['newest'] else ''}"


# The last clustering this process computed, with the fingerprint of the network it was computed
# from. Kept as objects rather than in Django's cache, which would pickle a whole network's
# dictionaries in and out on every request.
_latest: list[tuple[str, Clustering]] = []


def network_clustering() -> Clustering:
    """The clusters of the whole network as it is now (computed once per change, then reused)."""
    key = _fingerprint()
    if _latest and _latest[0][0] == key:
        return _latest[0][1]
    pairs = Collaboration.objects.values_list("person_a_id", "person_b_id").iterator(chunk_size=10_000)
    clustering = compute_clustering(pairs)
    _latest[:] = [(key, clustering)]
    return clustering


@dataclass(frozen=True)
class ClusterSummary:
    id: int
    component: int
    size: int
    members: list[str]  # usernames, the most connected first
    more: int


def cluster_summaries(
    clustering: Clustering, *, start: int = 0, count: int = 25, members: int = 12
) -> list[ClusterSummary]:
    """`count` clusters from `start`, each with its `members` most connected usernames (one query)."""
    shown = clustering.clusters[start : start + count]
    ids = [pk for cluster in shown for pk in cluster.member_ids[:members]]
    usernames = dict(Person.objects.filter(pk__in=ids).values_list("pk", "username"))
    return [
        ClusterSummary(
            id=cluster.id,
            component=cluster.component,
            size=len(cluster.member_ids),
            members=[usernames[pk] for pk in cluster.member_ids[:members] if pk in usernames],
            more=max(len(cluster.member_ids) - members, 0),
        )
        for cluster in shown
    ]
