"""Inserting many rows fast: PostgreSQL's COPY where our database is PostgreSQL (millions of
images and snapshots), Django's bulk_create elsewhere.

Rows are given as dicts of field names (attnames, e.g. `person_id`) to values, so the millions
of them never become model instances. A field left out takes its default, and an `auto_now` /
`auto_now_add` field the time of the batch: what bulk_create would store. COPY skips nothing
bulk_create would do for these tables (bulk_create sends no signals either), and the database
checks every constraint as it does for an INSERT.
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb


def bulk_insert(model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 1000) -> int:
    """Insert new rows (auto-increment keys are not read back). Returns how many."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        # The base manager: PersonAttribute's own refuses bulk writes, which would skip the history
        # signals; the importer writes that history itself, with the original dates.
        model._base_manager.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        return len(rows)
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField | models.BigAutoField))
    ]
    now = timezone.now()
    defaults = {field.attname: _default(field, now) for field in fields}
    names = [field.attname for field in fields]
    jsons = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row[name] if name in row else defaults[name] for name in names]
            for index in jsons:
                if values[index] is not None:
                    values[index] = Jsonb(values[index])
            copy.write_row(values)
    return len(rows)


def _default(field: models.Field, now) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()
