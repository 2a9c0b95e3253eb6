import pytest

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from attributes.selectors import history_of
from attributes.services import attribute_set
from profiles.models import Person
from tests.factories import AttributeDefinitionFactory, PersonFactory
from tests.profiles.test_admin import profile_admin_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/attributes/attributedefinition/"


def test_manage_attributes_lists_every_attribute_with_swatches_and_people_counts(auth_client):
    AttributeDefinitionFactory(key="good_cam", label="Good cam quality", color="blue")
    for person in PersonFactory.create_batch(2):
        attribute_set(person=person, key="good_cam", value=True)
    html = auth_client.get(CHANGELIST).content.decode()
    assert "Manage Attributes" in html
    assert "Good cam quality" in html
    assert "Watchlist" in html
    assert "background:#60a5fa" in html  # the blue swatch
    assert "2 <a href=" in html  # two people have good_cam set


def test_creating_an_attribute_in_the_admin(auth_client):
    form = auth_client.get(f"{CHANGELIST}add/").content.decode()
    assert 'value="10"' in form  # offered the order after the nine system attributes
    response = auth_client.post(
        f"{CHANGELIST}add/",
        {"key": "good_cam", "label": "Good cam quality", "color": "blue", "sort_order": 9, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = AttributeDefinition.objects.get(key="good_cam")
    assert (created.label, created.color, created.is_system, created.show_as_badge) == (
        "Good cam quality",
        "blue",
        False,
        False,
    )


@pytest.mark.parametrize(
    ("key", "error"),
    [("watch_list", "already exists"), ("Bad Key", "lower-case"), ("", "required")],
)
def test_a_bad_key_is_shown_on_the_form(auth_client, key, error):
    response = auth_client.post(
        f"{CHANGELIST}add/", {"key": key, "label": "X", "color": "blue", "sort_order": 9}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert AttributeDefinition.objects.count() == 9


def test_the_key_cannot_be_changed_once_created(auth_client):
    custom = AttributeDefinitionFactory(key="good_cam")
    url = f"{CHANGELIST}{custom.pk}/change/"
    response = auth_client.post(url, {"key": "other", "label": "Renamed", "color": "pink", "sort_order": 3})
    assert response.status_code == 302
    custom.refresh_from_db()
    assert (custom.key, custom.label, custom.color) == ("good_cam", "Renamed", "pink")


def test_deleting_asks_with_the_number_of_people_and_keeps_history(auth_client, owner_user):
    custom = AttributeDefinitionFactory(key="good_cam", label="Good cam quality")
    people = PersonFactory.create_batch(3)
    for person in people[:2]:
        attribute_set(person=person, key="good_cam", value=True)
    attribute_set(person=people[2], key="good_cam", value=True)
    attribute_set(person=people[2], key="good_cam", value=False)
    url = f"{CHANGELIST}{custom.pk}/delete/"
    confirmation = auth_client.get(url).content.decode()
    assert "Set on 2 people" in confirmation
    assert auth_client.post(url, {"post": "yes"}).status_code == 302
    assert not AttributeDefinition.objects.filter(key="good_cam").exists()
    assert not PersonAttribute.objects.exists()
    removed = history_of(people[0]).first()
    assert (removed.old_value, removed.new_value, removed.changed_by) == (True, False, owner_user)
    assert AttributeHistory.objects.filter(attribute_key="good_cam").count() == 2 + 2 + 2


def test_system_attributes_cannot_be_deleted_in_the_admin(auth_client):
    watch_list = AttributeDefinition.objects.get(key="watch_list")
    assert auth_client.get(f"{CHANGELIST}{watch_list.pk}/delete/").status_code == 403
    assert auth_client.post(f"{CHANGELIST}{watch_list.pk}/delete/", {"post": "yes"}).status_code == 403
    change_page = auth_client.get(f"{CHANGELIST}{watch_list.pk}/change/").content.decode()
    assert "deletelink" not in change_page
    assert AttributeDefinition.objects.filter(key="watch_list").exists()


def test_the_bulk_delete_action_refuses_system_attributes(auth_client):
    custom = AttributeDefinitionFactory(key="good_cam")
    watch_list = AttributeDefinition.objects.get(key="watch_list")
    response = auth_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [custom.pk, watch_list.pk], "post": "yes"},
        follow=True,
    )
    assert "System attributes cannot be deleted: Watchlist." in response.content.decode()
    assert AttributeDefinition.objects.filter(key__in=["good_cam", "watch_list"]).count() == 2


def test_the_bulk_delete_action_deletes_custom_attributes_after_confirming(auth_client, owner_user):
    first, second = (
        AttributeDefinitionFactory(key="good_cam"),
        AttributeDefinitionFactory(key="regular_tipper"),
    )
    person = PersonFactory()
    attribute_set(person=person, key="regular_tipper", value=True)
    selection = {"action": "delete_selected", "_selected_action": [first.pk, second.pk]}
    confirmation = auth_client.post(CHANGELIST, selection).content.decode()
    assert "Set on 1 person" in confirmation
    assert "Set on 0 people" in confirmation
    auth_client.post(CHANGELIST, {**selection, "post": "yes"})
    assert not AttributeDefinition.objects.filter(key__in=["good_cam", "regular_tipper"]).exists()
    assert history_of(person).first().changed_by == owner_user


def test_history_is_browsable_read_only(auth_client, owner_user):
    person = PersonFactory(username="alex_lord_")
    attribute_set(person=person, key="watch_list", value=True, changed_by=owner_user)
    change = AttributeHistory.objects.get()
    listing = auth_client.get("/admin/attributes/attributehistory/?q=alex").content.decode()
    assert "alex_lord_" in listing
    assert "watch_list" in listing
    assert 'name="action"' not in listing  # no bulk delete
    detail = auth_client.get(f"/admin/attributes/attributehistory/{change.pk}/change/").content.decode()
    assert 'name="_save"' not in detail
    assert "deletelink" not in detail
    assert auth_client.get("/admin/attributes/attributehistory/add/").status_code == 403
    assert auth_client.get(f"/admin/attributes/attributehistory/{change.pk}/delete/").status_code == 403
    assert auth_client.post(f"/admin/attributes/attributehistory/{change.pk}/change/", {}).status_code == 403
    assert AttributeHistory.objects.get() == change


def test_deleting_a_person_in_the_admin_takes_their_attributes_and_history_along(auth_client):
    person = PersonFactory()
    attribute_set(person=person, key="watch_list", value=True)
    response = auth_client.post(f"/admin/profiles/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not AttributeHistory.objects.exists()


def test_editing_smoke_drink_in_the_profile_admin_derives_profile_smoke_with_history(auth_client, person):
    response = auth_client.post(
        f"/admin/profiles/profile/{person.profile.pk}/change/",
        profile_admin_form(person.profile, smoke_drink="Sometimes / No"),
    )
    assert response.status_code == 302
    change = history_of(person, key="profile_smoke").get()
    assert (change.old_value, change.new_value, change.changed_by) == (None, True, None)
