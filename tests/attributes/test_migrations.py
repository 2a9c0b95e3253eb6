import pytest
from django.core.management import call_command
from django.db import connection

from attributes.derivation import DERIVED_KEYS
from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from profiles.models import Profile
from tests.factories import PersonFactory

SEEDED = [
    ("watch_list", "Watchlist", "yellow", False, False),
    ("banned_me", "Banned Me", "red", True, False),
    ("banned_by_me", "Banned User", "orange", False, False),
    ("room_banned", "Room Banned", "red", False, False),
    ("smoke_on_cam", "Smoking", "gray", False, False),
    ("leather_fetish", "Fetish Gear", "purple", False, False),
    ("had_interaction", "Interaction", "emerald", False, False),
    ("profile_smoke", "Profile Smoke", "amber", True, True),
    ("following", "Following", "sky", True, False),
]


def system_attributes():
    rows = AttributeDefinition.objects.filter(is_system=True).order_by("sort_order")
    return list(rows.values_list("key", "label", "color", "show_as_badge", "is_auto_derived"))


@pytest.mark.django_db
def test_migrate_seeds_the_system_attributes_in_their_order_labels_colours_and_display():
    assert system_attributes() == SEEDED


@pytest.mark.django_db
def test_the_keys_the_app_knows_it_derives_are_the_definitions_marked_auto_derived():
    derived = AttributeDefinition.objects.filter(is_auto_derived=True).values_list("key", flat=True)
    assert set(derived) == DERIVED_KEYS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migrations_reverse_and_apply_again_deriving_profile_smoke_for_existing_profiles():
    call_command("migrate", "attributes", "0002", verbosity=0)
    smoker = Profile.objects.create(person=PersonFactory(), smoke_drink="Sometimes / No").person
    Profile.objects.create(person=PersonFactory(), smoke_drink="No/Yes")

    call_command("migrate", "attributes", verbosity=0)
    assert list(PersonAttribute.objects.values_list("person", "attribute", "value")) == [
        (smoker.pk, "profile_smoke", True)
    ]
    assert list(
        AttributeHistory.objects.values_list("person", "attribute_key", "old_value", "new_value")
    ) == [(smoker.pk, "profile_smoke", None, True)]

    call_command("migrate", "attributes", "0002", verbosity=0)
    assert not PersonAttribute.objects.exists()
    assert not AttributeHistory.objects.exists()
    call_command("migrate", "attributes", "0001", verbosity=0)
    assert system_attributes() == []
    call_command("migrate", "attributes", "zero", verbosity=0)
    assert "attributes_attributedefinition" not in connection.introspection.table_names()

    # Everything: unapplying attributes unapplied the migrations of other apps that depend on it.
    call_command("migrate", verbosity=0)
    assert system_attributes() == SEEDED
    assert PersonAttribute.objects.get().person == smoker
