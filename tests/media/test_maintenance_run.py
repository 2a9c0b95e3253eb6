"""The shared parts of the maintenance commands: progress, reports, stopping the media jobs."""

import io
import json

import pytest

from media.maintenance.run import Progress, media_jobs_resume, media_jobs_stop, report_write, reports_latest
from media.models import MediaJob
from media.services import jobs_stop


def test_progress_off_a_terminal_writes_plain_lines_and_a_last_one():
    stream = io.StringIO()
    progress = Progress("Hashing", 3, stream=stream, tty=False)
    for _ in range(3):
        progress.advance()
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("Hashing: 100%")
    assert "3/3" in lines[-1]
    assert "\r" not in stream.getvalue()


def test_progress_on_a_terminal_redraws_one_line():
    stream = io.StringIO()
    progress = Progress("Listing", None, stream=stream, tty=True)
    progress.advance(5)
    progress.close()
    assert stream.getvalue().startswith("\rListing: 0")
    assert "\rListing: 5" in stream.getvalue()
    assert stream.getvalue().endswith("\n")
    assert stream.getvalue().count("\n") == 1


def test_reports_are_timestamped_json_and_never_overwrite(settings):
    first = report_write("media-check", {"summary": {"live": 3}})
    second = report_write("media-check", {"summary": {"live": 4}})
    assert first != second
    assert first.parent == settings.REPORTS_DIR
    assert first.name.startswith("media-check-2")
    assert first.suffix == ".json"
    assert json.loads(first.read_text())["summary"] == {"live": 3}
    assert set(reports_latest()) == {first, second}
    assert not list(settings.REPORTS_DIR.glob("*.partial"))


@pytest.mark.django_db
def test_stopping_the_media_jobs_stops_every_one_and_resuming_starts_those_that_ran():
    jobs_stop(names=[MediaJob.Name.LIVE_SCREENSHOT])  # the owner stopped this one
    stream = io.StringIO()
    were_running = media_jobs_stop(timeout=1, stream=stream, by="media_dedup")
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STOPPED}
    assert MediaJob.objects.count() == len(MediaJob.Name.values)
    assert were_running == [MediaJob.Name.AFFILIATE_POLLING, MediaJob.Name.PROFILE_CAPTURE]
    # Cut short and run again: the jobs the first run stopped are still its to start again.
    assert media_jobs_stop(timeout=1, stream=stream, by="media_dedup") == were_running
    assert media_jobs_resume(by="media_dedup", stream=stream) == were_running
    states = dict(MediaJob.objects.values_list("name", "state"))
    assert states[MediaJob.Name.LIVE_SCREENSHOT] == MediaJob.State.STOPPED
    assert {states[name] for name in were_running} == {MediaJob.State.STARTED}
    assert "Started the media jobs again" in stream.getvalue()


@pytest.mark.django_db
def test_the_owner_stopping_the_jobs_by_hand_keeps_a_command_from_starting_them():
    media_jobs_stop(timeout=1, stream=io.StringIO(), by="media_dedup")
    jobs_stop()
    assert media_jobs_resume(by="media_dedup", stream=io.StringIO()) == []
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STOPPED}
