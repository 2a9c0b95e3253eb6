"""The gallery's Live tab in Chromium: a followed person's live screenshots, newest first."""

import io
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from media.models import MediaSource
from media.services import media_create
from tests.media.conftest import image_bytes


def test_the_live_tab_shows_the_screenshots_newest_first(page, person):
    now = timezone.now()
    shots = [
        media_create(
            person=person,
            source=MediaSource.SCREENSNAP,
            content=io.BytesIO(image_bytes(color=(40 * n, 90, 90))),
            captured_at=now - timedelta(minutes=5 * (3 - n)),
        )[0]
        for n in range(3)
    ]
    media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color=(1, 2, 3))))

    page.goto(f"/profile/{person.username}/")
    images = page.locator("#section-images")
    images.get_by_role("link", name="Live 3").click()

    cards = images.locator(".gallery-item")
    expect(cards).to_have_count(3)
    expect(cards.first).to_have_attribute("data-media-id", str(shots[-1].id))
    expect(cards.last).to_have_attribute("data-media-id", str(shots[0].id))
    expect(images.locator(".media-tabs a.active")).to_contain_text("Live")
