import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from profiles.models import Person, Profile


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_adds_a_dozen_people_and_is_idempotent():
    first = run("load_demo")
    people, profiles = Person.objects.count(), Profile.objects.count()
    assert people >= 13  # the owner and a dozen others
    assert profiles == people
    assert Person.objects.filter(username=settings.MHC_OWNER_USERNAME).exists()
    second = run("load_demo")
    assert (Person.objects.count(), Profile.objects.count()) == (people, profiles)
    assert "added" in first
    assert "added" not in second


@pytest.mark.django_db
def test_create_owner_generates_and_prints_a_password_once(monkeypatch):
    monkeypatch.delenv("MHC_OWNER_PASSWORD", raising=False)
    first = run("create_owner")
    password = first.split("password: ")[1].split()[0]
    assert get_user_model().objects.get(username="owner").check_password(password)
    second = run("create_owner")
    assert password not in second
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_create_owner_names_the_account_it_created_when_saying_how_to_change_its_password(monkeypatch):
    monkeypatch.delenv("MHC_OWNER_PASSWORD", raising=False)
    out = run("create_owner", "--username", "boss")
    assert "`manage.py changepassword boss`" in out


@pytest.mark.django_db
def test_create_owner_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("MHC_OWNER_PASSWORD", "from-the-env-123")
    out = run("create_owner")
    assert "from-the-env-123" not in out
    assert get_user_model().objects.get(username="owner").check_password("from-the-env-123")


@pytest.mark.django_db
def test_api_token_prints_a_new_named_token_that_is_stored_only_hashed(owner_user, client):
    from accounts.models import ApiToken

    key = run("api_token", "owner", "--name", "backup").strip()
    token = ApiToken.objects.get(user=owner_user)
    assert token.name == "backup"
    assert key.startswith("mhc_")
    assert key not in {token.digest, token.token_key}
    assert client.get("/api/people", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    other = run("api_token", "owner", "--name", "backup", "--rotate").strip()
    assert other != key
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["backup"]
    assert client.get("/api/people", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    with pytest.raises(CommandError, match="no user"):
        run("api_token", "ghost")


PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DJANGO_SETTINGS_MODULE": "mhc.settings",
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-variety-0123456789-xyz",
    "ALLOWED_HOSTS": "mhc.example.com",
}


def python(*args: str, env: dict) -> subprocess.CompletedProcess:
    """Run the project's Python (`manage.py …`, `-c …`) in a process of its own, with `env`."""
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = python("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_api_settings_load_whichever_part_of_drf_is_imported_first():
    # DRF's system checks may read the paging setting before any view module is imported (the
    # checks run in an order that varies between machines): that must not be a circular import.
    code = (
        "import django; django.setup()\n"
        "from rest_framework.settings import api_settings\n"
        "print(api_settings.DEFAULT_PAGINATION_CLASS.__name__)\n"
        "print(api_settings.DEFAULT_RENDERER_CLASSES[0].__name__)"
    )
    result = python("-c", code, env={**os.environ, "DJANGO_SETTINGS_MODULE": "mhc.settings_test"})
    assert result.stdout.split() == ["LimitOffsetPagination", "JSONRenderer"], result.stderr[-2000:]


@pytest.mark.parametrize(
    "command",
    [("manage.py", "check", "--deploy"), ("-c", "import mhc.wsgi"), ("-c", "import mhc.asgi")],
    ids=["deploy check", "wsgi", "asgi"],
)
def test_production_settings_refuse_to_start_without_a_secret_key(command):
    result = python(*command, env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_commands_that_need_no_secret_key_run_without_one():
    without_key = {**PRODUCTION, "SECRET_KEY": ""}
    result = python("manage.py", "makemigrations", "--check", "--dry-run", env=without_key)
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_bad_owner_username_is_reported_at_startup(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mhc.settings", "DEBUG": "1"}
    env["MHC_OWNER_USERNAME"] = "my-name"
    result = python("manage.py", "check", env=env)
    assert result.returncode != 0
    assert "mhc.E001" in result.stderr


@pytest.mark.django_db
def test_load_demo_if_empty_leaves_an_owners_database_alone():
    run("load_demo")
    Person.objects.get(username="quiet_tom").delete()
    out = run("load_demo", "--if-empty")
    assert "left as it is" in out
    assert not Person.objects.filter(username="quiet_tom").exists()
