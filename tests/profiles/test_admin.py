import json

import pytest

from profiles.models import Person, Profile

pytestmark = pytest.mark.django_db


def profile_admin_form(profile: Profile, **changes) -> dict:
    """The Profile admin's change form as a browser posts it, with `changes`."""
    data = {
        "person": profile.person.pk,
        "display_name": profile.display_name,
        "bio": profile.bio,
        "location": profile.location,
        "age": profile.age or "",
        "gender": profile.gender,
        "smoke_drink": profile.smoke_drink,
        "followers": profile.followers or "",
        "rank": profile.rank or "",
        "last_broadcast_at_0": "",
        "last_broadcast_at_1": "",
        "tags": json.dumps(profile.tags),
        "social_links": json.dumps(profile.social_links),
    }
    return {**data, **changes}


def test_editing_a_profile_in_the_admin_goes_through_the_service(auth_client, person):
    response = auth_client.post(
        f"/admin/profiles/profile/{person.profile.pk}/change/",
        profile_admin_form(person.profile, location="Lisbon", tags=json.dumps([" Boots", "boots"])),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(pk=person.profile.pk)
    assert (profile.location, profile.tags) == ("Lisbon", ["boots"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("social_links", [{"label": "x", "url": "javascript:alert(1)"}]),
        ("social_links", {"label": "x"}),
        ("tags", [1, 2]),
    ],
)
def test_a_bad_value_in_the_profile_admin_is_shown_on_the_form_and_changes_nothing(
    auth_client, person, field, value
):
    before = Profile.objects.get(pk=person.profile.pk)
    response = auth_client.post(
        f"/admin/profiles/profile/{person.profile.pk}/change/",
        profile_admin_form(person.profile, location="Lisbon", **{field: json.dumps(value)}),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "errorlist" in response.content.decode()
    after = Profile.objects.get(pk=person.profile.pk)
    assert (after.location, after.tags, after.social_links) == (
        before.location,
        before.tags,
        before.social_links,
    )


def test_a_person_added_in_the_admin_gets_the_username_normalised(auth_client):
    response = auth_client.post(
        "/admin/profiles/person/add/",
        {
            "username": " Alex_Lord_ ",
            "platform": "chaturbate",
            "role": "model",
            "first_seen_at_0": "2025-01-02",
            "first_seen_at_1": "03:04:05",
            "last_seen_at_0": "2025-01-02",
            "last_seen_at_1": "03:04:05",
            "profile-TOTAL_FORMS": "0",
            "profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Person.objects.get().username == "alex_lord_"
