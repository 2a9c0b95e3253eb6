"""`profile_usernames` (former usernames) and `alternate_accounts` (two accounts of one human).

Our identity models for these do not exist yet, so both tables are kept aside verbatim, each row
linked to the person it is about; wiring one in means replacing its function here with one that
writes the identity rows (the accounting stays the same shape).
"""

from legacy.importer.core import Batch, Run

WAITING = "kept until identity models exist: {what}"


def usernames_import(run: Run) -> None:
    """Each former or current spelling of a person's name, with its first and last seen dates."""
    if "profile_usernames" not in run.source.schema.columns:
        return

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        for row in rows:
            person = run.people.target(row.get("person_id"))
            batch.keep(
                row, key=row["id"], reason=WAITING.format(what="a username of this person"), person_id=person
            )

    run.stream("profile_usernames", "SELECT t.* FROM profile_usernames t", handle)


def alternates_import(run: Run) -> None:
    """Pairs of accounts of one human (person A < person B, as the original stores them)."""
    if "alternate_accounts" not in run.source.schema.columns:
        return

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        for row in rows:
            person = run.people.target(row.get("person_a_id")) or run.people.target(row.get("person_b_id"))
            batch.keep(
                row, key=row["id"], reason=WAITING.format(what="an alternate-account pair"), person_id=person
            )

    run.stream("alternate_accounts", "SELECT t.* FROM alternate_accounts t", handle)
