"""Benchmarks of a person with many collaborators (the section, the API list and group adds) and
of the collaboration graph at the owner's scale."""

import random
from itertools import combinations

from django.db import connection

from collaborations.clusters import network_stamp
from collaborations.graph import ego_graph
from collaborations.models import Collaboration, ordered_pair
from collaborations.services import collaboration_add, collaboration_add_group, network_clusters_compute
from mhc.bench import Bench, benchmark
from profiles.benchmarks import _client, _get, _replay, _statements_of
from profiles.models import Person, Profile

REQUESTS = 50
GROUP = 50
COMMUNITY = 40


@benchmark(
    "collaborations",
    help="A person with N collaborators: render the section, list the API, add pairs and a group.",
    default_size=500,
)
def collaborations(bench: Bench) -> None:
    people = Person.objects.bulk_create(
        Person(username=f"bench_{i:07d}", role="model") for i in range(bench.size + GROUP + 1)
    )
    Profile.objects.bulk_create(Profile(person=p, display_name=f"Bench {i}") for i, p in enumerate(people))
    star, others, group = people[0], people[1 : bench.size + 1], people[bench.size + 1 :]
    Collaboration.objects.bulk_create(
        Collaboration(person_a=a, person_b=b) for a, b in (ordered_pair(star, other) for other in others)
    )
    client = _client()
    section = f"/profile/{star.username}/sections/collaborators/"
    api = f"/api/profile/{star.username}/collaborations?limit=50"
    _get(client, section)  # warm caches (templates, URL resolver)
    statements = _statements_of(lambda: _get(client, section))
    floor = bench.measure(
        "the section's SQL, raw", lambda: _replay(statements, REQUESTS), items=REQUESTS, record=False
    )
    bench.measure(
        f"GET the section ({bench.size:,} collaborators)",
        lambda: [_get(client, section) for _ in range(REQUESTS)],
        items=REQUESTS,
        floor=floor,
    )
    bench.measure(
        "GET the API list (a page of 50)",
        lambda: [_get(client, api) for _ in range(REQUESTS)],
        items=REQUESTS,
    )
    pairs = list(combinations(group, 2))[: bench.size]
    bench.measure(
        "collaboration_add, one pair a call",
        lambda: [collaboration_add(person=a, other=b, notes="bench") for a, b in pairs],
        items=len(pairs),
    )
    Collaboration.objects.filter(notes="bench").delete()
    everyone = GROUP * (GROUP - 1) // 2
    bench.measure(
        f"collaboration_add_group ({GROUP} people)",
        lambda: collaboration_add_group(people=group, notes="bench group"),
        items=everyone,
    )
    bench.note(f"The group of {GROUP} makes {everyone:,} pairs; items/s counts pairs.")


def _generated_network(size: int) -> Person:
    """`size` people in communities of 40, about five collaborations each (four inside the
    community, one outside), and a hub with 400 collaborators across communities. Returns the hub."""
    rng = random.Random(21)
    people = Person.objects.bulk_create(
        (Person(username=f"net_{i:07d}", role="model") for i in range(size)), batch_size=5000
    )
    Profile.objects.bulk_create(
        (Profile(person=p, followers=rng.randrange(100_000)) for p in people), batch_size=5000
    )
    pairs: set[tuple[int, int]] = set()
    for i in range(size):
        base = i - i % COMMUNITY
        for _ in range(2):  # two of the four come from the other side of each pair
            j = base + rng.randrange(min(COMMUNITY, size - base))
            pairs.add((min(i, j), max(i, j)))
        if rng.random() < 0.5:
            j = rng.randrange(size)
            pairs.add((min(i, j), max(i, j)))
    for j in rng.sample(range(1, size), min(400, size - 1)):
        pairs.add((0, j))
    rows = (
        Collaboration(person_a=a, person_b=b)
        for a, b in (ordered_pair(people[i], people[j]) for i, j in pairs if i != j)
    )
    Collaboration.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        # What autovacuum does to a database in use: the planner's statistics and the visibility
        # map. Straight after the bulk load it has neither, and plans scans of whole tables.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return people[0]


def _statements(work) -> list[tuple[str, object]]:
    """The SQL statements `work` runs, with their parameters, to run again raw."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        work()
    return statements


def _run_raw(statements: list[tuple[str, object]]) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


@benchmark(
    "collaboration-graph",
    help="N people, about 5N collaborations: the depth-2 graph of the most connected person, "
    "and the whole network's clusters and overview.",
    default_size=100_000,
)
def collaboration_graph(bench: Bench) -> None:
    hub = _generated_network(bench.size)
    pairs = Collaboration.objects.count()
    hub_pairs = Collaboration.objects.involving(hub).count()
    bench.note(f"{bench.size:,} people, {pairs:,} collaborations; the hub has {hub_pairs}.")
    ego_graph(hub, depth=2)  # warm the database's caches
    statements = _statements(lambda: ego_graph(hub, depth=2, limit=150))
    floor = bench.measure(
        "the same SQL statements, raw (floor, x20)",
        lambda: [_run_raw(statements) for _ in range(20)],
        items=20,
        record=False,
    )
    bench.note(
        f"ego_graph(depth=2, limit=150): {len(statements)} statements, "
        f"{floor.seconds / 20 * 1000:.1f} ms of SQL a graph (the floor)."
    )
    bench.measure(
        "ego_graph depth 2, limit 150 (x20)",
        lambda: [ego_graph(hub, depth=2, limit=150) for _ in range(20)],
        items=20,
        floor=floor,
    )
    client = _client()
    url = f"/api/profile/{hub.username}/collaborations/graph?depth=2"
    _get(client, url)
    bench.measure(
        "GET the person's graph API, depth 2 (x20)", lambda: [_get(client, url) for _ in range(20)], items=20
    )
    bench.measure(
        "compute and keep the clusters (the job, after a change)",
        lambda: network_clusters_compute(force=True),
        items=pairs,
    )
    bench.note(f"{network_clusters_compute().run.cluster_count:,} clusters found.")
    _get(client, "/graph/")
    page_statements = _statements(lambda: _get(client, "/graph/"))
    page_floor = bench.measure(
        "the page's SQL statements, raw (floor, x20)",
        lambda: [_run_raw(page_statements) for _ in range(20)],
        items=20,
        record=False,
    )
    bench.note(
        f"/graph/: {len(page_statements)} statements, {page_floor.seconds / 20 * 1000:.1f} ms of SQL a page "
        "(the floor)."
    )
    bench.measure(
        "GET /graph/, clusters kept (x20)",
        lambda: [_get(client, "/graph/") for _ in range(20)],
        items=20,
        floor=page_floor,
    )
    bench.measure(
        "the network's state, whether the clusters are current (x20)",
        lambda: [network_stamp() for _ in range(20)],
        items=20,
    )
    bench.measure(
        "GET /api/graph, clusters kept (x20)",
        lambda: [_get(client, "/api/graph") for _ in range(20)],
        items=20,
    )
    middle_cluster = f"/graph/?cluster={network_clusters_compute().run.cluster_count // 2}"
    bench.measure(
        "GET /graph/?cluster=N (x20)", lambda: [_get(client, middle_cluster) for _ in range(20)], items=20
    )
    newcomer = Person.objects.create(username="net_newcomer", role="model")
    collaboration_add(person=hub, other=newcomer, notes="bench")
    bench.measure(
        "GET /graph/ after a change, clusters pending (x20)",
        lambda: [_get(client, "/graph/") for _ in range(20)],
        items=20,
    )
