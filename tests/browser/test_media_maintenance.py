"""The media overview in Chromium: from the admin home to the library's figures, the quarantine
as media_check measured it, and a report downloaded."""

import json

from playwright.sync_api import expect

from media.services import media_soft_delete
from tests.media.maintenance_helpers import record_with_file, run_command


def test_the_owner_finds_the_overview_in_admin_and_downloads_the_latest_check(page, person, tmp_path):
    record_with_file(person, b"the same bytes twice")
    record_with_file(person, b"the same bytes twice")
    media_soft_delete(record=record_with_file(person, b"deleted, so quarantined"))
    assert run_command("media_check").exit_code == 0

    page.goto("/admin/")
    page.locator("#media-overview-link").get_by_role("link", name="Overview", exact=True).click()

    expect(page.locator("h1")).to_have_text("Media overview")
    expect(page.locator("#records-live td")).to_have_text("2")
    expect(page.locator("#records-deleted td")).to_have_text("1")
    expect(page.locator("#duplicates-same-person td").first).to_have_text("1")
    quarantine = page.get_by_role("table").filter(has_text="Quarantine")
    expect(quarantine).to_contain_text("1 file")
    with page.expect_download() as download:
        page.get_by_role("link", name="media-check-").last.click()
    saved = tmp_path / "report.json"
    download.value.save_as(saved)
    assert json.loads(saved.read_text())["summary"]["live_records"] == 2


def test_the_owner_reviews_similar_pictures_and_quarantines_the_ones_ticked(page, person):
    from media.models import MediaRecord
    from tests.media.test_media_similar import picture

    kept = record_with_file(person, picture(1))
    resaved = record_with_file(person, picture(1, quality=55))
    assert run_command("media_similar").exit_code == 0

    page.goto("/admin/media/mediarecord/")
    page.get_by_role("link", name="Similar images").click()

    expect(page.locator("h1")).to_have_text("Similar images")
    group = page.locator(".similar-group")
    expect(group).to_contain_text(person.username)
    expect(group.locator("img")).to_have_count(2)
    group.locator(f"input[value='{resaved.pk}']").check()
    page.get_by_role("button", name="Quarantine the ticked pictures").click()

    expect(page.locator(".messagelist")).to_contain_text("Quarantined 1 picture(s).")
    assert MediaRecord.objects.get(pk=resaved.pk).is_deleted
    assert not MediaRecord.objects.get(pk=kept.pk).is_deleted
