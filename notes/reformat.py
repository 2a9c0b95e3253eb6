"""Reading stored chat logs and tip menus again with the current parsers.

A note's `formatted_content` is derived from its text when it is saved; when the parsers learn
something new (a kind of line, a shape of price), the notes saved before show the old reading until
they are formatted again. `notes_reformat` does that: it reports by default and writes only when
asked, never touches a note's text, and converges when run again (a second run changes nothing).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from notes.models import Note
from notes.services import note_reformat, notes_reformatted_record


@dataclass
class ReformatReport:
    checked: int = 0
    changed: list[int] = field(default_factory=list)  # ids of the notes whose HTML differs
    applied: bool = False


def notes_reformat(
    *, apply: bool, batch_size: int = 200, progress: Callable[[int], None] | None = None
) -> ReformatReport:
    """Format every chat log and tip menu again; with `apply`, store the HTML of those that differ."""
    report = ReformatReport(applied=apply)
    notes = (
        Note.objects.filter(category__in=[Note.Category.PUBLIC_CHAT, Note.Category.TIP_MENU])
        .select_related("profile__person")
        .order_by("id")
    )
    for note in notes.iterator(chunk_size=batch_size):
        report.checked += 1
        if note_reformat(note=note, apply=apply):
            report.changed.append(note.id)
        if progress:
            progress(1)
    if apply and report.changed:
        notes_reformatted_record(note_ids=report.changed)
    return report
