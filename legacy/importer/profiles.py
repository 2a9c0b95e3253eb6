"""`profiles` → Profile, plus what our Profile has no field for (kept as the read-only "from the
original" details), the old single `profiles.notes` note, and (older schema) the eight flag
columns as attribute values with one history row each."""

import uuid
from typing import Any

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from legacy.importer.core import Batch, Run, aware
from legacy.importer.events import attribute_history_events, note_events
from legacy.importer.source import FLAG_COLUMNS
from mhc.rows import rows_copy
from notes.models import Note
from notes.services import MAX_CONTENT_BYTES
from profiles.models import Profile

FOLLOWING = "following"  # profiles.following: the owner follows them (the live-screenshot job's list)
TEXT_LIMITS = {"display_name": 128, "bio": None, "location": 128, "gender": 32, "smoke_drink": 64}
# Columns that become Profile fields (or other rows) rather than details.
PROFILE_MAPPED = {"id", "person_id", *TEXT_LIMITS, "age", "tags", "social_links", "last_broadcast", "notes"}


def clean_tags(tags: Any) -> list[str]:
    """Tags trimmed (of a leading "#" too), lower-cased, each once (as our profile stores them)."""
    seen: dict[str, None] = {}
    for tag in tags or []:
        if isinstance(tag, str) and (tag := tag.strip().lstrip("#").strip()):
            seen.setdefault(tag.lower()[:64], None)
    return list(seen)


def social_links(links: Any) -> tuple[list[dict], list]:
    """The original's [{platform, url}] as our [{label, url}]; links we cannot show (no http(s)
    address, too long) are returned separately so they are kept, not dropped."""
    kept, left = [], []
    for link in links if isinstance(links, list) else []:
        url = link.get("url") if isinstance(link, dict) else None
        if isinstance(url, str) and url.lower().startswith(("http://", "https://")) and len(url) <= 500:
            label = link.get("platform") or link.get("label") or "link"
            kept.append({"label": str(label), "url": url})
        else:
            left.append(link)
    return kept, left


def profile_fields(row: dict) -> tuple[dict, dict]:
    """(our Profile's fields, the values that stay details) for one source profile row."""
    fields: dict[str, Any] = {}
    extras = {
        name: value for name, value in row.items() if name not in PROFILE_MAPPED and name not in FLAG_COLUMNS
    }
    for name, limit in TEXT_LIMITS.items():
        value = (row.get(name) or "").strip() if isinstance(row.get(name), str) else ""
        if limit and len(value) > limit:
            extras[name] = value  # the whole text stays; the field holds what fits
            value = value[:limit]
        fields[name] = value
    age = row.get("age")
    if isinstance(age, int) and 18 <= age <= 120:
        fields["age"] = age
    elif age is not None:
        extras["age"] = age
    fields["tags"] = clean_tags(row.get("tags"))
    fields["social_links"], left = social_links(row.get("social_links"))
    if left:
        extras["social_links_not_shown"] = left
    if row.get("last_broadcast"):
        fields["last_broadcast_at"] = aware(row["last_broadcast"])
    return fields, extras


def merge_fields(main: dict, others: list[dict]) -> tuple[dict, list[dict]]:
    """The main profile's fields with blanks filled from the others, and the conflicts (two
    different non-blank values; the main one is kept, the other stays in its details)."""
    merged, conflicts = dict(main), []
    for other in others:
        for name, value in other.items():
            if value in (None, "", []):
                continue
            if merged.get(name) in (None, "", []):
                merged[name] = value
            elif merged[name] != value:
                conflicts.append({"field": name, "kept": merged[name], "other": value})
    return merged, conflicts


def profiles_plan(run: Run) -> dict[int, list[dict]]:
    """For merged people with several profiles: every one of those profile ids → the rows of the
    group's profiles, main first (the survivor's). The conflicts between them go to the report."""
    plan = run.people
    members = [member for group in plan.groups.values() for member in group.members]
    rows = run.source.rows("SELECT * FROM profiles WHERE person_id = ANY(%s) ORDER BY id", (members,))
    by_survivor: dict[uuid.UUID, list[dict]] = {}
    for row in rows:
        by_survivor.setdefault(plan.survivor_of.get(row["person_id"], row["person_id"]), []).append(row)
    groups: dict[int, list[dict]] = {}
    for survivor, profile_rows in by_survivor.items():
        if len(profile_rows) < 2:
            continue
        profile_rows.sort(key=lambda row: (row["person_id"] != survivor, row["id"]))
        for row in profile_rows:
            groups[row["id"]] = profile_rows
        main, *others = profile_rows
        _, conflicts = merge_fields(profile_fields(main)[0], [profile_fields(row)[0] for row in others])
        for conflict in conflicts:
            run.listed(
                "conflicts", {"username": plan.groups[survivor].username, "table": "profiles", **conflict}
            )
    return groups


