"""The placeholder-hash rules hold on every write path: the admin's form as well as the service."""

import pytest
from django.urls import reverse

from media.models import PlaceholderHash
from media.services import placeholder_add

pytestmark = pytest.mark.django_db

HASH = "ab" * 32
ADDED = {"created_at_0": "2026-01-02", "created_at_1": "10:00:00"}


def test_a_hash_added_in_upper_case_in_the_admin_is_stored_lower_case(auth_client):
    response = auth_client.post(
        reverse("admin:media_placeholderhash_add"), {"sha256": f"  {HASH.upper()} ", "note": "admin", **ADDED}
    )
    assert response.status_code == 302
    assert PlaceholderHash.objects.get().sha256 == HASH


def test_the_admin_refuses_a_hash_the_service_already_has_in_another_case(auth_client):
    placeholder_add(sha256=HASH)
    response = auth_client.post(reverse("admin:media_placeholderhash_add"), {"sha256": HASH.upper(), **ADDED})
    assert response.status_code == 200
    assert "already a known placeholder" in response.content.decode()
    assert PlaceholderHash.objects.count() == 1


def test_the_admin_refuses_what_is_not_a_sha256(auth_client):
    response = auth_client.post(reverse("admin:media_placeholderhash_add"), {"sha256": "not-a-hash", **ADDED})
    assert response.status_code == 200
    assert "64 hexadecimal characters" in response.content.decode()
    assert not PlaceholderHash.objects.exists()
