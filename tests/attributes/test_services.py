from datetime import timedelta

import pytest
from django.utils import timezone

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from attributes.selectors import attribute_value, attributes_of, history_of
from attributes.services import (
    attribute_set,
    attributes_set,
    definition_create,
    definition_delete,
    definition_update,
)
from mhc.exceptions import Conflict, ValidationError
from profiles.services import profile_update
from tests.factories import AttributeDefinitionFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def changes(person, key=None):
    return [(c.attribute_key, c.old_value, c.new_value) for c in history_of(person, key)][::-1]


def test_setting_an_attribute_records_who_changed_it_and_when(bare_person, owner_user):
    attribute_set(person=bare_person, key="watch_list", value=True, changed_by=owner_user)
    assert attribute_value(bare_person, "watch_list") is True
    change = AttributeHistory.objects.get(person=bare_person)
    assert (change.attribute_key, change.old_value, change.new_value) == ("watch_list", None, True)
    assert change.changed_by == owner_user
    assert timezone.now() - change.changed_at < timedelta(minutes=1)


def test_setting_the_same_value_again_adds_no_history(bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True)
    attribute_set(person=bare_person, key="watch_list", value=True)
    attributes_set(person=bare_person, values={"watch_list": True, "room_banned": False})
    assert changes(bare_person) == [("watch_list", None, True)]


def test_clearing_and_setting_again_records_each_change(bare_person):
    for value in (True, False, True):
        attribute_set(person=bare_person, key="had_interaction", value=value)
    assert changes(bare_person) == [
        ("had_interaction", None, True),
        ("had_interaction", True, False),
        ("had_interaction", False, True),
    ]
    assert PersonAttribute.objects.filter(person=bare_person).count() == 1


def test_clearing_an_attribute_never_set_changes_nothing(bare_person):
    attribute_set(person=bare_person, key="banned_me", value=False)
    assert not PersonAttribute.objects.filter(person=bare_person).exists()
    assert not AttributeHistory.objects.filter(person=bare_person).exists()


def test_a_change_can_be_dated_in_the_past(bare_person):
    when = timezone.now() - timedelta(days=30)
    attribute_set(person=bare_person, key="watch_list", value=True, at=when)
    assert history_of(bare_person).get().changed_at == when
    assert PersonAttribute.objects.get(person=bare_person).set_at == when


def test_setting_several_is_all_or_nothing_and_names_every_bad_key(bare_person):
    with pytest.raises(ValidationError) as raised:
        attributes_set(
            person=bare_person,
            values={"watch_list": True, "no_such_thing": True, "profile_smoke": True, "banned_me": "yes"},
        )
    errors = raised.value.message_dict
    assert set(errors) == {"no_such_thing", "profile_smoke", "banned_me"}
    assert "derived" in errors["profile_smoke"][0]
    assert not PersonAttribute.objects.filter(person=bare_person).exists()
    assert not AttributeHistory.objects.filter(person=bare_person).exists()


def test_setting_nothing_is_refused(bare_person):
    with pytest.raises(ValidationError):
        attributes_set(person=bare_person, values={})


def test_an_auto_derived_attribute_cannot_be_set_by_hand(bare_person):
    with pytest.raises(ValidationError, match="derived"):
        attribute_set(person=bare_person, key="profile_smoke", value=True)
    assert attribute_value(bare_person, "profile_smoke") is False


def test_profile_smoke_follows_smoke_drink_with_history(bare_person):
    profile_update(person=bare_person, smoke_drink="Sometimes / Yes")
    assert attribute_value(bare_person, "profile_smoke") is True
    profile_update(person=bare_person, location="Berlin")  # smoke_drink untouched: nothing new
    profile_update(person=bare_person, smoke_drink="Yeah/No")  # still smokes: no change
    profile_update(person=bare_person, smoke_drink="No/Yes")
    assert attribute_value(bare_person, "profile_smoke") is False
    assert changes(bare_person) == [("profile_smoke", None, True), ("profile_smoke", True, False)]
    assert all(change.changed_by is None for change in history_of(bare_person))


def test_a_new_profile_that_does_not_smoke_gets_no_value(bare_person):
    profile_update(person=bare_person, smoke_drink="No/No")
    assert not PersonAttribute.objects.filter(person=bare_person).exists()


def test_writes_outside_the_services_still_record_history(bare_person):
    """The signals see every write path, not only the services."""
    row = PersonAttribute.objects.create(person=bare_person, attribute_id="room_banned")
    row.value = False
    row.save()
    row.save()  # unchanged: nothing
    row.value = True
    row.save()
    row.delete()
    assert changes(bare_person) == [
        ("room_banned", None, True),
        ("room_banned", True, False),
        ("room_banned", False, True),
        ("room_banned", True, False),
    ]


