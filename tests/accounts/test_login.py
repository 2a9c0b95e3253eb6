"""Logging in: a password, then a code from an authenticator app (TOTP) or a recovery code where
MHC_REQUIRE_2FA asks for it; repeated wrong passwords lock the login (django-axes)."""

from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import OWNER_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_2fa(settings):
    settings.MHC_REQUIRE_2FA = True


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client: Client, password: str = OWNER_PASSWORD, *, next_url: str = "/people/"):
    return client.post(
        f"/login/?next={next_url}",
        {"login_view-current_step": "auth", "auth-username": "owner", "auth-password": password},
    )


def second_step(client: Client, code: str, step: str = "token"):
    return client.post("/login/?next=/people/", {"login_view-current_step": step, f"{step}-otp_token": code})


@pytest.fixture
def owner_device(owner_user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=owner_user, name="default", confirmed=True)


def test_without_the_requirement_a_password_is_enough(client, owner_user):
    response = log_in(client)
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200


def test_the_owner_without_a_device_is_sent_to_set_one_up_and_then_gets_in(client, owner_user, require_2fa):
    assert log_in(client).status_code == 302
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two_factor/setup/")
    assert client.get("/api/people").status_code == 403  # the API asks for the factor too
    assert client.get("/account/two_factor/setup/").status_code == 200
    page = client.post("/account/two_factor/setup/", {"setup_view-current_step": "welcome"}).content.decode()
    assert "/account/two_factor/qrcode/" in page
    assert client.get("/account/two_factor/qrcode/")["Content-Type"].startswith("image/svg")
    secret = client.session["django_two_factor-qr_secret_key"]  # what the QR code holds
    pending = TOTPDevice(key=b32decode(secret).hex())
    response = client.post(
        "/account/two_factor/setup/",
        {"setup_view-current_step": "generator", "generator-token": code_of(pending)},
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=owner_user, confirmed=True).exists()
    assert client.get("/people/").status_code == 200
    assert client.get("/api/people").status_code == 200


def test_the_owner_with_a_device_needs_its_code(client, owner_user, owner_device, require_2fa):
    response = log_in(client)
    assert response.status_code == 200
    assert "authenticator app" in response.content.decode()
    assert client.get("/people/").status_code == 302  # not logged in yet
    wrong = second_step(client, "000000" if code_of(owner_device) != "000000" else "111111")
    assert wrong.status_code == 200
    # django-otp then refuses codes for a second (its throttle); the owner would type again later.
    TOTPDevice.objects.filter(pk=owner_device.pk).update(throttling_failure_timestamp=None)
    assert second_step(client, code_of(owner_device)).status_code == 302
    assert client.get("/people/").status_code == 200


def test_a_recovery_code_works_once(client, owner_user, owner_device, require_2fa):
    # Generated on the security page, as the owner would after setting up the app.
    verified = Client()
    log_in(verified)
    second_step(verified, code_of(owner_device))
    page = verified.post("/account/two_factor/backup/tokens/", follow=True).content.decode()
    codes = list(StaticDevice.objects.get(user=owner_user).token_set.values_list("token", flat=True))
    assert len(codes) == 10
    assert codes[0] in page

    log_in(client)
    client.post("/login/?next=/people/", {"login_view-current_step": "token", "wizard_goto_step": "backup"})
    assert second_step(client, codes[0], "backup").status_code == 302
    assert client.get("/people/").status_code == 200

    again = Client()
    log_in(again)
    again.post("/login/?next=/people/", {"login_view-current_step": "token", "wizard_goto_step": "backup"})
    second_step(again, codes[0], "backup")
    assert again.get("/people/").status_code == 302


def test_a_session_from_before_the_requirement_must_log_in_again(client, owner_user, owner_device, settings):
    client.force_login(owner_user)
    assert client.get("/people/").status_code == 200
    settings.MHC_REQUIRE_2FA = True
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_a_token_still_works_where_a_second_factor_is_required(token_client, require_2fa):
    assert token_client.get("/api/people").status_code == 200


def test_the_requirement_is_on_by_default_in_production_and_off_in_debug():
    import subprocess
    import sys

    def value(debug: str) -> str:
        code = "\n".join(
            [
                "import django",
                "django.setup()",
                "from django.conf import settings",
                "print(settings.MHC_REQUIRE_2FA)",
            ]
        )
        env = {"DJANGO_SETTINGS_MODULE": "mhc.settings", "DEBUG": debug, "SECRET_KEY": "x" * 60}
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        return result.stdout.strip()

    assert value("0") == "True"
    assert value("1") == "False"


def test_repeated_wrong_passwords_lock_the_login(client, owner_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong-password").status_code == 200
    assert log_in(client, "wrong-password").status_code == 429
    response = log_in(client)  # even the right password, now
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert client.get("/people/").status_code == 302
    assert AccessAttempt.objects.get(username="owner").failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_lock_outs_are_listed_in_the_admin(auth_client, owner_user):
    AccessAttempt.objects.create(username="owner", ip_address="203.0.113.9", failures_since_start=5)
    html = auth_client.get("/admin/axes/accessattempt/").content.decode()
    assert "203.0.113.9" in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"auth-username": "owner"},
        {"login_view-current_step": "nonsense"},
        {"login_view-current_step": "token"},
    ],
)
def test_a_tampered_login_form_is_a_400_or_the_form_again_never_a_500(client, owner_user, data):
    response = client.post("/login/", data)
    assert response.status_code in (200, 400)
    assert client.get("/people/").status_code == 302
