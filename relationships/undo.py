"""Undoing a relationship's adding, change or removal from the history."""

from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.dateparse import parse_date

from events.context import current_user
from events.models import Event
from events.undo import event_person, overtaken, register_undo
from mhc.exceptions import Conflict
from relationships.models import Relationship
from relationships.services import (
    profile_get_or_create,
    relationship_create,
    relationship_remove,
    relationship_update,
)

DATE_FIELDS = ("started_at", "ended_at")


def _value(name: str, value):
    return parse_date(value) if name in DATE_FIELDS and isinstance(value, str) else value


def _relationship(event: Event) -> Relationship:
    relationship = Relationship.objects.select_related("profile__person", "related_person")
    relationship = relationship.filter(pk=event.subject_id).first() if event.subject_id.isdigit() else None
    if relationship is None:
        raise Conflict("This relationship has been removed since, so this change cannot be undone.")
    return relationship


def undo_adding(event: Event) -> None:
    relationship_remove(relationship=_relationship(event), changed_by=current_user())


def undo_change(event: Event) -> None:
    relationship = _relationship(event)
    if event.kind == "relationship.changed":
        old, new = event.data["old"], event.data["new"]
        back = {name: old[name] for name in old if old[name] != new.get(name)}
        now = {name: new[name] for name in back}
    else:
        back = {name: _value(name, value) for name, value in event.data["old"].items()}
        now = {name: _value(name, event.data["fields"][name]) for name in back}
    if any(getattr(relationship, name) != value for name, value in now.items()):
        raise overtaken(
            f"The relationship of {relationship.profile.person.username} with "
            f"{relationship.related_person.username}"
        )
    relationship_update(relationship=relationship, changed_by=current_user(), **back)


def undo_removal(event: Event) -> None:
    person, related = event_person(event), event_person(event, other=True)
    fields = {name: _value(name, value) for name, value in event.data["fields"].items()}
    profile = profile_get_or_create(person=person)
    relationship_create(profile=profile, person=related, changed_by=current_user(), **fields)


def _still_there() -> Exists:
    """True while the relationship an event changed has not been removed. Compared as text: the
    events carried over from before the event log have no subject id to cast to a number."""
    found = Relationship.objects.annotate(pk_text=Cast("pk", CharField()))
    return Exists(found.filter(pk_text=OuterRef("subject_id")))


def register() -> None:
    register_undo("relationship.added", handler=undo_adding, target=_still_there)
    register_undo("relationship.changed", "relationship.edited", handler=undo_change, target=_still_there)
    register_undo("relationship.removed", handler=undo_removal)
