"""`profile_smoke` for the profiles that exist already (later changes are derived by a signal).

Historical models send no signals, so the history row each value gets is written here.
"""

from django.db import migrations
from django.utils import timezone

from attributes.derivation import PROFILE_SMOKE, smokes


def derive(apps, schema_editor):
    Profile = apps.get_model("profiles", "Profile")
    PersonAttribute = apps.get_model("attributes", "PersonAttribute")
    AttributeHistory = apps.get_model("attributes", "AttributeHistory")
    now = timezone.now()
    profiles = Profile.objects.exclude(smoke_drink="").only("person_id", "smoke_drink")
    for profile in profiles.iterator(chunk_size=2000):
        if not smokes(profile.smoke_drink):
            continue
        _, created = PersonAttribute.objects.get_or_create(
            person_id=profile.person_id, attribute_id=PROFILE_SMOKE, defaults={"value": True, "set_at": now}
        )
        if created:
            AttributeHistory.objects.create(
                person_id=profile.person_id, attribute_key=PROFILE_SMOKE, new_value=True, changed_at=now
            )


def underive(apps, schema_editor):
    apps.get_model("attributes", "PersonAttribute").objects.filter(attribute_id=PROFILE_SMOKE).delete()
    apps.get_model("attributes", "AttributeHistory").objects.filter(attribute_key=PROFILE_SMOKE).delete()


class Migration(migrations.Migration):
    dependencies = [("attributes", "0002_seed_system_attributes"), ("profiles", "0001_initial")]

    operations = [migrations.RunPython(derive, underive)]
