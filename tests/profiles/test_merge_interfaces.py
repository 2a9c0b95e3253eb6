"""Merging through the API, the profile page and the admin."""

import pytest

from profiles.models import Person, PersonMerge
from tests.profiles.merge_helpers import database_dump, rich_pair

pytestmark = pytest.mark.django_db


def test_the_api_preview_changes_nothing_and_equals_the_merge(api_client):
    _, merge = rich_pair(size=2)
    before = database_dump()
    preview = api_client.post(
        "/api/people/merge", {"keep": "alex", "merge": "Alex_Two", "preview": True}, format="json"
    )
    assert preview.status_code == 200
    assert preview.json()["preview"] is True
    assert database_dump() == before
    merged = api_client.post("/api/people/merge", {"keep": "alex", "merge": "alex_two"}, format="json")
    assert merged.status_code == 201
    body = merged.json()
    assert body["plan"] == preview.json()["plan"]
    assert body["url"] == "/profile/alex/"
    assert not Person.objects.filter(pk=merge.pk).exists()
    assert api_client.get("/api/profile/alex_two").json()["username"] == "alex"

    undone = api_client.post(f"/api/merges/{body['id']}/undo")
    assert undone.status_code == 200
    assert undone.json()["undone_at"] is not None
    assert database_dump() == before
    again = api_client.post(f"/api/merges/{body['id']}/undo")
    assert again.status_code == 409
    assert "undone already" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"keep": "alex", "merge": "alex"}, 400),
        ({"keep": "alex", "merge": "nobody_seen"}, 400),
        ({"keep": "alex"}, 400),
        ({"keep": "alex", "merge": "alex_two", "preview": "maybe"}, 400),
    ],
)
def test_a_refused_merge_changes_nothing(api_client, body, status):
    rich_pair(size=1)
    before = database_dump()
    response = api_client.post("/api/people/merge", body, format="json")
    assert response.status_code == status
    assert "detail" in response.json()
    assert database_dump() == before


def test_undoing_an_unknown_merge_is_a_404(api_client):
    assert api_client.post("/api/merges/999999/undo").status_code == 404


def test_a_blocked_undo_says_what_blocks_it(api_client):
    rich_pair(size=1)
    merge_id = api_client.post(
        "/api/people/merge", {"keep": "alex", "merge": "alex_two"}, format="json"
    ).json()["id"]
    api_client.post("/api/profile/alex/notes", {"content": "new since"}, format="json")
    response = api_client.post(f"/api/merges/{merge_id}/undo")
    assert response.status_code == 409
    assert "notes: 1 added since the merge" in response.json()["detail"]


def test_the_merge_history_entry_on_the_page_has_an_undo_button(api_client, auth_client):
    rich_pair(size=1)
    merge_id = api_client.post(
        "/api/people/merge", {"keep": "alex", "merge": "alex_two"}, format="json"
    ).json()["id"]
    html = auth_client.get("/profile/alex/sections/identity/").content.decode()
    assert f'data-url="/api/merges/{merge_id}/undo"' in html
    assert "alex_two" in html


def test_merging_in_the_admin_previews_then_merges(auth_client):
    keep, merge = rich_pair(size=1)
    selected = {"action": "merge", "_selected_action": [str(keep.pk), str(merge.pk)]}
    first = auth_client.post("/admin/profiles/person/", selected)
    assert first.status_code == 200
    preview = auth_client.post("/admin/profiles/person/", {**selected, "keep": str(keep.pk)})
    html = preview.content.decode()
    assert "alex_two will be merged into alex" in html
    assert Person.objects.filter(pk=merge.pk).exists()
    done = auth_client.post("/admin/profiles/person/", {**selected, "keep": str(keep.pk), "confirm": "True"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=merge.pk).exists()
    record = PersonMerge.objects.get()
    assert "alex_two" in auth_client.get(f"/admin/profiles/personmerge/{record.pk}/change/").content.decode()
    undo = auth_client.post(
        "/admin/profiles/personmerge/", {"action": "undo", "_selected_action": [str(record.pk)]}
    )
    assert undo.status_code == 302
    assert Person.objects.filter(pk=merge.pk).exists()
