"""Recording events. Services call `event_record` next to the change they make, inside the same
transaction, so an event exists exactly when its change does."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import models

from events.context import current_actor, current_undo
from events.models import Event
from mhc.rows import rows_insert

if TYPE_CHECKING:
    # Typing only: every app records events, so this one imports none of them at run time.
    from profiles.models import Person

SUMMARY_LENGTH = Event._meta.get_field("summary").max_length


def _subject(subject: models.Model | tuple[str, object] | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    kind, key = subject
    return kind, str(key)


def event_record(
    *,
    kind: str,
    summary: str,
    person: "Person | None" = None,
    other: "Person | None" = None,
    subject: models.Model | tuple[str, object] | None = None,
    data: dict | None = None,
    why: str = "",
    undoes: Event | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event. The actor is whoever `events.context` says is acting now.

    `subject` is the row the event is about (a model instance, or a (type, key) pair for a row
    that no longer exists); `data` is JSON-serialisable detail such as {"old": ..., "new": ...}.
    """
    actor = current_actor()
    subject_type, subject_id = _subject(subject)
    undo = current_undo()
    if undo is not None and undoes is None:
        undoes, why = undo[0], undo[1] or why
    fields = {
        "kind": kind,
        "summary": summary[:SUMMARY_LENGTH],
        "person_id": person.pk if person else None,
        "username": person.username if person else "",
        "other_person_id": other.pk if other else None,
        "other_username": other.username if other else "",
        "actor_kind": actor.kind,
        "actor_name": actor.name,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "data": data or {},
        "why": (why or "").strip(),
        "undoes": undoes,
    }
    if at is not None:
        fields["at"] = at
    return Event.objects.create(**fields)


def events_record(events: Iterable[Event]) -> list[Event]:
    """Append many prepared events in one statement (imports, bulk edits). Build each with
    `event_build`, which fills the actor the same way `event_record` does."""
    return Event.objects.bulk_create(list(events), batch_size=1000)


def event_rows_record(rows: list[dict[str, Any]]) -> int:
    """Append many events given as `event_row` dicts, in one statement a thousand and without a
    model instance each (a maintenance run records thousands). Returns how many."""
    return len(rows_insert(Event, rows, batch_size=1000))


def event_build(**kwargs) -> Event:
    """An unsaved event with the same fields `event_record` would write, for `events_record`."""
    actor = current_actor()
    person, other = kwargs.pop("person", None), kwargs.pop("other", None)
    subject_type, subject_id = _subject(kwargs.pop("subject", None))
    kwargs["summary"] = kwargs["summary"][:SUMMARY_LENGTH]
    undo = current_undo()
    if undo is not None and kwargs.get("undoes") is None:
        kwargs["undoes"], kwargs["why"] = undo[0], undo[1] or kwargs.get("why", "")
    return Event(
        person_id=person.pk if person else None,
        username=person.username if person else "",
        other_person_id=other.pk if other else None,
        other_username=other.username if other else "",
        actor_kind=actor.kind,
        actor_name=actor.name,
        subject_type=subject_type,
        subject_id=subject_id,
        **kwargs,
    )


def event_row(
    *, kind: str, summary: str, at: datetime | None, person_id, username: str, **fields: Any
) -> dict[str, Any]:
    """One event as a dict of column values, for writers that insert thousands at once without
    model instances (the legacy importer): the actor filled as `event_record` fills it. They know
    ids and names rather than Person instances, so those are given as such."""
    actor = current_actor()
    row = {
        "kind": kind,
        "summary": summary[:SUMMARY_LENGTH],
        "person_id": person_id,
        "username": username,
        "actor_kind": actor.kind,
        "actor_name": actor.name,
        **fields,
    }
    if at is not None:
        row["at"] = at
    return row


def json_value(value: Any) -> Any:
    """A field's value as it is kept in an event's `data`: dates as ISO text, the rest as is."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
