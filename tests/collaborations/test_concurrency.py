"""Two requests adding the same pair at the same moment, on PostgreSQL (the production database)."""

import threading
from functools import partial

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from collaborations.models import Collaboration
from collaborations.services import collaboration_add
from tests.factories import PersonFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write with a database lock, so two adds can never race there; "
    "this runs on PostgreSQL (DATABASE_URL=postgres://...).",
)


def _run_together(*calls) -> list:
    """Run the calls in threads released at the same moment; what each returned, or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = call()
        except BaseException as error:  # kept as the outcome, and asserted on by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_adding_a_b_and_b_a_at_once_both_succeed_with_one_row():
    for _ in range(15):
        first, second = PersonFactory(), PersonFactory()
        outcomes = _run_together(
            partial(collaboration_add, person=first, other=second, notes="from A"),
            partial(collaboration_add, person=second, other=first, notes="from B"),
        )
        assert [type(outcome) for outcome in outcomes] == [tuple, tuple]
        (row_1, created_1), (row_2, created_2) = outcomes
        assert row_1.pk == row_2.pk
        assert sorted([created_1, created_2]) == [False, True]
        rows = Collaboration.objects.between(first, second)
        assert rows.count() == 1
        assert rows.get().notes in {"from A", "from B"}


def _post(client: APIClient, username: str, collaborator_username: str) -> int:
    url = f"/api/profile/{username}/collaborations"
    return client.post(url, {"collaborator_username": collaborator_username}, format="json").status_code


@pytest.mark.django_db(transaction=True)
def test_two_api_requests_adding_the_pair_from_both_profiles_at_once_leave_one_row(owner_user):
    clients = [APIClient(), APIClient()]
    for client in clients:
        client.force_login(owner_user)
    for _ in range(5):
        first, second = PersonFactory(), PersonFactory()
        statuses = _run_together(
            partial(_post, clients[0], first.username, second.username),
            partial(_post, clients[1], second.username, first.username),
        )
        assert sorted(statuses) == [200, 201]
        assert Collaboration.objects.between(first, second).count() == 1
