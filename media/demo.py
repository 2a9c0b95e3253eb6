"""Demo images and broadcasts: real little pictures drawn with Pillow (a gradient with the
username on it), stored through the same service as uploads, a primary image for each person,
and affiliate snapshots forming a few broadcast sessions.

And what a library collects between two clean-ups, for the maintenance commands and the admin's
media overview to show: the platform's "room offline" picture saved for several people (a
cross-person group that `media_dedup` reports and `--placeholders` quarantines) and an image the
owner deleted (its file in quarantine), and a profile photo saved again at another quality (a
near-duplicate for `media_similar`; every image gets its perceptual hash)."""

import io
from datetime import datetime, timedelta

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont, ImageOps

from media.maintenance.similar import records_phash
from media.models import MediaRecord, MediaSource
from media.services import affiliate_snapshot_create, media_create, media_soft_delete
from mhc.colors import TONES, tone_for

GALLERY_PEOPLE = [
    "alex_lord_",
    "david_stain",
    "liiamspears",
    "bricktiger",
    "mattiufr",
    "hot_guy_2000",
    "leather_rex",
    "marco_roma",
    "jay_and_lee",
]
BROADCASTERS = {  # username → (days ago, hour started, snapshots 5 minutes apart, subject) per session
    "alex_lord_": [(1, 21, 6, "Leather night — goal: boots off #leather"), (3, 20, 4, "Chill chat")],
    "liiamspears": [
        (0, 18, 5, "Smile for tips :) #twink"),
        (2, 19, 3, "Quick hello"),
        (5, 22, 4, "Late show"),
    ],
    "bricktiger": [(2, 17, 5, "Bear hugs #bear")],
    "jay_and_lee": [(1, 23, 4, "Couple time #couple"), (4, 21, 6, "Games night")],
}
# Followed (the `following` attribute, set by the attributes demo): live screenshots of their shows.
LIVE_SCREENSHOT_PEOPLE = {"alex_lord_", "jay_and_lee"}
OFFLINE_PICTURE_PEOPLE = ["leather_rex", "marco_roma", "hot_guy_2000"]
DELETED_IMAGE_PERSON = "david_stain"
# Their profile photo again as an affiliate thumbnail, saved at another JPEG quality: other bytes,
# the same picture (a near-duplicate that `media_similar` groups).
NEAR_COPY_PERSON = "liiamspears"


def _hex(tone: str) -> tuple[int, int, int]:
    value = TONES[tone].lstrip("#")
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def demo_image(username: str, caption: str, *, variant: int = 0, size=(360, 270)) -> bytes:
    """A JPEG: a diagonal gradient in the user's colour, with their name and a caption."""
    tones = list(TONES)
    start = _hex(tone_for(username))
    end = _hex(tones[(tones.index(tone_for(username)) + 5 + variant * 3) % len(tones)])
    across, down = Image.linear_gradient("L").rotate(90).resize(size), Image.linear_gradient("L").resize(size)
    if variant % 2:
        across = ImageOps.mirror(across)
    gradient = Image.blend(across, down, 0.5)
    image = ImageOps.colorize(gradient, black=tuple(c // 3 for c in start), white=end)
    draw = ImageDraw.Draw(image)
    # Centred, so the square crop of the header avatar still shows the name.
    middle = (size[0] // 2, size[1] // 2)
    draw.text(middle, username, fill="white", font=ImageFont.load_default(size=30), anchor="mm")
    draw.text(
        (middle[0], middle[1] + 32),
        caption,
        fill=(235, 235, 235),
        font=ImageFont.load_default(size=18),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _store(person, data: bytes, source: str, **options) -> MediaRecord:
    record, _ = media_create(person=person, source=source, content=io.BytesIO(data), **options)
    return record


def _broadcasts(person, sessions, now: datetime, *, screenshots: bool = False) -> int:
    """Affiliate snapshots 5 minutes apart for each session (and, for a followed person, a live
    screenshot a minute after every other snapshot)."""
    count = 0
    for days_ago, hour, snapshots, subject in sessions:
        started = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0, microsecond=0)
        if started > now:
            started -= timedelta(days=1)
        for n in range(snapshots):
            observed_at = started + timedelta(minutes=5 * n + 2)
            image = _store(
                person,
                demo_image(person.username, f"live {observed_at:%a %H:%M}", variant=n),
                MediaSource.AFFILIATE_API,
                original_filename=f"{person.username}.jpg",
                source_url=f"https://thumb.example.invalid/ri/{person.username}.jpg",
                captured_at=observed_at,
            )
            affiliate_snapshot_create(
                person=person,
                observed_at=observed_at,
                media_locator=image,
                room_subject=subject,
                num_users=40 + (n * 37 + days_ago * 11) % 300,
                num_followers=10_000 + n * 5,
                tags=[word.lstrip("#") for word in subject.split() if word.startswith("#")],
                is_hd=True,
                current_show="public",
                seconds_online=5 * 60 * n + 120,
                image_url_360x270=f"https://thumb.example.invalid/ri/{person.username}.jpg",
            )
            count += 1
            if screenshots and n % 2 == 0:
                taken_at = observed_at + timedelta(minutes=1)
                _store(
                    person,
                    demo_image(person.username, f"screenshot {taken_at:%a %H:%M}", variant=n + 7),
                    MediaSource.SCREENSNAP,
                    original_filename=f"{person.username}-live.jpg",
                    source_url=f"https://thumb.example.invalid/ri/{person.username}.jpg",
                    captured_at=taken_at,
                )
    return count


def load(demo) -> None:
    now = timezone.now()
    for index, username in enumerate(GALLERY_PEOPLE):
        person = demo.people.get(username)
        if person is None or MediaRecord.objects.filter(person=person).exists():
            continue
        _store(
            person,
            demo_image(username, "profile photo", variant=index),
            MediaSource.UPLOAD,
            is_primary=True,
            original_filename="profile-photo.jpg",
        )
        from_profile = _store(
            person, demo_image(username, "from their profile", variant=index + 1), MediaSource.PROFILE
        )
        snapshots = _broadcasts(
            person, BROADCASTERS.get(username, []), now, screenshots=username in LIVE_SCREENSHOT_PEOPLE
        )
        demo.say(f"images for {username}" + (f" and {snapshots} affiliate snapshots" if snapshots else ""))
        if username in OFFLINE_PICTURE_PEOPLE:
            offline = demo_image("room offline", "the platform's picture", size=(360, 270))
            _store(person, offline, MediaSource.AFFILIATE_API, captured_at=now - timedelta(days=6))
            demo.say(f"the platform's offline picture for {username} (media_dedup reports it)")
        if username == DELETED_IMAGE_PERSON:
            media_soft_delete(record=from_profile)
            demo.say(f"a deleted image of {username}, in quarantine")
        if username == NEAR_COPY_PERSON:
            photo = demo_image(username, "profile photo", variant=index)
            _store(person, _resaved(photo), MediaSource.AFFILIATE_API, captured_at=now - timedelta(days=2))
            demo.say(f"a near copy of {username}'s profile photo (media_similar groups them)")
    hashed = records_phash(workers=2)
    if hashed.hashed:
        demo.say(f"perceptual hashes for {hashed.hashed} images")


def _resaved(jpeg: bytes, quality: int = 60) -> bytes:
    with Image.open(io.BytesIO(jpeg)) as image:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
