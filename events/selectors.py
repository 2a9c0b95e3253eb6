"""Reads of the event log: a person's history (filtered, paged), everyone's latest events."""

from django.core.paginator import Page, Paginator

from events.models import Event, EventQuerySet
from events.undo import with_undo_state
from profiles.selectors import person_merged_ids

# What the history can be filtered by: an event kind's first word, and its name in the page.
KIND_GROUPS: tuple[tuple[str, str], ...] = (
    ("profile", "Profile edits"),
    ("attribute", "Attributes"),
    ("relationship", "Relationships"),
    ("collaboration", "Collaborations"),
    ("note", "Notes"),
    ("media", "Images"),
    ("person", "People"),
    ("alternate", "Alternate accounts"),
)
EVENTS_PER_PAGE = 25


def events_of(person, *, kinds: list[str] | None = None) -> EventQuerySet:
    """Everything that happened to `person` (as subject or other party), newest first, including
    what happened to the people merged into them, each with `is_undone`."""
    events = Event.objects.concerning(person.pk, *person_merged_ids(person.pk))
    if kinds:
        events = events.of_kinds(*kinds)
    return with_undo_state(events).order_by("-at", "-id")


def events_page(
    events: EventQuerySet, *, page: str | int | None = 1, per_page: int = EVENTS_PER_PAGE
) -> Page:
    """One page of a history (`events_of`, filtered): two queries, the count and the page."""
    return Paginator(events, per_page).get_page(page)


def events_recent_queryset() -> EventQuerySet:
    """Events about anyone, newest first, each with `is_undone`."""
    return with_undo_state(Event.objects.all()).order_by("-at", "-id")


def events_recent(*, limit: int = 20) -> list[Event]:
    """The latest events about anyone, newest first, in one query."""
    return list(events_recent_queryset()[:limit])


def events_with_ids(ids: list[int]) -> EventQuerySet:
    return with_undo_state(Event.objects.filter(pk__in=ids)).order_by("id")
