"""The media library's tables: every image of a person (`media_locator`), the affiliate API's
room snapshots, the known placeholder images, the journal of file moves, and the persisted state
of the jobs that create media."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from profiles.models import Person


class MediaSource(models.TextChoices):
    AFFILIATE_API = "affiliate_api", "Affiliate API"
    UPLOAD = "upload", "Upload"
    PROFILE = "profile", "Profile"
    SCREENSNAP = "screensnap", "Screenshot"


class MediaRecordQuerySet(models.QuerySet):
    def live(self) -> "MediaRecordQuerySet":
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> "MediaRecordQuerySet":
        return self.filter(deleted_at__isnull=False)

    def primary_first(self) -> "MediaRecordQuerySet":
        """The primary image first, then the newest (by when it was captured)."""
        return self.order_by("-is_primary", "-captured_at", "-created_at", "-id")

    def listed(self, *, deleted: bool = False) -> "MediaRecordQuerySet":
        """The live images, primary first then newest; or, with `deleted`, the soft-deleted
        ones, latest deleted first."""
        if deleted:
            return self.deleted().order_by("-deleted_at", "-id")
        return self.live().primary_first()


class MediaRecord(models.Model):
    """One media file of one person: the single source of truth for where it lives in storage.

    `file_path` is the storage key the file was saved under. A soft-deleted record keeps it; its
    file then lives at `media.keys.quarantine_key(file_path)`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by media_locator_person_captured, which starts with it.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="media_records",
        verbose_name="person",
        db_index=False,
    )
    source = models.CharField(max_length=16, choices=MediaSource.choices)
    file_path = models.CharField("storage key", max_length=512)
    original_filename = models.CharField(max_length=255, blank=True)
    source_url = models.CharField("source URL", max_length=2048, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    phash = models.CharField(
        "perceptual hash",
        max_length=16,
        blank=True,
        help_text="The picture's pHash (64 bits, hex): near-identical pictures differ in a few bits.",
    )
    size_bytes = models.PositiveBigIntegerField("size in bytes", null=True, blank=True)
    mime_type = models.CharField("MIME type", max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    is_primary = models.BooleanField("primary", default=False)
    captured_at = models.DateTimeField("captured", default=timezone.now)
    created_at = models.DateTimeField("created", default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField("deleted", null=True, blank=True, db_index=True)

    objects = MediaRecordQuerySet.as_manager()

    class Meta:
        db_table = "media_locator"
        verbose_name = "media record"
        verbose_name_plural = "media records"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person", "-captured_at"], name="media_locator_person_captured"),
            # The maintenance commands look up a batch of storage keys, deleted records included
            # (which the partial unique index below cannot serve).
            models.Index(fields=["file_path"], name="media_locator_file_path"),
            # Equality only (duplicates, placeholders): no second index for LIKE, as db_index adds.
            models.Index(fields=["sha256"], name="media_locator_sha256"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(is_primary=True, deleted_at__isnull=True),
                name="%(app_label)s_%(class)s_one_live_primary_per_person",
                violation_error_message="This person already has a primary image.",
            ),
            models.UniqueConstraint(
                fields=["file_path"],
                condition=models.Q(deleted_at__isnull=True),
                name="%(app_label)s_%(class)s_unique_live_file_path",
                violation_error_message="Another live media record already uses this storage key.",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_primary=True, deleted_at__isnull=False),
                name="%(app_label)s_%(class)s_deleted_is_not_primary",
                violation_error_message="A deleted image cannot be the primary one.",
            ),
        ]

    def __str__(self) -> str:
        return self.file_path

    def get_absolute_url(self) -> str:
        """The authenticated address of the file (served locally or redirected to a signed URL)."""
        return reverse("media-file", kwargs={"media_id": self.id})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AffiliateSnapshot(models.Model):
    """What the affiliate API said about a person's online room at one moment."""

    # Indexed by affiliate_person_observed, which starts with it.
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="affiliate_snapshots",
        verbose_name="person",
        db_index=False,
    )
    observed_at = models.DateTimeField("observed", default=timezone.now)
    room_subject = models.CharField(max_length=1024, blank=True)
    num_users = models.PositiveIntegerField("viewers", null=True, blank=True)
    num_followers = models.PositiveIntegerField("followers", null=True, blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="A list of tags.")
    is_hd = models.BooleanField("HD", null=True, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=256, blank=True)
    current_show = models.CharField(max_length=32, blank=True, help_text="public, private, group, away …")
    seconds_online = models.PositiveIntegerField(null=True, blank=True)
    image_url_360x270 = models.CharField("image URL (360x270)", max_length=2048, blank=True)
    media_locator = models.ForeignKey(
        MediaRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliate_snapshots",
        verbose_name="image",
    )

    class Meta:
        db_table = "affiliate_api_snapshots"
        verbose_name = "affiliate snapshot"
        verbose_name_plural = "affiliate snapshots"
        ordering = ["-observed_at"]
        indexes = [
            models.Index(fields=["person", "-observed_at"], name="affiliate_person_observed"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.observed_at:%Y-%m-%d %H:%M}"


class PlaceholderHash(models.Model):
    """An image the platform serves when there is no real picture: downloads with it are skipped."""

    sha256 = models.CharField("SHA-256", max_length=64)
    size_bytes = models.PositiveBigIntegerField("size in bytes", null=True, blank=True)
    note = models.CharField(max_length=255, blank=True, help_text="Where it was seen, why it is one.")
    created_at = models.DateTimeField("added", default=timezone.now)

    class Meta:
        verbose_name = "placeholder image"
        verbose_name_plural = "placeholder images"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                name="%(app_label)s_%(class)s_unique_sha256",
                violation_error_message="This hash is already a known placeholder.",
            ),
        ]

    def __str__(self) -> str:
        return self.sha256

    def save(self, *args, **kwargs):
        self.sha256 = normalized_sha256(self.sha256)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Hashes are compared lower-case everywhere: one pasted in upper case in the admin must
        # be recognised (and found a duplicate) like the same hash added by the service.
        self.sha256 = normalized_sha256(self.sha256)
        super().clean_fields(exclude=exclude)

    def clean(self):
        if not SHA256_RE.fullmatch(self.sha256):
            raise ValidationError({"sha256": "A SHA-256 is 64 hexadecimal characters."})


