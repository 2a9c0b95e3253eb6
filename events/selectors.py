"""Reads of the event log."""

from events.models import Event, EventQuerySet
from profiles.models import Person
from profiles.selectors import person_merged_ids


def events_of(person: Person, *, kinds: list[str] | None = None) -> EventQuerySet:
    """Everything that happened to `person` (as subject or other party), newest first, including
    what happened to the people merged into them."""
    events = Event.objects.concerning(person.pk, *person_merged_ids(person.pk))
    if kinds:
        events = events.of_kinds(*kinds)
    return events.order_by("-at", "-id")
