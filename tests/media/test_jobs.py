"""Job control: stop/start, heartbeats, and a stop that waits for work in progress."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from media.models import MediaJob
from media.selectors import media_job_statuses
from media.services import JobsStillWorking, JobStopped, job_unit, jobs_start, jobs_stop, jobs_stop_and_wait
from mhc.exceptions import ValidationError

POLLING = "affiliate-polling"


def media_jobs(*args) -> str:
    out = StringIO()
    call_command("media_jobs", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_three_media_jobs_exist_and_start_out_started():
    assert {job.name: job.state for job in MediaJob.objects.all()} == {
        "affiliate-polling": "started",
        "profile-capture": "started",
        "live-screenshot": "started",
    }


@pytest.mark.django_db
def test_a_unit_of_work_beats_and_is_marked_in_progress_until_it_ends():
    with job_unit(POLLING, "room alex"):
        [status] = media_job_statuses([POLLING])
        assert status.is_working
        assert status.current_unit == "room alex"
        assert status.heartbeat_at is not None
    [status] = media_job_statuses([POLLING])
    assert not status.is_working
    assert status.current_unit == ""
    assert status.is_alive


@pytest.mark.django_db
def test_a_stopped_job_starts_no_unit_until_started_again():
    jobs_stop(names=[POLLING])
    with pytest.raises(JobStopped), job_unit(POLLING, "room alex"):
        pytest.fail("the unit must not run")
    with job_unit("profile-capture", "profile alex"):  # the others are unaffected
        pass
    jobs_start(names=[POLLING])
    with job_unit(POLLING, "room alex"):
        pass


@pytest.mark.django_db
def test_a_unit_that_fails_is_still_unmarked():
    with pytest.raises(RuntimeError), job_unit(POLLING, "room alex"):
        raise RuntimeError("download broke")
    assert not media_job_statuses([POLLING])[0].is_working


@pytest.mark.django_db
def test_unknown_job_names_are_refused():
    with pytest.raises(ValidationError, match="Unknown job"):
        jobs_stop(names=["bitcoin-miner"])


@pytest.mark.django_db
def test_a_dead_workers_leftover_mark_does_not_block_a_stop(settings):
    long_ago = timezone.now() - timedelta(seconds=settings.MEDIA_JOB_STALE_SECONDS + 60)
    MediaJob.objects.filter(name=POLLING).update(
        working_since=long_ago, heartbeat_at=long_ago, current_unit="room x"
    )
    statuses = jobs_stop_and_wait(timeout=0)
    assert all(status.state == "stopped" for status in statuses)
    assert "worker stopped beating mid-unit" in media_jobs("status")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stop_waits_until_the_unit_in_progress_has_finished():
    if connection.vendor == "sqlite":
        # The in-memory test database is shared between threads with table locks that fail at
        # once instead of waiting (SQLITE_LOCKED), so two threads cannot take turns on it. A
        # SQLite file, like the app's, waits; this test runs in the PostgreSQL suite.
        pytest.skip("needs a database that two threads can use at once (the PostgreSQL run)")
    in_unit, release = threading.Event(), threading.Event()
    refused_after_stop = threading.Event()

    def worker():
        try:
            with job_unit(POLLING, "room slow_one"):
                in_unit.set()
                release.wait(timeout=30)
            try:
                with job_unit(POLLING, "room next_one"):
                    pass
            except JobStopped:
                refused_after_stop.set()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert in_unit.wait(timeout=30)
    with pytest.raises(JobsStillWorking, match="still working on 'room slow_one'"):
        jobs_stop_and_wait(timeout=0.3, poll_interval=0.05)
    release.set()
    statuses = jobs_stop_and_wait(timeout=30, poll_interval=0.05)
    thread.join(timeout=30)
    assert not any(status.is_working for status in statuses)
    assert refused_after_stop.is_set()
    assert MediaJob.objects.get(name=POLLING).state == "stopped"


@pytest.mark.django_db
def test_media_jobs_command_stops_starts_and_reports():
    out = media_jobs("stop", "--timeout", "1")
    assert "Stopped and verified idle: affiliate-polling, profile-capture, live-screenshot." in out
    assert set(MediaJob.objects.values_list("state", flat=True)) == {"stopped"}
    out = media_jobs("start", "live-screenshot")
    assert "Started: live-screenshot." in out
    assert MediaJob.objects.get(name="live-screenshot").state == "started"
    status = media_jobs("status")
    assert "affiliate-polling" in status
    assert "never" in status  # no worker has beaten yet
    with pytest.raises(CommandError, match="Unknown job"):
        media_jobs("stop", "nonsense")


@pytest.mark.django_db
def test_media_jobs_stop_fails_with_a_clear_message_while_work_is_in_progress():
    with (
        job_unit(POLLING, "room busy_one"),
        pytest.raises(CommandError, match="still working on 'room busy_one'"),
    ):
        media_jobs("stop", POLLING, "--timeout", "0")
    assert MediaJob.objects.get(name=POLLING).state == "stopped"  # stopped all the same


@pytest.mark.django_db
def test_the_worker_repeats_cycles_while_started_and_beats_while_idle():
    from media.worker import Worker, WorkerJob

    cycles: list[str] = []
    lines: list[str] = []
    worker: Worker

    class Report:
        def summary(self) -> str:
            return "did one cycle."

    def cycle(keep_going) -> Report:
        cycles.append("ran")
        if len(cycles) == 2:
            jobs_stop(names=[POLLING])
        if len(cycles) == 3:
            pytest.fail("a stopped job must not run")
        return Report()

    def say(line: str) -> None:
        lines.append(line)
        if "stopped, so nothing was done" in line:
            worker.stop()  # as Ctrl-C would, once the skip has been reported

    job = WorkerJob(name=POLLING, interval_seconds=lambda: 0, cycle=cycle, missing_setting=lambda: None)
    worker = Worker(jobs=[job], say=say)
    worker.run()
    assert cycles == ["ran", "ran"]
    assert lines[:2] == ["affiliate-polling: did one cycle."] * 2
    assert media_job_statuses([POLLING])[0].is_alive
