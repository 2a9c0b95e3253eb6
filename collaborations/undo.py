"""Undoing a collaboration's adding or removal from the history."""

from django.utils.dateparse import parse_datetime

from collaborations.models import Collaboration
from collaborations.services import collaboration_add, collaboration_remove
from events.models import Event
from events.undo import event_person, register_undo
from mhc.exceptions import Conflict


def undo_removal(event: Event) -> None:
    person, other = event_person(event), event_person(event, other=True)
    if Collaboration.objects.between(person, other).exists():
        raise Conflict(f"{person.username} and {other.username} are collaborators again already.")
    first_seen = event.data.get("first_seen_at")
    collaboration_add(
        person=person,
        other=other,
        notes=event.data.get("notes") or None,
        first_seen_at=parse_datetime(first_seen) if first_seen else None,
    )


def undo_adding(event: Event) -> None:
    person, other = event_person(event), event_person(event, other=True)
    if not collaboration_remove(person=person, other=other):
        raise Conflict(f"{person.username} and {other.username} are no longer collaborators.")


def register() -> None:
    register_undo("collaboration.removed", handler=undo_removal)
    register_undo("collaboration.added", handler=undo_adding)
