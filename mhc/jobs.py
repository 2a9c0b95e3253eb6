"""The jobs `manage.py run_jobs` runs: each app registers its own from `AppConfig.ready()` (media
its media-creating jobs, collaborations its clusters), so the worker knows none of them.

Order within a round of the worker: live screenshot 10 · affiliate polling 20 · profile capture
30 · collaboration clusters 90.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkerJob:
    """A job the worker can run: its cycle, how often, and what it needs configured."""

    name: str
    interval_seconds: Callable[[], int] = field(compare=False)
    cycle: Callable[[Callable[[], bool]], object] = field(
        compare=False
    )  # keep_going → a report with .summary()
    missing_setting: Callable[[], str | None] = field(compare=False)  # why it cannot run, or None
    order: int = field(default=50, compare=False)  # its place in a round of the worker


_jobs: dict[str, WorkerJob] = {}


def register_worker_job(job: WorkerJob) -> WorkerJob:
    """Add a job to the worker's (registering it again, from a second `ready()`, replaces it)."""
    _jobs[job.name] = job
    return job


def worker_jobs() -> list[WorkerJob]:
    """Every registered job, in the order a round of the worker runs them."""
    return sorted(_jobs.values(), key=lambda job: (job.order, job.name))