def profiles_import(run: Run) -> None:
    groups = profiles_plan(run)
    schema = run.source.schema
    select = (
        "SELECT t.*, EXISTS (SELECT 1 FROM profile_notes n WHERE n.profile_id = t.id "
        "AND btrim(n.content) = btrim(t.notes)) AS _notes_kept FROM profiles t"
        if schema.has("profile_notes", "profile_id", "content") and schema.has("profiles", "notes")
        else "SELECT t.*, false AS _notes_kept FROM profiles t"
    )
    definitions = set(
        AttributeDefinition.objects.filter(key__in=[*FLAG_COLUMNS, FOLLOWING]).values_list("key", flat=True)
    )

    def fields_for(row: dict) -> dict:
        group = groups.get(row["id"])
        if not group:
            return profile_fields(row)[0]
        main, *others = group
        return merge_fields(profile_fields(main)[0], [profile_fields(other)[0] for other in others])[0]

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        notes_kept = {row["id"]: row.pop("_notes_kept") for row in rows}
        targets = {row["id"]: run.people.target(row["person_id"]) for row in rows}
        profiles = {
            p.person_id: p for p in Profile.objects.filter(person_id__in=[t for t in targets.values() if t])
        }
        new: list[Profile] = []
        for row in rows:
            target = targets[row["id"]]
            if target is None:
                batch.keep(row, key=row["id"], reason=run.people.invalid_reason(row["person_id"]))
                continue
            group = groups.get(row["id"])
            if group and group[0] is not row and group[0]["id"] != row["id"]:
                batch.merged()
                run.listed("merged_profiles", {"profile": row["id"], "into_profile": group[0]["id"]})
            else:
                batch.imported()
            fields = fields_for(row)
            profile = profiles.get(target)
            if profile is None:
                profiles[target] = profile = Profile(person_id=target, **fields)
                new.append(profile)
            elif profile.pk and _fill_blanks(profile, fields):
                profile.save()
                batch.tally.written += 1
            batch.detail(
                key=row["id"],
                data=profile_fields(row)[1],
                person_id=target,
                target=f"profiles.Profile of {target}",
            )
        Profile.objects.bulk_create(new, batch_size=500)
        batch.tally.written += len(new)
        live = [(row, profiles[targets[row["id"]]]) for row in rows if targets[row["id"]] is not None]
        batch.tally.written += _old_notes(run, live, notes_kept)
        flags = FLAG_COLUMNS if schema.generation == "pre094" else ()
        batch.tally.written += _flags(run, live, definitions, flags=(*flags, FOLLOWING))

    run.stream("profiles", select, handle)


def _fill_blanks(profile: Profile, fields: dict) -> bool:
    changed = False
    for name, value in fields.items():
        if value not in (None, "", []) and getattr(profile, name) in (None, "", []):
            setattr(profile, name, value)
            changed = True
    return changed


def _old_notes(run: Run, rows: list[tuple[dict, Profile]], notes_kept: dict) -> int:
    """The original's single `profiles.notes` text as a note, unless a note already holds it.
    A text too large for a note stays in the profile's details."""
    wanted: dict[tuple[int, str], dict] = {}
    for row, profile in rows:
        text = row.get("notes")
        if not isinstance(text, str) or not text.strip() or notes_kept[row["id"]]:
            continue
        if len(text.encode("utf-8")) > MAX_CONTENT_BYTES:
            continue
        note = {"profile_id": profile.pk, "category": Note.Category.NOTE, "content": text}
        if at := aware(row.get("updated_at") or row.get("created_at")):
            note["created_at"] = at
        wanted.setdefault((profile.pk, text), note)
    if not wanted:
        return 0
    there = Note.objects.filter(
        profile_id__in={key[0] for key in wanted},
        category=Note.Category.NOTE,
        content__in={key[1] for key in wanted},
    )
    for key in there.values_list("profile_id", "content"):
        wanted.pop(key, None)
    notes = list(wanted.values())
    written = rows_copy(Note, notes)
    run.derive("events", note_events(notes, {profile.pk: profile.person_id for _, profile in rows}))
    return written


def _flags(
    run: Run, rows: list[tuple[dict, Profile]], definitions: set[str], *, flags: tuple[str, ...]
) -> int:
    """Boolean columns of `profiles` that are attributes here: the older schema's eight flags,
    and `following` (both schemas), which is our `following` attribute. Each true one becomes a
    set attribute with one history row, dated by `following_since` for `following` and by the
    profile's last change for the flags (the original kept no history for them). Written in
    bulk, without the history signals, since the history row is written here."""
    values: dict[tuple, dict] = {}
    for row, profile in rows:
        changed = aware(row.get("updated_at") or row.get("created_at"))
        for key in flags:
            at = (aware(row.get("following_since")) or changed) if key == FOLLOWING else changed
            if row.get(key) is True and key in definitions:
                values.setdefault((profile.person_id, key), {"set_at": at} if at else {})
    if not values:
        return 0
    there = PersonAttribute.objects.filter(
        person_id__in={person for person, _ in values}, attribute__in=definitions
    )
    for key in there.values_list("person_id", "attribute_id"):
        values.pop(key, None)
    rows_values = [{"person_id": p, "attribute_id": k, "value": True, **d} for (p, k), d in values.items()]
    history = [
        {
            "person_id": p,
            "attribute_key": k,
            "old_value": None,
            "new_value": True,
            **({"changed_at": d["set_at"]} if d else {}),
        }
        for (p, k), d in values.items()
    ]
    written = rows_copy(PersonAttribute, rows_values) + rows_copy(AttributeHistory, history)
    run.derive("events", attribute_history_events(history))
    return written
