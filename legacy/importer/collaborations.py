"""`profile_seen_with` and `collaborations` → Collaboration, one row per unordered pair.

Seen-with rows are one-directional (a profile saw a person or just a name). A NULL person id is
resolved by name, case-insensitively; a name that resolves to nobody is kept aside and listed.
Both directions and the rows of both tables fold into one pair, with the earliest first-seen date
and every distinct note. A pair of a person with themself (after merging) is kept aside.
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction

from collaborations.models import Collaboration, ordered_pair
from legacy.importer.core import Batch, Run, aware, key_text
from legacy.importer.events import collaboration_events
from profiles.models import Person


@dataclass
class Pair:
    first_seen_at: datetime | None = None
    rows: list[tuple] = field(default_factory=list)  # (date, table, key, notes) of the rows folded in

    def add(self, *, at: datetime | None, notes: str | None, table: str, key: str) -> None:
        if at is not None and (self.first_seen_at is None or at < self.first_seen_at):
            self.first_seen_at = at
        self.rows.append((at or datetime.max.replace(tzinfo=UTC), table, key, (notes or "").strip()))

    @property
    def notes(self) -> list[str]:
        """Every distinct note, oldest row first."""
        return list(dict.fromkeys(text for *_, text in sorted(self.rows) if text))


SEEN_WITH = (
    "SELECT t.*, p.person_id AS _person_id, n.id AS _by_name FROM profile_seen_with t "
    "JOIN profiles p ON p.id = t.profile_id "
    "LEFT JOIN (SELECT DISTINCT ON (lower(btrim(username))) lower(btrim(username)) AS name, id "
    "FROM persons ORDER BY lower(btrim(username)), id) n ON n.name = lower(btrim(t.seen_with_username)) "
    "ORDER BY t.id"
)


def collaborations_import(run: Run) -> None:
    pairs: dict[tuple[uuid.UUID, uuid.UUID], Pair] = {}
    batches = {table: Batch(table) for table in ("profile_seen_with", "collaborations")}
    if "profile_seen_with" in run.source.schema.columns:
        for rows in run.source.stream(SEEN_WITH, size=run.batch_size):
            for row in rows:
                _seen_with(run, batches["profile_seen_with"], pairs, row)
    if "collaborations" in run.source.schema.columns:
        for rows in run.source.stream("SELECT * FROM collaborations ORDER BY id", size=run.batch_size):
            for row in rows:
                ends = (row["person_a_id"], row["person_b_id"])
                _fold(
                    run,
                    batches["collaborations"],
                    pairs,
                    row,
                    ends,
                    at=aware(row.get("first_seen_at") or row.get("created_at")),
                )
    for pair in pairs.values():
        first = min(pair.rows)
        for _, table, _, _ in pair.rows:
            batches[table].merged()
        batches[first[1]].tally.merged -= 1
        batches[first[1]].imported()
    written = _write(run, pairs)
    for table, batch in batches.items():
        if table not in run.source.schema.columns:
            continue
        with transaction.atomic():
            batch.flush()
        if table == "profile_seen_with":
            batch.tally.written += written
        run.finish_table(table, batch.tally)


def _seen_with(run: Run, batch: Batch, pairs: dict, row: dict) -> None:
    person_id, by_name = row.pop("_person_id"), row.pop("_by_name")
    other = row["seen_with_person_id"] or by_name
    if run.people.target(person_id) is None:
        batch.keep(row, key=row["id"], reason=run.people.invalid_reason(person_id))
        batch.tally.read += 1
        return
    if other is None:
        batch.keep(
            row,
            key=row["id"],
            reason="the seen-with name resolves to nobody",
            person_id=run.people.target(person_id),
        )
        batch.tally.read += 1
        run.listed(
            "unresolved_seen_with", {"profile_id": row["profile_id"], "name": row["seen_with_username"]}
        )
        return
    _fold(run, batch, pairs, row, (person_id, other), at=aware(row.get("created_at")))


def _fold(run: Run, batch: Batch, pairs: dict, row: dict, ends: tuple, *, at: datetime | None) -> None:
    batch.tally.read += 1
    first, second = (run.people.target(end) for end in ends)
    if first is None or second is None:
        invalid = ends[0] if first is None else ends[1]
        batch.keep(row, key=row["id"], reason=run.people.invalid_reason(invalid), person_id=first or second)
    elif first == second:
        batch.keep(row, key=row["id"], reason="a person paired with themself", person_id=first)
    else:
        key = tuple(sorted((first, second), key=lambda value: value.int))
        pairs.setdefault(key, Pair()).add(
            at=at, notes=row.get("notes"), table=batch.table, key=key_text(row["id"])
        )


def _write(run: Run, pairs: dict) -> int:
    """Create the pairs that do not exist; on one that does, move its first-seen date back and add
    the notes it does not hold yet. Returns the rows written."""
    written = 0
    items = sorted(pairs.items(), key=lambda item: (item[0][0].int, item[0][1].int))
    with run.progress_bar("collaborations (pairs)", len(items)) as bar:
        for start in range(0, len(items), run.batch_size):
            chunk = items[start : start + run.batch_size]
            with transaction.atomic():
                written += _write_chunk(run, chunk)
            bar.update(len(chunk))
            run.committed()
    return written


def _write_chunk(run: Run, chunk: list) -> int:
    ids = {person_id for (a, b), _ in chunk for person_id in (a, b)}
    people = Person.objects.in_bulk(ids)
    ordered = {key: ordered_pair(people[key[0]], people[key[1]]) for key, _ in chunk}
    existing = {
        (row.person_a_id, row.person_b_id): row
        for row in Collaboration.objects.filter(person_a_id__in=ids, person_b_id__in=ids)
    }
    new, written = [], 0
    for key, pair in chunk:
        person_a, person_b = ordered[key]
        notes = "\n".join(pair.notes)
        row = existing.get((person_a.pk, person_b.pk))
        if row is None:
            fields = {"first_seen_at": pair.first_seen_at} if pair.first_seen_at else {}
            new.append(Collaboration(person_a=person_a, person_b=person_b, notes=notes, **fields))
            continue
        changed = []
        if pair.first_seen_at and pair.first_seen_at < row.first_seen_at:
            row.first_seen_at = pair.first_seen_at
            changed.append("first_seen_at")
        missing = [text for text in pair.notes if text not in row.notes]
        if missing:
            row.notes = "\n".join([row.notes, *missing]).strip()
            changed.append("notes")
        if changed:
            row.save(update_fields=changed)
            written += 1
    Collaboration.objects.bulk_create(new, batch_size=500)
    run.derive("events", collaboration_events(new))
    return written + len(new)
