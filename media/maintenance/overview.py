"""The media library at a glance, for the admin's media overview: counts by source, live and
soft-deleted records, duplicate groups, known placeholders, the quarantine as the latest
`media_check` measured it, and the latest reports.

Every figure is an aggregate computed by the database (a handful of queries whatever the size
of the library); the quarantine is not listed here, since that means walking storage: the
figure comes from the newest `media-check` report.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Count, F, Sum

from media.maintenance.dedup import cross_person_groups, duplicate_groups
from media.maintenance.run import reports_latest
from media.models import MediaRecord, MediaSource, PlaceholderHash
from media.selectors import media_counts

MEDIA_CHECK_REPORT = "media-check"


@dataclass(frozen=True)
class SourceCount:
    source: str
    label: str
    live: int


@dataclass(frozen=True)
class DuplicateGroups:
    """Groups of live records sharing a SHA-256, and the records beyond one per group."""

    groups: int
    surplus: int


@dataclass(frozen=True)
class QuarantineMeasure:
    files: int
    bytes: int
    measured_at: datetime
    report: str  # the media-check report's file name


@dataclass(frozen=True)
class ReportFile:
    name: str
    size: int
    modified_at: datetime


@dataclass(frozen=True)
class MediaOverview:
    live_by_source: list[SourceCount]  # every source, even one without records
    live: int
    deleted: int
    same_person: DuplicateGroups
    cross_person: DuplicateGroups
    placeholder_hashes: int
    quarantine: QuarantineMeasure | None
    reports: list[ReportFile]


def record_counts() -> tuple[list[SourceCount], int]:
    """Live records by source and soft-deleted records, in one query."""
    counts = media_counts()
    labels = dict(MediaSource.choices)
    live = [SourceCount(source, labels.get(source, source), n) for source, n in counts.by_source.items()]
    return live, counts.deleted


def duplicate_totals(*, across_people: bool) -> DuplicateGroups:
    """The groups `media_dedup` works on, counted: live records with the same SHA-256 of one
    person (what it merges), or owned by more than one person (`across_people`; usually a
    platform placeholder). Surplus counts the records beyond one per group (across people: the
    people beyond one per group)."""
    if across_people:
        totals = cross_person_groups().aggregate(groups=Count("*"), surplus=Sum(F("people") - 1))
    else:
        totals = duplicate_groups().aggregate(groups=Count("*"), surplus=Sum(F("records") - 1))
    return DuplicateGroups(groups=totals["groups"] or 0, surplus=totals["surplus"] or 0)


def placeholder_hash_count() -> int:
    """Hashes known to be placeholders: the table and the MEDIA_PLACEHOLDER_SHA256 setting."""
    configured = {sha.lower() for sha in settings.MEDIA_PLACEHOLDER_SHA256}
    in_table = PlaceholderHash.objects.count()
    if not configured:
        return in_table
    return in_table + len(configured) - PlaceholderHash.objects.filter(sha256__in=configured).count()


def quarantine_measure() -> QuarantineMeasure | None:
    """The quarantine's size from the newest readable `media-check` report, or None."""
    folder = Path(settings.REPORTS_DIR)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob(f"{MEDIA_CHECK_REPORT}-*.json"), reverse=True):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            summary = report["summary"]
            files, size = int(summary["quarantine_files"]), int(summary["quarantine_bytes"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # cut short or from an older version: an earlier report still tells
        when = report.get("finished_at") or report.get("started_at")
        try:
            measured_at = datetime.fromisoformat(when)
        except (TypeError, ValueError):
            measured_at = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        return QuarantineMeasure(files=files, bytes=size, measured_at=measured_at, report=path.name)
    return None


def reports_listed(*, limit: int = 20) -> list[ReportFile]:
    """The newest reports, newest first."""
    listed = []
    for path in reports_latest(limit=limit):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # removed since it was listed
        listed.append(
            ReportFile(
                name=path.name, size=stat.st_size, modified_at=datetime.fromtimestamp(stat.st_mtime, tz=UTC)
            )
        )
    return listed


def media_overview() -> MediaOverview:
    """Every figure of the admin's media overview (five queries)."""
    by_source, deleted = record_counts()
    return MediaOverview(
        live_by_source=by_source,
        live=sum(count.live for count in by_source),
        deleted=deleted,
        same_person=duplicate_totals(across_people=False),
        cross_person=duplicate_totals(across_people=True),
        placeholder_hashes=placeholder_hash_count(),
        quarantine=quarantine_measure(),
        reports=reports_listed(),
    )


def report_file(name: str) -> Path | None:
    """The report called `name` directly in REPORTS_DIR, or None (never a path elsewhere)."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        return None
    folder = Path(settings.REPORTS_DIR).resolve()
    path = folder / name
    if not path.is_file() or path.resolve().parent != folder:
        return None
    return path


def similar_report_latest() -> tuple[Path | None, dict | None]:
    """The newest media_similar report and its content (None, None when there is none)."""
    folder = Path(settings.REPORTS_DIR)
    reports = sorted(folder.glob("media-similar-2*.json")) if folder.is_dir() else []
    if not reports:
        return None, None
    try:
        return reports[-1], json.loads(reports[-1].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return reports[-1], None


def similar_groups_live(groups: list[dict]) -> list[dict]:
    """The reported groups as they stand: only their pictures still live, only groups of two or
    more, each picture with its file name (one query)."""
    ids = [image["id"] for group in groups for image in group["images"]]
    live = {str(pk) for pk in MediaRecord.objects.live().filter(pk__in=ids).values_list("pk", flat=True)}
    shown = []
    for group in groups:
        images = [
            {**image, "name": image["key"].rsplit("/", 1)[-1]}
            for image in group["images"]
            if image["id"] in live
        ]
        if len(images) > 1:
            shown.append({**group, "images": images})
    return shown
