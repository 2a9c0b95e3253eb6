from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from notes.models import Note
from notes.services import MAX_CONTENT_BYTES, note_create, note_delete, note_update
from profiles.models import Profile
from tests.factories import NoteFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_note_on_someone_without_a_profile_creates_their_profile(bare_person):
    note = note_create(person=bare_person, content="Seen in leather_rex's room.")
    assert Profile.objects.get(person=bare_person) == note.profile
    assert (note.category, note.formatted_content) == ("note", "")


def test_a_chat_log_is_formatted_with_the_profile_as_the_broadcaster():
    rex = PersonFactory(username="leather_rex")
    note = note_create(person=rex, content="leather_rexhi boys\nbob: hi", category="public_chat")
    assert note.formatted_content.count("chat-broadcaster") == 1
    assert 'href="/profile/leather_rex/">leather_rex</a>' in note.formatted_content  # a known person
    assert ">bob</b>" in note.formatted_content  # nobody in the database: no link


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": " \n "}, "content"),
        ({"content": "x" * (MAX_CONTENT_BYTES + 1)}, "content"),
        ({"content": "€" * (MAX_CONTENT_BYTES // 3 + 1)}, "content"),  # 3 bytes each in UTF-8
        ({"content": "hi", "category": "diary"}, "category"),
        ({"content": "hi", "source_url": "javascript:alert(1)"}, "source_url"),
        ({"content": "hi", "source_url": "ftp://x.test/a"}, "source_url"),
    ],
)
def test_bad_input_raises_naming_the_field_and_stores_nothing(bare_person, changes, field):
    with pytest.raises(ValidationError) as error:
        note_create(person=bare_person, **changes)
    assert field in error.value.message_dict
    assert not Note.objects.exists()
    assert not Profile.objects.filter(person=bare_person).exists()


def test_an_update_that_changes_nothing_writes_nothing(person):
    note = NoteFactory(profile=person.profile)
    stamp = note.updated_at
    note_update(note=note, content=note.content, category=note.category)
    note.refresh_from_db()
    assert note.updated_at == stamp


def test_an_update_rewrites_only_what_was_given(person):
    note = note_create(
        person=person, content="alice: hi", category="public_chat", source_url="https://x.test/1"
    )
    html = note.formatted_content
    note_update(note=note, created_at=datetime(2020, 1, 1, tzinfo=UTC))
    note.refresh_from_db()
    assert (note.content, note.formatted_content, note.source_url) == ("alice: hi", html, "https://x.test/1")
    assert note.created_at.year == 2020


def test_a_rejected_update_leaves_the_note_as_it_was_in_memory_too(person):
    note = NoteFactory(profile=person.profile, content="keep me")
    with pytest.raises(ValidationError):
        note_update(note=note, content="new text", category="diary")
    assert (note.content, note.category) == ("keep me", "note")


def test_deleting_a_note_removes_only_that_note(person):
    keep, drop = NoteFactory.create_batch(2, profile=person.profile)
    note_delete(note=drop)
    assert list(Note.objects.all()) == [keep]


def test_the_database_refuses_an_unknown_category_and_empty_content(person):
    from django.db import IntegrityError, transaction

    for bad in ({"category": "diary", "content": "x"}, {"category": "note", "content": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Note.objects.create(profile=person.profile, **bad)
