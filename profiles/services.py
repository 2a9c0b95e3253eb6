"""Every write to people and profiles."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.services import event_record, json_value
from mhc.exceptions import Conflict, ValidationError
from profiles.models import Person, Profile, SectionPreference, validate_tags
from profiles.signals import profile_changed
from profiles.usernames import normalize_username

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

PROFILE_EDITABLE_FIELDS = (
    "display_name",
    "bio",
    "location",
    "age",
    "gender",
    "smoke_drink",
    "followers",
    "rank",
    "last_broadcast_at",
    "tags",
    "social_links",
)


def person_get_or_create(
    *,
    username: str,
    platform: str = Person.DEFAULT_PLATFORM,
    role: str | None = None,
    seen_at: datetime | None = None,
) -> tuple[Person, bool]:
    """The person with this username, created (role unknown unless given, first and last seen at
    `seen_at` or now) if nobody has seen them.

    Safe under concurrency: two requests creating the same person both get the one row.
    """
    username = normalize_username(username)
    seen_at = seen_at or timezone.now()
    defaults = {"role": role or Person.Role.UNKNOWN, "first_seen_at": seen_at, "last_seen_at": seen_at}
    try:
        with transaction.atomic():
            person, created = Person.objects.get_or_create(
                username=username, platform=platform, defaults=defaults
            )
            if created:
                event_record(kind="person.added", summary=f"{username} added", person=person, subject=person)
            return person, created
    except IntegrityError:
        return Person.objects.get(username=username, platform=platform), False


@transaction.atomic
@transaction.atomic
def person_create(
    *,
    username: str,
    role: str = Person.Role.UNKNOWN,
    platform: str = Person.DEFAULT_PLATFORM,
    why: str = "",
    **profile_fields: Any,
) -> Person:
    """Add someone by hand (the directory's "Add person"): a person with this role and, when any
    profile fields are given, their profile. A username already taken is a Conflict; a bad
    username, role or field is a ValidationError, and nothing is created."""
    username = normalize_username(username)
    if role not in Person.Role.values:
        raise ValidationError({"role": f"Role must be one of: {', '.join(Person.Role.values)}."})
    if Person.objects.filter(username=username, platform=platform).exists():
        raise Conflict(f"{username} is already in the app.")
    now = timezone.now()
    person = Person(username=username, platform=platform, role=role, first_seen_at=now, last_seen_at=now)
    person.save()
    event_record(
        kind="person.added", summary=f"{username} added by hand", person=person, subject=person, why=why
    )
    if profile_fields:
        profile_update(person=person, **profile_fields)
    return person


def person_update(
    *, person: Person, role: str | None = None, seen_at: datetime | None = None, why: str = ""
) -> Person:
    """Change a person's role and/or record that they were seen (moves first/last seen).
    A change of role is an event; being seen is not."""
    fields = []
    if role is not None and role != person.role:
        if role not in Person.Role.values:
            raise ValidationError({"role": f"Role must be one of: {', '.join(Person.Role.values)}."})
        old_role, person.role = person.role, role
        fields.append("role")
        event_record(
            kind="profile.edited",
            summary=f"{person.username}: role {old_role} → {role}",
            person=person,
            subject=person,
            data={"changes": {"role": {"old": old_role, "new": role}}},
            why=why,
        )
    if seen_at is not None:
        if seen_at > person.last_seen_at:
            person.last_seen_at = seen_at
            fields.append("last_seen_at")
        if seen_at < person.first_seen_at:
            person.first_seen_at = seen_at
            fields.append("first_seen_at")
    if fields:
        person.save(update_fields=[*fields, "updated_at"])
    return person


@transaction.atomic
def profile_update(*, person: Person, why: str = "", **changes: Any) -> Profile:
    """Set editable fields of the person's profile, creating the profile on first write.

    Only `PROFILE_EDITABLE_FIELDS` may be given; values are validated by the model. Other apps
    hear about the fields that really changed through `profile_changed`; the change is one
    "profile.edited" event holding each field's old and new value (what an undo puts back).
    """
    unknown = set(changes) - set(PROFILE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be edited."))
    profile, created = Profile.objects.select_for_update().get_or_create(person=person)
    changed = {name for name, value in changes.items() if getattr(profile, name) != value}
    old = {name: getattr(profile, name) for name in changed}
    for name in changed:
        setattr(profile, name, changes[name])
    if "tags" in changed:
        profile.tags = _clean_tags(profile.tags)
    changed = {name for name in changed if getattr(profile, name) != old[name]}
    if changed or created:
        profile.full_clean(exclude=["person"])
        profile.save()
        person.profile = profile
        profile_changed.send(sender=Profile, profile=profile, changed=frozenset(changed))
    if changed:
        _record_profile_edit(
            person, {name: (old[name], getattr(profile, name)) for name in sorted(changed)}, why
        )
    return profile


def _record_profile_edit(person: Person, changes: dict[str, tuple[Any, Any]], why: str) -> None:
    labels = ", ".join(Profile._meta.get_field(name).verbose_name for name in changes)
    event_record(
        kind="profile.edited",
        summary=f"{person.username}: {labels} edited",
        person=person,
        subject=person,
        data={
            "changes": {
                name: {"old": json_value(a), "new": json_value(b)} for name, (a, b) in changes.items()
            }
        },
        why=why,
    )


@transaction.atomic
def person_profile_update(
    *, person: Person, role: str | None = None, why: str = "", **changes: Any
) -> Profile:
    """Change a person's role and profile fields together: all of it, or (on bad input) none."""
    person_update(person=person, role=role, why=why)
    return profile_update(person=person, why=why, **changes)


def _clean_tags(tags: Any) -> list[str]:
    """Tags trimmed, lower-cased and each kept once (the model's validator checks social links)."""
    try:
        validate_tags(tags)
    except ValidationError as error:
        raise ValidationError({"tags": error.messages}) from None
    seen: dict[str, None] = {}
    for tag in tags:
        if tag.strip():
            seen.setdefault(tag.strip().lower()[:64], None)
    return list(seen)


def section_preference_set(*, user: "AbstractBaseUser", section_key: str, is_open: bool) -> SectionPreference:
    """Remember whether this user keeps a profile-page section open."""
    preference, _ = SectionPreference.objects.update_or_create(
        user=user, section_key=section_key, defaults={"is_open": is_open}
    )
    return preference
