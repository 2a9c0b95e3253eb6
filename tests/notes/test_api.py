import json
from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from notes.colors import chat_color
from notes.models import Note
from notes.services import MAX_CONTENT_BYTES, note_create
from profiles.models import Profile
from tests.factories import NoteFactory, PersonFactory
from tests.notes.pastes import (
    CHAT_MENU_ITEMS,
    CHAT_WITH_MENU,
    MENU_AFTER,
    MENU_BEFORE,
    ROOM_CHAT,
    ROOM_CHAT_DROPPED,
    ROOM_CHAT_MESSAGES,
    TIP_MENU,
    TIP_MENU_ITEMS,
)

pytestmark = pytest.mark.django_db


def notes_url(person, suffix: str = "") -> str:
    return f"/api/profile/{person.username}/notes{suffix}"


# --- Listing --------------------------------------------------------------------------------------


def test_notes_are_listed_newest_first_with_every_field(api_client, person):
    old = NoteFactory(
        profile=person.profile, created_at=datetime(2024, 1, 1, tzinfo=UTC), source_url="https://x.test/a"
    )
    new = NoteFactory(profile=person.profile, category="pm")
    response = api_client.get(notes_url(person))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [n["id"] for n in body["results"]] == [new.id, old.id]
    assert set(body["results"][1]) == {
        "id",
        "category",
        "content",
        "formatted_content",
        "source_url",
        "created_at",
        "updated_at",
        "items",
    }
    assert body["results"][1]["source_url"] == "https://x.test/a"
    assert body["results"][1]["created_at"].startswith("2024-01-01T00:00:00")


def test_the_list_can_be_narrowed_to_one_category(api_client, person):
    NoteFactory(profile=person.profile, category="pm")
    NoteFactory(profile=person.profile, category="dm")
    body = api_client.get(notes_url(person) + "?category=pm").json()
    assert [n["category"] for n in body["results"]] == ["pm"]
    assert api_client.get(notes_url(person) + "?category=").json()["count"] == 2


def test_an_unknown_category_filter_is_a_400(api_client, person):
    response = api_client.get(notes_url(person) + "?category=diary")
    assert response.status_code == 400
    assert "category" in response.json()["detail"]


def test_the_list_is_paginated_with_a_flat_query_count(token_client, person, django_assert_num_queries):
    NoteFactory.create_batch(30, profile=person.profile)
    NoteFactory.create_batch(3, profile=person.profile, category="tip_menu", content="Flash - 50")
    # token, its last-used time (written at most once a minute), person + profile, count, page
    with django_assert_num_queries(5):
        body = token_client.get(notes_url(person) + "?limit=20").json()
    assert (body["count"], len(body["results"])) == (33, 20)
    rest = token_client.get(body["next"]).json()["results"]
    assert len(rest) == 13
    assert {n["id"] for n in body["results"]}.isdisjoint(n["id"] for n in rest)


def test_a_person_without_a_profile_has_no_notes_yet(api_client, bare_person):
    assert api_client.get(notes_url(bare_person)).json()["count"] == 0


