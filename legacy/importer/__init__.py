"""The importer from the original MHC Control Panel's PostgreSQL database.

`import_legacy(url, apply=...)` reads the source in one read-only, repeatable-read transaction
and runs the table families in dependency order: people first (every other row hangs on a
person), then profiles, attributes, notes, collaborations, relationships, media and polling, the
identity tables, and last every other table, kept aside. A dry run does exactly the same work
inside a transaction it rolls back, so its figures are the apply's figures.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from legacy.importer import (
    attributes,
    collaborations,
    identity,
    kept_aside,
    media,
    notes,
    people,
    profiles,
    relationships,
)
from legacy.importer.core import Run, Tally
from legacy.importer.source import Source, SourceError, redact

__all__ = ["ImportResult", "Source", "SourceError", "import_legacy"]


class _DryRun(Exception):
    """Raised at the end of a dry run to roll every write back."""


@dataclass
class ImportResult:
    source: str
    generation: str
    applied: bool
    started_at: datetime
    finished_at: datetime | None = None
    tables: dict[str, Tally] = field(default_factory=dict)
    lists: dict[str, list] = field(default_factory=dict)
    derived: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # by table family, for the report

    @property
    def written(self) -> int:
        return sum(tally.written for tally in self.tables.values()) + sum(self.derived.values())

    @property
    def balanced(self) -> bool:
        return all(t.read == t.imported + t.merged + t.kept_aside for t in self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "generation": self.generation,
            "applied": self.applied,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "changed": self.written > 0,
            "rows_written": self.written,
            "tables": {name: tally.as_dict() for name, tally in sorted(self.tables.items())},
            "written": {name: tally.written for name, tally in sorted(self.tables.items()) if tally.written},
            "derived": self.derived,
            "seconds": {name: round(value, 1) for name, value in self.seconds.items()},
            "lists": {
                name: self.lists.get(name, [])
                for name in ("merged_usernames", "invalid_usernames", "unresolved_seen_with", "conflicts")
            }
            | dict(sorted(self.lists.items())),
        }


def import_legacy(
    source: Source | str, *, apply: bool, batch_size: int = 5000, show_progress: bool = True
) -> ImportResult:
    """Import (or, without `apply`, rehearse importing) everything from the source (an open
    Source or its URL). Opening it raises SourceError, before anything is written, when the
    source is not a readable MHC database."""
    if isinstance(source, str):
        source = Source(source)
    url = source.url
    run = Run(source=source, apply=apply, batch_size=batch_size, show_progress=show_progress)
    result = ImportResult(
        source=redact(url), generation=source.schema.generation, applied=apply, started_at=datetime.now(UTC)
    )
    try:
        if apply:
            with _unsynchronised_commits():
                _run(run)
        else:
            try:
                with transaction.atomic():
                    _run(run)
                    raise _DryRun
            except _DryRun:
                pass
    finally:
        source.close()
    result.finished_at = datetime.now(UTC)
    result.tables, result.lists, result.derived = run.tallies, run.lists, run.derived
    result.seconds = run.seconds
    return result


@contextmanager
def _unsynchronised_commits():
    """On PostgreSQL, commit without waiting for the disk flush of each batch. Safe here: a batch
    and its checkpoint commit together, so a crash can only lose the last few batches with their
    checkpoints, and the next run imports them again."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _run(run: Run) -> None:
    schema = run.source.schema
    with run.timed("people"):
        run.people = people.people_plan(run)
        people.people_import(run)
    with run.timed("profiles"):
        profiles.profiles_import(run)
    with run.timed("attributes"):
        attributes.definitions_import(run)
        attributes.lookup_import(run)
        attributes.history_import(run)
        attributes.profile_smoke_follow(run)
    with run.timed("notes"):
        notes.notes_import(run)
    with run.timed("collaborations"):
        collaborations.collaborations_import(run)
    with run.timed("relationships"):
        relationships.relationships_import(run)
    with run.timed("images"):
        merged_media, kept_media = media.media_plan(run)
        media.media_import(run, merged_media)
    with run.timed("snapshots"):
        media.polling_import(run, merged_media, kept_media)
    with run.timed("names over time"):
        identity.usernames_import(run)
        identity.alternates_import(run)
    handled = {
        "persons",
        "profiles",
        "attribute_definitions",
        "attribute_lookup",
        "attribute_history",
        "profile_notes",
        "profile_seen_with",
        "collaborations",
        "relationships",
        "relationship_history",
        "service_relationships",
        "profile_usernames",
        "alternate_accounts",
        *(schema.tables.get(role) for role in ("media", "affiliate")),
    }
    with run.timed("kept aside"):
        kept_aside.rest_import(run, {name for name in handled if name})