SHA256_RE = re.compile(r"[0-9a-f]{64}")


def normalized_sha256(value: str) -> str:
    return (value or "").strip().lower()


class MediaMove(models.Model):
    """The journal of one file move in storage (into or out of quarantine, …).

    Written before the move starts and advanced after each step (intent → copied → verified →
    done), so a move cut short by a crash can be finished or rolled back by the next run
    (`media.services.moves.moves_recover`).
    """

    class State(models.TextChoices):
        INTENT = "intent", "Intent recorded"
        COPIED = "copied", "Copied"
        VERIFIED = "verified", "Copy verified"
        DONE = "done", "Done"
        ROLLED_BACK = "rolled_back", "Rolled back"
        FAILED = "failed", "Needs attention"

    UNFINISHED = (State.INTENT, State.COPIED, State.VERIFIED)

    source_key = models.CharField(max_length=1024)
    target_key = models.CharField(max_length=1024)
    reason = models.CharField(max_length=64, help_text="Why the file moved, e.g. soft-delete.")
    size_bytes = models.PositiveBigIntegerField("size in bytes")
    sha256 = models.CharField("SHA-256", max_length=64)
    target_preexisted = models.BooleanField(
        default=False, help_text="An identical file was already at the target; a rollback leaves it."
    )
    record = models.ForeignKey(
        MediaRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moves",
        verbose_name="media record",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.INTENT)
    error = models.TextField(blank=True)
    lease_holder = models.CharField(
        max_length=255,
        blank=True,
        help_text="The process working on the move (host:pid:start), empty once it stopped doing so.",
    )
    lease_expires_at = models.DateTimeField("lease expires", null=True, blank=True)
    created_at = models.DateTimeField("started", default=timezone.now)
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        db_table = "media_move_journal"
        verbose_name = "file move"
        verbose_name_plural = "file moves"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "updated_at"], name="media_move_state_updated")]
        constraints = [
            # Two moves under way to one place could each count the other's copy as their own,
            # and a rollback of one would remove the file the other is about to keep.
            models.UniqueConstraint(
                fields=["target_key"],
                condition=models.Q(state__in=["intent", "copied", "verified"]),
                name="media_move_one_unfinished_per_target",
                violation_error_message="Another move to this place is under way.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_key} → {self.target_key} ({self.get_state_display()})"


class MediaJob(models.Model):
    """The persisted state of one media-creating job, and what its worker last reported.

    A worker sets `working_since` and `current_unit` when it starts a unit of work (only while the
    job is started) and clears them when the unit ends, beating `heartbeat_at` all along; so
    "stopped" can be verified: state stopped and nothing in progress.
    """

    class Name(models.TextChoices):
        AFFILIATE_POLLING = "affiliate-polling", "Affiliate polling"
        PROFILE_CAPTURE = "profile-capture", "Profile capture"
        LIVE_SCREENSHOT = "live-screenshot", "Live screenshot"

    class State(models.TextChoices):
        STARTED = "started", "Started"
        STOPPED = "stopped", "Stopped"

    name = models.CharField(max_length=32, choices=Name.choices)
    state = models.CharField(max_length=16, choices=State.choices, default=State.STARTED)
    heartbeat_at = models.DateTimeField("last heartbeat", null=True, blank=True)
    working_since = models.DateTimeField(null=True, blank=True)
    current_unit = models.CharField("current unit of work", max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    last_cycle_at = models.DateTimeField("last cycle", null=True, blank=True)
    last_cycle = models.JSONField(
        "last cycle's report", default=dict, blank=True, help_text="What the job's latest cycle did."
    )
    last_failed_url = models.CharField("last failed download", max_length=2048, blank=True)
    last_failed_reason = models.TextField("why it failed", blank=True)
    last_failed_at = models.DateTimeField("failed at", null=True, blank=True)
    stopped_by = models.CharField(
        max_length=64,
        blank=True,
        help_text="The maintenance command that stopped this job while it was started, which starts "
        "it again when it finishes without problems.",
    )
    updated_at = models.DateTimeField("updated", auto_now=True)

    class Meta:
        db_table = "media_jobs"
        verbose_name = "media job"
        verbose_name_plural = "media jobs"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message="This job already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name
