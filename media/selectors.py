"""Reads of the media library that the profile page, the API, the admin and the jobs share.

Each returns what its caller shows in a constant number of queries.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404
from django.utils import timezone

from media.keys import quarantine_key
from media.models import AffiliateSnapshot, MediaJob, MediaRecord, MediaSource
from profiles.models import Person
from profiles.selectors import person_by_username


def media_by_id(media_id: object) -> MediaRecord:
    """The record (live or deleted, with its person) with this id, or Http404."""
    try:
        key = uuid.UUID(str(media_id))
    except ValueError:
        raise Http404("No such image.") from None
    try:
        return MediaRecord.objects.select_related("person").get(pk=key)
    except MediaRecord.DoesNotExist:
        raise Http404("No such image.") from None


def media_for_person(
    person: Person, *, source: str | None = None, limit: int | None = None, deleted: bool = False
):
    """The person's live images, primary first then newest (or, with `deleted`, their
    soft-deleted ones, latest deleted first), optionally of one source and at most `limit`."""
    records = MediaRecord.objects.filter(person=person, deleted_at__isnull=not deleted)
    records = records.order_by("-deleted_at", "-id") if deleted else records.primary_first()
    if source:
        records = records.filter(source=source)
    return records[:limit] if limit is not None else records


def media_for_username(username: str, *, source: str | None = None, limit: int | None = None):
    """`media_for_person` for a username (Http404 if nobody has it)."""
    return media_for_person(person_by_username(username), source=source, limit=limit)


def primary_media(person: Person) -> MediaRecord | None:
    return MediaRecord.objects.live().filter(person=person, is_primary=True).first()


def avatar_media(person: Person) -> MediaRecord | None:
    """The image the header shows: the primary one, else the newest."""
    return MediaRecord.objects.live().filter(person=person).primary_first().first()


def media_with_sha256(sha256: str, *, person: Person | None = None):
    """Live records whose bytes have this SHA-256 (the issue's `find_by_sha256`), oldest first."""
    records = MediaRecord.objects.live().filter(sha256=sha256.lower()).select_related("person")
    if person is not None:
        records = records.filter(person=person)
    return records.order_by("created_at")


def has_source_url(person: Person, url: str) -> bool:
    """Whether the person has a live image downloaded from exactly this address."""
    return MediaRecord.objects.live().filter(person=person, source_url=url).exists()


def media_file_key(record: MediaRecord) -> str:
    """Where the record's file is in storage now: its key, or its quarantine key once deleted."""
    return quarantine_key(record.file_path) if record.is_deleted else record.file_path


@dataclass(frozen=True)
class MediaCounts:
    """How many images a person has: live ones by source, and soft-deleted ones."""

    by_source: dict[str, int]
    deleted: int

    @property
    def live(self) -> int:
        return sum(self.by_source.values())


def media_counts(person: Person | None = None) -> MediaCounts:
    """The person's image counts (without a person, the whole library's), in one query."""
    by_source = dict.fromkeys(MediaSource.values, 0)
    deleted = 0
    records = MediaRecord.objects.all() if person is None else MediaRecord.objects.filter(person=person)
    is_deleted = ExpressionWrapper(Q(deleted_at__isnull=False), output_field=BooleanField())
    rows = (
        records.annotate(is_deleted=is_deleted)
        .values_list("source", "is_deleted")
        .annotate(n=Count("id"))
        .order_by()
    )
    for source, is_deleted, n in rows:
        if is_deleted:
            deleted += n
        else:
            by_source[source] = by_source.get(source, 0) + n
    return MediaCounts(by_source=by_source, deleted=deleted)


@dataclass(frozen=True)
class BroadcastSession:
    """One broadcast as consecutive affiliate snapshots show it."""

    started_at: datetime
    ended_at: datetime
    peak_viewers: int | None
    subject: str
    snapshots: int
    image_id: uuid.UUID | None  # the latest image of the session

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at


def _session_of(snapshots: list[AffiliateSnapshot]) -> BroadcastSession:
    first, last = snapshots[0], snapshots[-1]
    viewers = [s.num_users for s in snapshots if s.num_users is not None]
    images = [s.media_locator_id for s in snapshots if s.media_locator_id]
    return BroadcastSession(
        # The room was already online for `seconds_online` when first seen.
        started_at=first.observed_at - timedelta(seconds=first.seconds_online or 0),
        ended_at=last.observed_at,
        peak_viewers=max(viewers) if viewers else None,
        subject=last.room_subject
        or next((s.room_subject for s in reversed(snapshots) if s.room_subject), ""),
        snapshots=len(snapshots),
        image_id=images[-1] if images else None,
    )


def broadcast_sessions(person: Person, *, limit: int = 25, scan: int = 3000) -> list[BroadcastSession]:
    """The person's latest `limit` broadcasts, newest first, from their latest `scan` snapshots.

    Consecutive snapshots belong to one session unless they are more than
    BROADCAST_SESSION_GAP_MINUTES apart or the room's time online went down (it restarted).
    """
    gap = timedelta(minutes=settings.BROADCAST_SESSION_GAP_MINUTES)
    snapshots = list(
        AffiliateSnapshot.objects.filter(person=person)
        .only("observed_at", "num_users", "room_subject", "seconds_online", "media_locator_id")
        .order_by("-observed_at")[:scan]
    )
    snapshots.reverse()
    sessions: list[list[AffiliateSnapshot]] = []
    for snapshot in snapshots:
        current = sessions[-1] if sessions else None
        if current is not None:
            previous = current[-1]
            restarted = (
                snapshot.seconds_online is not None
                and previous.seconds_online is not None
                and snapshot.seconds_online < previous.seconds_online
            )
            if snapshot.observed_at - previous.observed_at <= gap and not restarted:
                current.append(snapshot)
                continue
        sessions.append([snapshot])
    return [_session_of(group) for group in reversed(sessions[-limit:])]


@dataclass(frozen=True)
class JobStatus:
    """A media job's state and what its worker last reported."""

    name: str
    label: str
    state: str
    current_unit: str
    working_since: datetime | None
    heartbeat_at: datetime | None
    last_error: str
    is_alive: bool  # its worker beat within MEDIA_JOB_STALE_SECONDS
    last_failed_url: str = ""
    last_failed_reason: str = ""
    last_failed_at: datetime | None = None

    @property
    def is_working(self) -> bool:
        """A unit of work is in progress (a dead worker's leftover mark does not count)."""
        return self.working_since is not None and self.is_alive


def media_job_status(job: MediaJob) -> JobStatus:
    stale_before = timezone.now() - timedelta(seconds=settings.MEDIA_JOB_STALE_SECONDS)
    return JobStatus(
        name=job.name,
        label=job.get_name_display(),
        state=job.state,
        current_unit=job.current_unit,
        working_since=job.working_since,
        heartbeat_at=job.heartbeat_at,
        last_error=job.last_error,
        is_alive=job.heartbeat_at is not None and job.heartbeat_at >= stale_before,
        last_failed_url=job.last_failed_url,
        last_failed_reason=job.last_failed_reason,
        last_failed_at=job.last_failed_at,
    )


def media_job_statuses(names: Iterable[str] | None = None) -> list[JobStatus]:
    jobs = MediaJob.objects.all() if names is None else MediaJob.objects.filter(name__in=list(names))
    return [media_job_status(job) for job in jobs.order_by("name")]
