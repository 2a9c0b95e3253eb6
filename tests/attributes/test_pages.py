import re
from datetime import timedelta

import pytest
from django.utils import timezone

from attributes.services import attribute_set
from profiles.services import profile_update
from tests.factories import AttributeDefinitionFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def section(client, person, query="", **headers) -> str:
    response = client.get(f"/profile/{person.username}/sections/attributes/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def toggle(html: str, key: str) -> str:
    """The <li> of one attribute in the section."""
    return re.search(
        rf'<li class="attr [^"]*" data-attribute="{key}">.*?</li>\s*(?=<li class="attr|</ul>)', html, re.S
    )[0]


def checkbox(html: str, key: str) -> str:
    return re.search(rf'<input type="checkbox" data-attribute-key="{key}"[^>]*>', html)[0]


def test_the_attributes_section_is_open_by_default_and_shows_checkboxes_in_their_colours(auth_client, person):
    attribute_set(person=person, key="watch_list", value=True)
    page = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert re.search(r'<details class="section" id="section-attributes"[^>]*open>', page)
    assert page.index('id="section-quick-stats"') < page.index('id="section-attributes"')
    html = section(auth_client, person)
    assert "tone-yellow" in toggle(html, "watch_list")
    assert "Watchlist" in toggle(html, "watch_list")
    assert " checked" in checkbox(html, "watch_list")
    assert " checked" not in checkbox(html, "room_banned")
    assert "tone-emerald" in toggle(html, "had_interaction")


def test_auto_derived_attributes_are_shown_disabled(auth_client, person):
    profile_update(person=person, smoke_drink="Yes/No")
    html = section(auth_client, person)
    assert " disabled" in checkbox(html, "profile_smoke")
    assert " checked" in checkbox(html, "profile_smoke")
    assert " disabled" not in checkbox(html, "banned_me")


def test_true_badges_show_as_pills_in_the_header(auth_client, person):
    AttributeDefinitionFactory(key="regular_tipper", label="Regular tipper", color="teal", show_as_badge=True)
    attribute_set(person=person, key="regular_tipper", value=True)
    attribute_set(person=person, key="watch_list", value=True)  # a checkbox: not in the header
    header = auth_client.get(f"/profile/{person.username}/").content.decode().split('id="section-')[0]
    assert re.search(r'class="pill tone-teal" data-attribute="regular_tipper"', header)
    assert 'data-attribute="banned_me"' not in header
    assert 'data-attribute="watch_list"' not in header
    attribute_set(person=person, key="banned_me", value=True)
    header = auth_client.get(f"/profile/{person.username}/").content.decode().split('id="section-')[0]
    assert re.search(r'class="pill tone-red" data-attribute="banned_me"[^>]*>Banned Me<', header)


def test_refreshing_the_section_with_htmx_also_updates_the_header_badges(auth_client, person):
    assert "hx-swap-oob" not in section(auth_client, person)
    attribute_set(person=person, key="banned_me", value=True)
    refreshed = section(auth_client, person, HTTP_HX_REQUEST="true")
    oob = re.search(r'<span id="attribute-badges"[^>]*hx-swap-oob="true">(.*?)</span>\s*$', refreshed, re.S)
    assert oob
    assert 'data-attribute="banned_me"' in oob[1]


def test_the_tooltip_lists_the_last_five_changes_with_their_times(auth_client, person, owner_user):
    start = timezone.now() - timedelta(days=10)
    for day in range(7):
        attribute_set(
            person=person,
            key="watch_list",
            value=day % 2 == 0,
            changed_by=owner_user,
            at=start + timedelta(days=day),
        )
    tip = toggle(section(auth_client, person), "watch_list")
    times = re.findall(r"<time datetime=[^>]*>([^<]+)</time>", tip)
    assert times == [(start + timedelta(days=day)).strftime("%Y-%m-%d %H:%M") for day in (6, 5, 4, 3, 2)]
    assert tip.count("✓ set") == 3
    assert tip.count("✗ cleared") == 2
    assert "owner" in tip
    assert "Never changed." in toggle(section(auth_client, person), "room_banned")
    attribute_set(person=person, key="room_banned", value=True)  # by the app: no user
    assert re.search(r'<span class="muted">app</span>', toggle(section(auth_client, person), "room_banned"))


def test_the_history_part_loads_when_opened_and_pages_through_everything(auth_client, person):
    start = timezone.now() - timedelta(days=40)
    for n in range(30):
        attribute_set(person=person, key="had_interaction", value=n % 2 == 0, at=start + timedelta(days=n))
    closed = section(auth_client, person)
    assert "attr-history-table" not in closed
    assert f'hx-get="/profile/{person.username}/sections/attributes/?history=1"' in closed
    first = section(auth_client, person, "?history=1")
    assert first.count("<tr>") == 1 + 25  # header row + a page of changes
    assert ">30</span>" in first  # the count beside "History"
    assert "Page 1 of 2" in first
    assert "Older →" in first
    second = section(auth_client, person, "?history=2")
    assert second.count("<tr>") == 1 + 5
    assert (start.strftime("%Y-%m-%d %H:%M")) in second  # the oldest change is on the last page
    assert "— → <strong" in second  # first set: no old value


def test_the_section_works_for_a_person_without_a_profile(auth_client, bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True)
    assert auth_client.get(f"/profile/{bare_person.username}/").status_code == 200
    assert " checked" in checkbox(section(auth_client, bare_person), "watch_list")


def test_query_counts_stay_flat_with_many_attributes_and_a_long_history(
    auth_client, person, django_assert_num_queries
):
    for n in range(30):
        AttributeDefinitionFactory(key=f"custom_{n}", show_as_badge=n % 3 == 0)
    start = timezone.now() - timedelta(days=400)
    for n in range(400):
        attribute_set(
            person=person, key=f"custom_{n % 30}", value=(n // 30) % 2 == 0, at=start + timedelta(hours=n)
        )
    # session + user + person, then the section: attributes with values, the tooltips' changes
    with django_assert_num_queries(5):
        section(auth_client, person)
    # ... and with the history open: its count and one page
    with django_assert_num_queries(7):
        assert "Page 2 of 16" in section(auth_client, person, "?history=2")


def test_the_directory_filters_people_by_attribute(auth_client):
    watched, unwatched, cleared = (ProfileFactory().person for _ in range(3))
    attribute_set(person=watched, key="watch_list", value=True)
    attribute_set(person=cleared, key="watch_list", value=True)
    attribute_set(person=cleared, key="watch_list", value=False)
    html = auth_client.get("/people/?attribute=watch_list").content.decode()
    assert watched.username in html
    assert unwatched.username not in html
    assert cleared.username not in html
    assert '<option value="watch_list" selected>Watchlist</option>' in html
    assert '<option value="profile_smoke" >Profile Smoke</option>' in html
    unknown = auth_client.get("/people/?attribute=no_such_thing")
    assert unknown.status_code == 200
    assert unwatched.username in unknown.content.decode()  # the unknown value is ignored


def test_attribute_changes_appear_in_the_activity_log(auth_client, person):
    for value in (True, False):
        auth_client.patch(
            f"/api/profile/{person.username}/attributes",
            {"watch_list": value},
            content_type="application/json",
        )
    html = auth_client.get(f"/profile/{person.username}/sections/activity/").content.decode()
    assert "Watchlist set" in html
    assert "Watchlist cleared" in html
    assert html.index("Watchlist cleared") < html.index("Watchlist set")
    assert "by the owner" in html
