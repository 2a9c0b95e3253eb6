"""`profile_notes` → Note. The stored `formatted_content` is never read into a note: our parsers
build it again from the content. The original's `tips` category (the tips of a pasted public
chat) has no category of its own here: our chat view shows tips within the chat, so a `tips`
note whose paste also made a `public_chat` note with the same content is merged into that note,
and one without such a twin becomes a `public_chat` note."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from legacy.importer.core import Batch, Run, aware
from legacy.importer.events import note_events
from mhc.rows import rows_copy
from notes.formatting import format_note
from notes.models import Note
from notes.services import MAX_CONTENT_BYTES
from profiles.models import Person, Profile
from profiles.services import profile_update

CATEGORIES = {value: value for value in Note.Category.values} | {"tips": Note.Category.PUBLIC_CHAT}
_url = URLValidator(schemes=["http", "https"])


def note_category(category: str | None) -> str:
    """Our category for an original one (`tips` → public chat; missing or unknown → note)."""
    return CATEGORIES.get(category or "note", Note.Category.NOTE)


def source_url(url: str | None) -> str:
    """The link if our notes can hold it (an http(s) address of at most 500 characters), else ""."""
    if not url or len(url) > 500:
        return ""
    try:
        _url(url)
    except ValidationError:
        return ""
    return url


def notes_import(run: Run) -> None:
    if "profile_notes" not in run.source.schema.columns:
        return
    schema = run.source.schema
    category = "t.category::text" if schema.has("profile_notes", "category") else "NULL"
    twin = (
        f"CASE WHEN {category} = 'tips' THEN (SELECT min(o.id::text) FROM profile_notes o "
        "WHERE o.profile_id = t.profile_id AND o.category::text = 'public_chat' AND o.content = t.content) "
        "END"
        if category != "NULL"
        else "NULL"
    )
    select = (
        f"SELECT t.*, {category} AS _category, p.person_id AS _person_id, {twin} AS _chat_twin "
        "FROM profile_notes t JOIN profiles p ON p.id = t.profile_id"
    )
    run.stream("profile_notes", select, _notes_batch)


def _notes_batch(run: Run, batch: Batch, rows: list[dict]) -> None:
    extra = [{name: row.pop(name) for name in ("_category", "_person_id", "_chat_twin")} for row in rows]
    targets = [run.people.target(more["_person_id"]) for more in extra]
    profiles = {p.person_id: p for p in Profile.objects.filter(person_id__in={t for t in targets if t})}
    usernames = dict(Person.objects.filter(pk__in={t for t in targets if t}).values_list("pk", "username"))
    new = []
    for row, more, target in zip(rows, extra, targets, strict=True):
        content = row.get("content") or ""
        if target is None:
            batch.keep(row, key=row["id"], reason=run.people.invalid_reason(more["_person_id"]))
            continue
        if not content.strip():
            batch.keep(row, key=row["id"], reason="empty note", person_id=target)
            continue
        if len(content.encode("utf-8", errors="surrogatepass")) > MAX_CONTENT_BYTES:
            batch.keep(row, key=row["id"], reason="larger than a note holds (1 MB)", person_id=target)
            continue
        if more["_chat_twin"]:
            batch.merged()
            run.listed("merged_notes", {"note": str(row["id"]), "into_note": more["_chat_twin"]})
            continue
        batch.imported()
        category = note_category(more["_category"])
        link = source_url(row.get("source_url"))
        profile = profiles.get(target)
        if profile is None:
            profile = profiles[target] = profile_update(person=Person.objects.get(pk=target))
            batch.tally.written += 1
        note = {
            "profile_id": profile.pk,
            "category": category,
            "content": content,
            "source_url": link,
            "formatted_content": format_note(
                content=content, category=category, broadcaster=usernames[target]
            ),
        }
        if row.get("created_at"):
            note["created_at"] = aware(row["created_at"])
        new.append(note)
        details = {}
        if category != (more["_category"] or "note"):
            details["category"] = more["_category"]
        if link != (row.get("source_url") or ""):
            details["source_url"] = row.get("source_url")
        batch.detail(key=row["id"], data=details, person_id=target, target="notes.Note")
    batch.tally.written += rows_copy(Note, new, batch_size=200)
    run.derive("events", note_events(new, {profile.pk: person for person, profile in profiles.items()}))
