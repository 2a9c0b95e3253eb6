"""Only the owner and the accounts the owner granted are served, checked on every URL the app has:
each resolver pattern, its path parameters filled with demo rows, for the owner, an editor, a
viewer, an ungranted account and an anonymous visitor."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import ApiToken
from attributes.models import AttributeDefinition
from collaborations.models import Collaboration
from events.models import Event
from events.undo import undoable_kinds
from media.models import MediaRecord
from mhc.demo import load_demo
from notes.models import Note
from profiles.models import AlternateAccount, PersonMerge
from profiles.sections import sections
from relationships.models import Relationship

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch", "delete")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolver: URLResolver, prefix: str = ""):
    """(route, pattern) for every URL pattern, routes as written (`profile/<username:username>/`)."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def _values() -> dict[str, str]:
    """A demo row for each kind of path parameter."""
    note = Note.objects.select_related("profile__person").first()
    relationship = Relationship.objects.select_related("profile__person").first()
    collaboration = Collaboration.objects.select_related("person_a", "person_b").first()
    alternate = AlternateAccount.objects.select_related("person_a", "person_b").first()
    # A change the history offers to undo, so that an undo reaches the code behind the check.
    event_id = Event.objects.filter(kind__in=undoable_kinds()).values_list("id", flat=True).first()
    assert event_id is not None, "the demo records no change that can be undone"
    return {
        "username": collaboration.person_a.username,
        "collaborator_username": collaboration.person_b.username,
        "media_id": str(MediaRecord.objects.values_list("id", flat=True).first()),
        "note_id": str(note.id),
        "note_username": note.profile.person.username,
        "pk": str(relationship.id),
        "relationship_username": relationship.profile.person.username,
        "definition_key": AttributeDefinition.objects.values_list("key", flat=True).first(),
        "section_key": sections.all()[0].key,
        "token_id": str(ApiToken.objects.values_list("public_id", flat=True).first()),
        "alternate_username": alternate.person_a.username,
        "other": alternate.person_b.username,
        "merge_id": str(PersonMerge.objects.values_list("id", flat=True).first()),
        "event_id": str(event_id),
    }


def _url(route: str, values: dict[str, str]) -> str | None:
    """The route with its parameters filled, or None for a route with regex syntax (the admin's)."""
    if route.startswith("admin/") or "^" in route or "(?P" in route:
        return None
    if "notes/<int:note_id>" in route:
        values = {**values, "username": values["note_username"]}
    if "relationships/<int:pk>" in route:
        values = {**values, "username": values["relationship_username"]}
    if "alternates/<username:other>" in route:
        values = {**values, "username": values["alternate_username"]}
    key = values["definition_key"] if "definitions" in route else values["section_key"]
    named = {**values, "key": key}
    return "/" + PARAMETER.sub(lambda match: named[match.group("name")], route)


def _methods(pattern: URLPattern) -> list[str]:
    view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [m for m in ("get", *WRITES) if hasattr(view_class, m)] or ["get"]


def every_request():
    """(method, url) for every app URL and every method its view has (pages: GET and POST)."""
    values = _values()
    for route, pattern in _patterns(get_resolver()):
        url = _url(route, values)
        if url is not None:
            for method in _methods(pattern):
                yield method, url


def call(client: APIClient, method: str, url: str):
    return getattr(client, method)(url, data={}, format="json", HTTP_ACCEPT="application/json, text/html")


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


OPEN_TO_EVERY_ACCOUNT = ("/login/", "/logout/", "/account/login/")
ACCOUNT_OWN = ("/account/", "/tokens/")  # an account's own tokens and second factor
# The health probe answers without a login because a reverse proxy or a monitor probes it; it
# says only whether the database and storage are reachable, and takes no writes.
PUBLIC_PROBE = "/healthz"


def assert_public_probe(method: str, response) -> None:
    """The health probe's answer, the same to every caller: its state on GET, 405 to a write."""
    if method == "get":
        assert response.status_code in (200, 503), (method, PUBLIC_PROBE, response.status_code)
        assert set(response.json()) == {"status", "database", "storage"}
    else:
        assert response.status_code == 405, (method, PUBLIC_PROBE, response.status_code)


