"""The worker behind `manage.py run_jobs`: runs each registered job's cycle (`mhc.jobs`: the media
jobs registered here, and other apps' jobs) at its interval while the job is started, and beats
a heartbeat while idle so `media_jobs status` can tell it is alive. Only the media-creating jobs
have a started/stopped state (`media_jobs`); the others always run.

The jobs of one round share what they read: affiliate polling and live screenshots ask the
platform for its online rooms once a round, not once a job.
"""

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from events.context import Actor, acting_as
from media.affiliate import affiliate_poll, one_feed_per_round
from media.capture import profile_capture
from media.live import live_screenshot
from media.models import MediaJob
from media.selectors import media_job_statuses
from media.services import MediaRejected, job_heartbeat, job_record_cycle, job_record_error, moves_recover
from mhc.jobs import WorkerJob, register_worker_job

log = logging.getLogger(__name__)


def register() -> None:
    # Live screenshots run before affiliate polling in a round: when both fetch the same room
    # image, the bytes are stored once as the screenshot and the affiliate snapshot links to it,
    # so the Live tab keeps every capture.
    register_worker_job(
        WorkerJob(
            name=MediaJob.Name.LIVE_SCREENSHOT,
            order=10,
            interval_seconds=lambda: settings.LIVE_SCREENSHOT_INTERVAL_SECONDS,
            cycle=lambda keep_going: live_screenshot(keep_going=keep_going),
            missing_setting=lambda: None if settings.AFFILIATE_API_URL else "AFFILIATE_API_URL is not set",
        )
    )
    register_worker_job(
        WorkerJob(
            name=MediaJob.Name.AFFILIATE_POLLING,
            order=20,
            interval_seconds=lambda: settings.AFFILIATE_POLL_INTERVAL_SECONDS,
            cycle=lambda keep_going: affiliate_poll(keep_going=keep_going),
            missing_setting=lambda: None if settings.AFFILIATE_API_URL else "AFFILIATE_API_URL is not set",
        )
    )
    register_worker_job(
        WorkerJob(
            name=MediaJob.Name.PROFILE_CAPTURE,
            order=30,
            interval_seconds=lambda: settings.PROFILE_CAPTURE_INTERVAL_SECONDS,
            cycle=lambda keep_going: profile_capture(keep_going=keep_going),
            missing_setting=lambda: (
                None if settings.PROFILE_CAPTURE_URL else "PROFILE_CAPTURE_URL is not set"
            ),
        )
    )


class Worker:
    """Runs `jobs` until `stop()` (or one round with `once`). `say` receives progress lines."""

    IDLE_BEAT_SECONDS = 5.0

    def __init__(self, *, jobs: list[WorkerJob], say: Callable[[str], None], once: bool = False):
        self.jobs = jobs
        self.say = say
        self.once = once
        self.failures = 0
        self._stop = threading.Event()

    def stop(self) -> None:
        """Finish the current unit of work, then return from `run`."""
        self._stop.set()

    def run(self) -> None:
        for outcome in moves_recover():
            self.say(f"Unfinished file move {outcome.source_key} → {outcome.target_key}: {outcome.action}.")
        ready = []
        for job in self.jobs:
            missing = job.missing_setting()
            if missing:
                self.say(f"{job.name}: not run ({missing}).")
            else:
                ready.append(job)
        if not ready:
            return
        next_due = dict.fromkeys((job.name for job in ready), 0.0)
        while not self._stop.is_set():
            with one_feed_per_round():
                for job in ready:
                    if time.monotonic() >= next_due[job.name] and not self._stop.is_set():
                        self._run_cycle(job)
                        next_due[job.name] = time.monotonic() + job.interval_seconds()
            if self.once:
                return
            job_heartbeat(names=[job.name for job in ready])
            self._stop.wait(max(0.0, min(self.IDLE_BEAT_SECONDS, min(next_due.values()) - time.monotonic())))

    def _run_cycle(self, job: WorkerJob) -> None:
        [status] = media_job_statuses([job.name]) or [None]
        if status is not None and status.state == MediaJob.State.STOPPED:
            self.say(f"{job.name}: stopped, so nothing was done (`manage.py media_jobs start {job.name}`).")
            return
        try:
            with acting_as(Actor.job(job.name)):  # what a job adds is the job's doing in the history
                report = job.cycle(lambda: not self._stop.is_set())
        except (MediaRejected, ImproperlyConfigured) as error:
            self._failed(job, str(error.messages[0] if isinstance(error, MediaRejected) else error))
        except Exception as error:
            log.exception("%s failed", job.name)
            self._failed(job, f"{type(error).__name__}: {error}")
        else:
            as_dict = getattr(report, "as_dict", None)
            job_record_cycle(
                name=job.name, report={"summary": report.summary(), **(as_dict() if as_dict else {})}
            )
            self.say(f"{job.name}: {report.summary()}")

    def _failed(self, job: WorkerJob, message: str) -> None:
        self.failures += 1
        job_record_error(name=job.name, error=message)
        job_record_cycle(name=job.name, report={"summary": f"failed: {message}", "failed": message})
        self.say(f"{job.name}: failed: {message}")
