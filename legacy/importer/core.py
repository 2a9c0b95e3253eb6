"""The machinery every table family shares: the run's accounting, kept-aside rows, details,
and checkpointed streams of source rows written in one transaction per batch."""

import base64
import json
import os
import signal
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from time import perf_counter
from typing import TYPE_CHECKING, Any

from django.db import connection, reset_queries, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from tqdm import tqdm

from legacy.importer.source import Source
from legacy.models import ImportProgress, LegacyDetails, LegacyRecord
from media.storage.listing import prefetched
from mhc.rows import rows_copy

if TYPE_CHECKING:
    from legacy.importer.people import PeoplePlan

# Fault injection for the kill-and-rerun tests: the process kills itself (SIGKILL, no clean-up)
# after committing this many batches.
KILL_AFTER_BATCHES_ENV = "MHC_IMPORT_LEGACY_KILL_AFTER_BATCHES"


def jsonable(value: Any) -> Any:
    """A source value as JSON: UUIDs, dates and numbers as text, bytes as base64."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, uuid.UUID | Decimal | timedelta):
        return str(value)
    return str(value)


def aware(value: datetime | None) -> datetime | None:
    """A source timestamp as an aware datetime: `timestamp without time zone` columns hold UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def where_in(queryset: QuerySet, column: str, values: Iterable) -> QuerySet:
    """`queryset` limited to rows whose `column` is one of `values`: on PostgreSQL one array
    parameter (`= ANY`), which costs far less than thousands of placeholders; IN elsewhere."""
    values = list(values)
    if connection.vendor == "postgresql":
        condition = RawSQL(
            f"{connection.ops.quote_name(column)} = ANY(%s)", (values,), output_field=BooleanField()
        )
        return queryset.filter(condition)
    return queryset.filter(**{f"{column}__in": values})


def key_text(value: Any) -> str:
    return str(value)


