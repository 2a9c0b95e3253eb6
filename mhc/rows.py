"""Inserting many rows given as dicts, without a model instance each: for writers whose batches
hold thousands of rows (the media maintenance's journal and events), where building, preparing
and binding instances costs more than the INSERT.

On PostgreSQL one `INSERT … SELECT * FROM unnest(…) RETURNING id` a batch, a typed array a
column (what `bulk_create` sends there too, minus the instances); elsewhere `bulk_create`.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Column types whose Python values go to PostgreSQL as they are: `get_db_prep_save` returns them
# unchanged there, so it is skipped for them (a JSON value, for one, is not: it is wrapped).
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
    """Insert `rows` (dicts of field attnames, e.g. `record_id`, to values) and return their
    primary keys, in the order of `rows`. A field left out takes its default (an automatic
    primary key its next value), an `auto_now` field the time of the batch: what `bulk_create`
    would store. No signals are sent, as with `bulk_create`."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        made = model._base_manager.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        return [instance.pk for instance in made]
    pk = model._meta.pk
    generated = pk if isinstance(pk, models.AutoField) else None  # the database numbers the rows
    fields = [field for field in model._meta.concrete_fields if field is not generated]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
    sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) RETURNING {pk.column}"
    now = timezone.now()
    keys = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            cursor.execute(sql, [_column(field, batch, now) for field in fields])
            keys += [row[0] for row in cursor.fetchall()]
    return keys


def _column(field: models.Field, rows: Sequence[dict[str, Any]], now) -> list:
    """The values of `field` in `rows`, ready to bind."""
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        values = [now if isinstance(field, models.DateTimeField) else now.date()] * len(rows)
    elif all(name in row for row in rows):
        values = [row[name] for row in rows]
    elif callable(field.default):  # a new value a row (a UUID, the time), as bulk_create makes
        values = [row[name] if name in row else field.get_default() for row in rows]
    else:
        default = field.get_default()
        values = [row.get(name, default) for row in rows]
    if (field.target_field if field.is_relation else field).get_internal_type() in _AS_THEY_ARE:
        return values
    return [field.get_db_prep_save(value, connection) for value in values]
