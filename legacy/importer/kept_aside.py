"""Every other table of the source (interactions, statbate polling, sessions, room visits, the old
app's users and second factors, seeds, leftovers …) is kept aside row by row, verbatim."""

from legacy.importer.core import Batch, Run, row_key
from profiles.models import Person

REASON = "no counterpart here"


def rest_import(run: Run, handled: set[str]) -> None:
    for table in sorted(set(run.source.schema.columns) - handled):
        table_import(run, table)


def table_import(run: Run, table: str) -> None:
    key = run.source.schema.keys.get(table) or [("ctid", "tid")]
    has_person = "person_id" in run.source.schema.columns[table]

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        people = {}
        if has_person:
            wanted = {run.people.target(row["person_id"]) for row in rows} - {None}
            people = set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        for row in rows:
            person = run.people.target(row["person_id"]) if has_person else None
            source_key = row_key(row, key)
            if key[0][0] == "ctid":
                row = {name: value for name, value in row.items() if name != "ctid"}
            batch.keep(row, key=source_key, reason=REASON, person_id=person if person in people else None)

    run.stream(table, f'SELECT t.* FROM "{table}" t', handle)
