"""Profile capture: for each tracked person (one with a profile), fetch their profile page and
keep the picture it advertises in its OpenGraph `og:image` tag, with source `profile`.

Only that standard tag is read: it is how a page names its own picture, whereas the rest of a
platform's markup is no stable contract to scrape. An address already in the person's library
is not fetched again.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from media.models import MediaJob, MediaSource
from media.selectors import has_source_url
from media.services import (
    JobStopped,
    MediaRejected,
    http_fetch,
    job_record_failed_download,
    job_unit,
    media_download_and_save,
)
from profiles.models import Person

JOB = MediaJob.Name.PROFILE_CAPTURE
PAGE_MAX_BYTES = 4 * 1024 * 1024


@dataclass
class CaptureReport:
    people: int = 0
    images: int = 0
    unchanged: int = 0
    without_image: int = 0
    errors: list[str] = field(default_factory=list)
    stopped: bool = False

    def summary(self) -> str:
        return (
            f"{self.people} profiles visited, {self.images} images captured, {self.unchanged} already kept, "
            f"{self.without_image} without a picture, {len(self.errors)} errors"
            + (" (stopped before the end)" if self.stopped else "")
            + "."
        )


class _OpenGraphImage(HTMLParser):
    """Finds the first <meta property="og:image" content="..."> of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.image: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "meta" or self.image is not None:
            return
        values = dict(attrs)
        if (values.get("property") or values.get("name") or "").lower() == "og:image" and values.get(
            "content"
        ):
            self.image = values["content"].strip()


def og_image(html: str, base_url: str) -> str | None:
    """The absolute address of the page's og:image, or None."""
    parser = _OpenGraphImage()
    parser.feed(html)
    return urljoin(base_url, parser.image) if parser.image else None


@contextmanager
def _noting_failure(url: str):
    """Keep the address and the reason of a download that fails, as the job's last failure."""
    try:
        yield
    except MediaRejected as error:
        job_record_failed_download(name=JOB, url=url, reason=error.messages[0])
        raise


def _capture(person: Person, url_template: str, report: CaptureReport) -> None:
    page_url = url_template.format(username=quote(person.username))
    with (
        _noting_failure(page_url),
        http_fetch(page_url, max_bytes=PAGE_MAX_BYTES, accept="text/html") as page,
    ):
        html = page.content.read().decode("utf-8", errors="replace")
        image_url = og_image(html, page.url)
    if image_url is None:
        report.without_image += 1
    elif has_source_url(person, image_url):
        report.unchanged += 1
    else:
        with _noting_failure(image_url):
            saved = media_download_and_save(url=image_url, person=person, source=MediaSource.PROFILE)
        report.images += saved is not None


def profile_capture(
    *, url_template: str | None = None, keep_going: Callable[[], bool] = lambda: True
) -> CaptureReport:
    """One capture cycle over every tracked person; each person is one unit of work."""
    url_template = url_template if url_template is not None else settings.PROFILE_CAPTURE_URL
    if "{username}" not in url_template:
        raise ImproperlyConfigured("Set PROFILE_CAPTURE_URL to a profile page address containing {username}.")
    report = CaptureReport()
    people = Person.objects.filter(profile__isnull=False).order_by("username")
    try:
        for person in people.iterator(chunk_size=500):
            if not keep_going():
                report.stopped = True
                break
            with job_unit(JOB, f"profile {person.username}"):
                report.people += 1
                try:
                    _capture(person, url_template, report)
                except MediaRejected as error:
                    report.errors.append(f"{person.username}: {error.messages[0]}")
    except JobStopped:
        report.stopped = True
    return report
