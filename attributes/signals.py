"""History of attribute values, written on every save and delete of a `PersonAttribute` so that
no write path (services, API, admin, derivation, a bare `.save()`) can skip it; and the
derivation of `profile_smoke` whenever a profile's `smoke_drink` changes.

Who made a change is read from the instance's `changed_by` (set by the services). A change is
dated by the row's new `set_at` when the writer moved it (an import may date it in the past),
otherwise now.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from attributes.models import AttributeHistory, PersonAttribute
from attributes.services import profile_smoke_derive
from profiles.models import Person, Profile
from profiles.signals import profile_changed


def remember_old_value(sender, instance: PersonAttribute, raw: bool = False, **kwargs) -> None:
    """Read the stored value before it is overwritten (None when the row is new)."""
    if raw:
        return
    instance._stored = None
    if instance.pk:
        instance._stored = PersonAttribute.objects.filter(pk=instance.pk).values("value", "set_at").first()


def record_save(sender, instance: PersonAttribute, created: bool, raw: bool = False, **kwargs) -> None:
    """A history row when the row is created, and when an update really changes the value."""
    if raw:
        return
    stored = getattr(instance, "_stored", None)
    instance._stored = None
    if stored and stored["value"] == instance.value:
        return
    moved = stored is None or stored["set_at"] != instance.set_at
    AttributeHistory.objects.create(
        person_id=instance.person_id,
        attribute_key=instance.attribute_id,
        old_value=stored["value"] if stored else None,
        new_value=instance.value,
        changed_at=instance.set_at if moved else timezone.now(),
        changed_by=instance.changed_by,
    )


def record_delete(sender, instance: PersonAttribute, origin=None, **kwargs) -> None:
    """Removing a true value is a change to false; deleting the person takes the history along."""
    if isinstance(origin, Person) or getattr(origin, "model", None) is Person or not instance.value:
        return
    AttributeHistory.objects.create(
        person_id=instance.person_id,
        attribute_key=instance.attribute_id,
        old_value=True,
        new_value=False,
        changed_by=instance.changed_by,
    )


def derive_from_profile(sender, profile: Profile, changed: frozenset, **kwargs) -> None:
    if "smoke_drink" in changed:
        profile_smoke_derive(profile=profile)


def connect() -> None:
    pre_save.connect(remember_old_value, sender=PersonAttribute, dispatch_uid="attributes-history-old")
    post_save.connect(record_save, sender=PersonAttribute, dispatch_uid="attributes-history-save")
    post_delete.connect(record_delete, sender=PersonAttribute, dispatch_uid="attributes-history-delete")
    profile_changed.connect(derive_from_profile, sender=Profile, dispatch_uid="attributes-profile-smoke")
