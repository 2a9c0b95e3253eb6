"""Job control for the jobs that create media (affiliate polling, profile capture, live
screenshots): a persisted started/stopped state, and the heartbeat and work-in-progress marks a
running job leaves, so that "stopped" can be verified.

The protocol, which makes `jobs_stop_and_wait` trustworthy:
- a worker starts each unit of work with `job_unit(name, unit)`, which in ONE conditional
  UPDATE checks the job is started and marks the unit in progress (else raises JobStopped);
- `jobs_stop` sets the state; `jobs_stop_and_wait` then waits until no job of the group has a
  unit in progress. Both statements take the same row, so a unit either began before the stop
  (and is waited for) or is refused.
A worker that died mid-unit stops beating; after MEDIA_JOB_STALE_SECONDS its mark no longer
counts as work in progress.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.utils import timezone

from media.models import MediaJob
from media.selectors import JobStatus, media_job_statuses
from mhc.exceptions import ValidationError

MEDIA_CREATING_JOBS: tuple[str, ...] = tuple(MediaJob.Name.values)


class JobStopped(Exception):
    """The job was stopped: the worker must not start the next unit of work."""


class JobsStillWorking(Exception):
    """Jobs were stopped but some still had work in progress when the wait ran out."""

    def __init__(self, busy: list[JobStatus], timeout: float):
        self.busy = busy
        units = "; ".join(f"{status.name} is still working on {status.current_unit!r}" for status in busy)
        super().__init__(
            f"Stopped, but after {timeout:g} s {units}. Run the command again once that unit has "
            f"finished (or, if the worker has died, after its heartbeat is older than the stale limit)."
        )


def _job_names(names: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(names))
    unknown = [name for name in names if name not in MEDIA_CREATING_JOBS]
    if unknown:
        raise ValidationError(
            {"name": f"Unknown job {', '.join(unknown)}; the jobs are {', '.join(MEDIA_CREATING_JOBS)}."}
        )
    for name in names:
        MediaJob.objects.get_or_create(name=name)
    return names


def _set_state(names: Iterable[str], state: str) -> list[str]:
    names = _job_names(names)
    MediaJob.objects.filter(name__in=names).update(state=state, stopped_by="", updated_at=timezone.now())
    return names


def jobs_stop(*, names: Iterable[str] = MEDIA_CREATING_JOBS, stopped_by: str = "") -> list[str]:
    """Stop these jobs: their workers start no new unit of work until they are started again.

    With `stopped_by` (a maintenance command's name), the jobs that were started are marked as
    stopped by it, for `jobs_resume` to start again; without, the stop is the owner's and clears
    any such mark, so nothing restarts them behind the owner's back.
    """
    names = _job_names(names)
    now = timezone.now()
    if not stopped_by:
        return _set_state(names, MediaJob.State.STOPPED)
    MediaJob.objects.filter(name__in=names, state=MediaJob.State.STARTED).update(
        state=MediaJob.State.STOPPED, stopped_by=stopped_by[:64], updated_at=now
    )
    return names


def jobs_stopped_by(stopped_by: str) -> list[str]:
    """The stopped jobs that `stopped_by` stopped while they were started."""
    jobs = MediaJob.objects.filter(state=MediaJob.State.STOPPED, stopped_by=stopped_by[:64])
    return list(jobs.order_by("name").values_list("name", flat=True))


def jobs_resume(*, stopped_by: str) -> list[str]:
    """Start again the jobs that `stopped_by` stopped; returns their names."""
    names = jobs_stopped_by(stopped_by)
    MediaJob.objects.filter(name__in=names, stopped_by=stopped_by[:64]).update(
        state=MediaJob.State.STARTED, stopped_by="", updated_at=timezone.now()
    )
    return names


def jobs_start(*, names: Iterable[str] = MEDIA_CREATING_JOBS) -> list[str]:
    """Start these jobs again."""
    return _set_state(names, MediaJob.State.STARTED)


def jobs_stop_and_wait(
    *,
    names: Iterable[str] = MEDIA_CREATING_JOBS,
    timeout: float = 60.0,
    poll_interval: float = 0.5,
    stopped_by: str = "",
) -> list[JobStatus]:
    """Stop the group and wait until none of its jobs reports work in progress.

    Returns their statuses once verified stopped; raises JobsStillWorking after `timeout`
    seconds (the jobs stay stopped). Maintenance commands call this before they change media.
    """
    names = jobs_stop(names=names, stopped_by=stopped_by)
    deadline = time.monotonic() + timeout
    while True:
        statuses = media_job_statuses(names)
        busy = [status for status in statuses if status.is_working]
        if not busy:
            return statuses
        if time.monotonic() >= deadline:
            raise JobsStillWorking(busy, timeout)
        time.sleep(poll_interval)


def job_heartbeat(*, names: Iterable[str]) -> None:
    """Record that the worker running these jobs is alive (it beats while idle, too)."""
    MediaJob.objects.filter(name__in=list(names)).update(heartbeat_at=timezone.now())


def job_record_error(*, name: str, error: str) -> None:
    """Keep the latest error of a job, for `media_jobs status` and the admin."""
    MediaJob.objects.filter(name=name).update(last_error=error[:2000], updated_at=timezone.now())


def job_record_cycle(*, name: str, report: dict) -> None:
    """Keep what the job's latest cycle did ({"summary": text, and its figures}), for
    `media_jobs status` and the admin."""
    now = timezone.now()
    MediaJob.objects.filter(name=name).update(last_cycle=report, last_cycle_at=now, updated_at=now)


def job_record_failed_download(*, name: str, url: str, reason: str) -> None:
    """Keep the latest download a job could not make (address and why), which is also its last
    error, for `media_jobs status` and the admin's Media jobs screen."""
    now = timezone.now()
    MediaJob.objects.filter(name=name).update(
        last_failed_url=url[:2048],
        last_failed_reason=reason[:2000],
        last_failed_at=now,
        last_error=f"Download of {url} failed: {reason}"[:2000],
        updated_at=now,
    )


@contextmanager
def job_unit(name: str, unit: str) -> Iterator[None]:
    """Run one unit of work of a job: refused with JobStopped if the job is stopped, marked in
    progress (with a heartbeat) while it runs, and unmarked however it ends."""
    _job_names([name])
    now = timezone.now()
    began = MediaJob.objects.filter(name=name, state=MediaJob.State.STARTED).update(
        working_since=now, current_unit=unit[:255], heartbeat_at=now, updated_at=now
    )
    if not began:
        raise JobStopped(f"{name} is stopped.")
    try:
        yield
    finally:
        now = timezone.now()
        MediaJob.objects.filter(name=name).update(
            working_since=None, current_unit="", heartbeat_at=now, updated_at=now
        )
