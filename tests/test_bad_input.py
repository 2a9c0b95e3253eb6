"""Bad input that any page or API view could receive is a clear 400, never a 500."""

import json

import pytest

from notes.models import Note

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/people?search=%00",
        "/api/people?search=al%00ex",
        "/api/profile/{username}/attributes/history?key=%00",
        "/api/relationships?%00=1",
    ],
)
def test_a_nul_in_an_api_query_string_is_a_json_400(api_client, person, url):
    response = api_client.get(url.format(username=person.username))
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/people/?q=%00", "/people/?attribute=watch%00list"])
def test_a_nul_in_a_page_query_string_is_a_400_saying_so(auth_client, url):
    response = auth_client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_an_error_quoting_a_lone_surrogate_is_json_not_a_500(api_client, person):
    body = b'{"content": "x", "category": "\\ud800"}'
    response = api_client.generic(
        "POST", f"/api/profile/{person.username}/notes", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "category" in json.loads(response.content)["errors"]
    assert not Note.objects.exists()
