"""The Activity log section of the profile page, read from the event log: filter by kind, page
through, undo a change where it can be undone; and its "As of" tab, which shows what other apps
register (`register_as_of`): a profile's attributes and relationships as they were on a date."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date

from events.filters import EventFilterSet
from events.rows import event_rows
from events.selectors import KIND_GROUPS, events_of, events_page
from events.undo import can_undo
from mhc.filters import chosen, filters_for_page
from profiles.registry import Registry
from profiles.sections import PageContext, Section, register_section


@dataclass(frozen=True)
class AsOfPart:
    """One part of the "As of" tab: `load(person, moment)` returns its template's context."""

    key: str
    title: str
    order: int
    template: str
    load: Callable = field(compare=False)


as_of_parts: Registry[AsOfPart] = Registry("as-of part")


def register_as_of(part: AsOfPart) -> AsOfPart:
    return as_of_parts.register(part)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def load(page: PageContext) -> dict:
    params = page.request.GET
    if params.get("tab") == "as-of":
        return load_as_of(page)
    filters = filters_for_page(EventFilterSet, params, queryset=events_of(page.person))
    kind = chosen(filters, "kind")
    page_obj = events_page(filters.qs, page=params.get("page"))
    undoable = {event.pk for event in page_obj.object_list if can_undo(event)}
    return {
        "tab": "history",
        "page_obj": page_obj,
        "events": page_obj.object_list,
        "rows": event_rows(page_obj.object_list, undoable),
        "kind": kind,
        "kinds": KIND_GROUPS,
        "query": f"kind={kind}&" if kind else "",
        "refused": filters.refused,
    }


def load_as_of(page: PageContext) -> dict:
    raw = page.request.GET.get("date", "")
    try:
        day = parse_date(raw) if raw else None
    except ValueError:
        day = None
    error = "Give a date as YYYY-MM-DD." if raw and day is None else ""
    if day is not None and day > timezone.localdate():
        day, error = None, "Give a date no later than today: the history does not know the future."
    parts = []
    if day is not None:
        moment = _end_of(day)
        for part in as_of_parts.all():
            parts.append((part, part.load(page.person, moment)))
    return {"tab": "as-of", "day": day, "raw_date": raw, "error": error, "parts": parts}


def register() -> None:
    register_section(
        Section(
            key="activity",
            title="Activity log",
            order=90,
            default_open=False,
            template="events/section.html",
            assets=("events/events.css",),
            load=load,
        )
    )
