"""Undoing an attribute change from the history: the value goes back to what it was."""

from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KeyTextTransform

from attributes.derivation import DERIVED_KEYS
from attributes.models import AttributeDefinition, PersonAttribute
from attributes.services import attribute_set
from events.context import current_user
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
    attribute_set(person=person, key=key, value=event.data["old"], changed_by=current_user())


def _derived(event: Event) -> str:
    """Why a change of a derived attribute is never undone by itself ("" for the others): its
    value follows the data it is derived from (the history lists the two changes together)."""
    data = event.data or {}
    if data.get("key") not in DERIVED_KEYS:
        return ""
    label = data.get("label", data["key"])
    return f"{label} is derived by the app; undo the change it was derived from instead."


def _defined() -> Exists:
    """True while the attribute an event changed is still defined."""
    return Exists(AttributeDefinition.objects.filter(key=KeyTextTransform("key", OuterRef("data"))))


def register() -> None:
    register_undo("attribute.set", "attribute.cleared", handler=undo_value, refused=_derived, target=_defined)
