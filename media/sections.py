"""The media app's parts of the profile page: the Images and Broadcast history sections
and the header avatar."""

from media.filters import DELETED, MediaFilterSet
from media.gallery import gallery_items
from media.models import MediaRecord, MediaSource
from media.selectors import avatar_media, broadcast_sessions, media_counts, screensnaps_during
from mhc.filters import chosen, filters_for_page
from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section

IMAGES_PER_PAGE = 24
# The gallery tab of live screenshots: a timeline of the person's shows, newest first.
TAB_LABELS = {MediaSource.SCREENSNAP: "Live"}
SCREENSNAPS_PER_SESSION = 6

ADDED_TITLES = {
    MediaSource.UPLOAD: "Image uploaded",
    MediaSource.PROFILE: "Profile image captured",
    MediaSource.SCREENSNAP: "Screenshot taken",
}


def _page_number(raw: str | None, pages: int) -> int:
    number = int(raw) if raw and raw.isdigit() else 1
    return min(max(number, 1), pages)


def _page_of_images(records, tab: str, number: int) -> list:
    if tab == MediaSource.SCREENSNAP:
        records = records.order_by("-captured_at", "-created_at", "-id")
    start = (number - 1) * IMAGES_PER_PAGE
    return list(records[start : start + IMAGES_PER_PAGE])


def load_images(page: PageContext) -> dict:
    """One page of the gallery (a source tab, or the deleted tab), with the counts for the tabs."""
    counts = media_counts(page.person)
    tab = page.request.GET.get("source", "")
    # The section's "Deleted" tab (`?source=deleted`) is what the filter set calls state=deleted.
    query = {"state": DELETED} if tab == DELETED else {"source": tab}
    filters = filters_for_page(MediaFilterSet, query, queryset=MediaRecord.objects.filter(person=page.person))
    tab = DELETED if filters.deleted else chosen(filters, "source")
    if tab == DELETED:
        total = counts.deleted
    elif tab:
        total = counts.by_source[tab]
    else:
        total = counts.live
    pages = max(1, -(-total // IMAGES_PER_PAGE))
    number = _page_number(page.request.GET.get("page"), pages)
    images = _page_of_images(filters.qs, tab, number) if total else []  # none counted: none read
    context = {
        "images": images,
        "gallery_items": gallery_items(images, username=page.person.username),
        "counts": counts,
        "tabs": [
            (value, TAB_LABELS.get(value, label), counts.by_source[value])
            for value, label in MediaSource.choices
        ],
        "tab": tab,
        "refused": filters.refused,
        "page_number": number,
        "pages": pages,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < pages else None,
    }
    if page.request.headers.get("HX-Request"):
        # Re-rendered after an action: refresh the header avatar too (htmx out-of-band swap).
        context["refresh_avatar"] = True
        context["avatar"] = avatar_media(page.person)
    return context


def load_avatar(page: PageContext) -> dict:
    return {"avatar": avatar_media(page.person)}


def load_broadcasts(page: PageContext) -> dict:
    sessions = broadcast_sessions(page.person)
    snaps = screensnaps_during(page.person, sessions)
    return {
        "sessions": [
            (
                session,
                snaps[index][:SCREENSNAPS_PER_SESSION],
                max(len(snaps[index]) - SCREENSNAPS_PER_SESSION, 0),
            )
            for index, session in enumerate(sessions)
        ]
    }


def register() -> None:
    register_section(
        Section(
            key="images",
            title="Images",
            order=60,
            template="media/sections/images.html",
            assets=("media/media.css",),
            load=load_images,
        )
    )
    register_section(
        Section(
            key="broadcast-history",
            title="Broadcast history",
            order=70,
            default_open=False,
            template="media/sections/broadcast_history.html",
            assets=("media/media.css",),
            load=load_broadcasts,
        )
    )
    register_header_part(
        HeaderPart(
            key="media-avatar",
            slot="avatar",
            order=10,
            template="media/header_avatar.html",
            assets=("media/media.css",),
            load=load_avatar,
        )
    )
