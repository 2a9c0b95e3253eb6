"""Reads of the event log."""

from events.models import Event, EventQuerySet


def events_of(person, *, kinds: list[str] | None = None) -> EventQuerySet:
    """Everything that happened to `person` (as subject or other party), newest first."""
    events = Event.objects.concerning(person.pk)
    if kinds:
        events = events.of_kinds(*kinds)
    return events.order_by("-at", "-id")
