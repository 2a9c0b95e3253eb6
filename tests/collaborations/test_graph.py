"""The collaboration graph: its shape on small known networks, its clusters, filters, API and page."""

from datetime import UTC, datetime

import pytest

from attributes.services import attribute_set
from collaborations.clusters import compute_clustering, network_pairs
from collaborations.graph import ego_graph, network_graph
from collaborations.models import ClusterMember, Collaboration, ordered_pair
from collaborations.services import network_clusters_compute
from profiles.models import Person
from tests.factories import PersonFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def network(*pairs: str, first_seen_at=None) -> dict[str, Person]:
    """People named in "a-b" pairs, with a collaboration for each pair."""
    people: dict[str, Person] = {}
    for pair in pairs:
        for username in pair.split("-"):
            if username not in people:
                people[username] = ProfileFactory(person__username=username, followers=len(people)).person
    Collaboration.objects.bulk_create(
        Collaboration(
            person_a=a,
            person_b=b,
            notes=f"{pair}",
            first_seen_at=first_seen_at or datetime(2024, 1, 1, tzinfo=UTC),
        )
        for pair in pairs
        for a, b in [ordered_pair(*(people[name] for name in pair.split("-")))]
    )
    return people


def usernames(graph) -> set[str]:
    return {node.username for node in graph.nodes}


def edge_set(graph) -> list[tuple[str, str]]:
    return sorted(tuple(sorted((edge.a, edge.b))) for edge in graph.edges)


def test_depth_one_is_the_person_and_their_collaborators_with_the_pairs_among_them():
    people = network("hub-a", "hub-b", "hub-c", "a-b", "c-far", "far-farther")

    graph = ego_graph(people["hub"], depth=1)

    assert usernames(graph) == {"hub", "a", "b", "c"}
    assert edge_set(graph) == [("a", "b"), ("a", "hub"), ("b", "hub"), ("c", "hub")]
    assert graph.truncated == 0
    assert {node.username: node.depth for node in graph.nodes} == {"hub": 0, "a": 1, "b": 1, "c": 1}


def test_depth_two_adds_the_collaborators_of_collaborators_and_no_further():
    people = network("hub-a", "hub-b", "hub-c", "a-b", "c-far", "far-farther")

    graph = ego_graph(people["hub"], depth=2)

    assert usernames(graph) == {"hub", "a", "b", "c", "far"}
    assert ("c", "far") in edge_set(graph)
    assert next(node for node in graph.nodes if node.username == "far").depth == 2


def test_no_edge_twice_and_never_a_person_with_themself():
    people = network("x-y", "y-z", "x-z", "z-w")

    graph = ego_graph(people["x"], depth=2)

    edges = edge_set(graph)
    assert len(edges) == len(set(edges)) == 4
    assert all(a != b for a, b in edges)


def test_the_limit_keeps_the_nearest_and_most_connected_and_counts_the_rest():
    pairs = ["hub-busy", "hub-quiet", "busy-x1", "busy-x2", "busy-x3", "quiet-y1"]
    people = network(*pairs)

    graph = ego_graph(people["hub"], depth=2, limit=3)

    assert usernames(graph) == {"hub", "busy", "quiet"}
    assert graph.truncated == 4
    assert edge_set(graph) == [("busy", "hub"), ("hub", "quiet")]


def test_a_person_without_collaborators_is_a_graph_of_one():
    person = PersonFactory(username="loner")

    graph = ego_graph(person, depth=2)

    assert usernames(graph) == {"loner"}
    assert graph.edges == []
    assert graph.truncated == 0


def test_nodes_carry_followers_the_owners_relationship_and_badges(settings):
    from relationships.services import relationship_create

    people = network("hub-star")
    owner = ProfileFactory(person__username=settings.MHC_OWNER_USERNAME).person
    relationship_create(profile=owner.profile, person=people["star"], type="dom", tier="tier1")
    attribute_set(person=people["star"], key="banned_me", value=True)

    star = next(node for node in ego_graph(people["hub"]).nodes if node.username == "star")

    assert star.relationship == {"type": "dom", "tier": "tier1"}
    assert [badge["key"] for badge in star.badges] == ["banned_me"]
    assert star.followers == people["star"].profile.followers


def test_the_graph_around_a_person_takes_the_same_statements_whatever_the_size(django_assert_num_queries):
    small = network("s0-s1")
    big = network(*[f"b0-b{i}" for i in range(1, 40)], *[f"b{i}-c{i}" for i in range(1, 40)])

    with django_assert_num_queries(6):
        ego_graph(small["s0"], depth=2)
    with django_assert_num_queries(6):
        ego_graph(big["b0"], depth=2, limit=150)


def test_clusters_split_two_groups_joined_by_a_bridge_and_keep_separate_parts_apart():
    left = [f"l{i}-l{j}" for i in range(5) for j in range(i + 1, 5)]
    right = [f"r{i}-r{j}" for i in range(5) for j in range(i + 1, 5)]
    people = network(*left, *right, "l0-bridge", "bridge-r0", "solo1-solo2")
    ids = {person.pk: name for name, person in people.items()}

    clustering = compute_clustering(network_pairs())

    groups = [{ids[pk] for pk in cluster.member_ids} for cluster in clustering.clusters]
    lefts, rights = {f"l{i}" for i in range(5)}, {f"r{i}" for i in range(5)}
    assert any(lefts <= group and not group & rights for group in groups)
    assert any(rights <= group and not group & lefts for group in groups)
    assert {"solo1", "solo2"} in groups
    parts = {clustering.cluster_of[people["l1"].pk], clustering.cluster_of[people["r1"].pk]}
    assert len(parts) == 2
    assert len({clustering.clusters[c].component for c in parts}) == 1
    solo = clustering.clusters[clustering.cluster_of[people["solo1"].pk]]
    assert solo.component != clustering.clusters[clustering.cluster_of[people["l1"].pk]].component


