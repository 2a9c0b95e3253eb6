"""Marks other apps put on people wherever many people are drawn at once (the collaboration
graph), without `profiles` knowing them: the owner's relationship type, badge attributes.

A **PersonMark**'s `load(person_ids)` returns `{person_id: value}` for the people that have the
mark (in a constant number of queries); a value is JSON-ready (a string, a list, a dict).
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from profiles.registry import Registry


@dataclass(frozen=True)
class PersonMark:
    key: str
    order: int
    load: Callable[[Collection[Any]], dict[Any, Any]] = field(compare=False)


person_marks: Registry[PersonMark] = Registry("person mark")


def register_person_mark(mark: PersonMark) -> PersonMark:
    return person_marks.register(mark)


def marks_for(person_ids: Collection[Any]) -> dict[str, dict[Any, Any]]:
    """Every registered mark's values for these people: `{mark key: {person_id: value}}`."""
    if not person_ids:
        return {mark.key: {} for mark in person_marks.all()}
    return {mark.key: mark.load(person_ids) for mark in person_marks.all()}
