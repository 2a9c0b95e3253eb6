"""Fixtures every test folder shares: users and logged-in clients, people, isolated media
storage (a temporary folder by default, or a real S3-protocol server), reports, and the bench
command run as the owner would run it."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from mhc.s3_sandbox import running_s3_sandbox
from mhc.storage_config import local_storage
from tests.factories import PersonFactory, ProfileFactory, UserFactory

OWNER_PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    """Every transactional test restores the rows migrations seed (serialized rollback).

    A transactional test's flush re-creates content types with new ids unless serialized rollback
    is on; a later test that restores the serialized rows then collides with them. So the suite
    uses one mode: each `django_db(transaction=True)` test gets `serialized_rollback=True` (as the
    browser tests' `page` fixture already does), and seeded rows such as the system attributes
    are there in every test.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            with_rollback = pytest.mark.django_db(
                *marker.args, **{**marker.kwargs, "serialized_rollback": True}
            )
            item.add_marker(with_rollback, append=False)  # first, so it is the closest marker


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """No test writes to the owner's media folder or reports: each gets temporary ones."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": local_storage(str(tmp_path / "media"))}
    settings.REPORTS_DIR = tmp_path / "reports"


@pytest.fixture
def bench_command(tmp_path):
    """Runs `manage.py bench <args>` in its own process, as the owner would, with the owner's
    database at `tmp_path / "owner.sqlite3"` (which the command must never open) and reports
    under `tmp_path / "reports"`; fails the test unless the command succeeds."""

    def run(*args: str) -> subprocess.CompletedProcess:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mhc.settings",
            "DEBUG": "1",
            # As in production: the benchmarks' owner must pass the second factor to be served.
            "MHC_REQUIRE_2FA": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'owner.sqlite3'}",
            "REPORTS_DIR": str(tmp_path / "reports"),
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "bench", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,  # only against a hang: a loaded machine may be slow
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    return run


@pytest.fixture
def owner_user(db):
    return UserFactory(username="owner", is_staff=True, is_superuser=True)


def _member_of(group: str, username: str):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def viewer_user(db):
    """An account the owner granted read-only access (the "viewer" group)."""
    return _member_of("viewer", "viewer")


@pytest.fixture
def editor_user(db):
    """An account the owner granted everything but the admin (the "editor" group)."""
    return _member_of("editor", "editor")


@pytest.fixture
def ungranted_user(db):
    """A signed-in account the owner never granted anything: refused everywhere."""
    return UserFactory(username="stranger")


@pytest.fixture
def auth_client(client, owner_user):
    """Django's test client, logged in as the owner (for pages and admin)."""
    client.force_login(owner_user)
    return client


@pytest.fixture
def api_client(owner_user):
    """DRF's API client with the owner's browser session."""
    api = APIClient()
    api.force_login(owner_user)
    return api


@pytest.fixture
def owner_token(owner_user) -> str:
    """A new API token of the owner's (the key a script sends; only its hash is stored)."""
    from accounts.services import api_token_create

    return api_token_create(user=owner_user, name="tests")[1]


@pytest.fixture
def token_client(owner_token):
    """DRF's API client authenticated as a script is: with the owner's token."""
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {owner_token}")
    return api


@pytest.fixture
def person(db):
    """A person with a profile."""
    return ProfileFactory().person


@pytest.fixture
def bare_person(db):
    """A person seen but never profiled."""
    return PersonFactory()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-protocol server (moto_server) on a free loopback port, for the whole run."""
    with running_s3_sandbox() as sandbox:
        yield sandbox


@pytest.fixture
def s3_storage(s3_server, settings):
    """Media storage pointed at a fresh bucket on the S3 server; yields Django's default storage."""
    from django.core.files.storage import default_storage

    bucket = f"mhc-test-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=bucket)
    settings.MEDIA_STORAGE = "s3"
    settings.S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_config(bucket)}
    return default_storage
