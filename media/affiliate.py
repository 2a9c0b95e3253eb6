"""Affiliate polling: one cycle reads the affiliate API's list of online rooms, records a snapshot
for each room of a tracked person (or of everyone, by setting) and downloads the room's
`image_url_360x270` into their library.

The feed is the platform's online-rooms JSON: a list of rooms, or an object whose `results`
holds them. A room is skipped (and counted) when its username is not a valid one; other fields
are taken when they have the expected type and left empty otherwise, so one odd room never
stops a cycle.
"""

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone

from media.models import MediaJob, MediaSource
from media.services import (
    Fetched,
    JobStopped,
    MediaRejected,
    affiliate_snapshot_create,
    http_fetch_json,
    image_fetch,
    job_record_failed_download,
    job_unit,
    media_save_fetched,
)
from media.storage import file_delete
from profiles.models import Person
from profiles.services import person_get_or_create, person_update
from profiles.usernames import normalize_username

JOB = MediaJob.Name.AFFILIATE_POLLING
FEED_MAX_BYTES = 64 * 1024 * 1024  # the whole platform's online rooms are a few MB
LOOKUP_BATCH = 1000


@dataclass(frozen=True)
class Room:
    """One online room as the feed describes it (only the fields a snapshot keeps)."""

    username: str
    fields: dict[str, Any]

    @property
    def image_url(self) -> str:
        return self.fields.get("image_url_360x270", "")


@dataclass
class PollReport:
    rooms: int = 0
    invalid_rooms: int = 0
    snapshots: int = 0
    images: int = 0
    placeholders: int = 0
    image_errors: list[str] = field(default_factory=list)
    stopped: bool = False

    def summary(self) -> str:
        text = (
            f"{self.rooms} rooms online, {self.snapshots} snapshots recorded, {self.images} images linked, "
            f"{self.placeholders} placeholders skipped, {len(self.image_errors)} image errors"
        )
        if self.invalid_rooms:
            text += f", {self.invalid_rooms} rooms without a valid username skipped"
        return text + (" (stopped before the end)" if self.stopped else "") + "."


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number < 2**31 else None


def _room(raw: Any) -> Room | None:
    if not isinstance(raw, dict):
        return None
    try:
        username = normalize_username(raw.get("username"))
    except ValidationError:
        return None
    age = _count(raw.get("age"))
    tags = raw.get("tags")
    is_hd = raw.get("is_hd")
    fields = {
        "room_subject": _text(raw.get("room_subject"), 1024),
        "num_users": _count(raw.get("num_users")),
        "num_followers": _count(raw.get("num_followers")),
        "tags": [tag.strip()[:64] for tag in tags if isinstance(tag, str)][:100]
        if isinstance(tags, list)
        else [],
        "is_hd": is_hd if isinstance(is_hd, bool) else None,
        "age": age if age is not None and 18 <= age <= 120 else None,
        "location": _text(raw.get("location"), 256),
        "current_show": _text(raw.get("current_show"), 32),
        "seconds_online": _count(raw.get("seconds_online")),
        "image_url_360x270": _text(raw.get("image_url_360x270"), 2048),
    }
    return Room(username=username, fields=fields)


def parse_rooms(payload: Any) -> tuple[list[Room], int]:
    """The valid rooms of a feed payload, and how many entries were not valid rooms."""
    entries = payload.get("results") if isinstance(payload, dict) else payload
    if not isinstance(entries, list):
        raise MediaRejected("The affiliate feed is not a list of rooms.", code="http")
    rooms = [_room(entry) for entry in entries]
    valid = [room for room in rooms if room is not None]
    return valid, len(rooms) - len(valid)


@dataclass(frozen=True)
class OnlineRooms:
    """The feed as read once: its valid rooms, how many entries were not, and when it was read."""

    rooms: list[Room]
    invalid: int
    read_at: datetime


# The feeds read during one round of the worker, by address: affiliate polling and live
# screenshots both need the online rooms, and when both are due in the same round the platform
# is asked once. Outside a round (a test, a one-off call) every call reads the feed.
_round_feeds: ContextVar[dict[str, OnlineRooms] | None] = ContextVar("media_round_feeds", default=None)


@contextmanager
def one_feed_per_round() -> Iterator[None]:
    token = _round_feeds.set({})
    try:
        yield
    finally:
        _round_feeds.reset(token)


def online_rooms(url: str) -> OnlineRooms:
    """The online rooms at `url`: read now, or the read of this round if there was one.
    Raises MediaRejected when the feed cannot be read or is not a list of rooms."""
    shared = _round_feeds.get()
    if shared is not None and url in shared:
        return shared[url]
    read_at = timezone.now()
    rooms, invalid = parse_rooms(http_fetch_json(url, max_bytes=FEED_MAX_BYTES))
    feed = OnlineRooms(rooms=rooms, invalid=invalid, read_at=read_at)
    if shared is not None:
        shared[url] = feed
    return feed


