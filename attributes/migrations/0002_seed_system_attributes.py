"""The system attributes, in the order, with the labels, colours and display the app started with."""

from django.db import migrations

SYSTEM_ATTRIBUTES = [
    # key, label, colour, shown as a badge, derived by the app
    ("watch_list", "Watchlist", "yellow", False, False),
    ("banned_me", "Banned Me", "red", True, False),
    ("banned_by_me", "Banned User", "orange", False, False),
    ("room_banned", "Room Banned", "red", False, False),
    ("smoke_on_cam", "Smoking", "gray", False, False),
    ("leather_fetish", "Fetish Gear", "purple", False, False),
    ("had_interaction", "Interaction", "emerald", False, False),
    ("profile_smoke", "Profile Smoke", "amber", True, True),
]
DESCRIPTIONS = {"profile_smoke": "Set by the app when the profile's smoke / drink says they smoke."}


def seed(apps, schema_editor):
    AttributeDefinition = apps.get_model("attributes", "AttributeDefinition")
    for order, (key, label, color, badge, derived) in enumerate(SYSTEM_ATTRIBUTES, start=1):
        AttributeDefinition.objects.update_or_create(
            key=key,
            defaults={
                "label": label,
                "color": color,
                "show_as_badge": badge,
                "is_auto_derived": derived,
                "is_system": True,
                "sort_order": order,
                "description": DESCRIPTIONS.get(key, ""),
            },
        )


def unseed(apps, schema_editor):
    AttributeDefinition = apps.get_model("attributes", "AttributeDefinition")
    AttributeDefinition.objects.filter(key__in=[key for key, *_ in SYSTEM_ATTRIBUTES]).delete()


class Migration(migrations.Migration):
    dependencies = [("attributes", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
