"""The notes' parts of the app outside the API: the Notes section of the profile page, the
Tip Menu link in its header and the people directory's "Latest note" column."""

from django.utils.http import urlencode

from mhc.filters import chosen, filters_for_page
from notes.filters import NoteFilterSet
from notes.models import Note
from notes.selectors import (
    latest_notes,
    note_counts,
    notes_for,
    notes_page,
    tip_menu_with_changes,
)
from profiles.directory import DirectoryColumn, register_directory_column
from profiles.sections import HeaderPart, PageContext, Section, register_header_part, register_section

NOTES_PER_PAGE = 10
TABS = [
    ("", "All"),
    (Note.Category.NOTE, "Notes"),
    (Note.Category.PM, "PM"),
    (Note.Category.DM, "DM"),
    (Note.Category.PUBLIC_CHAT, "Chat"),
    (Note.Category.TIP_MENU, "Menu"),
]
ACTIVITY_TITLES = {
    Note.Category.NOTE: "Note added",
    Note.Category.PM: "Private messages pasted",
    Note.Category.DM: "Direct messages pasted",
    Note.Category.PUBLIC_CHAT: "Chat log pasted",
    Note.Category.TIP_MENU: "Tip menu pasted",
}


def _positive_int(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else 0


def load_section(page: PageContext) -> dict:
    """One tab and page of the profile's notes (`?category=&page=`), and `?edit=<id>` to show that
    note as a form. After an in-page change (an htmx request) it also carries the latest tip
    menu, so the page can bring the header's Tip Menu link up to date."""
    query = page.request.GET
    filters = filters_for_page(NoteFilterSet, query, queryset=notes_for(page.profile))
    category = chosen(filters, "category")
    counts = note_counts(page.profile)
    notes = notes_page(
        filters.qs,
        count=counts[category or "all"],
        page=_positive_int(query.get("page")) or 1,
        per_page=NOTES_PER_PAGE,
    )
    is_refresh = page.request.headers.get("HX-Request") == "true"
    return {
        "tabs": [(key, label, counts[key or "all"]) for key, label in TABS],
        "category": category,
        "refused": filters.refused,
        "notes_page": notes,
        "editing": _positive_int(query.get("edit")),
        "query": urlencode(
            {"category": category, "page": notes.number} if category else {"page": notes.number}
        ),
        "categories": Note.Category.choices,
        "is_refresh": is_refresh,
        "tip_menu": tip_menu_with_changes(page.profile) if is_refresh else None,
    }


def load_header_link(page: PageContext) -> dict:
    return {"tip_menu": tip_menu_with_changes(page.profile)}


def register() -> None:
    register_section(
        Section(
            key="notes",
            title="Notes",
            order=30,
            template="notes/section.html",
            assets=("notes/notes.css", "notes/notes.js"),
            load=load_section,
        )
    )
    register_header_part(
        HeaderPart(
            key="tip-menu",
            slot="links",
            order=10,
            template="notes/header_tip_menu.html",
            assets=("notes/notes.css",),
            load=load_header_link,
        )
    )
    register_directory_column(
        DirectoryColumn(
            key="latest-note",
            title="Latest note",
            order=30,
            template="notes/directory_cell.html",
            load=latest_notes,
        )
    )
