"""The admin and the API docs wear the app's dark theme."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "stylesheet"), [("/admin/", "mhc/admin-dark.css"), ("/api/docs/", "mhc/api-docs-dark.css")]
)
def test_admin_and_api_docs_load_the_dark_stylesheet(auth_client, url, stylesheet):
    response = auth_client.get(url)
    assert response.status_code == 200
    assert stylesheet in response.content.decode()
