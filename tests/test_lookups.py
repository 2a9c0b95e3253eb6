"""`__any`: the same rows as `__in`, the values bound as one array on PostgreSQL."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.models import Person, Profile
from tests.factories import PersonFactory, ProfileFactory


@pytest.mark.django_db
def test_any_finds_the_rows_in_finds_keys_and_foreign_keys_alike():
    people = [PersonFactory() for _ in range(3)]
    wanted = {people[0].pk, people[2].pk, uuid.uuid4()}

    assert set(Person.objects.filter(pk__any=wanted)) == set(Person.objects.filter(pk__in=wanted))
    assert set(Person.objects.filter(username__any=[people[1].username])) == {people[1]}


@pytest.mark.django_db
def test_any_of_nothing_matches_nothing_without_asking_the_database():
    PersonFactory()
    with CaptureQueriesContext(connection) as queries:
        assert list(Person.objects.filter(pk__any=[])) == []
        assert Person.objects.filter(pk__any=set()).update(username="x") == 0
    assert len(queries) == 0


@pytest.mark.django_db
def test_any_binds_one_parameter_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("elsewhere `__any` is `__in`")
    keys = [uuid.uuid4() for _ in range(500)]
    sql, params = Person.objects.filter(pk__any=keys).query.sql_with_params()
    assert "= ANY(%s::uuid[])" in sql
    assert params == ("{" + ",".join(str(key) for key in keys) + "}",)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "display_name",
    [
        "plain_name",
        "with,comma",
        'with"quote',
        "with space",
        "with{brace}",
        "back\\slash",
        "NULL",
        "null",
        "",
    ],
)
def test_any_matches_values_that_an_array_must_quote(display_name):
    profile, other = ProfileFactory(display_name=display_name), ProfileFactory(display_name="Someone else")

    assert list(Profile.objects.filter(display_name__any=[display_name])) == [profile]
    assert set(Profile.objects.filter(display_name__any=[display_name, other.display_name])) == {
        profile,
        other,
    }


@pytest.mark.django_db
def test_any_finds_a_uuid_in_a_text_column_as_in_does():
    key = uuid.uuid4()
    profile, _ = ProfileFactory(display_name=str(key)), ProfileFactory(display_name=key.hex)

    assert list(Profile.objects.filter(display_name__any=[key])) == [profile]
    assert list(Profile.objects.filter(display_name__in=[key])) == [profile]


@pytest.mark.django_db
def test_any_of_one_string_is_refused_rather_than_read_as_its_letters():
    PersonFactory(username="b")

    with pytest.raises(TypeError, match="collection of values"):
        list(Person.objects.filter(username__any="bob"))
