"""What every maintenance run shares: progress (a bar on a terminal, plain lines otherwise),
JSON reports under REPORTS_DIR with a timestamp in their name, stopping the media-creating
jobs before media changes, and working through a stream in batches."""

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from media.services import MEDIA_CREATING_JOBS, jobs_stop_and_wait


def batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter), read as they are needed."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Progress:
    """Counts work done out of `total` (None when unknown) and shows it on `stream`.

    On a terminal, one line redrawn in place at most ten times a second; elsewhere (cron, a log,
    a test) a plain line every 10% (or every 10,000 items when the total is unknown) and at most
    one every few seconds, so a log stays readable.
    """

    def __init__(self, label: str, total: int | None, *, stream: TextIO, tty: bool):
        self.label, self.total, self.stream, self.tty = label, total, stream, tty
        self.done = 0
        self._started = self._shown_at = time.monotonic()
        self._shown_done = 0
        self._step = max(1, total // 10) if total else 10_000

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.tty:
            if now - self._shown_at >= 0.1:
                self._draw(now)
        elif self.done - self._shown_done >= self._step and now - self._shown_at >= 2:
            self._line(now)

    def close(self) -> None:
        now = time.monotonic()
        if self.tty:
            self._draw(now)
            self.stream.write("\n")
        else:
            self._line(now)
        self.stream.flush()

    def _rate(self, now: float) -> str:
        seconds = now - self._started
        return f"{self.done / seconds:,.0f}/s" if seconds > 0 else ""

    def _draw(self, now: float) -> None:
        self._shown_at = now
        if self.total:
            filled = int(30 * min(self.done, self.total) / self.total)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done:,}/{self.total:,}"
        else:
            bar = f"{self.done:,}"
        self.stream.write(f"\r{self.label}: {bar} {self._rate(now)}\033[K")
        self.stream.flush()

    def _line(self, now: float) -> None:
        self._shown_at, self._shown_done = now, self.done
        of = f"/{self.total:,}" if self.total is not None else ""
        elapsed = now - self._started
        self.stream.write(f"{self.label}: {self.done:,}{of} ({self._rate(now)}, {elapsed:.0f} s)\n")
        self.stream.flush()


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


def media_jobs_stop(*, timeout: float = 60.0, stream: TextIO = sys.stdout) -> list[str]:
    """Stop the media-creating jobs and wait until none has work in progress, saying so.

    Raises JobsStillWorking if one is still busy after `timeout` seconds (they stay stopped).
    Nothing restarts them but `manage.py media_jobs start`.
    """
    jobs_stop_and_wait(names=MEDIA_CREATING_JOBS, timeout=timeout)
    stream.write(
        f"Stopped the media-creating jobs ({', '.join(MEDIA_CREATING_JOBS)}) and verified none is "
        "working. They stay stopped: `manage.py media_jobs start` starts them again.\n"
    )
    return list(MEDIA_CREATING_JOBS)
