"""The Images section in Chromium: upload, set primary, delete and restore, in place."""

import io
import re

import pytest
from playwright.sync_api import expect

from media.keys import quarantine_key
from media.models import MediaRecord, MediaSource
from media.services import media_create
from media.storage import file_exists
from tests.media.conftest import image_bytes


def add(person, color, **options) -> MediaRecord:
    record, _ = media_create(
        person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color=color)), **options
    )
    return record


def card(page, record):
    return page.locator(f'.gallery-item[data-media-id="{record.id}"]')


def header_avatar(page):
    return page.locator("#profile-avatar img.avatar")


def loaded_width(image) -> int:
    """The natural width of an <img> once the browser has loaded it. (`decode()` waits for the
    load; `wait_for_function` would poll by `eval`, which the Content-Security-Policy refuses.)"""
    return image.evaluate("img => img.decode().then(() => img.naturalWidth)")


def test_uploading_an_image_shows_it_in_the_gallery_and_the_header(page, person):
    page.goto(f"/profile/{person.username}/")
    images = page.locator("#section-images")
    expect(images.get_by_text("No images yet")).to_be_visible()
    images.get_by_label("Image file").set_input_files(
        {
            "name": "holiday.png",
            "mimeType": "image/png",
            "buffer": image_bytes(size=(200, 150), image_format="PNG"),
        }
    )
    images.get_by_label("Make primary").check()
    images.get_by_role("button", name="Upload").click()
    expect(images.locator(".gallery-item")).to_have_count(1)
    expect(images.locator(".gallery-item").first).to_contain_text("200\N{MULTIPLICATION SIGN}150")
    expect(images.locator(".gallery-item").first).to_contain_text("Primary")
    record = MediaRecord.objects.get(person=person)
    assert (record.original_filename, record.source, record.is_primary) == ("holiday.png", "upload", True)
    expect(header_avatar(page)).to_have_attribute("src", f"/media/{record.id}/")
    # The browser really loads the image through the authenticated view.
    assert loaded_width(header_avatar(page)) == 200

    # The same bytes again: found in the library, and the page says nothing was added.
    png = image_bytes(size=(200, 150), image_format="PNG")
    again = {"name": "again.png", "mimeType": "image/png", "buffer": png}
    images.get_by_label("Image file").set_input_files(again)
    images.get_by_role("button", name="Upload").click()
    expect(page.locator("#toasts")).to_contain_text("This image is in the library already")
    assert MediaRecord.objects.filter(person=person).count() == 1


def test_uploading_something_that_is_not_an_image_shows_why(page, person):
    page.goto(f"/profile/{person.username}/")
    images = page.locator("#section-images")
    images.get_by_label("Image file").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"these are my notes, not a photo"}
    )
    images.get_by_role("button", name="Upload").click()
    expect(images.locator(".form-error")).to_contain_text("not an image")
    assert not MediaRecord.objects.exists()


def test_making_another_image_primary_moves_it_first_and_into_the_header(page, person):
    first = add(person, (200, 30, 30), is_primary=True)
    second = add(person, (30, 30, 200))
    page.goto(f"/profile/{person.username}/")
    expect(header_avatar(page)).to_have_attribute("src", f"/media/{first.id}/")
    card(page, second).get_by_role("button", name="Make primary").click()
    expect(card(page, second)).to_have_class(re.compile(r"\bis-primary\b"))
    expect(page.locator(".gallery-item").first).to_have_attribute("data-media-id", str(second.id))
    expect(card(page, first)).not_to_have_class(re.compile(r"\bis-primary\b"))
    expect(header_avatar(page)).to_have_attribute("src", f"/media/{second.id}/")
    first.refresh_from_db()
    assert not first.is_primary


def test_deleting_asks_first_then_quarantines_and_restore_brings_it_back(page, person):
    keep = add(person, (10, 150, 10))
    doomed = add(person, (150, 10, 150), is_primary=True)
    page.goto(f"/profile/{person.username}/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    card(page, doomed).get_by_role("button", name="Delete").click()
    expect(card(page, doomed)).to_be_visible()
    doomed.refresh_from_db()
    assert not doomed.is_deleted

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    card(page, doomed).get_by_role("button", name="Delete").click()
    expect(card(page, doomed)).to_have_count(0)
    assert "quarantine" in messages[0]
    expect(header_avatar(page)).to_have_attribute("src", f"/media/{keep.id}/")  # the newest left
    doomed.refresh_from_db()
    assert doomed.is_deleted
    assert file_exists(quarantine_key(doomed.file_path))

    deleted_tab = page.locator(".media-tabs").get_by_text(re.compile(r"Deleted\s+1"))
    deleted_tab.click()
    card(page, doomed).get_by_role("button", name="Restore").click()
    expect(page.locator(".media-tabs").get_by_text(re.compile(r"All\s+2"))).to_be_visible()
    expect(card(page, doomed)).to_be_visible()
    doomed.refresh_from_db()
    assert not doomed.is_deleted
    assert file_exists(doomed.file_path)


@pytest.mark.s3
def test_gallery_images_load_from_s3_through_signed_urls(page, person, s3_storage):
    record = add(person, (120, 60, 200))
    page.goto(f"/profile/{person.username}/")
    image = card(page, record).locator("img")
    expect(image).to_be_visible()
    assert loaded_width(image) == 48
