import pytest

from notes.models import Note
from notes.services import note_create
from tests.factories import NoteFactory, PersonFactory, ProfileFactory
from tests.notes.pastes import TIP_MENU

pytestmark = pytest.mark.django_db


def test_the_admin_lists_notes_by_category_and_searches_usernames_and_text(auth_client):
    alex = ProfileFactory(person=PersonFactory(username="alex_lord_"))
    brick = ProfileFactory(person=PersonFactory(username="bricktiger"))
    NoteFactory(profile=alex, category="pm", content="talked about boots")
    NoteFactory(profile=brick, category="dm", content="likes bears")
    by_name = auth_client.get("/admin/notes/note/?q=alex").content.decode()
    assert "talked about boots" in by_name
    assert "likes bears" not in by_name
    by_text = auth_client.get("/admin/notes/note/?q=bears").content.decode()
    assert "likes bears" in by_text
    assert "talked about boots" not in by_text
    by_category = auth_client.get("/admin/notes/note/?category__exact=dm").content.decode()
    assert "likes bears" in by_category
    assert "talked about boots" not in by_category


def test_adding_a_tip_menu_in_the_admin_formats_it_and_the_html_is_read_only(auth_client, person):
    response = auth_client.post(
        "/admin/notes/note/add/",
        {
            "profile": person.profile.pk,
            "category": "tip_menu",
            "content": TIP_MENU,
            "source_url": "",
            "created_at_0": "2025-01-02",
            "created_at_1": "03:04:05",
            "formatted_content": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    note = Note.objects.get()
    assert note.formatted_content.startswith('<table class="table tip-menu">')
    page = auth_client.get(f"/admin/notes/note/{note.pk}/change/").content.decode()
    assert 'name="formatted_content"' not in page
    assert "Boots worship" in page


def test_changing_a_note_in_the_admin_formats_it_again(auth_client, person):
    note = note_create(person=person, content="Flash - 50", category="tip_menu")
    response = auth_client.post(
        f"/admin/notes/note/{note.pk}/change/",
        {
            "category": "public_chat",
            "content": "alice: hi",
            "source_url": "https://x.test/log",
            "created_at_0": "2025-01-02",
            "created_at_1": "03:04:05",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.formatted_content.startswith('<ol class="chat-log">')
    assert note.source_url == "https://x.test/log"


def test_a_bad_link_in_the_admin_is_shown_as_a_form_error(auth_client, person):
    response = auth_client.post(
        "/admin/notes/note/add/",
        {
            "profile": person.profile.pk,
            "category": "note",
            "content": "hi",
            "source_url": "javascript:alert(1)",
            "created_at_0": "2025-01-02",
            "created_at_1": "03:04:05",
        },
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Note.objects.exists()


def test_deleting_notes_in_the_admin(auth_client, person):
    notes = NoteFactory.create_batch(3, profile=person.profile)
    response = auth_client.post(
        "/admin/notes/note/",
        {"action": "delete_selected", "_selected_action": [n.pk for n in notes[:2]], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Note.objects.all()) == [notes[2]]
    assert auth_client.post(f"/admin/notes/note/{notes[2].pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Note.objects.exists()


def test_content_over_1_mb_in_the_admin_is_a_form_error_and_adds_nothing(auth_client, person):
    response = auth_client.post(
        "/admin/notes/note/add/",
        {
            "profile": person.profile.pk,
            "category": "note",
            "content": "x" * (1024 * 1024 + 1),
            "source_url": "",
            "created_at_0": "2025-01-02",
            "created_at_1": "03:04:05",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "a note holds at most 1 MB" in response.content.decode()
    assert not Note.objects.exists()
