"""Every write to people and profiles."""

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from events.services import event_record, json_value
from mhc.exceptions import Conflict, ValidationError
from profiles.merging.services import person_merge, person_merge_preview, person_merge_undo
from profiles.models import (
    PROFILE_EDITABLE_FIELDS,
    AlternateAccount,
    FormerUsername,
    Person,
    Profile,
    SectionPreference,
    validate_tags,
)
from profiles.signals import profile_changed
from profiles.usernames import normalize_username

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def _former_name_holder(username: str, platform: str) -> Person | None:
    """The person who had `username` before a rename, or None."""
    former = (
        FormerUsername.objects.filter(username=username, platform=platform).select_related("person").first()
    )
    return former.person if former is not None else None


def person_get_or_create(
    *,
    username: str,
    platform: str = Person.DEFAULT_PLATFORM,
    role: str | None = None,
    seen_at: datetime | None = None,
) -> tuple[Person, bool]:
    """The person with this username, created (role unknown unless given, first and last seen at
    `seen_at` or now) if nobody has seen them. A former username finds the person who had it:
    a name someone was renamed from is not a new person (see `person_rename`).

    Safe under concurrency: two requests creating the same person both get the one row.
    """
    username = normalize_username(username)
    seen_at = seen_at or timezone.now()
    if (person := Person.objects.filter(username=username, platform=platform).first()) is not None:
        return person, False
    if (holder := _former_name_holder(username, platform)) is not None:
        return holder, False
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
def person_create(
    *,
    username: str,
    role: str = Person.Role.UNKNOWN,
    platform: str = Person.DEFAULT_PLATFORM,
    why: str = "",
    **profile_fields: Any,
) -> Person:
    """Add someone by hand (the directory's "Add person"): a person with this role and, when any
    profile fields are given, their profile. A username already taken, or someone's former
    username (which finds them everywhere in the app), is a Conflict; a bad username, role or
    field is a ValidationError, and nothing is created."""
    username = normalize_username(username)
    if role not in Person.Role.values:
        raise ValidationError({"role": f"Role must be one of: {', '.join(Person.Role.values)}."})
    if Person.objects.filter(username=username, platform=platform).exists():
        raise Conflict(f"{username} is already in the app.")
    if (holder := _former_name_holder(username, platform)) is not None:
        raise Conflict(
            f"{username} is a former name of {holder.username}, who is in the app already. If "
            f"someone new uses it now, add them under another name and rename them to {username}, "
            "taking the former name."
        )
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
    """Tags trimmed (of a leading "#" too: the page shows one), lower-cased and each kept once
    (the model's validator checks social links)."""
    try:
        validate_tags(tags)
    except ValidationError as error:
        raise ValidationError({"tags": error.messages}) from None
    seen: dict[str, None] = {}
    for tag in tags:
        if tag := tag.strip().lstrip("#").strip():
            seen.setdefault(tag.lower()[:64], None)
    return list(seen)


def section_preference_set(*, user: "AbstractBaseUser", section_key: str, is_open: bool) -> SectionPreference:
    """Remember whether this user keeps a profile-page section open."""
    preference, _ = SectionPreference.objects.update_or_create(
        user=user, section_key=section_key, defaults={"is_open": is_open}
    )
    return preference


# Identity over time: renames, former usernames and alternate accounts. Merges are in
# profiles.merging.services (re-exported here, so every write to people is found here).
__all__ = ["person_merge", "person_merge_preview", "person_merge_undo"]


def _person_locked(person: Person) -> Person:
    """The person's row, locked until the transaction ends, as it is now."""
    try:
        return Person.objects.select_for_update().get(pk=person.pk)
    except Person.DoesNotExist:
        raise Conflict(f"{person.username} no longer exists (merged or removed meanwhile).") from None


def former_username_add(
    *,
    person: Person,
    username: str,
    used_from: datetime | None = None,
    used_until: datetime | None = None,
) -> FormerUsername:
    """Record that `person` went by `username` before (e.g. from an imported username history).

    Adding a name the person already has as a former one just fills in dates it lacked. A name
    someone else goes by now, or had before, is a Conflict; the person's current name is a
    ValidationError. Dates are optional (`used_until` not before `used_from`).
    """
    username = normalize_username(username)
    if username == person.username:
        raise ValidationError({"username": f"{username} is {person.username}'s current name."})
    if used_from and used_until and used_until < used_from:
        raise ValidationError({"used_until": "A name cannot stop being used before it was first used."})
    with transaction.atomic():
        if Person.objects.filter(username=username, platform=person.platform).exists():
            raise Conflict(f"Somebody else is called {username} now.")
        former = (
            FormerUsername.objects.select_for_update()
            .filter(username=username, platform=person.platform)
            .first()
        )
        if former is not None and former.person_id != person.pk:
            raise Conflict(f"{username} is already a former name of someone else.")
        if former is None:
            former = FormerUsername.objects.create(
                person=person,
                username=username,
                platform=person.platform,
                used_from=used_from,
                used_until=used_until,
            )
            event_record(
                kind="person.former_username_added",
                summary=f"{person.username} was formerly called {username}",
                person=person,
                subject=former,
                data={"username": username},
            )
            return former
        former.used_from = former.used_from or used_from
        former.used_until = former.used_until or used_until
        former.full_clean(exclude=["person"])
        former.save(update_fields=["used_from", "used_until"])
        return former


