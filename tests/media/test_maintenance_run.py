"""The shared parts of the maintenance commands: progress, reports, stopping the media jobs."""

import io
import json

import pytest

from media.maintenance.run import Progress, media_jobs_stop, report_write, reports_latest
from media.models import MediaJob


def test_progress_off_a_terminal_writes_plain_lines_and_a_last_one():
    stream = io.StringIO()
    progress = Progress("Hashing", 3, stream=stream, tty=False)
    for _ in range(3):
        progress.advance()
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("Hashing: 3/3 (")
    assert "\r" not in stream.getvalue()


def test_progress_on_a_terminal_redraws_one_line():
    stream = io.StringIO()
    progress = Progress("Listing", None, stream=stream, tty=True)
    progress.advance(5)
    progress.close()
    assert stream.getvalue().startswith("\rListing: 5")
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
def test_stopping_the_media_jobs_stops_every_one_and_says_how_to_start_them():
    stream = io.StringIO()
    media_jobs_stop(timeout=1, stream=stream)
    assert set(MediaJob.objects.values_list("state", flat=True)) == {MediaJob.State.STOPPED}
    assert MediaJob.objects.count() == len(MediaJob.Name.values)
    assert "media_jobs start" in stream.getvalue()
