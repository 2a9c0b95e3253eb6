"""Undoing a note's deletion from the history: the note comes back as it was."""

from django.utils.dateparse import parse_datetime

from events.models import Event
from events.undo import event_person, register_undo
from notes.services import note_create


def undo_note_delete(event: Event) -> None:
    kept = event.data["note"]
    note_create(
        person=event_person(event),
        content=kept["content"],
        category=kept["category"],
        source_url=kept["source_url"],
        created_at=parse_datetime(kept["created_at"]),
    )


def register() -> None:
    register_undo("note.deleted", handler=undo_note_delete)
