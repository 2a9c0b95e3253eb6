"""Every write to attributes.

The original system's names for them: `create_definition` → `definition_create`, `update_definition` →
`definition_update`, `delete_definition` → `definition_delete`, `set_attribute` →
`attribute_set`, `set_attributes` → `attributes_set` (all or nothing), and the `profile_smoke`
derivation → `profile_smoke_derive`. The reads (`get_*`) are in `attributes.selectors`.

History is not written here: the signals in `attributes.signals` write it on every save and
delete of a value; these services only say who made the change (`changed_by`). The event log
is: each change of a value and of a definition is an event, with the user's "why".
"""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from attributes.derivation import PROFILE_SMOKE, smokes
from attributes.models import KEY_RE, AttributeDefinition, PersonAttribute
from attributes.selectors import next_sort_order
from events.services import event_record
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person, Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser | None

DEFINITION_EDITABLE_FIELDS = ("label", "description", "color", "icon", "show_as_badge", "sort_order")


def _definition_event(definition: AttributeDefinition, verb: str, data: dict, why: str = "") -> None:
    event_record(
        kind=f"attribute.definition_{verb}",
        summary=f"Attribute {definition.label!r} ({definition.key}) {verb}",
        subject=("attributes.attributedefinition", definition.key),
        data=data,
        why=why,
    )


@transaction.atomic
def definition_create(
    *,
    key: str,
    label: str,
    color: str = "gray",
    description: str = "",
    icon: str = "",
    show_as_badge: bool = False,
    sort_order: int | None = None,
) -> AttributeDefinition:
    """A new custom attribute (never system, never auto-derived), placed last unless ordered."""
    key = (key or "").strip().lower()
    if AttributeDefinition.objects.filter(key=key).exists():
        raise Conflict(f"An attribute with the key {key!r} already exists.")
    if sort_order is None:
        sort_order = next_sort_order()
    definition = AttributeDefinition(
        key=key,
        label=label,
        color=color,
        description=description,
        icon=icon,
        show_as_badge=show_as_badge,
        sort_order=sort_order,
    )
    definition.full_clean(validate_constraints=False)  # the key's uniqueness is a conflict, above
    definition.save()
    _definition_event(definition, "created", {"label": label, "color": color})
    return definition


@transaction.atomic
def definition_update(*, definition: AttributeDefinition, **changes: Any) -> AttributeDefinition:
    """Change how an attribute looks or where it shows. Its key and kind never change."""
    fixed = set(changes) - set(DEFINITION_EDITABLE_FIELDS)
    if fixed:
        raise ValidationError(dict.fromkeys(sorted(fixed), "This cannot be changed."))
    old = {name: getattr(definition, name) for name in changes}
    for name, value in changes.items():
        setattr(definition, name, value)
    definition.full_clean(validate_unique=False, validate_constraints=False)
    if changes:
        definition.save(update_fields=list(changes))
    changed = {
        name: {"old": old[name], "new": value} for name, value in changes.items() if old[name] != value
    }
    if changed:
        _definition_event(definition, "updated", {"changes": changed})
    return definition


@transaction.atomic
def definition_delete(*, definition: AttributeDefinition, changed_by: "User" = None) -> None:
    """Delete a custom attribute and its values. Its history stays (a change to false for each
    person who had it set). System attributes are refused."""
    if definition.is_system:
        raise Conflict(f"{definition.label!r} is a system attribute and cannot be deleted.")
    for value in definition.values.select_related("person"):
        value.changed_by = changed_by
        if value.value:
            _value_event(
                value.person, definition, old=True, new=False, why=f"{definition.label!r} was deleted"
            )
        value.delete()
    _definition_event(definition, "deleted", {"label": definition.label})
    definition.delete()


def attribute_set(
    *,
    person: Person,
    key: str,
    value: bool,
    changed_by: "User" = None,
    at: datetime | None = None,
    why: str = "",
) -> None:
    """Set one attribute on a person (see `attributes_set`)."""
    attributes_set(person=person, values={key: value}, changed_by=changed_by, at=at, why=why)


