"""Undoing a profile edit from the history: each edited field goes back to its old value."""

from django.utils.dateparse import parse_datetime

from events.models import Event
from events.services import json_value
from events.undo import event_person, overtaken, register_undo
from profiles.models import Profile
from profiles.services import person_update, profile_update


def _stored(name: str, value):
    """A value as an event keeps it, back to what the model field takes."""
    if name == "last_broadcast_at" and isinstance(value, str):
        return parse_datetime(value)
    return value


def undo_profile_edit(event: Event) -> None:
    person = event_person(event)
    changes = dict(event.data["changes"])
    role = changes.pop("role", None)
    profile = getattr(person, "profile", None) or Profile(person=person)
    for name, change in changes.items():
        if json_value(getattr(profile, name)) != change["new"]:
            raise overtaken(f"{Profile._meta.get_field(name).verbose_name.capitalize()} of {person.username}")
    if role is not None:
        if person.role != role["new"]:
            raise overtaken(f"The role of {person.username}")
        person_update(person=person, role=role["old"])
    if changes:
        profile_update(
            person=person, **{name: _stored(name, change["old"]) for name, change in changes.items()}
        )


def register() -> None:
    register_undo("profile.edited", handler=undo_profile_edit)
