"""Writing a planned merge, checking whether it can be undone, and undoing it.

Rows are written as they are planned, with plain SQL-level updates, inserts and deletes: no
model `save()`, no signals. A merge moves rows, it does not change what they say, so nothing
must write history on the way (an attribute moved is not an attribute changed); and an undo must
put back exactly the rows there were, with their timestamps.
"""

from collections import defaultdict
from typing import Any

from django.db import connection, models

from profiles.merging.plan import Plan
from profiles.merging.rows import (
    PERSON,
    PROFILE,
    Row,
    decode_rows,
    encode_rows,
    model_of,
    relations,
    rows_load,
)

BATCH = 500


def _queryset(model: type[models.Model]) -> models.QuerySet:
    # A plain QuerySet: some models refuse bulk writes through their own managers, to protect
    # history that signals write; a merge writes no history (see the module's docstring).
    return models.QuerySet(model=model)


def rows_delete(model: type[models.Model], pks: list) -> None:
    """Delete these rows and nothing else: no cascade, no signals."""
    pk = model._meta.pk
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            values = [pk.get_db_prep_value(value, connection) for value in chunk]
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", values
            )


def rows_update(model: type[models.Model], updates: dict[Any, Row]) -> None:
    """Give each row its new values: one statement per distinct set of values (a thousand notes
    moved to the kept profile are one UPDATE)."""
    groups: dict[tuple, list] = defaultdict(list)
    for pk, values in updates.items():
        groups[tuple(sorted(values.items(), key=lambda item: item[0]))].append(pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), BATCH):
            _queryset(model).filter(pk__in=pks[start : start + BATCH]).update(**dict(values))


def rows_insert(model: type[models.Model], rows: list[Row]) -> None:
    """Insert rows exactly as given, timestamps included (which `auto_now` fields would
    otherwise set to now)."""
    _queryset(model).bulk_create([model(**row) for row in rows], batch_size=BATCH)
    stamped = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if stamped:
        for row in rows:
            _queryset(model).filter(pk=row[model._meta.pk.attname]).update(
                **{name: row[name] for name in stamped}
            )


def merge_apply(plan: Plan) -> None:
    """Write the plan: drop what it drops, move and change what it changes, remove the merged
    person. Foreign keys are checked at commit, so the order only has to keep unique rules."""
    labels = [relation.label for relation in relations()]
    for label in reversed(labels):
        if label != PROFILE and plan.deletes.get(label):
            rows_delete(model_of(label), plan.deletes[label])
    for label in labels:
        if plan.updates.get(label):
            rows_update(model_of(label), plan.updates[label])
    if plan.deletes.get(PROFILE):
        rows_delete(model_of(PROFILE), plan.deletes[PROFILE])
    if plan.updates.get(PERSON):
        rows_update(model_of(PERSON), plan.updates[PERSON])
    rows_delete(model_of(PERSON), plan.deletes[PERSON])


def rows_snapshot(person_ids: list) -> dict[str, list[Row]]:
    """Every row that refers to these people, as JSON."""
    return encode_rows(rows_load(person_ids))


def snapshot_differences(expected: dict[str, list[Row]], current: dict[str, list[Row]]) -> list[str]:
    """What differs between two snapshots, in words, one sentence per kind of row."""
    sentences = []
    for label in sorted(set(expected) | set(current)):
        model = model_of(label)
        pk = model._meta.pk.attname
        then = {str(row[pk]): row for row in expected.get(label, [])}
        now = {str(row[pk]): row for row in current.get(label, [])}
        added, removed = len(now.keys() - then.keys()), len(then.keys() - now.keys())
        changed = sum(1 for key in now.keys() & then.keys() if now[key] != then[key])
        parts = [
            f"{n} {what}" for n, what in ((added, "added"), (changed, "changed"), (removed, "removed")) if n
        ]
        if parts:
            sentences.append(f"{model._meta.verbose_name_plural}: {', '.join(parts)} since the merge")
    return sentences


def merge_restore(*, before: dict[str, list[Row]], kept_id: Any) -> None:
    """Put back every row of `before` exactly, and remove the rows the merge created (those
    referring to the kept person now that `before` does not have)."""
    wanted = {label: decode_rows(label, rows) for label, rows in before.items()}
    current = rows_load([kept_id])
    labels = [PERSON] + [relation.label for relation in relations()]
    for label in reversed(labels):
        extra = [pk for pk in current.get(label, {}) if pk not in wanted.get(label, {})]
        if extra:
            rows_delete(model_of(label), extra)
    for label in labels:
        model, rows = model_of(label), wanted.get(label, {})
        missing = [row for pk, row in rows.items() if pk not in current.get(label, {})]
        if missing:
            rows_insert(model, missing)
        changed = {
            pk: {name: value for name, value in row.items() if current[label][pk][name] != value}
            for pk, row in rows.items()
            if pk in current.get(label, {}) and current[label][pk] != row
        }
        rows_update(model, changed)