@transaction.atomic
def attributes_set(
    *,
    person: Person,
    values: Mapping[str, bool],
    changed_by: "User" = None,
    at: datetime | None = None,
    why: str = "",
) -> None:
    """Set attributes on a person: all or nothing. Unknown keys, auto-derived attributes and
    values that are not booleans are refused, each named. Setting the value an attribute already
    has changes nothing (no history); `at` dates the change (default now)."""
    if not values:
        raise ValidationError("Give at least one attribute to set, as {key: true or false}.")
    # A name that is no valid key names no attribute; it is not sent to the database, which may
    # not even hold it (a NUL on PostgreSQL, a lone surrogate on SQLite).
    keys = [key for key in values if isinstance(key, str) and re.fullmatch(KEY_RE, key)]
    definitions = AttributeDefinition.objects.in_bulk(keys, field_name="key")
    errors = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[key] = f"There is no attribute {key!r}."
        elif definition.is_auto_derived:
            errors[key] = f"{definition.label!r} is derived by the app and cannot be set by hand."
        elif not isinstance(value, bool):
            errors[key] = "The value must be true or false."
    if errors:
        raise ValidationError(errors)
    # The person's row is locked first: row locks on the values alone cannot cover values not
    # stored yet, so two first sets at once both inserted (one failed the unique constraint),
    # and each writer must see the value the one before it left, for the history to chain.
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
    stored = {
        row.attribute_id: row
        for row in PersonAttribute.objects.select_for_update().filter(person=person, attribute__in=values)
    }
    for key, value in values.items():
        _write(
            person=person,
            definition=definitions[key],
            row=stored.get(key),
            value=value,
            changed_by=changed_by,
            at=at,
            why=why,
        )


def profile_smoke_derive(*, profile: Profile) -> None:
    """Recompute `profile_smoke` from the profile's smoke / drink text."""
    rows = PersonAttribute.objects.select_related("attribute")
    row = rows.filter(person_id=profile.person_id, attribute=PROFILE_SMOKE).first()
    definition = row.attribute if row else AttributeDefinition.objects.filter(key=PROFILE_SMOKE).first()
    if definition is None:
        return  # the system attribute is created by a migration; without it there is nothing to set
    _write(
        person=profile.person,
        definition=definition,
        row=row,
        value=smokes(profile.smoke_drink),
        changed_by=None,
        why="Derived from the profile's smoke / drink text.",
    )


def _value_event(
    person: Person, definition: AttributeDefinition, *, old: bool, new: bool, why: str, at=None
) -> None:
    event_record(
        kind="attribute.set" if new else "attribute.cleared",
        summary=f"{definition.label} {'set' if new else 'cleared'} on {person.username}",
        person=person,
        subject=("attributes.attributedefinition", definition.key),
        data={"key": definition.key, "label": definition.label, "old": old, "new": new},
        why=why,
        at=at,
    )


def _write(
    *,
    person: Person,
    definition: AttributeDefinition,
    row: PersonAttribute | None,
    value: bool,
    changed_by: "User",
    at: datetime | None = None,
    why: str = "",
) -> None:
    if row is None:
        if not value:
            return  # no row already reads as false
        row = PersonAttribute(person_id=person.pk, attribute_id=definition.key)
    elif row.value == value:
        return
    old = row.value if row.pk else False
    row.value = value
    row.set_at = at or timezone.now()
    row.changed_by = changed_by
    row.save()
    _value_event(person, definition, old=old, new=value, why=why, at=at)


@transaction.atomic
def attribute_set_for_people(
    *, people: list[Person], key: str, value: bool, changed_by: "User" = None, why: str = ""
) -> int:
    """The directory's bulk edit: set (or clear) one attribute on each of `people`, all or
    nothing. Each person's change is its own history row and event; returns how many changed."""
    changed = 0
    for person in people:
        before = PersonAttribute.objects.filter(person=person, attribute_id=key).values_list(
            "value", flat=True
        )
        was = bool(before.first())
        attribute_set(person=person, key=key, value=value, changed_by=changed_by, why=why)
        changed += was != value
    return changed
