"""API tokens: stored hashed, shown once, named, revocable, with an expiry and a last-used time."""

import hashlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def script(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_database_holds_no_usable_token(owner_user):
    token, key = api_token_create(user=owner_user, name="backup")
    stored = {value for row in ApiToken.objects.values_list() for value in row if isinstance(value, str)}
    assert key not in stored
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert script(key).get("/api/people").status_code == 200
    assert script(token.digest).get("/api/people").status_code == 401


def test_a_script_using_a_token_records_when_it_was_last_used(owner_user):
    token, key = api_token_create(user=owner_user, name="backup")
    assert token.last_used_at is None
    script(key).get("/api/people")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


def test_revoked_and_expired_tokens_are_refused(owner_user):
    token, key = api_token_create(user=owner_user, name="backup")
    api_token_revoke(token=token)
    assert script(key).get("/api/people").status_code == 401
    old, old_key = api_token_create(user=owner_user, name="old", expires_in=timedelta(days=1))
    ApiToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert script(old_key).get("/api/people").status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token \u00e9t\u00e9", "Token " + "f" * 70])
def test_malformed_token_headers_are_a_401_not_a_500(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert client.get("/api/people").status_code == 401


def test_the_owner_creates_a_token_on_the_page_and_sees_it_once(auth_client, owner_user):
    response = auth_client.post("/tokens/", {"name": "phone shortcut", "lifetime": "30"})
    assert response.status_code == 201
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    token = ApiToken.objects.get(user=owner_user, name="phone shortcut")
    assert timedelta(days=29) < token.expiry - timezone.now() <= timedelta(days=30)
    page = auth_client.get("/tokens/").content.decode()
    assert "phone shortcut" in page
    assert key not in page
    assert script(key).get("/api/people").status_code == 200


def test_a_token_without_a_name_is_refused_with_a_message(auth_client, owner_user):
    response = auth_client.post("/tokens/", {"name": "  ", "lifetime": "90"})
    assert response.status_code == 200
    assert "Give the token a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_owner_revokes_a_token_on_the_page(auth_client, owner_user):
    token, key = api_token_create(user=owner_user, name="old laptop")
    response = auth_client.post(f"/tokens/{token.public_id}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert script(key).get("/api/people").status_code == 401


def test_an_account_sees_and_revokes_only_its_own_tokens(client, owner_user, viewer_user):
    owners, _ = api_token_create(user=owner_user, name="owner's script")
    client.force_login(viewer_user)
    assert "owner&#x27;s script" not in client.get("/tokens/").content.decode()
    assert client.post(f"/tokens/{owners.public_id}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=owners.pk).exists()


def test_a_viewers_token_reads_but_does_not_write(viewer_user, person):
    _, key = api_token_create(user=viewer_user, name="reader")
    assert script(key).get(f"/api/profile/{person.username}").status_code == 200
    response = script(key).patch(f"/api/profile/{person.username}", {"location": "Oslo"}, format="json")
    assert response.status_code == 403


def test_plain_text_tokens_of_the_old_table_are_hashed_and_erased(owner_user):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0003_hash_plain_text_tokens")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamptz)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, owner_user.pk, timezone.now()]
        )
    migration.hash_plain_text_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    token = ApiToken.objects.get(user=owner_user)
    assert token.expiry is None
    assert script(key).get("/api/people").status_code == 200
