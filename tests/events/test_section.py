"""The Activity log section: the event log of one person, filtered, paged, as of a date."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from attributes.services import attribute_set, definition_create, definition_delete
from events.models import Event
from events.services import event_build, events_record
from relationships.models import RelationshipHistory
from relationships.services import (
    profile_get_or_create,
    relationship_create,
    relationship_remove,
    relationship_update,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 3, 1, 12, tzinfo=UTC)


def activity(client, person, query: str = "") -> str:
    response = client.get(f"/profile/{person.username}/sections/activity/{query}")
    assert response.status_code == 200
    return response.content.decode()


def many_events(person, count: int) -> None:
    events_record(
        event_build(
            kind=("note.created" if n % 2 else "attribute.set"), summary=f"event {n:04d}", person=person
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [3, 300])
def test_the_section_takes_the_same_queries_however_long_the_history(
    auth_client, person, count, django_assert_num_queries
):
    many_events(person, count)
    # session, user, the person, the people merged into them, the count, the page of events
    with django_assert_num_queries(6):
        html = activity(auth_client, person)
    assert html.count("data-event=") == min(count, 25)


def test_the_section_filters_by_kind_and_pages(auth_client, person):
    many_events(person, 60)
    html = activity(auth_client, person, "?kind=note")
    assert html.count('data-kind="note.created"') == 25
    assert 'data-kind="attribute.set"' not in html
    assert "Page 1 of 2 · 30 in all" in html
    assert "?kind=note&amp;page=2" in html
    second = activity(auth_client, person, "?kind=note&page=2")
    assert second.count('data-kind="note.created"') == 5


def test_the_section_says_who_did_it_why_and_offers_undo(auth_client, person):
    auth_client.patch(
        f"/api/profile/{person.username}/attributes",
        {"watch_list": True, "why": "ignored the rules"},
        content_type="application/json",
    )
    event = Event.objects.get(kind="attribute.set")
    html = activity(auth_client, person)
    assert "by the owner" in html
    assert "why: ignored the rules" in html
    assert f'data-url="/api/events/{event.pk}/undo"' in html

    auth_client.post(f"/api/events/{event.pk}/undo", {}, content_type="application/json")
    html = activity(auth_client, person)
    assert f'data-url="/api/events/{event.pk}/undo"' not in html
    assert "undone" in html


def test_the_section_offers_no_undo_for_a_derived_attribute_but_does_for_the_edit_it_follows(
    auth_client, person
):
    auth_client.patch(
        f"/api/profile/{person.username}", {"smoke_drink": "Yes/No"}, content_type="application/json"
    )
    auth_client.patch(
        f"/api/profile/{person.username}", {"smoke_drink": "No/No"}, content_type="application/json"
    )
    derived = Event.objects.filter(kind="attribute.cleared", data__key="profile_smoke").get()
    edit = Event.objects.filter(kind="profile.edited").latest("id")

    html = activity(auth_client, person)

    assert f'data-event="{derived.pk}"' in html
    assert f'data-url="/api/events/{derived.pk}/undo"' not in html
    assert f'data-url="/api/events/{edit.pk}/undo"' in html


def offered_undos(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-url="/api/events/(\d+)/undo"', html)}


def test_no_undo_is_offered_for_a_change_whose_attribute_or_relationship_is_gone(auth_client, person):
    met = definition_create(key="met_irl", label="Met IRL")
    attribute_set(person=person, key="met_irl", value=True)
    attribute_set(person=person, key="watch_list", value=True)
    relationship = relationship_create(
        profile=profile_get_or_create(person=person), person=PersonFactory(), type="friend"
    )
    relationship_update(relationship=relationship, tier="tier2")
    relationship_remove(relationship=relationship)
    definition_delete(definition=met)
    watch = Event.objects.get(kind="attribute.set", data__key="watch_list")
    removed = Event.objects.get(kind="relationship.removed")

    assert offered_undos(activity(auth_client, person)) == {watch.pk, removed.pk}
    listed = auth_client.get(f"/api/profile/{person.username}/events").json()["results"]
    assert {row["id"] for row in listed if row["can_undo"]} == {watch.pk, removed.pk}


@pytest.mark.parametrize("count", [2, 12])
def test_what_can_be_undone_is_read_with_the_events_in_the_same_queries(
    auth_client, person, count, django_assert_num_queries
):
    profile = profile_get_or_create(person=person)
    for n in range(count):
        attribute_set(person=person, key="watch_list", value=n % 2 == 0)
        relationship_create(profile=profile, person=PersonFactory(), type="friend")
    # as the section above: whether each attribute or relationship still exists is read with the events
    with django_assert_num_queries(6):
        html = activity(auth_client, person)
    assert len(offered_undos(html)) == 2 * count
    with django_assert_num_queries(6):
        listed = auth_client.get(f"/api/profile/{person.username}/events").json()["results"]
    assert sum(row["can_undo"] for row in listed) == 2 * count


def test_the_as_of_tab_shows_attributes_and_relationships_as_they_were(auth_client, person):
    rex = PersonFactory(username="leather_rex")
    attribute_set(person=person, key="watch_list", value=True, at=DAY)
    relationship = relationship_create(
        profile=profile_get_or_create(person=person), person=rex, type="friend"
    )
    # Date the adding back to DAY, as an import of older history would.
    RelationshipHistory.objects.filter(related_person=rex).update(changed_at=DAY)
    relationship_update(relationship=relationship, type="dom")
    attribute_set(person=person, key="watch_list", value=False)

    before = activity(auth_client, person, f"?tab=as-of&date={(DAY - timedelta(days=1)):%Y-%m-%d}")
    assert "No attribute was set." in before
    assert "No relationship was recorded." in before
    then = activity(auth_client, person, f"?tab=as-of&date={DAY:%Y-%m-%d}")
    assert "Watchlist" in then
    assert "leather_rex" in then
    assert "as Friend · Tier 1 · Active" in then
    now = activity(auth_client, person, f"?tab=as-of&date={datetime.now(UTC):%Y-%m-%d}")
    assert "as Dom · Tier 1 · Active" in now
    assert "No attribute was set." in now


def test_a_bad_as_of_date_is_a_clear_message(auth_client, person):
    assert "Give a date as YYYY-MM-DD." in activity(auth_client, person, "?tab=as-of&date=2025-13-45")


@pytest.mark.parametrize("day", [date.today() + timedelta(days=2), date.max])
def test_an_as_of_date_in_the_future_is_a_clear_message_and_shows_nothing(auth_client, person, day):
    html = activity(auth_client, person, f"?tab=as-of&date={day:%Y-%m-%d}")
    assert "Give a date no later than today: the history does not know the future." in html
    assert 'id="as-of"' not in html
    today = activity(auth_client, person, f"?tab=as-of&date={timezone.localdate():%Y-%m-%d}")
    assert "no later than today" not in today
    assert 'id="as-of"' in today


def test_a_row_shows_when_in_local_time_and_escapes_what_the_owner_typed(auth_client, person, settings):
    settings.TIME_ZONE = "America/New_York"
    events_record(
        [
            event_build(
                kind="attribute.set",
                summary="Set <b>watch list</b>",
                why='met at "<script>" night',
                person=person,
                at=DAY,
                data={"key": "watch_list", "old": None, "new": True},
            )
        ]
    )
    html = activity(auth_client, person)
    when = '<time datetime="2025-03-01T12:00:00+00:00" title="2025-03-01 07:00:00">2025-03-01 07:00</time>'
    assert when in html
    assert "Set &lt;b&gt;watch list&lt;/b&gt;" in html
    assert '<span class="why small">why: met at &quot;&lt;script&gt;&quot; night</span>' in html
    assert 'data-confirm="Undo this change? Set &lt;b&gt;watch list&lt;/b&gt;"' in html
