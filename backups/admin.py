"""The exports made and the imports run, read-only: they are the record of what happened."""

import json

from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join

from backups.models import BackupExport, ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackupExport)
class BackupExportAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "path", "rows", "files", "size", "with_media", "incremental"]
    list_display_links = ["finished_at", "path"]
    list_filter = ["with_media", "incremental"]
    search_fields = ["path"]
    date_hierarchy = "finished_at"
    fields = [
        "path",
        "started_at",
        "finished_at",
        "with_media",
        "incremental",
        "rows",
        "files",
        "files_copied",
        "size_bytes",
        "tables",
        "manifest_json",
    ]
    readonly_fields = fields

    @admin.display(description="size", ordering="size_bytes")
    def size(self, export):
        return filesizeformat(export.size_bytes)

    @admin.display(description="tables")
    def tables(self, export):
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td></tr>",
            (
                (label, f"{table.get('rows', 0):,}")
                for label, table in sorted(export.manifest.get("tables", {}).items())
            ),
        )
        return format_html(
            '<table class="backup-tables"><thead><tr><th>Table</th><th>Rows</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="manifest")
    def manifest_json(self, export):
        return format_html("<pre>{}</pre>", json.dumps(export.manifest, indent=2, sort_keys=True))


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "source", "state", "finished_at"]
    list_filter = ["state"]
    readonly_fields = ["export_id", "source", "state", "started_at", "finished_at"]
