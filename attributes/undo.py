"""Undoing an attribute change from the history: the value goes back to what it was."""

from attributes.models import AttributeDefinition, PersonAttribute
from attributes.services import attribute_set
from events.models import Event
from events.undo import event_person, overtaken, register_undo
from mhc.exceptions import Conflict


def undo_value(event: Event) -> None:
    person = event_person(event)
    key, label = event.data["key"], event.data.get("label", event.data["key"])
    if not AttributeDefinition.objects.filter(key=key).exists():
        raise Conflict(f"The attribute {label!r} has been deleted, so this change cannot be undone.")
    row = PersonAttribute.objects.filter(person=person, attribute_id=key).first()
    if (row.value if row else False) != event.data["new"]:
        raise overtaken(f"{label} on {person.username}")
    attribute_set(person=person, key=key, value=event.data["old"])


def register() -> None:
    register_undo("attribute.set", "attribute.cleared", handler=undo_value)