def _people_for(rooms: list[Room], *, all_rooms: bool, seen_at: datetime) -> dict[str, Person]:
    """{username: person} for the rooms to record: tracked people (with a profile), or all."""
    usernames = [room.username for room in rooms]
    people: dict[str, Person] = {}
    for start in range(0, len(usernames), LOOKUP_BATCH):
        batch = Person.objects.filter(
            username__in=usernames[start : start + LOOKUP_BATCH], platform=Person.DEFAULT_PLATFORM
        )
        if not all_rooms:
            batch = batch.filter(profile__isnull=False)
        people.update((person.username, person) for person in batch)
    if all_rooms:
        for username in usernames:
            if username not in people:
                people[username], _ = person_get_or_create(
                    username=username, role=Person.Role.MODEL, seen_at=seen_at
                )
    return people


def _record_room(person: Person, room: Room, observed_at: datetime, report: PollReport) -> None:
    """Record one room: its image, the snapshot and the person's last-seen time in one transaction,
    so an interrupted poll never leaves an image without its snapshot or the reverse. The image is
    downloaded before the transaction opens: no database lock waits on the network."""
    with ExitStack() as stack:
        fetched = _room_image(room, person, report, stack)
        stored_key = ""
        try:
            with transaction.atomic():
                image = None
                if fetched is not None:
                    try:
                        image, created = media_save_fetched(
                            fetched=fetched,
                            url=room.image_url,
                            person=person,
                            source=MediaSource.AFFILIATE_API,
                            captured_at=observed_at,
                        )
                    except MediaRejected as error:
                        _image_failed(person, room, error, report)
                    else:
                        stored_key = image.file_path if created else ""
                        report.images += 1
                affiliate_snapshot_create(
                    person=person, observed_at=observed_at, media_locator=image, **room.fields
                )
                person_update(person=person, seen_at=observed_at)
        except BaseException:
            # The new record was rolled back with the room: nothing refers to its file any more.
            if stored_key:
                file_delete(stored_key)
            raise
    report.snapshots += 1


def _room_image(room: Room, person: Person, report: PollReport, stack: ExitStack) -> Fetched | None:
    """The room's image, downloaded (closed with `stack`); None without one, for a known
    placeholder (counted) or when the download failed (reported)."""
    if not room.image_url:
        return None
    try:
        fetched = stack.enter_context(image_fetch(room.image_url))
    except MediaRejected as error:
        _image_failed(person, room, error, report)
        return None
    report.placeholders += fetched is None
    return fetched


def _image_failed(person: Person, room: Room, error: MediaRejected, report: PollReport) -> None:
    """Count a room image that could not be had, and keep its address and the reason for
    `media_jobs status` and the admin."""
    report.image_errors.append(f"{person.username}: {room.image_url}: {error.messages[0]}")
    job_record_failed_download(name=JOB, url=room.image_url, reason=error.messages[0])


def affiliate_poll(
    *, url: str | None = None, all_rooms: bool | None = None, keep_going: Callable[[], bool] = lambda: True
) -> PollReport:
    """One polling cycle. Every unit of work (reading the feed, then each room) first checks the
    job is started; a stop takes effect before the next room. Raises MediaRejected when the feed
    cannot be read."""
    url = url if url is not None else settings.AFFILIATE_API_URL
    if not url:
        raise ImproperlyConfigured("Set AFFILIATE_API_URL to the affiliate API's online-rooms address.")
    all_rooms = settings.AFFILIATE_POLL_ALL_ROOMS if all_rooms is None else all_rooms
    report = PollReport()
    try:
        with job_unit(JOB, "reading the online rooms"):
            feed = online_rooms(url)
            observed_at, rooms, report.invalid_rooms = feed.read_at, feed.rooms, feed.invalid
            report.rooms = len(rooms)
            people = _people_for(rooms, all_rooms=all_rooms, seen_at=observed_at)
        for room in _rooms_of(rooms, people):
            if not keep_going():
                report.stopped = True
                break
            with job_unit(JOB, f"room {room.username}"):
                _record_room(people[room.username], room, observed_at, report)
    except JobStopped:
        report.stopped = True
    return report


def _rooms_of(rooms: list[Room], people: dict[str, Person]) -> Iterator[Room]:
    seen: set[str] = set()
    for room in rooms:
        if room.username in people and room.username not in seen:
            seen.add(room.username)
            yield room
