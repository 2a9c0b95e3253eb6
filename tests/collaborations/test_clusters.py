"""The whole network's clusters, kept: computed by a service (through the job and the command),
stale after any change of the network, and read by /graph/ and /api/graph without computing."""

from io import StringIO

import pytest
from django.core.management import call_command

from collaborations.models import ClusterMember, ClusterRun, Collaboration
from collaborations.selectors import cluster_state
from collaborations.services import collaboration_add, collaboration_remove, network_clusters_compute
from profiles.models import Person
from profiles.services import person_merge
from tests.collaborations.test_graph import network

pytestmark = pytest.mark.django_db


def two_groups_and_a_pair() -> dict[str, Person]:
    """Two groups of five who all showed together, joined by a bridge, and a separate pair."""
    left = [f"l{i}-l{j}" for i in range(5) for j in range(i + 1, 5)]
    right = [f"r{i}-r{j}" for i in range(5) for j in range(i + 1, 5)]
    return network(*left, *right, "l0-bridge", "bridge-r0", "solo1-solo2")


def test_computing_keeps_each_persons_cluster_rank_and_collaborations():
    people = two_groups_and_a_pair()

    refresh = network_clusters_compute()

    assert refresh.computed
    run = ClusterRun.objects.get()
    assert (run.people, run.pairs, run.cluster_count) == (13, 23, 3)
    assert run.clusters.count() == 3
    members = {m.person_id: m for m in ClusterMember.objects.filter(run=run)}
    assert len(members) == 13
    of = {name: members[person.pk] for name, person in people.items()}
    assert of["l1"].cluster == of["l2"].cluster != of["r1"].cluster
    assert of["solo1"].cluster == of["solo2"].cluster
    assert run.clusters.get(number=of["solo1"].cluster).size == 2
    assert of["l0"].degree == 5
    assert sorted(m.rank for m in members.values()) == list(range(13))
    assert of["l0"].rank < of["l1"].rank  # the bridge's neighbour has one collaboration more


def test_the_kept_clusters_are_current_until_the_network_changes_and_then_computed_again():
    people = network("a-b", "b-c")
    first = network_clusters_compute().run

    again = network_clusters_compute()
    assert not again.computed
    assert again.run == first
    assert cluster_state().current

    collaboration_add(person=people["a"], other=people["c"])
    state = cluster_state()
    assert not state.current
    assert state.pending
    assert ClusterRun.objects.get() == first  # a write marks them stale, never computes them

    second = network_clusters_compute()
    assert second.computed
    assert list(ClusterRun.objects.all()) == [second.run]
    assert ClusterMember.objects.filter(run=first).count() == 0
    assert cluster_state().current


def test_removing_a_pair_makes_the_kept_clusters_stale():
    people = network("a-b", "b-c")
    network_clusters_compute()

    collaboration_remove(person=people["a"], other=people["b"])

    assert cluster_state().pending


def test_merging_people_makes_the_kept_clusters_stale_though_no_pair_is_added_or_removed():
    people = network("a-b", "c-d")
    network_clusters_compute()

    person_merge(keep=people["a"], merge=people["c"])

    assert Collaboration.objects.count() == 2
    assert cluster_state().pending


def test_force_computes_the_current_network_again():
    network("a-b")
    first = network_clusters_compute().run

    forced = network_clusters_compute(force=True)

    assert forced.computed
    assert forced.run != first
    assert ClusterRun.objects.count() == 1


def test_an_empty_network_has_nothing_pending():
    state = cluster_state()

    assert state.run is None
    assert not state.pending
    assert network_clusters_compute().run.cluster_count == 0


def test_the_command_computes_only_when_the_network_changed_unless_forced():
    network("a-b", "c-d")
    out = StringIO()

    call_command("graph_clusters", stdout=out)
    call_command("graph_clusters", stdout=out)
    call_command("graph_clusters", "--force", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("2 clusters of 4 people (2 collaborations) computed in")
    assert lines[1].startswith("clusters up to date (computed ")
    assert lines[2].startswith("2 clusters of 4 people")


def test_the_job_computes_the_clusters_of_a_changed_network():
    people = network("a-b")
    out = StringIO()

    call_command("run_jobs", "--once", "--job", "collaboration-clusters", stdout=out)
    collaboration_add(person=people["a"], other=Person.objects.create(username="c"))
    call_command("run_jobs", "--once", "--job", "collaboration-clusters", stdout=out)
    call_command("run_jobs", "--once", "--job", "collaboration-clusters", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("collaboration-clusters: 1 clusters of 2 people (1 collaborations)")
    assert lines[1].startswith("collaboration-clusters: 1 clusters of 3 people (2 collaborations)")
    assert lines[2].startswith("collaboration-clusters: clusters up to date")
    assert cluster_state().current


def test_the_demo_has_its_clusters_computed_when_it_is_loaded():
    call_command("load_demo", stdout=StringIO())

    state = cluster_state()

    assert state.current
    assert state.run.cluster_count >= 2


# Reading the kept clusters: the session and user (2), the run and the network's state (3), the
# most connected people (1: how many there are is the run's), the page of clusters and their
# members (2), then the graph's people, badges, relationships and pairs (4).
API_QUERIES = 12


@pytest.mark.parametrize("size", [3, 30])
def test_api_graph_reads_the_kept_clusters_in_the_same_statements_whatever_the_size(
    api_client, django_assert_num_queries, size
):
    network(*[f"p-p{i}" for i in range(size)], *[f"q-q{i}" for i in range(size)])  # two stars
    network_clusters_compute()

    with django_assert_num_queries(API_QUERIES):
        body = api_client.get("/api/graph?limit=4").json()

    assert body["cluster_count"] == 2
    assert body["clusters_pending"] is False
    assert body["clusters_computed_at"] is not None
    assert len(body["nodes"]) == 4
    assert body["truncated"] == 2 * (size + 1) - 4


def test_the_graph_page_reads_the_kept_clusters_in_a_fixed_number_of_statements(
    auth_client, django_assert_num_queries
):
    network(*[f"p-p{i}" for i in range(20)])
    network_clusters_compute()

    # The API's, and the directory filters' choices (attribute definitions, relationship types).
    with django_assert_num_queries(API_QUERIES + 1):
        response = auth_client.get("/graph/?limit=4")

    assert response.status_code == 200
    assert "Cluster 0" in response.content.decode()


def test_after_a_change_the_page_shows_the_clusters_as_they_were_and_says_a_computation_is_pending(
    auth_client, api_client
):
    people = network("a-b", "c-d")
    run = network_clusters_compute().run
    collaboration_add(person=people["a"], other=people["c"])

    body = api_client.get("/api/graph").json()
    html = auth_client.get("/graph/").content.decode()

    assert body["clusters_pending"] is True
    assert body["cluster_count"] == 2  # as computed, not as the network is now
    assert "a new computation is pending" in html
    assert "Cluster 1" in html
    assert ClusterRun.objects.get() == run  # no request computed them


def test_before_clusters_are_ever_computed_the_page_lists_the_people_and_says_so(auth_client, api_client):
    network("a-b", "b-c")

    body = api_client.get("/api/graph").json()
    html = auth_client.get("/graph/").content.decode()

    assert body["clusters"] == []
    assert body["clusters_pending"] is True
    assert body["clusters_computed_at"] is None
    assert next(node["username"] for node in body["nodes"]) == "b"
    assert "Not computed yet: a computation is pending." in html
    assert 'href="/profile/c/"' in html
    assert not ClusterRun.objects.exists()
