"""Everything an import leaves in our database, as comparable JSON (no generated ids or times
of the import itself), printed by `python -m tests.legacy.state` for the database of
DATABASE_URL."""

import json
from datetime import datetime

import django

CUTOFF = datetime(2025, 1, 1).isoformat()  # the fixtures' dates are all before; the import's own after


def _rows(queryset, *fields) -> list:
    return sorted(json.loads(json.dumps(list(queryset.values_list(*fields)), default=str)), key=str)


def state() -> dict:
    from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
    from collaborations.models import Collaboration
    from events.models import Event
    from legacy.models import ImportProgress, LegacyDetails, LegacyRecord
    from media.models import AffiliateSnapshot, MediaRecord
    from notes.models import Note
    from profiles.models import Person, Profile
    from relationships.models import Relationship, RelationshipHistory

    history = [
        [*row[:4], row[4] if row[4] < CUTOFF else "during the import"]
        for row in _rows(
            AttributeHistory.objects, "person_id", "attribute_key", "old_value", "new_value", "changed_at"
        )
    ]
    values = [
        [*row[:3], row[3] if row[3] < CUTOFF else "during the import"]
        for row in _rows(PersonAttribute.objects, "person_id", "attribute_id", "value", "set_at")
    ]
    return {
        "people": _rows(
            Person.objects, "id", "username", "platform", "role", "first_seen_at", "last_seen_at"
        ),
        "profiles": _rows(
            Profile.objects, "person_id", "display_name", "bio", "location", "age", "tags", "social_links"
        ),
        "notes": _rows(
            Note.objects,
            "profile__person_id",
            "category",
            "content",
            "formatted_content",
            "source_url",
            "created_at",
        ),
        "collaborations": _rows(
            Collaboration.objects, "person_a_id", "person_b_id", "notes", "first_seen_at"
        ),
        "definitions": _rows(
            AttributeDefinition.objects, "key", "label", "color", "show_as_badge", "sort_order"
        ),
        "values": sorted(values, key=str),
        "history": sorted(history, key=str),
        "relationships": _rows(
            Relationship.objects,
            "profile__person_id",
            "related_person_id",
            "type",
            "tier",
            "status",
            "notes",
            "started_at",
            "ended_at",
        ),
        "relationship_history": _rows(
            RelationshipHistory.objects,
            "profile__person_id",
            "related_person_id",
            "action",
            "new_type",
            "old_status",
            "new_status",
            "changed_at",
        ),
        "media": _rows(
            MediaRecord.objects,
            "id",
            "person_id",
            "file_path",
            "source",
            "sha256",
            "size_bytes",
            "is_primary",
            "captured_at",
            "deleted_at",
        ),
        "snapshots": _rows(
            AffiliateSnapshot.objects, "person_id", "observed_at", "media_locator_id", "room_subject"
        ),
        "kept": _rows(LegacyRecord.objects, "source_table", "source_key", "row", "reason", "person_id"),
        "details": _rows(LegacyDetails.objects, "source_table", "source_key", "person_id", "target", "data"),
        "progress": _rows(
            ImportProgress.objects, "source_table", "read", "imported", "merged", "kept_aside", "finished"
        ),
        "events": _rows(Event.objects.filter(kind="import.legacy"), "kind", "actor_name"),
        "history_events": sorted(
            (
                [*row[:5], row[5] if row[5] < CUTOFF else "during the import"]
                for row in _rows(
                    Event.objects.exclude(kind="import.legacy"),
                    "kind",
                    "person_id",
                    "other_person_id",
                    "summary",
                    "data",
                    "at",
                )
            ),
            key=str,
        ),
    }


if __name__ == "__main__":
    django.setup()
    print(json.dumps(state()))
