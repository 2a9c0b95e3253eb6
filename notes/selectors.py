"""Reads of notes that the profile page, the directory, the activity log and the API share."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from math import ceil

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber, Substr
from django.http import Http404

from notes.models import Note, NoteQuerySet
from notes.parsers import MenuChanges, menu_changes, parse_tip_menu
from profiles.models import Person, Profile

PREVIEW_CHARS = 200
# Usernames asked about in one statement: far below SQLite's and PostgreSQL's parameter limits.
NAMES_PER_QUERY = 5000
MAX_ID = 2**63 - 1  # ids past a bigint cannot exist (and would overflow PostgreSQL's parameter)


@dataclass(frozen=True)
class NotePreview:
    """The start of a note's text, for lists that show many notes at once (directory, activity)."""

    category: str
    text: str
    created_at: datetime

    @property
    def label(self) -> str:
        return Note.Category(self.category).label

    @property
    def tone(self) -> str:
        return Note.TONES[self.category]


@dataclass(frozen=True)
class NotesPage:
    """One page of a profile's notes in one tab (a category, or all of them)."""

    notes: list[Note]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def notes_for(profile: Profile | None, *, category: str | None = None) -> NoteQuerySet:
    """The profile's notes (of one category, if given), newest first."""
    if profile is None:
        return Note.objects.none()
    return Note.objects.of_profile(profile).in_category(category).newest_first()


def note_counts(profile: Profile | None) -> dict[str, int]:
    """{category: number of notes} for every category, plus "all", in one query."""
    counts = dict.fromkeys(Note.Category.values, 0)
    if profile is not None:
        rows = Note.objects.of_profile(profile).order_by().values_list("category").annotate(n=Count("id"))
        counts.update(rows)
    counts["all"] = sum(counts.values())
    return counts


def notes_page(notes: NoteQuerySet, *, count: int, page: int, per_page: int) -> NotesPage:
    """A page of `notes` (a profile's notes, filtered); `count` is how many there are, known from
    `note_counts`, which spares a COUNT query."""
    num_pages = max(1, ceil(count / per_page))
    number = min(max(1, page), num_pages)
    start = (number - 1) * per_page
    found = list(notes[start : start + per_page]) if count else []
    return NotesPage(notes=found, number=number, num_pages=num_pages, count=count)


def note_of(person: Person, note_id: int) -> Note:
    """The person's note with this id (with its profile and person), or Http404."""
    if not 0 < note_id <= MAX_ID:
        raise Http404(f"{person.username} has no note {note_id}.")
    try:
        return Note.objects.select_related("profile__person").get(pk=note_id, profile__person=person)
    except Note.DoesNotExist:
        raise Http404(f"{person.username} has no note {note_id}.") from None


def latest_tip_menu(profile: Profile | None) -> Note | None:
    """The profile's newest tip menu, or None."""
    return notes_for(profile, category=Note.Category.TIP_MENU).first()


@dataclass(frozen=True)
class TipMenuWithChanges:
    """A profile's newest tip menu and what changed in it since the one pasted before it."""

    menu: Note
    previous: Note | None
    changes: MenuChanges


def tip_menu_with_changes(profile: Profile | None) -> TipMenuWithChanges | None:
    """The profile's newest tip menu with its changes against the previous one (one query), or
    None when it has no tip menu."""
    menus = list(notes_for(profile, category=Note.Category.TIP_MENU)[:2])
    if not menus:
        return None
    previous = menus[1] if len(menus) > 1 else None
    changes = (
        menu_changes(parse_tip_menu(previous.content), parse_tip_menu(menus[0].content))
        if previous
        else MenuChanges()
    )
    return TipMenuWithChanges(menu=menus[0], previous=previous, changes=changes)


def usernames_known(names: set[str]) -> set[str]:
    """Which of `names` are people in the database: one query for a chat log's users and the
    names its colon-less lines could start with (a few more only past NAMES_PER_QUERY names)."""
    ordered = sorted(names)
    known: set[str] = set()
    for start in range(0, len(ordered), NAMES_PER_QUERY):
        chunk = ordered[start : start + NAMES_PER_QUERY]
        known.update(Person.objects.filter(username__in=chunk).values_list("username", flat=True))
    return known


def _preview(row: dict) -> NotePreview:
    return NotePreview(
        category=row["category"], text=" ".join(row["preview"].split()), created_at=row["created_at"]
    )


def latest_notes(people: Sequence[Person]) -> dict:
    """{person.id: NotePreview of their newest note} for the people who have notes, in one query."""
    rows = (
        Note.objects.filter(profile__person__in=[person.id for person in people])
        .annotate(
            person=F("profile__person_id"),
            position=Window(
                RowNumber(), partition_by=F("profile_id"), order_by=[F("created_at").desc(), F("id").desc()]
            ),
            preview=Substr("content", 1, PREVIEW_CHARS),
        )
        .filter(position=1)
        .values("person", "category", "preview", "created_at")
    )
    return {row["person"]: _preview(row) for row in rows}


def recent_notes(person: Person, *, limit: int) -> list[NotePreview]:
    """The person's newest `limit` notes as previews, in one query and without their full text."""
    rows = (
        Note.objects.filter(profile__person=person)
        .newest_first()
        .annotate(preview=Substr("content", 1, PREVIEW_CHARS))
        .values("category", "preview", "created_at")[:limit]
    )
    return [_preview(row) for row in rows]


@dataclass(frozen=True)
class LatestNote:
    """A note for the home page: whose, when, what kind and the start of its text."""

    username: str
    preview: NotePreview


def latest_notes_anywhere(*, limit: int = 8) -> list[LatestNote]:
    """The newest notes on anyone's profile, in one query that reads only each text's start."""
    rows = (
        Note.objects.order_by("-created_at", "-id")
        .annotate(start=Substr("content", 1, PREVIEW_CHARS))
        .values_list("profile__person__username", "category", "start", "created_at")[:limit]
    )
    return [
        LatestNote(
            username=username,
            preview=NotePreview(category=category, text=" ".join(start.split()), created_at=at),
        )
        for username, category, start, at in rows
    ]
