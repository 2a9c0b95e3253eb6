"""Backups in Chromium: the quarantine listed from the media overview and a deleted image
restored from it; an export found in the admin with its tables."""

from django.core.management import call_command
from playwright.sync_api import expect

from media.keys import quarantine_key
from media.models import MediaRecord
from media.services import media_soft_delete
from tests.media.maintenance_helpers import record_with_file


def test_the_owner_restores_a_deleted_image_from_the_quarantine_screen(page, person):
    record = media_soft_delete(record=record_with_file(person, b"deleted, so quarantined"))

    page.goto("/admin/media/mediarecord/overview/")
    page.get_by_role("link", name="list and restore").click()
    expect(page.locator("h1")).to_have_text("Quarantine")
    row = page.get_by_role("row").filter(has_text=quarantine_key(record.file_path))
    expect(row).to_contain_text("its soft-deleted record")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Restore selected").click()

    expect(page.locator(".messagelist")).to_contain_text("restored")
    expect(page.locator("#quarantine-files")).to_contain_text("The quarantine is empty.")
    assert MediaRecord.objects.get(pk=record.pk).deleted_at is None


def test_the_owner_opens_an_export_and_sees_its_tables(page, person, tmp_path):
    call_command("export_all", str(tmp_path / "nightly"))

    page.goto("/admin/")
    page.get_by_role("link", name="Exports").click()
    page.get_by_role("link", name=str(tmp_path / "nightly")).click()
    expect(page.locator(".backup-tables")).to_contain_text("profiles.person")
