"""What `import_legacy` brought from the original MHC Control Panel's database.

Every source row ends up in one of three places: a row of our own models (imported), another
row (merged), or a `LegacyRecord` (kept aside, verbatim). Values of an imported row that our
models have no field for are kept in `LegacyDetails`, shown read-only on the profile page.
`ImportProgress` is the importer's checkpoint: one row per source table, advanced in the same
transaction as each batch it records.
"""

from django.db import models
from django.utils import timezone

from profiles.models import Person


class LegacyRecord(models.Model):
    """One source row kept aside verbatim, with the reason it was not imported."""

    source_table = models.CharField(max_length=64)
    source_key = models.CharField(max_length=255, help_text="The row's primary key in the source table.")
    row = models.JSONField(help_text="The whole row as it was read.")
    reason = models.CharField(max_length=255)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legacy_records",
        help_text="The person the row is about, where it names one we imported.",
    )
    created_at = models.DateTimeField("kept", default=timezone.now)

    class Meta:
        verbose_name = "kept-aside legacy row"
        verbose_name_plural = "kept-aside legacy rows"
        ordering = ["source_table", "source_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_table", "source_key"],
                name="%(app_label)s_%(class)s_unique_source_row",
                violation_error_message="This source row is already kept.",
            ),
        ]
        indexes = [models.Index(fields=["reason"], name="legacy_record_reason")]

    def __str__(self) -> str:
        return f"{self.source_table} {self.source_key}"


class LegacyDetails(models.Model):
    """The values of one imported (or merged) source row that no field of ours holds, e.g. a
    profile's rating, friend tier, IRL name or follow tracking, or an image's favourite flag."""

    source_table = models.CharField(max_length=64)
    source_key = models.CharField(max_length=255)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="legacy_details"
    )
    target = models.CharField(
        max_length=128, blank=True, help_text='Where the row went, e.g. "media.MediaRecord <id>".'
    )
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "value from the original"
        verbose_name_plural = "values from the original"
        ordering = ["source_table", "source_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_table", "source_key"],
                name="%(app_label)s_%(class)s_unique_source_row",
                violation_error_message="This source row already has its details.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_table} {self.source_key}"


class ImportProgress(models.Model):
    """How far `import_legacy` got in one source table, and how its rows were accounted for."""

    source_table = models.CharField(max_length=64)
    last_key = models.CharField(max_length=255, blank=True, help_text="The last source key committed.")
    read = models.PositiveBigIntegerField(default=0)
    imported = models.PositiveBigIntegerField(default=0)
    merged = models.PositiveBigIntegerField(default=0)
    kept_aside = models.PositiveBigIntegerField("kept aside", default=0)
    finished = models.BooleanField(default=False)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        verbose_name = "import progress"
        verbose_name_plural = "import progress"
        ordering = ["source_table"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_table"],
                name="%(app_label)s_%(class)s_unique_table",
                violation_error_message="This table already has its progress.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_table}: {self.read} read"
