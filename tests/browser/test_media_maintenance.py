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
