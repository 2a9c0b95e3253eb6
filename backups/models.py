"""What the backups app keeps about itself: the exports made (for the admin's list), and the
journal of an import in progress, so that an import cut short is finished by the next run.

The import journal is never part of an export: it describes the database it is in, not the
owner's data.
"""

from django.db import models
from django.utils import timezone


class BackupExport(models.Model):
    """One finished `export_all`: where it went, what it holds, and its manifest."""

    path = models.CharField(max_length=1024)
    started_at = models.DateTimeField("started", default=timezone.now)
    finished_at = models.DateTimeField("finished", default=timezone.now, db_index=True)
    with_media = models.BooleanField("with media", default=False)
    incremental = models.BooleanField(default=False)
    rows = models.PositiveBigIntegerField("rows", default=0)
    files = models.PositiveBigIntegerField("files", default=0)
    size_bytes = models.PositiveBigIntegerField("size in bytes", default=0)
    files_copied = models.PositiveBigIntegerField(
        "files copied",
        default=0,
        help_text="Fewer than the files when an incremental export found them there.",
    )
    manifest = models.JSONField(default=dict, blank=True, help_text="The manifest, without the file list.")

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "exports"
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"{self.path} ({self.finished_at:%Y-%m-%d %H:%M})"


class ImportRun(models.Model):
    """An `import_all --apply` of one export (by the manifest's id). While it is running, the
    database is allowed to be non-empty: the rows in it are this import's own."""

    class State(models.TextChoices):
        RUNNING = "running", "Running (or cut short)"
        DONE = "done", "Done"

    export_id = models.UUIDField("export id")
    source = models.CharField(max_length=1024)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField("started", default=timezone.now)
    finished_at = models.DateTimeField("finished", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["export_id"],
                name="%(app_label)s_%(class)s_unique_export",
                violation_error_message="This export is already being imported.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_state_display()})"


class ImportStep(models.Model):
    """How far an import has got with one step ("rows:profiles.person", "files", …): `done`
    counts the lines of the export's file already imported, advanced in the transaction that
    writes them."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=200)
    done = models.PositiveBigIntegerField(default=0)
    finished = models.BooleanField(default=False)

    class Meta:
        verbose_name = "import step"
        verbose_name_plural = "import steps"
        constraints = [
            models.UniqueConstraint(
                fields=["run", "step"],
                name="%(app_label)s_%(class)s_unique_step",
                violation_error_message="This step is already journalled.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.done}"
