"""Every answer carries the Content-Security-Policy and Permissions-Policy headers; the policy
allows no inline script or style, except inline styles in the admin."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("url", ["/people/", "/login/", "/api/people", "/tokens/"])
def test_pages_and_the_api_send_a_strict_policy(auth_client, url):
    response = auth_client.get(url)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]


def test_the_admin_alone_may_use_inline_styles(auth_client):
    policy = directives(auth_client.get("/admin/"))
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.s3
def test_images_may_come_from_the_s3_server_media_is_stored_on(auth_client, s3_storage, s3_server):
    policy = directives(auth_client.get("/people/"))
    assert any(source.startswith("http://127.0.0.1:") for source in policy["img-src"])


def test_templates_carry_no_inline_script_style_or_event_handler():
    import re

    from django.conf import settings

    offending = []
    for template in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"<style",
            r"\sstyle=",
            r"\son[a-z]+=",
            r"javascript:",
        ):
            if re.search(pattern, text):
                offending.append(f"{template.relative_to(settings.BASE_DIR)}: {pattern}")
    assert not offending, offending