@pytest.fixture
def demo(owner_user):
    load_demo()


def test_an_ungranted_account_gets_403_everywhere_but_logging_in_and_out(demo, ungranted_user):
    client = client_for(ungranted_user)
    requests = list(every_request())
    assert len(requests) > 40
    for method, url in requests:
        if url in OPEN_TO_EVERY_ACCOUNT:
            continue
        response = call(client, method, url)
        if url == PUBLIC_PROBE:
            assert_public_probe(method, response)
            continue
        assert response.status_code == 403, (method, url, response.status_code)
        if response["Content-Type"] == "application/json":
            assert "granted" in response.json()["detail"]
        else:  # pages, and the API's HTML docs page
            assert b"has not been granted access" in response.content, (method, url)


def test_an_ungranted_accounts_token_gets_403_from_the_api(demo, ungranted_user):
    from accounts.services import api_token_create

    _, key = api_token_create(user=ungranted_user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for method, url in every_request():
        if url.startswith("/api/"):
            assert call(client, method, url).status_code == 403, (method, url)


def test_an_anonymous_visitor_is_sent_to_log_in_or_told_401(demo):
    client = client_for(None)
    for method, url in every_request():
        if url in OPEN_TO_EVERY_ACCOUNT or url.startswith("/account/login"):
            continue
        response = call(client, method, url)
        if url == PUBLIC_PROBE:
            assert_public_probe(method, response)
        elif url.startswith("/api/"):
            assert response.status_code == 401, (method, url, response.status_code)
        else:
            assert response.status_code == 302, (method, url, response.status_code)
            assert "login" in response["Location"]


def test_a_viewer_reads_everything_but_the_admin_and_changes_nothing(demo, viewer_user):
    client = client_for(viewer_user)
    for method, url in every_request():
        if url in OPEN_TO_EVERY_ACCOUNT:
            continue
        response = call(client, method, url)
        own = url.startswith(ACCOUNT_OWN) or url.startswith("/api/ui/sections/")
        if url == PUBLIC_PROBE:
            assert_public_probe(method, response)
        elif method == "get" and url.startswith("/admin/"):
            assert response.status_code == 403, url
        elif method == "get" or own:
            assert response.status_code not in (401, 403), (method, url, response.status_code)
            assert response.status_code < 500, (method, url, response.status_code)
        else:
            assert response.status_code == 403, (method, url, response.status_code)
            if url.startswith("/api/"):
                assert "can read but not change" in response.json()["detail"]


@pytest.mark.parametrize("account", ["editor", "owner"])
def test_editors_and_the_owner_reach_everything(demo, request, account):
    user = request.getfixturevalue(f"{account}_user")
    client = client_for(user)
    for method, url in every_request():
        if url in ("/logout/",):
            continue
        response = call(client, method, url)
        if url == PUBLIC_PROBE:
            assert_public_probe(method, response)
        elif url.startswith("/admin/") and account == "editor":
            assert response.status_code == 403, url
        else:
            assert response.status_code not in (401, 403), (method, url, response.status_code)
            assert response.status_code < 500, (method, url, response.status_code)


def test_only_the_owner_gets_into_the_admin(demo, owner_user, editor_user, viewer_user, ungranted_user):
    assert client_for(owner_user).get("/admin/profiles/person/").status_code == 200
    for user in (editor_user, viewer_user, ungranted_user):
        user.is_staff = True  # even a staff flag set by mistake grants nothing
        user.save()
        assert client_for(user).get("/admin/profiles/person/").status_code == 403


def test_the_refusal_page_says_why_and_offers_to_log_out(ungranted_user, client):
    client.force_login(ungranted_user)
    response = client.get("/people/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "has not been granted access" in html
    assert "viewer" in html
    assert 'action="/logout/"' in html
    assert client.post("/logout/").status_code == 302


def test_granting_the_viewer_group_in_admin_lets_the_account_in(ungranted_user, client):
    from django.contrib.auth.models import Group

    client.force_login(ungranted_user)
    assert client.get("/people/").status_code == 403
    ungranted_user.groups.add(Group.objects.get(name="viewer"))
    assert client.get("/people/").status_code == 200
