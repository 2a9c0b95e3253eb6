"""The home page's "Library health" panel: the media jobs (running or stopped, with their last
error), what the last `media_check` found, and the quarantine's size, with links to act."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings

from media.maintenance.overview import MEDIA_CHECK_REPORT, quarantine_measure
from media.selectors import media_job_statuses
from profiles.home import HomePanel, register_home_panel


@dataclass(frozen=True)
class LastCheck:
    report: str
    finished_at: str
    problems: list[str]


def last_media_check() -> LastCheck | None:
    """The newest readable `media-check` report: when it ran and the problems it found."""
    folder = Path(settings.REPORTS_DIR)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob(f"{MEDIA_CHECK_REPORT}-*.json"), reverse=True):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            problems = [str(problem) for problem in report.get("problems", [])]
        except (OSError, ValueError, TypeError, AttributeError):
            continue
        when = report.get("finished_at") or report.get("started_at") or ""
        try:
            when = datetime.fromisoformat(when).strftime("%Y-%m-%d %H:%M")
        except (TypeError, ValueError):
            when = ""
        return LastCheck(report=path.name, finished_at=when, problems=problems)
    return None


def load(request) -> dict:
    return {"jobs": media_job_statuses(), "check": last_media_check(), "quarantine": quarantine_measure()}


def register() -> None:
    register_home_panel(
        # Wide: its table of jobs, states and errors does not fit a column.
        HomePanel(
            key="library", title="Library health", order=50, template="media/home.html", load=load, wide=True
        )
    )