@dataclass
class Tally:
    """How the rows of one source table were accounted for; `written` counts this run's writes."""

    read: int = 0
    imported: int = 0
    merged: int = 0
    kept_aside: int = 0
    written: int = 0

    def add(self, other: "Tally") -> None:
        for name in ("read", "imported", "merged", "kept_aside", "written"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {
            "read": self.read,
            "imported": self.imported,
            "merged": self.merged,
            "kept_aside": self.kept_aside,
        }


@dataclass
class Batch:
    """What one batch of rows of one table did: the tally, the rows kept aside and the details."""

    table: str
    # Whether rows kept aside or details may be there already (tables handled as a whole, whose
    # every run re-reads them); a checkpointed batch is written once or not at all.
    checked: bool = True
    tally: Tally = field(default_factory=Tally)
    records: list[dict] = field(default_factory=list)  # LegacyRecord rows
    details: list[dict] = field(default_factory=list)  # LegacyDetails rows

    def imported(self, count: int = 1) -> None:
        self.tally.imported += count

    def merged(self, count: int = 1) -> None:
        self.tally.merged += count

    def keep(self, row: dict, *, key: Any, reason: str, person_id: Any = None, table: str = "") -> None:
        self.tally.kept_aside += 1
        self.records.append(
            {
                "source_table": table or self.table,
                "source_key": key_text(key),
                "row": jsonable(row),
                "reason": reason[:255],
                "person_id": person_id,
            }
        )

    def detail(
        self, *, key: Any, data: dict, person_id: Any = None, target: str = "", table: str = ""
    ) -> None:
        data = {name: jsonable(value) for name, value in data.items() if value not in (None, "", [], {})}
        if data:
            self.details.append(
                {
                    "source_table": table or self.table,
                    "source_key": key_text(key),
                    "person_id": person_id,
                    "target": target[:128],
                    "data": data,
                }
            )

    def flush(self) -> None:
        """Write the kept-aside rows and details not written yet (a re-run finds some there)."""
        if self.checked:
            self.tally.written += _insert_missing(LegacyRecord, self.records)
            self.tally.written += _insert_missing(LegacyDetails, self.details)
        else:
            self.tally.written += rows_copy(LegacyRecord, self.records) + rows_copy(
                LegacyDetails, self.details
            )
        self.records, self.details = [], []


def _insert_missing(model, rows: list) -> int:
    if not rows:
        return 0
    present: set[tuple[str, str]] = set()
    by_table: dict[str, list[str]] = {}
    for row in rows:
        by_table.setdefault(row["source_table"], []).append(row["source_key"])
    for table, keys in by_table.items():
        for start in range(0, len(keys), 500):
            found = model.objects.filter(source_table=table, source_key__in=keys[start : start + 500])
            present.update(found.values_list("source_table", "source_key"))
    missing = {
        (row["source_table"], row["source_key"]): row
        for row in rows
        if (row["source_table"], row["source_key"]) not in present
    }
    return rows_copy(model, list(missing.values()))


@dataclass
class Run:
    """One run of the importer: the source, the people plan, and the accounting per table."""

    source: Source
    apply: bool
    batch_size: int = 5000
    show_progress: bool = True
    tallies: dict[str, Tally] = field(default_factory=dict)
    lists: dict[str, list] = field(default_factory=dict)
    people: "PeoplePlan | None" = None
    derived: dict[str, int] = field(default_factory=dict)  # rows our own rules rewrote afterwards
    batches_committed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, family: str) -> Iterator[None]:
        """Add the time spent in the block to the family's seconds (shown in the report)."""
        start = perf_counter()
        try:
            yield
        finally:
            self.seconds[family] = self.seconds.get(family, 0.0) + perf_counter() - start

    def tally(self, table: str) -> Tally:
        return self.tallies.setdefault(table, Tally())

    def derive(self, name: str, count: int) -> None:
        """Count rows our own rules wrote besides the source's (events of imported history …)."""
        if count:
            self.derived[name] = self.derived.get(name, 0) + count

    def listed(self, name: str, entry: Any) -> None:
        self.lists.setdefault(name, []).append(entry)

    def progress_bar(self, table: str, total: int | None):
        return tqdm(
            total=total, desc=table, unit="rows", disable=None if self.show_progress else True, leave=False
        )

    def committed(self) -> None:
        """A batch was committed: count it, and honour the fault-injection knob. Under DEBUG
        (a local `scripts/run`) Django keeps the last 9,000 statements with their parameters,
        thousands of keys each here: forgotten after every batch, so memory stays bounded."""
        reset_queries()
        self.batches_committed += 1
        limit = os.environ.get(KILL_AFTER_BATCHES_ENV)
        if self.apply and limit and self.batches_committed >= int(limit):
            os.kill(os.getpid(), signal.SIGKILL)

    def finish_table(self, table: str, batch_tally: Tally) -> None:
        """Record a table handled as a whole (its accounting recomputed every run)."""
        tally = self.tally(table)
        tally.add(batch_tally)
        figures = {name: getattr(tally, name) for name in ("read", "imported", "merged", "kept_aside")}
        progress, created = ImportProgress.objects.get_or_create(source_table=table, defaults=figures)
        if not created and (
            {name: getattr(progress, name) for name in figures} != figures or not progress.finished
        ):
            for name, value in figures.items():
                setattr(progress, name, value)
            progress.finished = True
            progress.save()  # saved only when it changes: a changed checkpoint means the run did something
        elif created:
            progress.finished = True
            progress.save(update_fields=["finished", "updated_at"])

    def stream(self, table: str, select: str, handle: Callable[["Run", Batch, list[dict]], None]) -> None:
        """Feed the rows of `table` (selected by `select`, aliased `t`) to `handle` in batches
        ordered by primary key, each batch committed with the table's checkpoint, so a killed
        run resumes after the last committed batch and ends as an uninterrupted run would."""
        key = self.source.schema.keys.get(table) or [("ctid", "tid")]
        columns = ", ".join(f't."{name}"' if name != "ctid" else "t.ctid" for name, _ in key)
        progress, _ = ImportProgress.objects.get_or_create(source_table=table)
        tally = self.tally(table)
        tally.add(Tally(progress.read, progress.imported, progress.merged, progress.kept_aside))
        if progress.finished:
            return
        where, params = "", []
        if progress.last_key:
            last = json.loads(progress.last_key)
            where = f" WHERE ({columns}) > ({', '.join(f'%s::{kind}' for _, kind in key)})"
            params = last
        sql = f"{select}{where} ORDER BY {columns}"
        if key[0][0] == "ctid":
            sql = sql.replace("SELECT ", "SELECT t.ctid AS ctid, ", 1)
        with self.progress_bar(table, self.source.count(table) - progress.read) as bar:
            # The next batch is read from the source (in a thread) while this one is written:
            # reading and writing wait on two servers, so the waits overlap. What is read ahead
            # is never counted as done before its batch commits.
            batches = prefetched(
                self.source.stream(sql, params, self.batch_size), ahead=1, chunk=1, name="legacy-import-read"
            )
            for rows in batches:
                batch = Batch(table, checked=False)
                with transaction.atomic():
                    handle(self, batch, rows)
                    batch.flush()
                    batch.tally.read = len(rows)
                    last_key = [jsonable(rows[-1][name]) for name, _ in key]
                    progress.last_key = json.dumps(last_key)
                    for name in ("read", "imported", "merged", "kept_aside"):
                        setattr(progress, name, getattr(progress, name) + getattr(batch.tally, name))
                    progress.save()
                tally.add(batch.tally)
                bar.update(len(rows))
                self.committed()
        progress.finished = True
        progress.save(update_fields=["finished", "updated_at"])


def row_key(row: dict, table_key: Iterable[tuple[str, str]]) -> str:
    """The source key of a row: its primary key, or the key columns joined when there are several."""
    names = [name for name, _ in table_key]
    if len(names) == 1:
        return key_text(row[names[0]])
    return json.dumps([jsonable(row[name]) for name in names])
