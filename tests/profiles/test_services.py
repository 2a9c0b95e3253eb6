from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from profiles.models import Person, Profile
from profiles.services import person_get_or_create, person_profile_update, person_update, profile_update
from profiles.signals import profile_changed


@pytest.mark.django_db
def test_person_get_or_create_normalises_and_reuses_the_row():
    first, created = person_get_or_create(username="Alex_Lord_")
    again, created_again = person_get_or_create(username="alex_lord_")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.username == "alex_lord_"
    assert first.role == Person.Role.UNKNOWN


@pytest.mark.django_db
def test_the_database_refuses_an_upper_case_username():
    with pytest.raises(IntegrityError):
        Person.objects.create(username="Mixed")


@pytest.mark.django_db
def test_the_same_username_may_exist_on_another_platform():
    person_get_or_create(username="sam")
    _, created = person_get_or_create(username="sam", platform="stripchat")
    assert created
    assert Person.objects.filter(username="sam").count() == 2


@pytest.mark.django_db
def test_seeing_a_person_moves_first_and_last_seen_outwards(bare_person):
    later = bare_person.last_seen_at + timedelta(days=2)
    earlier = bare_person.first_seen_at - timedelta(days=30)
    person_update(person=bare_person, seen_at=later)
    person_update(person=bare_person, seen_at=earlier)
    bare_person.refresh_from_db()
    assert (bare_person.first_seen_at, bare_person.last_seen_at) == (earlier, later)


@pytest.mark.django_db
def test_an_unknown_role_is_refused(bare_person):
    with pytest.raises(ValidationError):
        person_update(person=bare_person, role="alien")


@pytest.mark.django_db
def test_profile_update_creates_the_profile_and_reports_only_real_changes(bare_person):
    heard = []

    def listener(sender, profile, changed, **kwargs):
        heard.append(changed)

    profile_changed.connect(listener)
    try:
        profile_update(person=bare_person, location="Rome", smoke_drink="Yes/No")
        profile_update(person=bare_person, location="Rome", age=40)
        profile_update(person=bare_person, location="Rome")
    finally:
        profile_changed.disconnect(listener)
    assert heard == [{"location", "smoke_drink"}, {"age"}]
    assert Profile.objects.get(person=bare_person).age == 40


@pytest.mark.django_db
def test_profile_update_refuses_bad_values_and_changes_nothing(person):
    before = Profile.objects.get(pk=person.profile.pk)
    with pytest.raises(ValidationError):
        profile_update(person=person, age=12)
    with pytest.raises(ValidationError):
        profile_update(person=person, social_links=[{"label": "x", "url": "javascript:alert(1)"}])
    with pytest.raises(ValidationError):
        profile_update(person=person, person_id=None)
    after = Profile.objects.get(pk=person.profile.pk)
    assert (after.age, after.social_links, after.updated_at) == (
        before.age,
        before.social_links,
        before.updated_at,
    )


@pytest.mark.django_db
def test_tags_are_trimmed_lower_cased_and_unique(person):
    tags = [" Leather", "leather", "BOOTS", "", "#boots", "# muscle", "#"]
    profile = profile_update(person=person, tags=tags)
    assert profile.tags == ["leather", "boots", "muscle"]


@pytest.mark.django_db
def test_last_broadcast_is_kept(person):
    when = timezone.now() - timedelta(hours=3)
    assert profile_update(person=person, last_broadcast_at=when).last_broadcast_at == when


@pytest.mark.django_db
def test_a_new_person_is_first_and_last_seen_when_given():
    when = timezone.now() - timedelta(days=10)
    person, _ = person_get_or_create(username="old_friend", seen_at=when)
    assert (person.first_seen_at, person.last_seen_at) == (when, when)


@pytest.mark.django_db
def test_a_failing_profile_edit_keeps_no_half_of_the_change(person):
    with pytest.raises(ValidationError):
        person_profile_update(person=person, role="viewer", location="Oslo", age=12)
    person.refresh_from_db()
    assert person.role == Person.Role.MODEL
    assert Profile.objects.get(person=person).location == "Berlin, Germany"