def test_notes_of_an_unknown_person_are_a_404(api_client):
    response = api_client.get("/api/profile/nobody_here/notes")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/profile/someone/notes"),
        ("post", "/api/profile/someone/notes"),
        ("get", "/api/profile/someone/notes/tip-menu"),
        ("patch", "/api/profile/someone/notes/1"),
        ("delete", "/api/profile/someone/notes/1"),
        ("post", "/api/notes/preview"),
    ],
)
def test_anonymous_scripts_get_a_401(client, method, path):
    response = getattr(client, method)(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 401


def test_a_browser_session_writing_without_the_csrf_token_gets_a_403(owner_user, person):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(owner_user)
    assert browser.get(notes_url(person)).status_code == 200
    for method, url in [("post", notes_url(person)), ("post", "/api/notes/preview")]:
        response = getattr(browser, method)(url, {"content": "x", "category": "tip_menu"}, format="json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
    assert not Note.objects.exists()


# --- Adding ---------------------------------------------------------------------------------------


def test_adding_a_plain_note_defaults_to_the_note_category(api_client, person):
    response = api_client.post(notes_url(person), {"content": "Sweet guy."}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["category"], body["content"], body["formatted_content"], body["items"]) == (
        "note",
        "Sweet guy.",
        "",
        None,
    )
    assert Note.objects.get(pk=body["id"]).profile == person.profile


def test_adding_a_chat_log_stores_its_formatted_rendering(api_client, person):
    person.username = "alex_lord_"
    person.save()
    response = api_client.post(
        notes_url(person),
        {"content": ROOM_CHAT, "category": "public_chat", "source_url": "https://chaturbate.com/alex_lord_/"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["content"] == ROOM_CHAT
    assert body["formatted_content"].startswith('<ol class="chat-log">')
    assert body["formatted_content"].count("chat-broadcaster") == 4  # the profile is the broadcaster
    assert body["items"] is None
    assert Note.objects.get(pk=body["id"]).formatted_content == body["formatted_content"]


def test_adding_a_tip_menu_returns_its_items(api_client, person):
    response = api_client.post(
        notes_url(person), {"content": TIP_MENU, "category": "tip_menu"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert [(i["item"], i["tokens"]) for i in body["items"]] == TIP_MENU_ITEMS
    assert body["formatted_content"].startswith('<table class="table tip-menu">')


def test_adding_a_note_for_someone_without_a_profile_creates_the_profile(api_client, bare_person):
    response = api_client.post(notes_url(bare_person), {"content": "First sighting."}, format="json")
    assert response.status_code == 201
    assert Profile.objects.get(person=bare_person).notes.count() == 1


def test_an_old_conversation_can_be_back_dated(api_client, person):
    response = api_client.post(
        notes_url(person),
        {"content": "me: hi", "category": "dm", "created_at": "2023-05-06T07:08:09Z"},
        format="json",
    )
    assert response.json()["created_at"].startswith("2023-05-06T07:08:09")
    assert Note.objects.get().created_at == datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_formatted_content_from_a_client_is_ignored(api_client, person):
    response = api_client.post(
        notes_url(person),
        {
            "content": "plain",
            "formatted_content": "<script>alert(1)</script>",
            "items": [{"item": "x", "tokens": 1}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert Note.objects.get().formatted_content == ""


def test_a_note_can_hold_exactly_1_mb(api_client, person):
    content = "x" * MAX_CONTENT_BYTES
    assert api_client.post(notes_url(person), {"content": content}, format="json").status_code == 201


@pytest.mark.parametrize("content", ["x" * (MAX_CONTENT_BYTES + 1), "é" * (MAX_CONTENT_BYTES // 2 + 1)])
def test_content_over_1_mb_is_a_clear_400_and_stores_nothing(api_client, person, content):
    response = api_client.post(
        notes_url(person), {"content": content, "category": "public_chat"}, format="json"
    )
    assert response.status_code == 400
    assert "a note holds at most 1 MB" in response.json()["detail"]
    assert response.json()["errors"]["content"]
    assert not Note.objects.exists()


def test_a_body_larger_than_the_server_accepts_is_a_json_400(api_client, person):
    response = api_client.post(notes_url(person), {"content": "y" * 5_000_000}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "The request is too large: the server accepts bodies of up to 4 MB."
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"content": "hi", "category": "diary"}, "category"),
        ({"content": "hi", "category": ""}, "category"),
        ({"content": "hi", "category": None}, "category"),
        ({}, "content"),
        ({"content": ""}, "content"),
        ({"content": "   \n\t "}, "content"),
        ({"content": None}, "content"),
        ({"content": {"nested": "object"}}, "content"),
        ({"content": "hi", "source_url": "javascript:alert(1)"}, "source_url"),
        ({"content": "hi", "source_url": "ftp://x.test/file"}, "source_url"),
        ({"content": "hi", "source_url": "not a link"}, "source_url"),
        ({"content": "hi", "source_url": "https://x.test/" + "a" * 500}, "source_url"),
        ({"content": "hi", "created_at": "last tuesday"}, "created_at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_stores_nothing(api_client, person, payload, field):
    response = api_client.post(notes_url(person), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["detail"]
    assert field in response.json()["errors"]
    assert not Note.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"just a string"', "\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(api_client, person, body):
    response = api_client.generic(
        "POST", notes_url(person), body.encode("latin-1"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.parametrize("raw", ['"bad \\u0000 nul"', '"lone \\ud800 surrogate"'])
def test_text_the_database_cannot_hold_is_a_400(api_client, person, raw):
    for url, extra in [(notes_url(person), ""), ("/api/notes/preview", ', "category": "public_chat"')]:
        body = f'{{"content": {raw}{extra}}}'.encode()
        response = api_client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400
        assert "content" in response.json()["errors"]
    assert not Note.objects.exists()


def test_adding_to_an_unknown_person_is_a_404(api_client):
    assert (
        api_client.post("/api/profile/nobody_here/notes", {"content": "x"}, format="json").status_code == 404
    )


# --- One note -------------------------------------------------------------------------------------


def test_one_note_can_be_read(api_client, person):
    note = NoteFactory(profile=person.profile)
    response = api_client.get(notes_url(person, f"/{note.id}"))
    assert response.status_code == 200
    assert response.json()["content"] == note.content


def test_editing_the_content_of_a_chat_log_formats_it_again(api_client, person):
    note = note_create(person=person, content="alice: hi", category="public_chat")
    response = api_client.patch(
        notes_url(person, f"/{note.id}"), {"content": "bob tipped 9 tokens"}, format="json"
    )
    assert response.status_code == 200
    assert "tipped 9 tokens" in response.json()["formatted_content"]
    note.refresh_from_db()
    assert "alice" not in note.formatted_content


def test_changing_the_category_formats_or_unformats_the_note(api_client, person):
    note = NoteFactory(profile=person.profile, content="Flash - 50\nKiss (15)")
    url = notes_url(person, f"/{note.id}")
    body = api_client.patch(url, {"category": "tip_menu"}, format="json").json()
    assert [(i["item"], i["tokens"]) for i in body["items"]] == [("Flash", 50), ("Kiss", 15)]
    assert "tip-menu" in body["formatted_content"]
    body = api_client.patch(url, {"category": "note"}, format="json").json()
    assert (body["items"], body["formatted_content"]) == (None, "")


def test_back_dating_and_the_source_link_can_be_changed_or_cleared(api_client, person):
    note = NoteFactory(profile=person.profile, source_url="https://x.test/a")
    url = notes_url(person, f"/{note.id}")
    body = api_client.patch(
        url, {"created_at": "2022-02-02T02:02:02Z", "source_url": ""}, format="json"
    ).json()
    assert body["created_at"].startswith("2022-02-02T02:02:02")
    assert body["source_url"] == ""


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "diary"}, "category"),
        ({"content": " "}, "content"),
        ({"content": "z" * (MAX_CONTENT_BYTES + 1)}, "content"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"created_at": "soon"}, "created_at"),
    ],
)
def test_a_bad_edit_is_a_400_and_changes_nothing(api_client, person, payload, field):
    note = note_create(
        person=person, content="alice: hi", category="public_chat", source_url="https://x.test/a"
    )
    before = api_client.get(notes_url(person, f"/{note.id}")).json()
    response = api_client.patch(notes_url(person, f"/{note.id}"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert api_client.get(notes_url(person, f"/{note.id}")).json() == before


def test_a_note_is_deleted_and_then_gone(api_client, person):
    note = NoteFactory(profile=person.profile)
    assert api_client.delete(notes_url(person, f"/{note.id}")).status_code == 204
    assert not Note.objects.exists()
    assert api_client.delete(notes_url(person, f"/{note.id}")).status_code == 404


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_persons_note_is_a_404_through_this_person(api_client, person, method):
    other = NoteFactory()
    response = getattr(api_client, method)(
        notes_url(person, f"/{other.id}"), {"content": "hijack"}, format="json"
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.content != "hijack"


@pytest.mark.parametrize("note_id", ["0", "99999999", "99999999999999999999999"])
def test_notes_that_cannot_exist_are_a_404(api_client, person, note_id):
    assert api_client.get(notes_url(person, f"/{note_id}")).status_code == 404
    assert api_client.delete(notes_url(person, f"/{note_id}")).status_code == 404


# --- Tip menu -------------------------------------------------------------------------------------


def test_the_latest_tip_menu_is_served_with_its_items(api_client, person):
    note_create(
        person=person,
        content="Old thing - 10",
        category="tip_menu",
        created_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    latest = note_create(person=person, content=TIP_MENU, category="tip_menu")
    note_create(person=person, content="a later note", category="note")
    response = api_client.get(notes_url(person, "/tip-menu"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == latest.id
    assert [(i["item"], i["tokens"]) for i in body["items"]] == TIP_MENU_ITEMS
    assert body["changes"]["previous"]["id"] == latest.id - 1
    assert body["changes"]["removed"] == [{"item": "Old thing", "tokens": 10}]
    assert len(body["changes"]["added"]) == len(TIP_MENU_ITEMS)


def test_the_latest_tip_menu_says_what_changed_since_the_previous_one(api_client, person):
    before = note_create(
        person=person, content=MENU_BEFORE, category="tip_menu", created_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    note_create(
        person=person, content=MENU_AFTER, category="tip_menu", created_at=datetime(2025, 3, 8, tzinfo=UTC)
    )
    note_create(
        person=person, content="Flash - 1", category="tip_menu", created_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    changes = api_client.get(notes_url(person, "/tip-menu")).json()["changes"]
    assert changes == {
        "previous": {"id": before.id, "created_at": "2025-03-01T00:00:00Z"},
        "added": [{"item": "Cam2cam (per minute)", "tokens": 60}],
        "removed": [{"item": "Boots worship", "tokens": 99}],
        "changed": [{"item": "Flash", "old": 50, "new": 60}, {"item": "Oil show", "old": 250, "new": 300}],
    }


def test_a_first_tip_menu_has_no_previous_and_no_changes(api_client, person):
    note_create(person=person, content=MENU_BEFORE, category="tip_menu")
    changes = api_client.get(notes_url(person, "/tip-menu")).json()["changes"]
    assert changes == {"previous": None, "added": [], "removed": [], "changed": []}


def test_the_schema_documents_the_tip_menu_changes(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    response = schema["paths"]["/api/profile/{username}/notes/tip-menu"]["get"]["responses"]["200"]
    ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    changes = schema["components"]["schemas"][ref]["properties"]["changes"]
    changes_ref = changes.get("$ref") or changes["allOf"][0]["$ref"]
    fields = schema["components"]["schemas"][changes_ref.rsplit("/", 1)[-1]]["properties"]
    assert set(fields) == {"previous", "added", "removed", "changed"}


def test_a_chat_preview_links_known_people_and_reads_their_colon_less_lines(api_client):
    PersonFactory(username="alexandria_x")
    response = api_client.post(
        "/api/notes/preview",
        {"category": "public_chat", "content": "alex: hi\nalexandria_xHi everyone!"},
        format="json",
    )
    body = response.json()
    assert [(m["username"], m["text"]) for m in body["messages"]] == [
        ("alex", "hi"),
        ("alexandria_x", "Hi everyone!"),
    ]
    assert body["people"] == ["alexandria_x"]
    assert 'href="/profile/alexandria_x/">alexandria_x</a>' in body["formatted_content"]


def test_a_chat_preview_offers_the_tip_menu_the_room_posted(api_client, person):
    response = api_client.post(
        "/api/notes/preview", {"category": "public_chat", "content": CHAT_WITH_MENU}, format="json"
    )
    menu = response.json()["tip_menu"]
    assert [(i["item"], i["tokens"]) for i in menu["items"]] == CHAT_MENU_ITEMS
    saved = api_client.post(
        notes_url(person), {"category": "tip_menu", "content": menu["content"]}, format="json"
    )
    assert saved.status_code == 201
    assert [(i["item"], i["tokens"]) for i in saved.json()["items"]] == CHAT_MENU_ITEMS


def test_no_tip_menu_is_a_404(api_client, person, bare_person):
    NoteFactory(profile=person.profile)
    for someone in (person, bare_person):
        response = api_client.get(notes_url(someone, "/tip-menu"))
        assert response.status_code == 404
        assert "no tip menu" in response.json()["detail"]


# --- Preview --------------------------------------------------------------------------------------


def test_previewing_a_chat_log_parses_it_without_saving(api_client):
    response = api_client.post(
        "/api/notes/preview",
        {"category": "public_chat", "content": ROOM_CHAT, "broadcaster": "Alex_Lord_"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert [
        (m["username"], m["text"], m["kind"], m["tokens"]) for m in body["messages"]
    ] == ROOM_CHAT_MESSAGES
    assert body["messages"][0]["color"] == chat_color("alex_lord_")
    assert body["messages"][0]["broadcaster"] is True
    assert body["users"]["kinky_kai"] == chat_color("kinky_kai")
    assert body["tips"] == [
        {"username": "sub_sam", "tokens": 50},
        {"username": "kinky_kai", "tokens": 99},
        {"username": "sub_sam", "tokens": 250},
    ]
    assert body["dropped"] == ROOM_CHAT_DROPPED == len(body["dropped_lines"])
    assert body["dropped_lines"][0] == {
        "line": 1,
        "kind": "notice",
        "label": "notice",
        "text": ROOM_CHAT.splitlines()[0],
    }
    assert body["people"] == []
    assert body["tip_menu"] == {  # the room's "[Tip Menu] …" line
        "items": [
            {"item": "Flash", "tokens": 50},
            {"item": "Boots worship", "tokens": 99},
            {"item": "Oil show", "tokens": 250},
        ],
        "content": "Flash 50 | Boots worship 99 | Oil show 250",
    }
    assert body["formatted_content"].startswith('<ol class="chat-log">')
    assert not Note.objects.exists()


def test_previewing_a_tip_menu_gives_its_items(api_client):
    response = api_client.post(
        "/api/notes/preview", {"category": "tip_menu", "content": TIP_MENU}, format="json"
    )
    assert response.status_code == 200
    assert [(i["item"], i["tokens"]) for i in response.json()["items"]] == TIP_MENU_ITEMS


def test_an_empty_paste_box_previews_as_empty(api_client):
    body = api_client.post(
        "/api/notes/preview", {"category": "public_chat", "content": ""}, format="json"
    ).json()
    assert (body["messages"], body["dropped"], body["formatted_content"]) == ([], 0, "")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"category": "note", "content": "hi"}, "category"),
        ({"category": "diary", "content": "hi"}, "category"),
        ({"content": "hi"}, "category"),
        ({"category": "tip_menu"}, "content"),
        ({"category": "public_chat", "content": "x", "broadcaster": "not a username!"}, "broadcaster"),
        ({"category": "public_chat", "content": "x" * (MAX_CONTENT_BYTES + 1)}, "content"),
    ],
)
def test_a_bad_preview_request_is_a_400_naming_the_field(api_client, payload, field):
    response = api_client.post("/api/notes/preview", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


# --- Schema ---------------------------------------------------------------------------------------


def test_every_notes_endpoint_is_in_the_openapi_schema_with_examples(api_client):
    response = api_client.get("/api/schema/?format=json", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    paths = schema["paths"]
    notes = paths["/api/profile/{username}/notes"]
    assert {"get", "post"} <= set(notes)
    assert {"get", "patch", "delete"} <= set(paths["/api/profile/{username}/notes/{note_id}"])
    assert "get" in paths["/api/profile/{username}/notes/tip-menu"]
    assert "post" in paths["/api/notes/preview"]
    assert notes["post"]["requestBody"]["content"]["application/json"]["examples"]
    category = next(p for p in notes["get"]["parameters"] if p["name"] == "category")
    assert set(category["schema"]["enum"]) == {*Note.Category.values, ""}  # empty: every category


def test_a_token_script_can_add_and_read_notes(token_client):
    someone = PersonFactory(username="script_target")
    assert (
        token_client.post(
            "/api/profile/script_target/notes", {"content": "via script"}, format="json"
        ).status_code
        == 201
    )
    assert token_client.get("/api/profile/script_target/notes").json()["count"] == 1
    assert someone.profile.notes.get().content == "via script"
