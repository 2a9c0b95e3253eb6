"""`profile_usernames` (a person's names over time) and `alternate_accounts` (two accounts of one
human) → our former usernames and alternate-account links, through the identity services.

A username row that is the person's current name (in any case) is merged into the person; any
other valid name becomes a former username with the dates it was seen. A name somebody else goes
by (now or before), an invalid name, or a row whose person did not come in is kept aside with the
reason. An alternate pair whose two accounts became one person (case twins) is merged into that
person; a pair linked already (the same two accounts twice) is merged into that link.
"""

from django.core.exceptions import ValidationError

from legacy.importer.core import Batch, Run, aware
from legacy.importer.people import username_or_none
from mhc.exceptions import Conflict
from profiles.models import Person
from profiles.services import alternate_link, former_username_add


def _people(ids) -> dict:
    return Person.objects.in_bulk([pk for pk in ids if pk is not None])


def usernames_import(run: Run) -> None:
    """Each former spelling of a person's name, with its first and last seen dates."""
    if "profile_usernames" not in run.source.schema.columns:
        return

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        people = _people(run.people.target(row.get("person_id")) for row in rows)
        for row in rows:
            person = people.get(run.people.target(row.get("person_id")))
            name = username_or_none(row.get("username"))
            if person is None:
                batch.keep(row, key=row["id"], reason="its person did not come in (an invalid username)")
            elif name is None:
                batch.keep(row, key=row["id"], reason="not a valid username", person_id=person.pk)
            elif name == person.username:
                batch.merged()  # the person's current name: the person has it
            else:
                try:
                    former_username_add(
                        person=person,
                        username=name,
                        used_from=aware(row.get("first_seen_at")),
                        used_until=aware(row.get("last_seen_at")),
                    )
                except (Conflict, ValidationError) as error:
                    reason = error.messages[0] if isinstance(error, ValidationError) else str(error)
                    batch.keep(row, key=row["id"], reason=reason, person_id=person.pk)
                else:
                    batch.imported()

    run.stream("profile_usernames", "SELECT t.* FROM profile_usernames t", handle)


def alternates_import(run: Run) -> None:
    """Pairs of accounts of one human (person A < person B, as the original stores them)."""
    if "alternate_accounts" not in run.source.schema.columns:
        return

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        ends = [
            (run.people.target(row.get("person_a_id")), run.people.target(row.get("person_b_id")))
            for row in rows
        ]
        people = _people(pk for pair in ends for pk in pair)
        for row, (a, b) in zip(rows, ends, strict=True):
            first, second = people.get(a), people.get(b)
            if first is None or second is None:
                found = first or second
                batch.keep(
                    row,
                    key=row["id"],
                    reason="one of its accounts did not come in (an invalid username)",
                    person_id=found.pk if found else None,
                )
            elif first.pk == second.pk:
                batch.merged()  # the two accounts became one person (their names differ only in case)
            else:
                try:
                    alternate_link(
                        person=first,
                        other=second,
                        notes=row.get("notes") or "",
                        created_at=aware(row.get("created_at")),
                    )
                except Conflict:
                    batch.merged()  # linked already, by an earlier row of the same pair
                else:
                    batch.imported()

    run.stream("alternate_accounts", "SELECT t.* FROM alternate_accounts t", handle)
