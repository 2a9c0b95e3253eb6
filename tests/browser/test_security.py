"""In the browser: every page runs under the Content-Security-Policy (the `page` fixture fails a
test on any violation), the admin and the API docs work too, and the owner logs in with a code
from an authenticator app."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from mhc.demo import load_demo
from tests.conftest import OWNER_PASSWORD


@pytest.fixture
def demo(owner_user):
    return load_demo()


def test_the_main_pages_send_the_policy_and_break_none_of_it(page, demo):
    person = next(iter(demo.people.values()))
    for url in (
        "/people/",
        f"/profile/{person.username}/",
        "/relationships/",
        "/tokens/",
        "/account/two_factor/",
    ):
        response = page.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert "camera=()" in response.headers["permissions-policy"]
    page.goto(f"/profile/{person.username}/")
    closed = page.locator("details.section:not([open])").evaluate_all(
        "all => all.map(d => d.dataset.section)"
    )
    for key in closed:
        page.locator(f'details.section[data-section="{key}"] > summary').click()  # loads through htmx
    page.wait_for_load_state("networkidle")


def test_the_admin_works_under_its_policy(page, demo):
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Manage")).to_be_visible()
    page.goto("/admin/profiles/person/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto("/admin/axes/accessattempt/")
    expect(page.locator("#content")).to_be_visible()


def test_the_api_docs_work_under_the_policy(page, demo):
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("MHC Control Panel API")


def test_the_owner_creates_an_api_token_and_sees_it_once(page, owner_user):
    page.goto("/tokens/")
    page.get_by_label("Name").fill("phone shortcut")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_test_id("new-token").inner_text()
    assert key.startswith("mhc_")
    # Revoking asks first: answered no, the token stays.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Revoke phone shortcut").click()
    expect(page.get_by_role("button", name="Revoke phone shortcut")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke phone shortcut").click()
    expect(page.get_by_text("revoked")).to_be_visible()


def test_logging_in_with_a_code_from_the_authenticator_app(anonymous_page, owner_user, settings):
    settings.MHC_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=owner_user, name="default", confirmed=True)
    page = anonymous_page
    page.goto("/people/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Code").fill(f"{code:06d}")
    page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", name="People")).to_be_visible()
