"""Writes of single legacy rows (the importer writes them in bulk through the same tables)."""

from typing import Any

from legacy.models import LegacyDetails, LegacyRecord
from profiles.models import Person


def legacy_details_put(
    *,
    source_table: str,
    source_key: str,
    data: dict[str, Any],
    person: Person | None = None,
    target: str = "",
) -> tuple[LegacyDetails, bool]:
    """Keep the values of one original row that no field of ours holds; once per source row."""
    return LegacyDetails.objects.get_or_create(
        source_table=source_table,
        source_key=source_key,
        defaults={"data": data, "person": person, "target": target},
    )


def legacy_record_keep(
    *, source_table: str, source_key: str, row: dict[str, Any], reason: str, person: Person | None = None
) -> tuple[LegacyRecord, bool]:
    """Keep one original row aside, verbatim, with the reason; once per source row."""
    return LegacyRecord.objects.get_or_create(
        source_table=source_table,
        source_key=source_key,
        defaults={"row": row, "reason": reason, "person": person},
    )
