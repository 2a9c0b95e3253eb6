import re
from datetime import UTC, datetime, timedelta

import pytest

from events.selectors import events_of
from notes.services import note_create
from tests.factories import NoteFactory, ProfileFactory
from tests.notes.pastes import MENU_AFTER, MENU_BEFORE, ROOM_CHAT, TIP_MENU, XSS_IMG, XSS_LINK, XSS_SCRIPT

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 6, 1, tzinfo=UTC)


def section(auth_client, person, query: str = "", **headers) -> str:
    response = auth_client.get(f"/profile/{person.username}/sections/notes/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def tab_counts(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-tab="(\w+)".*?<span class="count">(\d+)</span>', html, re.S))


def test_the_profile_page_has_an_open_notes_section_after_quick_stats(auth_client, person):
    NoteFactory(profile=person.profile, content="Remembers my name.")
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert re.search(r'<details class="section" id="section-notes"[^>]*\sopen>', html)
    assert html.index('id="section-quick-stats"') < html.index('id="section-notes"')
    assert "Remembers my name." in html


def test_tabs_show_the_count_of_each_category(auth_client, person):
    NoteFactory.create_batch(2, profile=person.profile, category="pm")
    note_create(person=person, content=TIP_MENU, category="tip_menu")
    html = section(auth_client, person)
    assert tab_counts(html) == {
        "all": "3",
        "note": "0",
        "pm": "2",
        "dm": "0",
        "public_chat": "0",
        "tip_menu": "1",
    }
    assert list(re.findall(r'data-tab="\w+"[^>]*>(\w+)<', html)) == [
        "All",
        "Notes",
        "PM",
        "DM",
        "Chat",
        "Menu",
    ]


def test_each_note_has_its_coloured_category_badge(auth_client, person):
    for category in ("note", "pm", "dm", "public_chat", "tip_menu"):
        NoteFactory(profile=person.profile, category=category, content="Flash - 50")
    html = section(auth_client, person)
    for tone, label in [
        ("blue", "Note"),
        ("purple", "PM"),
        ("indigo", "DM"),
        ("green", "Chat"),
        ("amber", "Menu"),
    ]:
        assert f'<span class="pill tone-{tone}">{label}</span>' in html


def test_a_tab_shows_only_its_category(auth_client, person):
    NoteFactory(profile=person.profile, category="pm", content="a private message")
    NoteFactory(profile=person.profile, category="dm", content="a direct message")
    html = section(auth_client, person, "?category=pm")
    assert "a private message" in html
    assert "a direct message" not in html
    assert re.search(r'data-tab="pm"\s+class="active"', html)
    assert "No notes in this category yet." in section(auth_client, person, "?category=public_chat")
    unknown = section(auth_client, person, "?category=bogus")
    assert "a direct message" in unknown  # ignored: all of them
    assert "The category filter was ignored: “bogus” is not one of its choices." in unknown


def test_notes_are_paged_ten_at_a_time_newest_first(auth_client, person):
    for day in range(23):
        NoteFactory(
            profile=person.profile, content=f"note of day {day:02d}", created_at=DAY + timedelta(days=day)
        )
    first = section(auth_client, person)
    assert first.count('class="note"') == 10
    assert first.index("note of day 22") < first.index("note of day 21")
    assert "Page 1 of 3" in first
    last = section(auth_client, person, "?page=3")
    assert last.count('class="note"') == 3
    assert "note of day 00" in last
    assert "Page 3 of 3" in section(auth_client, person, "?page=999")
    assert "Page 1 of 3" in section(auth_client, person, "?page=-2")
    assert "Page 1 of 3" in section(auth_client, person, "?page=abc")
    assert "Page 1 of 3" in section(auth_client, person, "?page=²&edit=³")


def test_edit_shows_that_note_as_a_form(auth_client, person):
    note = NoteFactory(profile=person.profile, content="fix my typo", category="dm")
    html = section(auth_client, person, f"?edit={note.id}")
    assert f'data-url="/api/profile/{person.username}/notes/{note.id}"' in html
    assert 'data-method="PATCH"' in html
    assert '<option value="dm" selected>DM</option>' in html
    assert ">fix my typo</textarea>" in html


def test_a_long_chat_log_is_collapsed_behind_show_all(auth_client, person):
    note_create(person=person, content=ROOM_CHAT, category="public_chat")
    note_create(person=person, content="alice: short\nbob: log", category="public_chat")
    html = section(auth_client, person)
    assert html.count("Show all 13 lines") == 1
    assert html.count('class="show-all-toggle"') == 1


def test_pasted_markup_is_shown_as_text_everywhere_on_the_page(auth_client, person):
    for category in ("note", "pm", "public_chat", "tip_menu"):
        for markup in (XSS_SCRIPT, XSS_IMG, XSS_LINK):
            content = f"{markup} - 20" if category == "tip_menu" else f"alice: {markup}"
            note_create(person=person, content=content, category=category)
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    assert "window.__xss" in html  # shown, as text
    assert "<script>window" not in html
    assert "<img src=x" not in html
    assert '<a href="javascript' not in html
    assert auth_client.get("/people/").content.decode().count("<script>window") == 0


def test_the_tip_menu_link_shows_only_when_there_is_a_tip_menu(auth_client, person):
    NoteFactory(profile=person.profile, content="not a menu")
    assert 'id="tip-menu-link"' not in auth_client.get(f"/profile/{person.username}/").content.decode()
    note_create(person=person, content=TIP_MENU, category="tip_menu")
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    header = html[html.index('id="header-links"') : html.index('id="header-badges"')]
    assert 'id="tip-menu-link"' in header
    assert 'data-open-modal="tip-menu-modal"' in header
    assert '<td>Boots worship</td><td class="num">99</td>' in header


def test_the_tip_menu_window_shows_what_changed_since_the_menu_before(auth_client, person):
    note_create(person=person, content=MENU_BEFORE, category="tip_menu", created_at=DAY)
    note_create(person=person, content=MENU_AFTER, category="tip_menu", created_at=DAY + timedelta(days=7))
    html = auth_client.get(f"/profile/{person.username}/").content.decode()
    window = html[
        html.index('id="tip-menu-modal"') : html.index("</dialog>", html.index('id="tip-menu-modal"'))
    ]
    changes = " ".join(re.sub(r"<[^>]+>", " ", window[window.index("menu-changes") :]).split())
    assert "Changes since the menu of 2025-06-01" in changes
    assert "+ added Cam2cam (per minute) 60" in changes
    assert "\u2212 removed Boots worship 99" in changes
    assert "price Flash 50 → 60" in changes
    assert "price Oil show 250 → 300" in changes


def test_a_first_tip_menu_shows_no_changes(auth_client, person):
    note_create(person=person, content=MENU_BEFORE, category="tip_menu")
    assert "menu-changes" not in auth_client.get(f"/profile/{person.username}/").content.decode()


def test_only_an_in_page_refresh_carries_the_tip_menu_for_the_header(auth_client, person):
    note_create(person=person, content=TIP_MENU, category="tip_menu")
    assert "data-notes-tip-menu" not in section(auth_client, person)
    refreshed = section(auth_client, person, HTTP_HX_REQUEST="true")
    assert "<template data-notes-tip-menu>" in refreshed
    assert 'id="tip-menu-link"' in refreshed


def test_the_profile_page_query_count_stays_flat_with_many_notes(
    auth_client, person, django_assert_num_queries
):
    for category in ("note", "pm", "public_chat", "tip_menu"):
        for _ in range(8):
            note_create(person=person, content="alice: hi\nFlash - 50", category=category)
    # session, user, person + profile; notes: counts, page (the whole page: tests/test_profile_page.py)
    with django_assert_num_queries(5):
        section(auth_client, person)
    with django_assert_num_queries(6):
        section(auth_client, person, "?category=pm&page=2", HTTP_HX_REQUEST="true")


def test_the_directory_shows_each_persons_latest_note_in_constant_queries(
    auth_client, django_assert_num_queries
):
    people = [ProfileFactory().person for _ in range(60)]
    for index, someone in enumerate(people):
        NoteFactory(profile=someone.profile, content=f"older note {index}", created_at=DAY)
        NoteFactory(
            profile=someone.profile,
            content=f"Latest about   number {index}",
            category="pm",
            created_at=DAY + timedelta(days=1),
        )
    # session, user, count, page of people; the attribute filter's choices, the latest-note
    # column, the attributes the bulk edit can set: however many people are on the page.
    with django_assert_num_queries(7):
        html = auth_client.get("/people/").content.decode()
    assert "<th>Latest note</th>" in html
    assert "Latest about number 0" in html
    assert "older note" not in html
    assert html.count('<span class="pill tone-purple">PM</span>') == 50


def test_notes_appear_in_the_activity_log(person):
    note_create(person=person, content=ROOM_CHAT, category="public_chat", created_at=DAY)
    note_create(person=person, content="He likes boots.", created_at=DAY + timedelta(days=1))
    summaries = list(events_of(person, kinds=["note"]).values_list("summary", flat=True))
    assert summaries[0] == f"Note added on {person.username}: He likes boots."
    assert summaries[1].startswith(f"Chat added on {person.username}: Notice: Welcome")
