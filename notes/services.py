"""Every write to notes. Chat logs and tip menus are parsed and formatted here, on the server."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from events.services import event_record, json_value
from mhc.exceptions import ValidationError
from notes.formatting import format_note
from notes.models import Note
from notes.selectors import usernames_known
from profiles.models import Person
from profiles.services import profile_update

MAX_CONTENT_BYTES = 1024 * 1024


def validate_content_size(content: str) -> None:
    """ValidationError on `content` when it is more than a note holds (1 MB of UTF-8)."""
    size = len(content.encode("utf-8", errors="surrogatepass"))
    if size > MAX_CONTENT_BYTES:
        raise ValidationError(
            {"content": f"The text is {size / MAX_CONTENT_BYTES:.1f} MB; a note holds at most 1 MB."}
        )


def _validate(note: Note) -> None:
    if not note.content.strip():
        raise ValidationError({"content": "A note needs some text."})
    validate_content_size(note.content)
    # The check constraints' rules (known category, some content) are checked above and by the
    # fields; validating them again would send the whole text to the database just to compare it.
    note.full_clean(exclude=["profile"], validate_constraints=False)


def _format(note: Note, person: Person) -> None:
    note.formatted_content = format_note(
        content=note.content,
        category=note.category,
        broadcaster=person.username,
        known_people=usernames_known,
    )


@transaction.atomic
def note_create(
    *,
    person: Person,
    content: str,
    category: str = Note.Category.NOTE,
    source_url: str = "",
    created_at: datetime | None = None,
    why: str = "",
) -> Note:
    """Add a note to the person's profile (creating the profile if they have none yet).

    Public chat and tip menus are parsed and their HTML stored in `formatted_content`; the
    profile's own username is the broadcaster of a pasted chat log.
    """
    note = Note(
        category=category,
        content=content,
        source_url=source_url or "",
        created_at=created_at or timezone.now(),
    )
    _validate(note)
    note.profile = getattr(person, "profile", None) or profile_update(person=person)
    _format(note, person)
    note.save()
    event_record(
        kind="note.created",
        summary=f"{note.get_category_display()} added on {person.username}: {_start(note.content)}",
        person=person,
        subject=note,
        why=why,
    )
    return note


def _start(content: str, length: int = 80) -> str:
    """The start of a note's text on one line, for an event's summary."""
    line = " ".join(content.split())
    return line if len(line) <= length else line[: length - 1] + "…"


def _kept(note: Note) -> dict:
    """What a deleted note needs to come back: its fields as they were."""
    return {
        "category": note.category,
        "content": note.content,
        "source_url": note.source_url,
        "created_at": json_value(note.created_at),
    }


def note_update(
    *,
    note: Note,
    content: str | None = None,
    category: str | None = None,
    source_url: str | None = None,
    created_at: datetime | None = None,
    why: str = "",
) -> Note:
    """Change what is given (None leaves a field alone; "" clears the source link). The HTML is
    built again when the content or the category changes."""
    changes = {"content": content, "category": category, "source_url": source_url, "created_at": created_at}
    changed = {name for name, value in changes.items() if value is not None and getattr(note, name) != value}
    if not changed:
        return note
    before = {name: getattr(note, name) for name in changed}
    for name in changed:
        setattr(note, name, changes[name])
    try:
        _validate(note)
    except ValidationError:
        for name, value in before.items():  # bad input changes nothing, not even the instance
            setattr(note, name, value)
        raise
    fields = [*changed, "updated_at"]
    if changed & {"content", "category"}:
        _format(note, note.profile.person)
        fields.append("formatted_content")
    with transaction.atomic():
        note.save(update_fields=fields)
        person = note.profile.person
        event_record(
            kind="note.edited",
            summary=f"{note.get_category_display()} edited on {person.username}: {_start(note.content)}",
            person=person,
            subject=note,
            data={
                "fields": sorted(changed),
                "old": {name: json_value(value) for name, value in before.items()},
            },
            why=why,
        )
    return note


def note_reformat(*, note: Note, apply: bool) -> bool:
    """Whether the note's HTML, built again by the current parsers, differs from the stored one;
    with `apply`, store it (the text is never touched)."""
    formatted = format_note(
        content=note.content,
        category=note.category,
        broadcaster=note.profile.person.username,
        known_people=usernames_known,
    )
    if formatted == note.formatted_content:
        return False
    if apply:
        note.formatted_content = formatted
        Note.objects.filter(pk=note.pk).update(formatted_content=formatted)  # not updated_at: not an edit
    return True


def notes_reformatted_record(*, note_ids: list[int]) -> None:
    """The event of a run of `notes_reformat --apply` that changed these notes' HTML."""
    event_record(
        kind="notes.reformatted",
        summary=f"{len(note_ids)} chat log(s) and tip menu(s) read again with the current parsers",
        data={"note_ids": note_ids},
    )


@transaction.atomic
def note_delete(*, note: Note, why: str = "") -> None:
    """Delete a note. The event keeps its text, so the deletion can be undone from the history."""
    person = note.profile.person
    event_record(
        kind="note.deleted",
        summary=f"{note.get_category_display()} deleted on {person.username}: {_start(note.content)}",
        person=person,
        subject=("notes.note", note.pk),
        data={"note": _kept(note)},
        why=why,
    )
    note.delete()
