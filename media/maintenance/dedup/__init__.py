"""Duplicate images in the media library: the same bytes (sha256) recorded more than once.

Two kinds, handled differently:
- a person's duplicates (one person, several live records with one sha256): one record is kept,
  every reference is moved to it, the others are soft-deleted, their files quarantined
  (`merge`);
- cross-person groups (several people share one sha256): never merged, only reported, or with
  `placeholders` quarantined as a platform placeholder (`placeholders`).

Interrupting a run and running it again converges: references and primary flags move in one
transaction before any duplicate is soft-deleted, the keeper is chosen by the same rule every
time, and every file move is journalled, so the next run's recovery finishes or rolls it back.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from media.maintenance.dedup.groups import (
    PLACEHOLDER_NOTE,
    CrossPersonGroup,
    DedupResult,
    DuplicateGroup,
    cross_person_groups,
    duplicate_groups,
    keeper_choose,
)
from media.maintenance.dedup.merge import MergeBatch
from media.maintenance.dedup.placeholders import cross_person_pass
from media.maintenance.run import ProgressFactory, batches, move_threads, no_progress
from media.models import MediaRecord
from media.services import moves_recover

logger = logging.getLogger(__name__)

__all__ = [
    "PLACEHOLDER_NOTE",
    "CrossPersonGroup",
    "DedupResult",
    "DuplicateGroup",
    "cross_person_groups",
    "dedup_run",
    "duplicate_groups",
    "keeper_choose",
]


def _moves_finish(result: DedupResult) -> None:
    """Finish or roll back the moves an earlier run left unfinished (whatever their age; those
    another running process holds are left to it)."""
    for outcome in moves_recover():
        if outcome.action == "in progress elsewhere":
            continue
        result.moves_recovered += 1
        if outcome.action == "needs attention":
            result.problems.append(f"Move {outcome.source_key} → {outcome.target_key}: {outcome.detail}")


def _person_pass(
    result: DedupResult, *, apply: bool, exclude_sha256: set[str], batch_size: int, pool, progress
):
    groups = duplicate_groups(exclude_sha256=exclude_sha256)
    bar = progress("Processing duplicate groups", groups.count())
    underway = None  # the batch whose files the pool is moving while the next one is read
    try:
        for rows in batches(groups.iterator(chunk_size=batch_size), batch_size):
            batch = MergeBatch(rows, apply=apply, pool=pool, result=result)
            if underway is not None:
                underway.finish()  # once: finishing it again below, after an error, does nothing
                bar.advance(underway.size)
            batch.start()
            underway = batch
    except BaseException:
        # Also when a later batch failed: the moves started are completed (or released), so
        # none is left for recovery that this run could finish. The first error is the one raised.
        if underway is not None:
            try:
                underway.finish()
            except Exception:
                logger.exception("Completing the batch underway failed too; recovery will settle its moves.")
        raise
    if underway is not None:
        underway.finish()
        bar.advance(underway.size)
    bar.close()


def dedup_run(
    *,
    apply: bool,
    placeholders: bool = False,
    min_people: int = 3,
    batch_size: int = 500,
    workers: int = 8,
    progress: ProgressFactory = no_progress,
) -> DedupResult:
    """Find (and with `apply`, merge) duplicate images: every person's duplicates, and the
    cross-person groups, quarantined as placeholders when `placeholders` and they qualify.
    Files are copied and checked by `workers` threads at once on S3, one thread on local
    storage (`move_threads`).

    Without `apply` nothing changes. With it, afterwards no person has two live records with the
    same sha256, except where a file could not be moved (listed in `problems`). The caller stops
    the media jobs first (`media.maintenance.run.media_jobs_stop`).
    """
    if min_people < 2:
        raise ValueError("min_people must be at least 2: a group of one person is not shared.")
    if batch_size < 1 or workers < 1:
        raise ValueError("batch_size and workers must be at least 1.")
    result = DedupResult(applied=apply, workers=workers)
    result.records_without_sha256 = MediaRecord.objects.live().filter(sha256="").count()
    if apply:
        _moves_finish(result)
    with ThreadPoolExecutor(max_workers=move_threads(workers), thread_name_prefix="media-dedup") as pool:
        taken = cross_person_pass(
            result,
            apply=apply,
            placeholders=placeholders,
            min_people=min_people,
            batch_size=batch_size,
            pool=pool,
            progress=progress,
        )
        _person_pass(
            result, apply=apply, exclude_sha256=taken, batch_size=batch_size, pool=pool, progress=progress
        )
    return result
