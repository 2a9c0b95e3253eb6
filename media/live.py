"""Live screenshots: every few minutes, the people the owner follows who are live right now (their
room is in the affiliate API's online-rooms feed) get their room's current image kept in their
library, as source `screensnap`. Once-per-show affiliate snapshots miss most of a show; these give
a picture history of it.

Who is followed is the `following` attribute. A capture with the same bytes as one the person
already has is not stored again (it is counted as unchanged); placeholders and anything that is
not an image are refused by the same download path as the other jobs.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from media.affiliate import online_rooms
from media.models import MediaJob, MediaSource
from media.services import JobStopped, MediaRejected, job_record_failed_download, job_unit, media_download
from profiles.directory import directory_filters
from profiles.models import Person

JOB = MediaJob.Name.LIVE_SCREENSHOT
FOLLOWING = "following"


@dataclass
class LiveReport:
    rooms: int = 0
    followed: int = 0
    followed_live: int = 0
    captured: int = 0
    unchanged: int = 0
    placeholders: int = 0
    failures: list[dict] = field(default_factory=list)  # {"username", "url", "reason"}
    stopped: bool = False

    def summary(self) -> str:
        text = (
            f"{self.followed_live} of {self.followed} followed people live, {self.captured} captured, "
            f"{self.unchanged} unchanged (already in their library), "
            f"{self.placeholders} placeholders skipped, {len(self.failures)} failed"
        )
        return text + (" (stopped before the end)" if self.stopped else "") + "."

    def as_dict(self) -> dict:
        return asdict(self)


def followed_people() -> dict[str, Person]:
    """{username: person} of everyone the owner follows on the platform.

    Read through the people directory's attribute filter, so that the media app needs no
    knowledge of how attributes are stored."""
    people = Person.objects.filter(platform=Person.DEFAULT_PLATFORM)
    by_attribute = directory_filters.get("attribute")
    if by_attribute is None:
        raise ImproperlyConfigured("Live screenshots need the attributes app (the `following` attribute).")
    return {person.username: person for person in by_attribute.apply(people, FOLLOWING)}


def _capture(person: Person, url: str, captured_at, report: LiveReport) -> None:
    try:
        download = media_download(
            url=url, person=person, source=MediaSource.SCREENSNAP, captured_at=captured_at
        )
    except MediaRejected as error:
        report.failures.append({"username": person.username, "url": url, "reason": error.messages[0]})
        job_record_failed_download(name=JOB, url=url, reason=error.messages[0])
        return
    if download.record is None:
        report.placeholders += 1
    elif download.created:
        report.captured += 1
    else:
        report.unchanged += 1


def live_screenshot(*, url: str | None = None, keep_going: Callable[[], bool] = lambda: True) -> LiveReport:
    """One cycle. Reading the feed and each capture are units of work: a stop takes effect
    before the next download. Raises MediaRejected when the feed cannot be read."""
    url = url if url is not None else settings.AFFILIATE_API_URL
    if not url:
        raise ImproperlyConfigured("Set AFFILIATE_API_URL to the affiliate API's online-rooms address.")
    report = LiveReport()
    try:
        with job_unit(JOB, "reading the online rooms"):
            feed = online_rooms(url)
            followed = followed_people()
        report.rooms, report.followed = len(feed.rooms), len(followed)
        live = {room.username: room for room in feed.rooms if room.username in followed}
        report.followed_live = len(live)
        for username, room in sorted(live.items()):
            if not keep_going():
                report.stopped = True
                break
            if not room.image_url:
                report.failures.append({"username": username, "url": "", "reason": "The feed gave no image."})
                continue
            with job_unit(JOB, f"capturing {username}"):
                _capture(followed[username], room.image_url, feed.read_at, report)
    except JobStopped:
        report.stopped = True
    return report
