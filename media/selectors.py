"""Reads of the media library that the profile page, the API, the admin and the jobs share.

Each returns what its caller shows in a constant number of queries.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    records = MediaRecord.objects.filter(person=person).listed(deleted=deleted)
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
    """Live records whose bytes have this SHA-256 (the original system's `find_by_sha256`), oldest first."""
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


# One affiliate snapshot as the sessions are pieced from: plain tuples, not model instances.
_OBSERVED, _VIEWERS, _SUBJECT, _ONLINE, _IMAGE = range(5)


def _session_of(snapshots: list[tuple]) -> BroadcastSession:
    """A session from its snapshots, oldest first."""
    first, last = snapshots[0], snapshots[-1]
    viewers = [s[_VIEWERS] for s in snapshots if s[_VIEWERS] is not None]
    images = [s[_IMAGE] for s in snapshots if s[_IMAGE]]
    return BroadcastSession(
        # The room was already online for `seconds_online` when first seen.
        started_at=first[_OBSERVED] - timedelta(seconds=first[_ONLINE] or 0),
        ended_at=last[_OBSERVED],
        peak_viewers=max(viewers) if viewers else None,
        subject=next((s[_SUBJECT] for s in reversed(snapshots) if s[_SUBJECT]), ""),
        snapshots=len(snapshots),
        image_id=images[-1] if images else None,
    )


def broadcast_sessions(person: Person, *, limit: int = 25, scan: int = 3000) -> list[BroadcastSession]:
    """The person's latest `limit` broadcasts, newest first, from their latest `scan` snapshots.

    Consecutive snapshots belong to one session unless they are more than
    BROADCAST_SESSION_GAP_MINUTES apart or the room's time online went down (it restarted).
    The snapshots are read newest first as tuples, and the reading stops once `limit` sessions
    are complete: a page of 25 sessions never builds thousands of objects.
    """
    gap = timedelta(minutes=settings.BROADCAST_SESSION_GAP_MINUTES)
    rows = (
        AffiliateSnapshot.objects.filter(person=person)
        .order_by("-observed_at")
        .values_list("observed_at", "num_users", "room_subject", "seconds_online", "media_locator_id")[:scan]
    )
    sessions: list[list[tuple]] = []  # newest session first, each newest snapshot first
    for row in rows.iterator(chunk_size=500):
        current = sessions[-1] if sessions else None
        if current is not None:
            later = current[-1]  # the snapshot after this one in time
            restarted = (
                row[_ONLINE] is not None and later[_ONLINE] is not None and later[_ONLINE] < row[_ONLINE]
            )
            if later[_OBSERVED] - row[_OBSERVED] <= gap and not restarted:
                current.append(row)
                continue
        if len(sessions) == limit:
            break  # the row starts an older session than the page shows: the page is complete
        sessions.append([row])
    return [_session_of(list(reversed(group))) for group in sessions]


def screensnaps_during(person: Person, sessions: list[BroadcastSession]) -> list[list[MediaRecord]]:
    """For each session, the live screenshots taken during it (oldest first), in one query.

    A session ends at its last affiliate snapshot; a screenshot taken after it, before the next
    snapshot would have come (BROADCAST_SESSION_GAP_MINUTES), is still of that show."""
    found: list[list[MediaRecord]] = [[] for _ in sessions]
    if not sessions:
        return found
    grace = timedelta(minutes=settings.BROADCAST_SESSION_GAP_MINUTES)
    records = (
        MediaRecord.objects.live()
        .filter(
            person=person,
            source=MediaSource.SCREENSNAP,
            captured_at__gte=min(session.started_at for session in sessions),
            captured_at__lte=max(session.ended_at for session in sessions) + grace,
        )
        .only("id", "captured_at", "person_id")
        .order_by("captured_at", "id")
    )
    for record in records:
        for index, session in enumerate(sessions):
            if session.started_at <= record.captured_at <= session.ended_at + grace:
                found[index].append(record)
                break
    return found


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
    last_cycle_at: datetime | None = None
    last_cycle: dict = field(default_factory=dict)  # {"summary": ..., and the job's own figures}
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
        last_cycle_at=job.last_cycle_at,
        last_cycle=job.last_cycle,
        last_failed_url=job.last_failed_url,
        last_failed_reason=job.last_failed_reason,
        last_failed_at=job.last_failed_at,
    )


def media_job_statuses(names: Iterable[str] | None = None) -> list[JobStatus]:
    jobs = MediaJob.objects.all() if names is None else MediaJob.objects.filter(name__in=list(names))
    return [media_job_status(job) for job in jobs.order_by("name")]
