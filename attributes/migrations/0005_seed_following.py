"""The `following` system attribute: people the owner follows on the platform, whose live shows
the live-screenshot job captures."""

from django.db import migrations

KEY = "following"


def seed(apps, schema_editor):
    AttributeDefinition = apps.get_model("attributes", "AttributeDefinition")
    definition, created = AttributeDefinition.objects.get_or_create(
        key=KEY,
        defaults={
            "label": "Following",
            "color": "sky",
            "icon": "★",
            "show_as_badge": True,
            "sort_order": 9,
            "description": "You follow them: the live-screenshot job keeps a picture of their shows.",
        },
    )
    if not definition.is_system:
        # New, or an attribute of the owner's own with this key: it becomes the system one, and
        # whoever has it keeps it.
        definition.is_system = True
        definition.save(update_fields=["is_system"])


def unseed(apps, schema_editor):
    # Rolling back keeps the attribute and who has it: it only stops being a system attribute.
    AttributeDefinition = apps.get_model("attributes", "AttributeDefinition")
    AttributeDefinition.objects.filter(key=KEY).update(is_system=False)


class Migration(migrations.Migration):
    dependencies = [("attributes", "0004_sort_order_range")]

    operations = [migrations.RunPython(seed, unseed)]
