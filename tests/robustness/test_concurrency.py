"""Many clients at once on PostgreSQL (the production database), with real threads: groups of
new people in mixed orders, and first sets of one attribute, give no error and consistent rows."""

import random
import threading
from itertools import combinations, pairwise

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from attributes.models import AttributeHistory, PersonAttribute
from collaborations.models import Collaboration
from profiles.models import Person

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every write with a database lock, so nothing races there; "
        "this runs on PostgreSQL (DATABASE_URL=postgres://...).",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(calls) -> list:
    """Run the calls in threads released together; what each returned, or the error it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=60)
            outcomes[index] = call()
        except BaseException as error:  # kept as the outcome, and asserted on by the test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return outcomes


def owner_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_fifty_groups_of_new_people_in_mixed_orders_give_no_error_and_one_row_per_pair(owner_user):
    pool = [f"crowd_{index}" for index in range(8)]
    chooser = random.Random(15)
    groups = [chooser.sample(pool, chooser.randint(2, 6)) for _ in range(50)]  # each in its own order

    def post(usernames):
        response = owner_client(owner_user).post(
            "/api/collaborations/groups", {"usernames": usernames}, format="json"
        )
        return response.status_code

    statuses = run_at_once([lambda usernames=group: post(usernames) for group in groups])
    assert all(status in (200, 201) for status in statuses), statuses
    assert Person.objects.filter(username__in=pool).count() == len(
        {name for group in groups for name in group}
    )
    expected = {frozenset(pair) for group in groups for pair in combinations(group, 2)}
    rows = Collaboration.objects.filter(person_a__username__in=pool).values_list(
        "person_a__username", "person_b__username"
    )
    assert len(rows) == len(expected)
    assert {frozenset(row) for row in rows} == expected


def test_concurrent_first_sets_of_an_attribute_chain_their_history(owner_user, person):
    values = [index % 2 == 0 for index in range(30)]

    def patch(value):
        response = owner_client(owner_user).patch(
            f"/api/profile/{person.username}/attributes", {"watch_list": value}, format="json"
        )
        return response.status_code

    statuses = run_at_once([lambda value=value: patch(value) for value in values])
    assert statuses == [200] * len(values)
    assert PersonAttribute.objects.filter(person=person, attribute_id="watch_list").count() == 1
    history = list(
        AttributeHistory.objects.filter(person=person, attribute_key="watch_list").order_by(
            "changed_at", "pk"
        )
    )
    assert history[0].old_value is None
    for before, after in pairwise(history):
        assert after.old_value == before.new_value
        assert after.new_value != after.old_value
    final = PersonAttribute.objects.get(person=person, attribute_id="watch_list").value
    assert history[-1].new_value == final