def test_bulk_writes_that_would_skip_history_are_refused(bare_person):
    PersonAttribute.objects.create(person=bare_person, attribute_id="room_banned")
    with pytest.raises(TypeError, match="history"):
        PersonAttribute.objects.filter(person=bare_person).update(value=False)
    with pytest.raises(TypeError, match="history"):
        PersonAttribute.objects.bulk_create([PersonAttribute(person=bare_person, attribute_id="watch_list")])
    assert PersonAttribute.objects.get(person=bare_person).value is True


def test_history_is_append_only(bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True)
    change = AttributeHistory.objects.get(person=bare_person)
    change.new_value = False
    with pytest.raises(TypeError, match="append-only"):
        change.save()


def test_deleting_a_custom_attribute_removes_its_values_but_keeps_their_history(owner_user):
    tipper = definition_create(key="regular_tipper", label="Regular tipper", color="teal")
    fan, former = PersonFactory(), PersonFactory()
    attribute_set(person=fan, key="regular_tipper", value=True)
    attribute_set(person=former, key="regular_tipper", value=True)
    attribute_set(person=former, key="regular_tipper", value=False)
    definition_delete(definition=tipper, changed_by=owner_user)
    assert not AttributeDefinition.objects.filter(key="regular_tipper").exists()
    assert not PersonAttribute.objects.filter(attribute_id="regular_tipper").exists()
    assert changes(fan) == [("regular_tipper", None, True), ("regular_tipper", True, False)]
    assert history_of(fan).first().changed_by == owner_user
    assert history_of(fan).first().label is None  # the definition is gone; the key stays
    assert changes(former) == [("regular_tipper", None, True), ("regular_tipper", True, False)]


def test_system_attributes_cannot_be_deleted(bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True)
    with pytest.raises(Conflict, match="system attribute"):
        definition_delete(definition=AttributeDefinition.objects.get(key="watch_list"))
    assert attribute_value(bare_person, "watch_list") is True


def test_deleting_a_person_takes_their_values_and_history_along(bare_person):
    attribute_set(person=bare_person, key="watch_list", value=True)
    bare_person.delete()
    assert not PersonAttribute.objects.exists()
    assert not AttributeHistory.objects.exists()


def test_deleting_the_user_who_made_a_change_keeps_the_change():
    user, person = UserFactory(), PersonFactory()
    attribute_set(person=person, key="watch_list", value=True, changed_by=user)
    user.delete()
    assert history_of(person).get().changed_by is None


def test_a_new_custom_attribute_is_placed_last_with_a_lower_case_key():
    created = definition_create(key=" Good_Cam ", label="Good cam quality", color="blue")
    assert created.key == "good_cam"
    assert [d.key for d in AttributeDefinition.objects.all()][-1] == "good_cam"
    assert not created.is_system
    assert not created.is_auto_derived


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"key": "2fast", "label": "Fast"}, "key"),
        ({"key": "has space", "label": "Space"}, "key"),
        ({"key": "ok_key", "label": ""}, "label"),
        ({"key": "ok_key", "label": "Ok", "color": "chartreuse"}, "color"),
    ],
)
def test_a_bad_definition_is_refused_naming_the_field(fields, field):
    with pytest.raises(ValidationError) as raised:
        definition_create(**fields)
    assert field in raised.value.message_dict
    assert not AttributeDefinition.objects.filter(is_system=False).exists()


def test_a_duplicate_key_is_a_conflict():
    with pytest.raises(Conflict):
        definition_create(key="watch_list", label="Again")


def test_updating_a_definition_changes_how_it_looks_but_never_its_key_or_kind():
    custom = AttributeDefinitionFactory(key="good_cam")
    definition_update(definition=custom, label="Great cam", color="pink", show_as_badge=True)
    custom.refresh_from_db()
    assert (custom.label, custom.color, custom.show_as_badge) == ("Great cam", "pink", True)
    for change in ({"key": "other"}, {"is_system": True}, {"is_auto_derived": True}):
        with pytest.raises(ValidationError):
            definition_update(definition=custom, **change)
    with pytest.raises(ValidationError):
        definition_update(definition=custom, color="chartreuse")


def test_every_attribute_is_listed_in_order_with_this_persons_value(bare_person):
    AttributeDefinitionFactory(key="good_cam", sort_order=100)
    attribute_set(person=bare_person, key="banned_me", value=True)
    attribute_set(person=bare_person, key="good_cam", value=True)
    attribute_set(person=bare_person, key="good_cam", value=False)
    listed = attributes_of(bare_person)
    assert [a.key for a in listed] == [
        "watch_list",
        "banned_me",
        "banned_by_me",
        "room_banned",
        "smoke_on_cam",
        "leather_fetish",
        "had_interaction",
        "profile_smoke",
        "following",
        "good_cam",
    ]
    values = {a.key: a.value for a in listed}
    assert values["banned_me"] is True
    assert values["good_cam"] is False
    assert values["watch_list"] is False
    assert {a.key for a in listed if a.set_at} == {"banned_me", "good_cam"}
    assert attributes_of(PersonFactory())[1].value is False  # another person's values don't leak
