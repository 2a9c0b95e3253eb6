"""Paging every list endpoint shares: ?limit=&offset=, with a clear 400 for values that are not."""

import pytest

from profiles.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=1.5", "limit"),
        ("offset=null", "offset"),
        ("offset=-1", "offset"),
    ],
)
def test_a_limit_or_offset_that_is_no_whole_number_is_a_400_naming_it(api_client, query, named):
    response = api_client.get(f"/api/people?{query}")
    assert response.status_code == 400
    assert named in response.json()["errors"]


def test_paging_pages_and_an_empty_value_is_refused_as_the_schema_says(api_client):
    PersonFactory.create_batch(3)
    first = api_client.get("/api/people?limit=2").json()
    assert (first["count"], len(first["results"])) == (3, 2)
    assert first["next"]
    rest = api_client.get("/api/people?limit=2&offset=2").json()
    assert len(rest["results"]) == 1
    assert len(api_client.get("/api/people").json()["results"]) == 3
    empty = api_client.get("/api/people?limit=&offset=")
    assert empty.status_code == 400
    assert set(empty.json()["errors"]) == {"limit"}


def test_a_limit_above_the_largest_page_gives_the_largest_page(api_client):
    Person.objects.bulk_create(Person(username=f"person_{n:04}") for n in range(501))
    body = api_client.get("/api/people?limit=100000").json()
    assert len(body["results"]) == 500
    assert "limit=500" in body["next"]


def test_the_schema_gives_the_smallest_limit_and_offset(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/people"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["offset"]["schema"]["minimum"] == 0
