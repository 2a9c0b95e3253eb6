import pytest
from django.core.management import call_command

from events.models import Event
from notes.models import Note
from notes.services import note_create

pytestmark = pytest.mark.django_db

OLD_ROW = '<li class="chat-line"><span class="chat-text">User bob has joined the room.</span></li>'
OLD_HTML = f'<ol class="chat-log">{OLD_ROW}</ol>'  # as an older parser stored it


def test_notes_formatted_by_older_parsers_are_reported_then_formatted_again_with_apply(person, capsys):
    chat = note_create(
        person=person, category="public_chat", content="User bob has joined the room.\nbob: hi"
    )
    menu = note_create(person=person, category="tip_menu", content="Flash - 50")
    plain = note_create(person=person, category="note", content="a note")
    Note.objects.filter(pk=chat.pk).update(formatted_content=OLD_HTML)  # as an older parser stored it
    updated_at = Note.objects.get(pk=chat.pk).updated_at

    call_command("notes_reformat")
    assert "2 chat log(s) and tip menu(s) checked; 1 would be re-formatted" in capsys.readouterr().out
    assert Note.objects.get(pk=chat.pk).formatted_content == OLD_HTML  # a dry run changes nothing

    call_command("notes_reformat", "--apply")
    assert "1 re-formatted" in capsys.readouterr().out
    again = Note.objects.get(pk=chat.pk)
    assert "has joined" not in again.formatted_content
    assert ">bob</b> hi</li>" in again.formatted_content
    assert again.content == chat.content
    assert again.updated_at == updated_at  # not an edit of the note
    assert Note.objects.get(pk=menu.pk).formatted_content == menu.formatted_content
    assert Note.objects.get(pk=plain.pk).formatted_content == ""
    event = Event.objects.get(kind="notes.reformatted")
    assert event.data == {"note_ids": [chat.id]}

    call_command("notes_reformat", "--apply")  # converges: nothing left to do
    assert "0 re-formatted" in capsys.readouterr().out
    assert Event.objects.filter(kind="notes.reformatted").count() == 1
