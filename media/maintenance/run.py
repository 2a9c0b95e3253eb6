"""What every maintenance run shares: progress (tqdm's bar on a terminal, plain lines otherwise),
JSON reports under REPORTS_DIR with a timestamp in their name, stopping the media-creating
jobs before media changes, and working through a stream in batches."""

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from tqdm import tqdm

from media.services import MEDIA_CREATING_JOBS, jobs_resume, jobs_stop_and_wait, jobs_stopped_by
from media.storage import uses_s3


def move_threads(workers: int) -> int:
    """The threads of a pool of file moves whose bytes are known (no file read), asked for
    `workers`: that many on S3, where each copy waits on a request; one on local storage, where
    a copy is a hard link, a few system calls of microseconds with the interpreter needed
    between them. There one thread keeps up beside the one working the database, and more only
    queue for the interpreter (20,000 duplicates merged in 6.2-6.7 s with one, 7.2 s with
    eight)."""
    return workers if uses_s3() else 1


def batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter), read as they are needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Lines:
    """A stream for tqdm off a terminal: each refresh becomes one plain line, so a log reads."""

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> None:
        text = text.strip("\r\n ")
        if text:
            self.stream.write(text + "\n")

    def flush(self) -> None:
        self.stream.flush()


class Progress:
    """Work done out of `total` (None when unknown), shown on `stream` by tqdm.

    On a terminal, tqdm's bar redrawn in place; elsewhere (cron, a log, a test) a plain line
    at most every ten seconds and a last one when the work ends. `done` counts what was advanced.
    """

    def __init__(self, label: str, total: int | None, *, stream: TextIO, tty: bool):
        self.label, self.total = label, total
        self.done = 0
        self._bar = tqdm(
            total=total,
            desc=label,
            file=stream if tty else _Lines(stream),
            mininterval=0.1 if tty else 10.0,
            ascii=not tty,
            dynamic_ncols=tty,
            unit=" items",
        )

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._bar.update(count)

    def close(self) -> None:
        self._bar.close()


ProgressFactory = Callable[[str, int | None], Progress]


def progress_to(stream: TextIO, *, tty: bool | None = None) -> ProgressFactory:
    """A factory of Progress bars writing to `stream` (a bar if it is a terminal)."""
    if tty is None:
        tty = hasattr(stream, "isatty") and stream.isatty()
    return lambda label, total: Progress(label, total, stream=stream, tty=tty)


def no_progress(label: str, total: int | None) -> Progress:
    """Progress that shows nothing (for the admin and for callers that do not care)."""
    return Progress(label, total, stream=_Silent(), tty=False)


class _Silent:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def report_timestamp(moment: datetime | None = None) -> str:
    """The timestamp in report names: UTC, sortable, safe in a file name."""
    return (moment or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


def report_path(name: str, *, suffix: str = ".json", moment: datetime | None = None) -> Path:
    """A new, unused path `REPORTS_DIR/<name>-<timestamp><suffix>`."""
    folder = Path(settings.REPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{report_timestamp(moment)}{suffix}"
    while path.exists():  # two runs within a microsecond
        path = folder / f"{name}-{report_timestamp()}{suffix}"
    return path


def report_write(name: str, data: dict[str, Any]) -> Path:
    """Write `data` as JSON to a new timestamped report; returns its path.

    Written to a temporary name and renamed, so a report is either whole or absent.
    """
    path = report_path(name)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)
        handle.write("\n")
    os.replace(partial, path)
    return path


def reports_latest(*, limit: int = 20) -> list[Path]:
    """The newest reports (JSON and logs), newest first."""
    folder = Path(settings.REPORTS_DIR)
    if not folder.is_dir():
        return []
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix in (".json", ".log")]
    return sorted(files, key=lambda path: path.stat().st_mtime, reverse=True)[:limit]


def media_jobs_stop(*, timeout: float = 60.0, stream: TextIO = sys.stdout, by: str = "") -> list[str]:
    """Stop the media-creating jobs and wait until none has work in progress, saying so; returns
    the jobs that were started (or that an earlier, interrupted run of `by` had stopped), which
    `media_jobs_resume(by=...)` starts again.

    Raises JobsStillWorking if one is still busy after `timeout` seconds (they stay stopped).
    """
    jobs_stop_and_wait(names=MEDIA_CREATING_JOBS, timeout=timeout, stopped_by=by)
    were_running = jobs_stopped_by(by) if by else []
    stream.write(
        f"Stopped the media-creating jobs ({', '.join(MEDIA_CREATING_JOBS)}) and verified none is "
        "working. "
        + (
            f"Those that were running ({', '.join(were_running)}) start again if this run ends "
            "without problems.\n"
            if were_running
            else "None was running, so none is started again afterwards.\n"
        )
    )
    return were_running


def media_jobs_resume(*, by: str, stream: TextIO = sys.stdout) -> list[str]:
    """Start again the jobs `media_jobs_stop(by=by)` stopped, saying so."""
    started = jobs_resume(stopped_by=by)
    if started:
        stream.write(f"Started the media jobs again: {', '.join(started)}.\n")
    return started
