"""The history that existed before the event log, as events: attribute and relationship changes
from their history tables, notes, collaborations and images as added, images deleted, so that a
database from before keeps its whole history in the Activity log.

These events are marked `"backfilled": true` in their data: they record what happened but not
always what an undo needs, so they are not offered for undo. Reversing the migration removes
exactly them.
"""

from django.db import migrations

BATCH = 1000


def _actor(user) -> tuple[str, str]:
    if user is None:
        return "app", ""
    return ("owner" if user.is_superuser else "user"), user.username


def _write(Event, events) -> None:
    batch = []
    for event in events:
        batch.append(event)
        if len(batch) == BATCH:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def _attribute_events(apps, Event):
    labels = dict(apps.get_model("attributes", "AttributeDefinition").objects.values_list("key", "label"))
    rows = apps.get_model("attributes", "AttributeHistory").objects.select_related("person", "changed_by")
    for row in rows.order_by("changed_at", "id").iterator(chunk_size=BATCH):
        label = labels.get(row.attribute_key, row.attribute_key)
        kind, name = _actor(row.changed_by)
        yield Event(
            at=row.changed_at,
            kind="attribute.set" if row.new_value else "attribute.cleared",
            summary=f"{label} {'set' if row.new_value else 'cleared'} on {row.person.username}"[:300],
            person_id=row.person_id,
            username=row.person.username,
            actor_kind=kind,
            actor_name=name,
            subject_type="attributes.attributedefinition",
            subject_id=row.attribute_key,
            data={"key": row.attribute_key, "label": label, "old": bool(row.old_value), "new": row.new_value,
                  "backfilled": True},
        )


RELATIONSHIP_KINDS = {"created": "relationship.added", "changed": "relationship.changed", "removed": "relationship.removed"}
TRACKED = ("type", "tier", "status")


def _relationship_events(apps, Event):
    rows = apps.get_model("relationships", "RelationshipHistory").objects.select_related(
        "profile__person", "related_person", "changed_by"
    )
    for row in rows.order_by("changed_at", "id").iterator(chunk_size=BATCH):
        old = {name: getattr(row, f"old_{name}") for name in TRACKED if getattr(row, f"old_{name}")}
        new = {name: getattr(row, f"new_{name}") for name in TRACKED if getattr(row, f"new_{name}")}
        owner, related = row.profile.person, row.related_person
        kind, name = _actor(row.changed_by)
        words = " → ".join(filter(None, [" · ".join(old.values()), " · ".join(new.values())]))
        yield Event(
            at=row.changed_at,
            kind=RELATIONSHIP_KINDS[row.action],
            summary=f"Relationship {owner.username} → {related.username}: {row.action} {words}"[:300],
            person_id=owner.pk,
            username=owner.username,
            other_person_id=related.pk,
            other_username=related.username,
            actor_kind=kind,
            actor_name=name,
            data={"old": old, "new": new, "backfilled": True},
        )


def _added_events(apps, Event):
    notes = apps.get_model("notes", "Note").objects.select_related("profile__person")
    for note in notes.order_by("created_at", "id").iterator(chunk_size=BATCH):
        person = note.profile.person
        start = " ".join(note.content[:200].split())[:80]
        yield Event(
            at=note.created_at, kind="note.created", summary=f"Note added on {person.username}: {start}"[:300],
            person_id=person.pk, username=person.username, subject_type="notes.note", subject_id=str(note.pk),
            data={"backfilled": True},
        )
    pairs = apps.get_model("collaborations", "Collaboration").objects.select_related("person_a", "person_b")
    for pair in pairs.order_by("created_at").iterator(chunk_size=BATCH):
        a, b = pair.person_a, pair.person_b
        yield Event(
            at=pair.created_at, kind="collaboration.added",
            summary=f"Collaboration added: {a.username} and {b.username}", person_id=a.pk, username=a.username,
            other_person_id=b.pk, other_username=b.username, subject_type="collaborations.collaboration",
            subject_id=str(pair.pk), data={"notes": pair.notes, "backfilled": True},
        )
    images = apps.get_model("media", "MediaRecord").objects.select_related("person")
    for image in images.order_by("created_at").iterator(chunk_size=BATCH):
        person, name = image.person, image.original_filename or image.file_path.rsplit("/", 1)[-1]
        common = {"person_id": person.pk, "username": person.username, "subject_type": "media.mediarecord",
                  "subject_id": str(image.pk), "data": {"source": image.source, "backfilled": True}}
        yield Event(at=image.created_at, kind="media.added", summary=f"Image added on {person.username}: {name}"[:300],
                    **common)
        if image.deleted_at:
            yield Event(at=image.deleted_at, kind="media.deleted",
                        summary=f"Image deleted on {person.username}: {name}"[:300], **common)


def backfill(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    if Event.objects.exists():
        return  # the log is already being written: what is in it is the history
    for events in (_attribute_events(apps, Event), _relationship_events(apps, Event), _added_events(apps, Event)):
        _write(Event, events)


def unbackfill(apps, schema_editor):
    apps.get_model("events", "Event").objects.filter(data__backfilled=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_event_log"),
        ("attributes", "0004_sort_order_range"),
        ("relationships", "0001_relationships_and_history"),
        ("notes", "0001_note_with_categories"),
        ("collaborations", "0001_collaboration"),
        ("media", "0003_file_path_index"),
    ]

    operations = [migrations.RunPython(backfill, unbackfill)]
