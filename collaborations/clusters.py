"""Clusters of the collaboration network, found once per state of the network and kept in memory.

The network is split into its connected parts, and each part into the communities that igraph's
Louvain method finds (multilevel modularity optimisation, in C: seconds for hundreds of
thousands of pairs, where a pure-Python implementation takes minutes). The random choices are
seeded and the graph built in a fixed order, so the same network always gives the same clusters.
A part of fewer than eight people is one community. Clusters are numbered by size, largest first.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass

import igraph
from django.db.models import Count, Max

from collaborations.graph import Cluster, Clustering
from collaborations.models import Collaboration
from profiles.models import Person

SEED = 7
SMALLEST_SPLIT = 8  # a part with fewer people (a group show and its guests) is one community


def compute_clustering(pairs) -> Clustering:
    """Clusters of the network made of `pairs` ((person id, person id) iterable)."""
    pairs = {tuple(sorted(pair, key=str)) for pair in pairs if pair[0] != pair[1]}
    ids = sorted({pk for pair in pairs for pk in pair}, key=str)
    index = {pk: position for position, pk in enumerate(ids)}
    graph = igraph.Graph(n=len(ids), edges=sorted((index[a], index[b]) for a, b in pairs))
    degree = Counter(dict(zip(ids, graph.degree(), strict=True)))
    components = graph.connected_components().membership
    igraph.set_random_number_generator(random.Random(SEED))
    communities = graph.community_multilevel().membership if ids else []
    part_sizes = Counter(components)
    first_of_part: dict[int, str] = {}
    for position, part in enumerate(components):
        first_of_part.setdefault(part, str(ids[position]))
    groups: dict[tuple[int, int], list] = defaultdict(list)
    for position, pk in enumerate(ids):
        part = components[position]
        community = -1 if part_sizes[part] < SMALLEST_SPLIT else communities[position]
        groups[(part, community)].append(pk)
    # Parts numbered by size, largest first (ties by their first member), as the page lists them.
    part_order = {
        part: rank
        for rank, part in enumerate(
            sorted(part_sizes, key=lambda part: (-part_sizes[part], first_of_part[part]))
        )
    }
    found = [
        (part_order[part], tuple(sorted(members, key=lambda pk: (-degree[pk], str(pk)))))
        for (part, _), members in groups.items()
    ]
    found.sort(key=lambda item: (-len(item[1]), item[0], str(item[1][0])))
    clusters = [
        Cluster(id=number, component=part, member_ids=members) for number, (part, members) in enumerate(found)
    ]
    cluster_of = {pk: cluster.id for cluster in clusters for pk in cluster.member_ids}
    ranked = tuple(sorted(ids, key=lambda pk: -degree[pk]))  # ids are in str order: ties by id
    return Clustering(clusters=clusters, cluster_of=cluster_of, degree=degree, ranked=ranked)


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
