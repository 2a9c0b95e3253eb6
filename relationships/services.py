"""Every write to relationships. Each one writes its history row in the same transaction.

The original system's names: `set_relationship` is `relationship_set` (create or update); `change_type` is
`relationship_change_type`; `remove_relationship` is `relationship_remove`. `relationship_create`
(create only, 409 on a duplicate) serves the API's POST and the page's add form, and
`relationship_update` changes any editable field (PATCH). Reads (`get_relationships`,
`get_history`, the filters) are in `relationships.selectors`.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from events.services import event_record, json_value
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person, Profile
from profiles.services import person_get_or_create, profile_update
from relationships.models import (
    SELF_RELATIONSHIP_MESSAGE,
    TRACKED_CHOICES,
    Relationship,
    RelationshipHistory,
    RelationshipType,
    Status,
    Tier,
    allowed_values_message,
)

RELATIONSHIP_EDITABLE_FIELDS = ("type", "tier", "status", "notes", "started_at", "ended_at")
ChangedBy = AbstractBaseUser | AnonymousUser | None  # who made a change: the request's user, or None


def profile_get_or_create(*, person: Person) -> Profile:
    """The person's profile, created empty through the profiles service if they have none yet
    (a relationship hangs on a profile)."""
    return getattr(person, "profile", None) or profile_update(person=person)


def owner_profile_get_or_create() -> Profile:
    """The owner's profile (`MHC_OWNER_USERNAME`), creating the person and profile if missing."""
    owner, _ = person_get_or_create(username=settings.MHC_OWNER_USERNAME, role=Person.Role.VIEWER)
    return profile_get_or_create(person=owner)


def _check_choices(values: dict[str, Any]) -> None:
    errors = {
        name: allowed_values_message(name.capitalize(), choices)
        for name, choices in TRACKED_CHOICES.items()
        if name in values and values[name] not in choices.values
    }
    if errors:
        raise ValidationError(errors)


def _duplicate_message(relationship: Relationship) -> str:
    return (
        f"{relationship.profile.person.username} already has {relationship.related_person.username} "
        f"as {RelationshipType(relationship.type).label}."
    )


EVENT_KINDS = {
    RelationshipHistory.Action.CREATED: "relationship.added",
    RelationshipHistory.Action.CHANGED: "relationship.changed",
    RelationshipHistory.Action.REMOVED: "relationship.removed",
}


def _record(
    relationship: Relationship,
    *,
    action: str,
    old: dict[str, str],
    new: dict[str, str],
    changed_by: ChangedBy,
    why: str = "",
) -> RelationshipHistory:
    owner, related = relationship.profile.person, relationship.related_person
    history = RelationshipHistory.objects.create(
        profile_id=relationship.profile_id,
        related_person_id=relationship.related_person_id,
        action=action,
        changed_by=changed_by if changed_by is not None and changed_by.is_authenticated else None,
        **{f"old_{name}": value for name, value in old.items()},
        **{f"new_{name}": value for name, value in new.items()},
    )
    event_record(
        kind=EVENT_KINDS[action],
        summary=f"Relationship {owner.username} → {related.username}: {history.text}",
        person=owner,
        other=related,
        subject=("relationships.relationship", relationship.pk),
        data={"old": old, "new": new, "fields": _fields(relationship)},
        why=why,
    )
    return history


def _snapshot(relationship: Relationship) -> dict[str, str]:
    return {name: getattr(relationship, name) for name in TRACKED_CHOICES}


def _fields(relationship: Relationship) -> dict[str, str | None]:
    """Every editable field as it is now, for the event: what re-creating a removed one needs."""
    return {name: json_value(getattr(relationship, name)) for name in RELATIONSHIP_EDITABLE_FIELDS}


def _validate(relationship: Relationship) -> None:
    """The model's own rules (fields, clean(), constraints) but the uniqueness of (profile, person,
    type), which the callers have checked already to answer it with a Conflict."""
    relationship.full_clean(validate_constraints=False)
    relationship.validate_constraints(exclude={"profile", "related_person", "type"})


@transaction.atomic
def relationship_create(
    *,
    profile: Profile,
    person: Person,
    type: str,
    tier: str = Tier.TIER1,
    status: str = Status.ACTIVE,
    notes: str = "",
    started_at: date | None = None,
    ended_at: date | None = None,
    changed_by: ChangedBy = None,
    why: str = "",
) -> Relationship:
    """Record that `profile` has `person` as `type`. A duplicate (same profile, person and type)
    is a Conflict; a bad type, tier or status is a ValidationError listing the allowed values."""
    _check_choices({"type": type, "tier": tier, "status": status})
    if profile.person_id == person.pk:
        raise ValidationError(SELF_RELATIONSHIP_MESSAGE)
    relationship = Relationship(
        profile=profile,
        related_person=person,
        type=type,
        tier=tier,
        status=status,
        notes=notes,
        started_at=started_at,
        ended_at=ended_at,
    )
    if Relationship.objects.filter(profile=profile, related_person=person, type=type).exists():
        raise Conflict(_duplicate_message(relationship))
    _validate(relationship)
    relationship.save()
    _record(
        relationship,
        action=RelationshipHistory.Action.CREATED,
        old={},
        new=_snapshot(relationship),
        changed_by=changed_by,
        why=why,
    )
    return relationship


