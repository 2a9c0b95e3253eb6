"""The admin's list of exports: the latest first, each with its tables and manifest."""

import pytest
from django.core.management import call_command

from backups.models import BackupExport

pytestmark = pytest.mark.django_db


def test_the_latest_exports_are_listed_and_each_shows_its_tables_and_manifest(auth_client, person, tmp_path):
    call_command("export_all", str(tmp_path / "older"))
    call_command("export_all", str(tmp_path / "newer.tar"), "--with-media")
    listing = auth_client.get("/admin/backups/backupexport/")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert body.index(str(tmp_path / "newer.tar")) < body.index(str(tmp_path / "older"))
    export = BackupExport.objects.get(path=str(tmp_path / "newer.tar"))
    detail = auth_client.get(f"/admin/backups/backupexport/{export.pk}/change/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "<td>profiles.person</td><td>1</td>" in page
    assert export.manifest["id"] in page
    assert "style=" not in page.split('id="content-main"')[1].split("</form>")[0]
    assert auth_client.get("/admin/backups/importrun/").status_code == 200
