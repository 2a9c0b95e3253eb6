"""The event log's lists in the API: a person's history and everyone's latest events, filtered
by `?kind=` as the Activity log section is (events/filters.py)."""

import pytest

from events.services import event_build, events_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def many_events(person, count: int) -> None:
    events_record(
        event_build(kind=("note.created" if n % 2 else "attribute.set"), summary=f"event {n}", person=person)
        for n in range(count)
    )


def test_a_persons_history_and_everyones_filter_by_kind(api_client, person):
    many_events(person, 6)
    many_events(PersonFactory(), 4)
    history = api_client.get(f"/api/profile/{person.username}/events?kind=note").json()
    assert (history["count"], {e["kind"] for e in history["results"]}) == (3, {"note.created"})
    assert api_client.get(f"/api/profile/{person.username}/events?kind=").json()["count"] == 6
    everyone = api_client.get("/api/events?kind=attribute").json()
    assert (everyone["count"], {e["kind"] for e in everyone["results"]}) == (5, {"attribute.set"})


@pytest.mark.parametrize(
    "url", ["/api/events?kind=notes", "/api/profile/{username}/events?kind=note.created"]
)
def test_an_unknown_kind_is_a_400_listing_the_kinds(api_client, person, url):
    response = api_client.get(url.format(username=person.username))
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]
    assert "Kind must be one of: profile, attribute" in response.json()["detail"]


def test_the_section_shows_everything_for_an_unknown_kind_and_says_it_ignored_it(auth_client, person):
    many_events(person, 4)
    html = auth_client.get(f"/profile/{person.username}/sections/activity/?kind=notes").content.decode()
    assert html.count("data-event=") == 4
    assert "The kind filter was ignored: “notes” is not one of its choices." in html
    assert "Kind must be one of: profile, attribute" in html
    known = auth_client.get(f"/profile/{person.username}/sections/activity/?kind=note").content.decode()
    assert "was ignored" not in known


@pytest.mark.parametrize("count", [3, 60])
def test_the_lists_take_the_same_queries_however_long_the_log(
    api_client, person, count, django_assert_num_queries
):
    many_events(person, count)
    # session, user, the person, the people merged into them, count, page
    with django_assert_num_queries(6):
        assert api_client.get(f"/api/profile/{person.username}/events?kind=note").status_code == 200
    # session, user, count, page
    with django_assert_num_queries(4):
        assert api_client.get("/api/events").status_code == 200
