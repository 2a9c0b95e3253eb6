"""Inserting many rows given as dicts of field attnames (e.g. `person_id`) to values, without a
model instance each: for writers whose batches hold thousands or millions of rows (the legacy
import, the media maintenance's journal and events), where building, preparing and binding
instances costs more than the INSERT. Elsewhere than PostgreSQL both are `bulk_create`.

- `rows_insert`: one `INSERT … SELECT … FROM json_populate_recordset(…) RETURNING id` a batch,
  for writers that need the new rows' keys. The batch goes as one JSON document, typed by the
  table's own row type: `json.dumps` and libpq's quoting of one string are C, where binding an
  array a column made psycopg quote every element in Python (a regular expression an element:
  about a fifth of a dedup's time).
- `rows_copy`: PostgreSQL's COPY, faster still, keys not read back (and not seen by Django's
  statement counters), for the legacy import's millions of rows.

A value given is stored as given; a field left out takes its default (a callable one called for
each row), an `auto_now` / `auto_now_add` field the time of the batch: what `bulk_create` would
store for a field left out. No signals are sent, as with `bulk_create`, and the database checks
every constraint as it does for an INSERT.
"""

import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

# Column types whose Python values go into a batch as they are: `get_db_prep_save` returns them
# unchanged on PostgreSQL, so it is skipped for them (and for JSON fields, whose values are
# nested in the batch's JSON document rather than wrapped).
_AS_THEY_ARE = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateTimeField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "SmallIntegerField",
        "TextField",
        "UUIDField",
    }
)


def rows_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 1000) -> list:
    """Insert `rows` and return their primary keys, in the order of `rows` (an automatic primary
    key left out takes its next value)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return [instance.pk for instance in _bulk_create(model, rows, batch_size)]
    fields = _stored_fields(model)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {columns} "
        f"FROM json_populate_recordset(NULL::{table}, %s) RETURNING {model._meta.pk.column}"
    )
    names = [field.column for field in fields]
    now = timezone.now()
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            values = [_column(field, batch, now) for field in fields]
            document = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
            cursor.execute(
                sql, [json.dumps(document, default=_json_scalar, ensure_ascii=False, allow_nan=False)]
            )
            keys += [row[0] for row in cursor.fetchall()]
    return keys


def _json_scalar(value: Any) -> str:
    """A value JSON has no type for, as the text PostgreSQL reads for its column. (Inside a JSON
    field's value too: a time or an id there is stored as its text, where `bulk_create` would
    refuse it. The writers here put only JSON's own types there.)"""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (UUID, Decimal)):
        return str(value)
    raise TypeError(f"{type(value).__name__} {value!r} has no JSON form for rows_insert.")


def rows_copy(model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 1000) -> int:
    """Insert `rows` by COPY (keys not read back). Returns how many."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        return len(_bulk_create(model, rows, batch_size))
    fields = _stored_fields(model)
    fills = [_Fill(field, timezone.now()) for field in fields]
    jsons = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [fill.value(row) for fill in fills]
            for index in jsons:
                if values[index] is not None:
                    values[index] = Jsonb(values[index])
            copy.write_row(values)
    return len(rows)


def _bulk_create(model: type[models.Model], rows: Sequence[dict[str, Any]], batch_size: int) -> list:
    # The base manager: PersonAttribute's own refuses bulk writes, which would skip the history
    # signals; the legacy import writes that history itself, with the original dates.
    return model._base_manager.bulk_create([model(**row) for row in rows], batch_size=batch_size)


def _stored_fields(model: type[models.Model]) -> list[models.Field]:
    """The columns a row of `model` is inserted with: all but an automatic primary key, which
    the database numbers."""
    pk = model._meta.pk
    generated = pk if isinstance(pk, models.AutoField) else None
    return [field for field in model._meta.concrete_fields if field is not generated]


class _Fill:
    """What a field left out of a row takes, worked out once a batch: the batch's time for an
    `auto_now` / `auto_now_add` field, else its default, a callable one called for each row (a
    new UUID, the time), as `bulk_create` stores it."""

    __slots__ = ("constant", "make", "name")

    def __init__(self, field: models.Field, now):
        self.name = field.attname
        self.make = None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            self.constant = now if isinstance(field, models.DateTimeField) else now.date()
        elif callable(field.default):
            self.make, self.constant = field.get_default, None
        else:
            self.constant = field.get_default()

    def value(self, row: dict[str, Any]) -> Any:
        """The value `row` gives the field, else the fill."""
        if self.name in row:
            return row[self.name]
        return self.make() if self.make else self.constant


def _column(field: models.Field, rows: Sequence[dict[str, Any]], now) -> list:
    """The values of `field` in `rows`, as they go into the batch's JSON document (a JSON
    field's value as it is: it is nested in the document)."""
    fill = _Fill(field, now)
    values = [fill.value(row) for row in rows]
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    if kind in _AS_THEY_ARE or isinstance(field, models.JSONField):
        return values
    return [field.get_db_prep_save(value, connection) for value in values]
