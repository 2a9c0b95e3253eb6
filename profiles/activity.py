"""The activity log of a profile: one timeline merged from every app's history.

Each app registers an `ActivitySource` from its `AppConfig.ready()`: a function that returns the
person's latest events of its own kind (attribute changes, relationship changes, notes added,
collaborations, media added …), at most `limit` of them, in a constant number of queries. The
Activity Log section merges the sources and keeps the newest.
"""

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from profiles.registry import Registry

if TYPE_CHECKING:
    from profiles.models import Person


@dataclass(frozen=True)
class ActivityEvent:
    at: datetime
    kind: str  # a short slug for the kind of event, e.g. "attribute", "note"
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class ActivitySource:
    key: str
    fetch: Callable[["Person", int], Iterable[ActivityEvent]] = field(compare=False)
    order: int = 0


activity_sources: Registry[ActivitySource] = Registry("activity source")


def register_activity_source(source: ActivitySource) -> ActivitySource:
    return activity_sources.register(source)


def activity_for(person: "Person", *, limit: int = 50) -> list[ActivityEvent]:
    """The person's newest `limit` events across every registered source, newest first."""
    streams = [
        sorted(source.fetch(person, limit), key=lambda event: event.at, reverse=True)
        for source in activity_sources.all()
    ]
    return list(heapq.merge(*streams, key=lambda event: event.at, reverse=True))[:limit]