@transaction.atomic
def person_rename(*, person: Person, new_username: str, take_former: bool = False, why: str = "") -> Person:
    """Give a person a new username; the old one becomes a former username, so old links and
    searches still lead to them.

    Someone else's current name is a Conflict. Someone else's former name is a Conflict unless
    `take_former` is given: then it stops being theirs (both activity logs say so). Going back
    to one of the person's own former names simply takes it back. Media files keep their keys.
    """
    new_username = normalize_username(new_username)
    person = _person_locked(person)
    old_username = person.username
    if new_username == old_username:
        raise ValidationError({"new_username": f"{old_username} is already called {new_username}."})
    if Person.objects.filter(username=new_username, platform=person.platform).exists():
        raise Conflict(f"Somebody else is called {new_username}; merge the two people instead.")
    taken = (
        FormerUsername.objects.select_for_update()
        .filter(username=new_username, platform=person.platform)
        .first()
    )
    if taken is not None and taken.person_id != person.pk:
        if not take_former:
            raise Conflict(
                f"{new_username} is a former name of {taken.person.username}; "
                "to give it to this person, take the name even if it is someone else's former name "
                '("take_former": true in the API).'
            )
        event_record(
            kind="person.former_username_taken",
            summary=f"{person.username} took the former name {new_username} of {taken.person.username}",
            person=taken.person,
            other=person,
            subject=taken,
            data={"username": new_username},
            why=why,
        )
    if taken is not None:
        taken.delete()
    now = timezone.now()
    latest = (
        FormerUsername.objects.filter(person=person)
        .order_by("-used_until")
        .values_list("used_until", flat=True)
        .first()
    )
    used_from = latest if latest and latest <= now else person.first_seen_at
    FormerUsername.objects.create(
        person=person,
        username=old_username,
        platform=person.platform,
        used_from=min(used_from, now),
        used_until=now,
    )
    person.username = new_username
    person.save(update_fields=["username", "updated_at"])
    event_record(
        kind="person.renamed",
        summary=f"{old_username} renamed to {new_username}",
        person=person,
        subject=person,
        data={"old": old_username, "new": new_username},
        why=why,
    )
    return person


def alternate_link(
    *, person: Person, other: Person, notes: str = "", created_at: datetime | None = None
) -> AlternateAccount:
    """Record that `person` and `other` are one human with two accounts (shown on both profiles).

    The pair is stored once whatever the order; linking a linked pair again is a Conflict, a
    person with themself a ValidationError. `created_at` dates the link (e.g. from an import).
    """
    if person.pk == other.pk:
        raise ValidationError({"username": "A person cannot be their own alternate account."})
    first, second = sorted((person, other), key=lambda p: _uuid(p.pk))
    try:
        with transaction.atomic():
            link = AlternateAccount.objects.create(
                person_a=first,
                person_b=second,
                notes=(notes or "").strip(),
                created_at=created_at or timezone.now(),
            )
            event_record(
                kind="alternate.linked",
                summary=f"{person.username} and {other.username} linked as alternate accounts",
                person=person,
                other=other,
                subject=link,
                data={"notes": link.notes},
            )
    except IntegrityError:
        raise Conflict(
            f"{person.username} and {other.username} are already linked as alternate accounts."
        ) from None
    return link


@transaction.atomic
def alternate_unlink(*, person: Person, other: Person, why: str = "") -> None:
    """Remove the alternate-account link of two people (Http404 if they are not linked)."""
    first, second = sorted((person, other), key=lambda p: _uuid(p.pk))
    link = AlternateAccount.objects.filter(person_a=first, person_b=second).first()
    if link is None:
        raise Http404(f"{person.username} and {other.username} are not linked as alternate accounts.")
    link_id, notes = link.pk, link.notes
    link.delete()
    event_record(
        kind="alternate.unlinked",
        summary=f"{person.username} and {other.username} no longer linked as alternate accounts",
        person=person,
        other=other,
        subject=("profiles.alternateaccount", link_id),
        data={"notes": notes},
        why=why,
    )


def _uuid(value) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
