"""One export of the demo data, images included, so that the admin's list of exports has an entry
to open. Written under REPORTS_DIR/backups/; made once (the demo loaded again leaves it)."""

from pathlib import Path

from django.conf import settings

from backups.exporter import export_all
from backups.models import BackupExport


def load(demo) -> None:
    if BackupExport.objects.exists():
        return
    folder = Path(settings.REPORTS_DIR) / "backups"
    dest = folder / "demo-export"
    number = 1
    while dest.exists():
        number += 1
        dest = folder / f"demo-export-{number}"
    result = export_all(dest=dest, with_media=True)
    manifest = result.manifest
    demo.say(f"an export of the demo ({manifest.rows:,} rows, {manifest.files['count']} files) in {dest}")