def test_the_same_network_always_gives_the_same_clusters():
    pairs = [(i, j) for i in range(30) for j in range(i + 1, 30) if (i * j) % 7 == 1]

    first = compute_clustering(pairs)
    second = compute_clustering(list(reversed(pairs)))

    assert [c.member_ids for c in first.clusters] == [c.member_ids for c in second.clusters]


def test_the_whole_network_keeps_the_most_connected_and_narrows_by_cluster_filter_and_date():
    people = network("hub-a", "hub-b", "hub-c", "a-b", "x-y")
    Collaboration.objects.filter(person_a__username__in=["x", "y"]).update(
        first_seen_at=datetime(2025, 6, 1, tzinfo=UTC)
    )
    run = network_clusters_compute().run

    top = network_graph(run=run, limit=2)
    assert [node.username for node in top.nodes] == [
        "hub",
        *sorted(["a", "b"], key=lambda n: str(people[n].pk))[:1],
    ]
    assert top.truncated == 4

    hub_cluster = ClusterMember.objects.get(run=run, person_id=people["hub"].pk).cluster
    assert usernames(network_graph(run=run, cluster=hub_cluster)) == {"hub", "a", "b", "c"}
    assert {node.cluster for node in network_graph(run=run, cluster=hub_cluster).nodes} == {hub_cluster}
    assert network_graph(run=run, cluster=99).nodes == []

    attribute_set(person=people["x"], key="watch_list", value=True)
    watched = Person.objects.filter(attribute_values__attribute="watch_list", attribute_values__value=True)
    assert usernames(network_graph(run=run, people=watched)) == {"x"}

    recent = network_graph(run=run, since=datetime(2025, 1, 1, tzinfo=UTC))
    assert usernames(recent) == {"x", "y"}
    assert edge_set(recent) == [("x", "y")]


def test_before_any_clusters_are_computed_the_whole_network_ranks_people_in_the_database():
    people = network("hub-a", "hub-b", "hub-c", "a-b", "x-y")

    top = network_graph(run=None, limit=2)
    recent = network_graph(
        run=None, since=datetime(2020, 1, 1, tzinfo=UTC), people=Person.objects.filter(username="x")
    )

    assert [(node.username, node.degree, node.cluster) for node in top.nodes] == [
        ("hub", 3, None),
        (min(["a", "b"], key=lambda n: str(people[n].pk)), 2, None),
    ]
    assert top.truncated == 4
    assert usernames(recent) == {"x"}
    assert network_graph(run=None, cluster=0).nodes == []


def test_api_graph_of_a_person(api_client):
    network("hub-a", "a-b")

    response = api_client.get("/api/profile/hub/collaborations/graph?depth=2&limit=2")

    assert response.status_code == 200
    body = response.json()
    assert [node["username"] for node in body["nodes"]] == ["hub", "a"]
    assert [(edge["a"], edge["b"], edge["notes"]) for edge in body["edges"]] == [
        (*sorted(["hub", "a"], key=lambda name: str(Person.objects.get(username=name).pk)), "hub-a")
    ]
    assert body["truncated"] == 1
    assert set(body["nodes"][0]) == {
        "username",
        "display_name",
        "followers",
        "degree",
        "depth",
        "cluster",
        "relationship",
        "badges",
    }


@pytest.mark.parametrize("query", ["depth=3", "limit=0", "limit=5000", "depth=", "limit=x"])
def test_api_graph_of_a_person_refuses_bad_parameters(api_client, query):
    network("hub-a")

    response = api_client.get(f"/api/profile/hub/collaborations/graph?{query}")

    assert response.status_code == 400
    assert "errors" in response.json()


def test_api_graph_of_an_unknown_person_is_404(api_client):
    assert api_client.get("/api/profile/nobody_known/collaborations/graph").status_code == 404


def test_api_whole_network_lists_clusters_and_takes_the_directory_filters(api_client):
    people = network("a-b", "c-d")
    attribute_set(person=people["c"], key="watch_list", value=True)
    network_clusters_compute()

    everyone = api_client.get("/api/graph").json()
    watched = api_client.get("/api/graph?attribute=watch_list").json()
    unknown = api_client.get("/api/graph?attribute=no_such_attribute")

    assert everyone["cluster_count"] == 2
    assert sorted(len(cluster["members"]) for cluster in everyone["clusters"]) == [2, 2]
    assert [node["username"] for node in watched["nodes"]] == ["c"]
    assert unknown.status_code == 200
    assert unknown.json()["nodes"] == []
    assert api_client.get("/api/graph?focus=a&depth=1").json()["nodes"][0]["username"] == "a"
    assert api_client.get("/api/graph?focus=nobody_known").status_code == 404


def test_the_graph_page_lists_the_people_pairs_and_clusters(auth_client):
    network("a-b", "b-c")
    network_clusters_compute()

    response = auth_client.get("/graph/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="network-graph-data"' in html
    assert html.count('href="/profile/b/"') >= 2
    assert "Cluster 0" in html


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("cluster=-1", "Cluster: "),
        ("since=yesterday", "Seen together since: "),
        ("focus=nobody_known", "Jump to a person: "),
    ],
)
def test_the_graph_page_says_what_is_wrong_with_bad_choices_in_its_own_words(auth_client, query, label):
    response = auth_client.get(f"/graph/?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="graph-errors"' in html
    assert f"<li>{label}" in html


def test_on_the_graph_page_an_unknown_filter_value_matches_nobody(auth_client):
    network("a-b")

    response = auth_client.get("/graph/?attribute=nope")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="graph-errors"' not in html
    assert response.context["graph_json"]["nodes"] == []