@transaction.atomic
def relationship_record(
    *, person: Person | None, username: str, changed_by: ChangedBy = None, **fields: Any
) -> Relationship:
    """`relationship_create` on `person`'s profile (the owner's when None) with the related
    person named by username; the related person and either profile are created when missing.
    All or nothing: a refused add leaves no new person or profile behind."""
    related, _ = person_get_or_create(username=username)
    profile = profile_get_or_create(person=person) if person else owner_profile_get_or_create()
    return relationship_create(profile=profile, person=related, changed_by=changed_by, **fields)


@transaction.atomic
def relationship_update(
    *, relationship: Relationship, changed_by: ChangedBy = None, why: str = "", **changes: Any
) -> Relationship:
    """Change editable fields (`RELATIONSHIP_EDITABLE_FIELDS`) of a relationship. A change of type,
    tier or status writes one history row; a new type the pair already has is a Conflict."""
    unknown = set(changes) - set(RELATIONSHIP_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be edited."))
    _check_choices(changes)
    # Read the stored row, locked, so the history's old values are the real ones.
    current = Relationship.objects.select_for_update().select_related("profile__person", "related_person")
    current = current.get(pk=relationship.pk)
    old = _snapshot(current)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return current
    before = {name: getattr(current, name) for name in changed}
    for name in changed:
        setattr(current, name, changes[name])
    if "type" in changed:
        duplicate = Relationship.objects.filter(
            profile_id=current.profile_id, related_person_id=current.related_person_id, type=current.type
        )
        if duplicate.exists():
            raise Conflict(_duplicate_message(current))
    _validate(current)
    current.save(update_fields=[*changed, "updated_at"])
    new = _snapshot(current)
    if old != new:
        _record(
            current,
            action=RelationshipHistory.Action.CHANGED,
            old=old,
            new=new,
            changed_by=changed_by,
            why=why,
        )
    else:
        owner, related, label = current.profile.person, current.related_person, current.get_type_display()
        fields = ", ".join(changed)
        event_record(
            kind="relationship.edited",
            summary=f"Relationship {owner.username} → {related.username} ({label}): {fields} edited",
            person=owner,
            other=related,
            subject=current,
            data={"old": {name: json_value(before[name]) for name in changed}, "fields": _fields(current)},
            why=why,
        )
    return current


def relationship_change_type(
    *, relationship: Relationship, type: str, changed_by: ChangedBy = None, why: str = ""
) -> Relationship:
    """Make a relationship another type (friend → dom …), keeping its tier, status and notes."""
    return relationship_update(relationship=relationship, type=type, changed_by=changed_by, why=why)


@transaction.atomic
def relationship_set(
    *,
    profile: Profile,
    person: Person,
    type: str,
    tier: str | None = None,
    status: str | None = None,
    notes: str | None = None,
    started_at: date | None = None,
    changed_by: ChangedBy = None,
    why: str = "",
) -> tuple[Relationship, bool]:
    """Create the (profile, person, type) relationship, or update the one that exists with the
    values given (None leaves a value as it is). Returns (relationship, created)."""
    _check_choices({"type": type})
    given = {"tier": tier, "status": status, "notes": notes, "started_at": started_at}
    given = {name: value for name, value in given.items() if value is not None}
    existing = Relationship.objects.filter(profile=profile, related_person=person, type=type).first()
    if existing is not None:
        return relationship_update(relationship=existing, changed_by=changed_by, why=why, **given), False
    created = relationship_create(
        profile=profile, person=person, type=type, changed_by=changed_by, why=why, **given
    )
    return created, True


@transaction.atomic
def relationship_remove(*, relationship: Relationship, changed_by: ChangedBy = None, why: str = "") -> None:
    """Remove a relationship. Its history stays, with a last row saying it was removed."""
    current = Relationship.objects.select_for_update().select_related("profile__person", "related_person")
    current = current.filter(pk=relationship.pk).first()
    if current is None:
        return
    _record(
        current,
        action=RelationshipHistory.Action.REMOVED,
        old=_snapshot(current),
        new={},
        changed_by=changed_by,
        why=why,
    )
    current.delete()


@transaction.atomic
def relationships_add_for_people(
    *, people: list[Person], type: str, tier: str | None = None, changed_by: ChangedBy = None, why: str = ""
) -> int:
    """The directory's bulk edit: the owner has each of `people` as `type`, all or nothing. With
    a `tier`, one that exists already takes it; without, it keeps its own and a new one starts at
    tier 1. Each change is its own history row and event. The owner themself is skipped.
    Returns how many were added or changed."""
    new_tier = tier or Tier.TIER1
    _check_choices({"type": type, "tier": new_tier})
    profile = owner_profile_get_or_create()
    held = dict(
        Relationship.objects.filter(profile=profile, type=type, related_person__in=people).values_list(
            "related_person_id", "tier"
        )
    )
    changed = 0
    for person in people:
        if person.pk == profile.person_id or (person.pk in held and tier in (None, held[person.pk])):
            continue  # the owner themself, or already so
        relationship_set(
            profile=profile, person=person, type=type, tier=new_tier, changed_by=changed_by, why=why
        )
        changed += 1
    return changed
