"""What the library accepts as an image (judged from the bytes, never from a header or a file
name), and which images are the platform's placeholders rather than real pictures."""

import hashlib
import warnings
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from media.models import PlaceholderHash
from mhc.exceptions import ValidationError

# Larger pictures would take hundreds of MB to decode; no photo of a person needs that many.
MAX_PIXELS = 50_000_000

# Pillow format → (MIME type, file extension). Other formats Pillow can read are refused: the
# gallery shows these in every browser.
ACCEPTED_FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}


class MediaRejected(ValidationError):
    """An image (or its address) the library will not take: the message says why.

    `code` is one of "scheme", "network", "http", "too_large", "empty", "not_image", "format".
    """


@dataclass(frozen=True)
class ImageFacts:
    mime_type: str
    ext: str
    width: int
    height: int


def image_inspect(stream: BinaryIO) -> ImageFacts:
    """Type and dimensions of the image in `stream`, decoded in full to prove it is one.

    Raises MediaRejected for anything that is not a complete image in an accepted format
    (including decompression bombs). Leaves the stream at its start.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            stream.seek(0)
            with Image.open(stream) as image:
                image_format = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise MediaRejected(f"The image has more than {MAX_PIXELS:,} pixels.", code="too_large")
                image.verify()
            # verify() checks the structure but not the pixel data; decoding catches truncation.
            stream.seek(0)
            with Image.open(stream) as image:
                image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaRejected("The file is not an image.", code="not_image") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError):
        raise MediaRejected("The image is damaged or incomplete.", code="not_image") from None
    finally:
        stream.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        accepted = ", ".join(ACCEPTED_FORMATS)
        raise MediaRejected(f"{image_format} images are not accepted (only {accepted}).", code="format")
    mime_type, ext = ACCEPTED_FORMATS[image_format]
    return ImageFacts(mime_type=mime_type, ext=ext, width=width, height=height)


def is_placeholder_url(url: str) -> bool:
    """Whether the address looks like a placeholder (`no_image`, `default_avatar` …), by its path."""
    parts = urlsplit(url)
    where = f"{parts.path}?{parts.query}".lower()
    return any(pattern.lower() in where for pattern in settings.MEDIA_PLACEHOLDER_URL_PATTERNS if pattern)


def is_placeholder_digest(*, sha256: str, size: int) -> bool:
    """Whether bytes with this hash and size are a known placeholder (settings or the table)."""
    if size in settings.MEDIA_PLACEHOLDER_SIZES:
        return True
    if sha256 in {known.lower() for known in settings.MEDIA_PLACEHOLDER_SHA256}:
        return True
    return PlaceholderHash.objects.filter(sha256=sha256).exists()


def is_placeholder(value: str | bytes) -> bool:
    """Whether an address (str) or an image's bytes is a known placeholder image."""
    if isinstance(value, str):
        return is_placeholder_url(value)
    return is_placeholder_digest(sha256=hashlib.sha256(value).hexdigest(), size=len(value))


def placeholder_add(*, sha256: str, size_bytes: int | None = None, note: str = "") -> PlaceholderHash:
    """Record an image hash as a placeholder, so downloads skip it from then on."""
    sha256 = sha256.strip().lower()
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValidationError({"sha256": "A SHA-256 is 64 hexadecimal characters."})
    placeholder, _ = PlaceholderHash.objects.get_or_create(
        sha256=sha256, defaults={"size_bytes": size_bytes, "note": note[:255]}
    )
    return placeholder
