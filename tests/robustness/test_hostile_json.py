"""Hostile JSON bodies get a 400 with the error body on every JSON endpoint, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    ("post", "/api/collaborations/groups"),
    ("post", "/api/attributes/definitions"),
    ("patch", "/api/profile/{username}"),
    ("patch", "/api/profile/{username}/attributes"),
    ("post", "/api/profile/{username}/notes"),
    ("post", "/api/profile/{username}/relationships"),
    ("post", "/api/profile/{username}/collaborations"),
    ("post", "/api/profile/{username}/media"),
    ("post", "/api/notes/preview"),
]

BODIES = {
    "nested 1,000 deep": "[" * 1000 + "]" * 1000,
    "nested 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "nested 33 deep": "[" * 33 + "]" * 33,
    "NaN": '{"usernames": NaN}',
    "a 10,000-digit number": '{"age": ' + "9" * 10_000 + "}",
    "not UTF-8": b'{"notes": "\xff\xfe"}',
    "truncated": '{"usernames": ["a", ',
}


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("name", list(BODIES))
def test_hostile_json_is_a_400(api_client, person, method, url, name):
    body = BODIES[name]
    response = getattr(api_client, method)(
        url.format(username=person.username),
        data=body if isinstance(body, bytes) else body.encode(),
        content_type="application/json",
    )
    assert response.status_code == 400, (name, response.status_code)
    assert "JSON parse error" in response.json()["detail"]


def test_json_nested_as_deep_as_allowed_is_read(api_client, person):
    nested = "[" * 31 + "]" * 31
    response = api_client.post(
        "/api/collaborations/groups", data=f'{{"usernames": {nested}}}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "usernames.0" in response.json()["errors"]  # read, then refused by the serializer
