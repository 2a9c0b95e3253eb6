"""The imported history as events, so that each profile's Activity log shows what the original
knew: attribute changes, relationship changes, notes and collaborations, each at its own time.

Events are written in the same transaction as the rows they describe. A re-run skips committed
batches and never writes a row that is already there, so it never writes an event twice. They
are marked like the events of the history from before the log (`"backfilled": true`, not offered
for undo, since an import row does not hold what an undo needs) and `"imported": true`. Images
get no event each: the gallery is their history, and a million of them would double the
import's largest write.
"""

from collections.abc import Iterable
from typing import Any

from attributes.models import AttributeDefinition
from collaborations.models import Collaboration
from events.models import Event
from events.services import event_row
from mhc.rows import rows_copy
from profiles.models import Person
from relationships.models import RelationshipHistory

MARK = {"backfilled": True, "imported": True}
TRACKED = ("type", "tier", "status")
RELATIONSHIP_KINDS = {
    "created": "relationship.added",
    "changed": "relationship.changed",
    "removed": "relationship.removed",
}


def _usernames(ids: Iterable) -> dict[Any, str]:
    return dict(Person.objects.filter(pk__in=set(ids)).values_list("pk", "username"))


def attribute_history_events(rows: list[dict]) -> int:
    """Events for AttributeHistory rows given as the dicts they were inserted from."""
    if not rows:
        return 0
    labels = dict(AttributeDefinition.objects.values_list("key", "label"))
    names = _usernames(row["person_id"] for row in rows)
    events = []
    for row in rows:
        key, new = row["attribute_key"], row["new_value"]
        label, verb = labels.get(key, key), "set" if new else "cleared"
        events.append(
            event_row(
                kind=f"attribute.{verb}",
                summary=f"{label} {verb} on {names[row['person_id']]}",
                at=row.get("changed_at"),
                person_id=row["person_id"],
                username=names[row["person_id"]],
                subject_type="attributes.attributedefinition",
                subject_id=key,
                data={"key": key, "label": label, "old": bool(row["old_value"]), "new": new, **MARK},
            )
        )
    return rows_copy(Event, events)


def note_events(notes: list[dict], person_of_profile: dict[Any, Any]) -> int:
    """Events for Note rows given as the dicts they were inserted from (ids are not read back,
    so the event names the note by its start)."""
    if not notes:
        return 0
    names = _usernames(person_of_profile.values())
    events = []
    for note in notes:
        person_id = person_of_profile[note["profile_id"]]
        start = " ".join(note["content"][:200].split())[:80]
        events.append(
            event_row(
                kind="note.created",
                summary=f"Note added on {names[person_id]}: {start}",
                at=note.get("created_at"),
                person_id=person_id,
                username=names[person_id],
                subject_type="notes.note",
                data={"category": note["category"], **MARK},
            )
        )
    return rows_copy(Event, events)


def collaboration_events(pairs: list[Collaboration]) -> int:
    """Events for new Collaboration rows (instances with their people loaded)."""
    events = [
        event_row(
            kind="collaboration.added",
            summary=f"Collaboration added: {pair.person_a.username} and {pair.person_b.username}",
            at=pair.first_seen_at,
            person_id=pair.person_a_id,
            username=pair.person_a.username,
            other_person_id=pair.person_b_id,
            other_username=pair.person_b.username,
            subject_type="collaborations.collaboration",
            subject_id=str(pair.pk or ""),
            data={"notes": pair.notes, **MARK},
        )
        for pair in pairs
    ]
    return rows_copy(Event, events)


def relationship_events(entries: list[RelationshipHistory]) -> int:
    """Events for new RelationshipHistory rows (their profile set, the related person by id)."""
    if not entries:
        return 0
    names = _usernames(entry.related_person_id for entry in entries)
    events = []
    for entry in entries:
        old = {name: getattr(entry, f"old_{name}") for name in TRACKED if getattr(entry, f"old_{name}")}
        new = {name: getattr(entry, f"new_{name}") for name in TRACKED if getattr(entry, f"new_{name}")}
        owner = entry.profile.person
        related = names[entry.related_person_id]
        words = " → ".join(filter(None, [" · ".join(old.values()), " · ".join(new.values())]))
        events.append(
            event_row(
                kind=RELATIONSHIP_KINDS[entry.action],
                summary=f"Relationship {owner.username} → {related}: {entry.action} {words}",
                at=entry.changed_at,
                person_id=owner.pk,
                username=owner.username,
                other_person_id=entry.related_person_id,
                other_username=related,
                data={"old": old, "new": new, **MARK},
            )
        )
    return rows_copy(Event, events)
