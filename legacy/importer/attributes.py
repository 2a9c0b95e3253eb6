"""`attribute_definitions`, `attribute_lookup`, `attribute_history` → our attributes.

Values are written without the history signals (a raw save, as fixtures load) because every
original history row is imported with its own timestamp; writing both would double each change.
"""

import re

from django.db import transaction
from django.utils import timezone

from attributes.derivation import PROFILE_SMOKE, smokes
from attributes.models import (
    KEY_RE,
    SORT_ORDER_MAX,
    SORT_ORDER_MIN,
    AttributeDefinition,
    AttributeHistory,
    PersonAttribute,
)
from legacy.importer.core import Batch, Run, aware
from legacy.importer.events import attribute_history_events
from mhc.colors import TONES
from mhc.rows import rows_copy
from profiles.models import Profile

DEFINITION_MAPPED = {"key", "label", "description", "color", "icon", "show_as_badge", "sort_order"}


def attribute_key(key: str) -> str:
    """Our key for an original key: lower-case letters, digits and _, starting with a letter."""
    slug = re.sub(r"[^a-z0-9_]+", "_", (key or "").strip().lower()).strip("_")
    if not re.fullmatch(KEY_RE, slug or "-"):
        slug = f"attr_{slug}".rstrip("_")
    return slug[:50]


def tone(color: str | None) -> str:
    """Our colour name for an original colour: a known name as it is, a #rrggbb the nearest tone."""
    value = (color or "").strip().lower()
    if value in TONES:
        return value
    match = re.fullmatch(r"#?([0-9a-f]{6})", value)
    if not match:
        return "gray"
    rgb = [int(match.group(1)[i : i + 2], 16) for i in (0, 2, 4)]

    def distance(name: str) -> int:
        other = [int(TONES[name][i : i + 2], 16) for i in (1, 3, 5)]
        return sum((a - b) ** 2 for a, b in zip(rgb, other, strict=True))

    return min(TONES, key=distance)


def definitions_import(run: Run) -> None:
    """Custom definitions are created (label, colour, badge, order); a key that is one of our
    system attributes is merged into ours, which keeps its own look."""
    if "attribute_definitions" not in run.source.schema.columns:
        return
    batch = Batch("attribute_definitions")
    rows = run.source.rows("SELECT * FROM attribute_definitions ORDER BY id")
    ours = {definition.key: definition for definition in AttributeDefinition.objects.all()}
    with transaction.atomic():
        for row in rows:
            key = attribute_key(row["key"])
            existing = ours.get(key)
            if existing is not None and existing.is_system:
                batch.merged()
                run.listed("merged_attributes", {"key": row["key"], "into": key})
            else:
                batch.imported()
                if existing is None:
                    ours[key] = AttributeDefinition.objects.create(
                        key=key,
                        label=(row["label"] or key)[:100],
                        description=row.get("description") or "",
                        color=tone(row.get("color")),
                        icon=(row.get("icon") or "")[:50],
                        show_as_badge=bool(row.get("show_as_badge")),
                        sort_order=min(max(row.get("sort_order") or 0, SORT_ORDER_MIN), SORT_ORDER_MAX),
                    )
                    batch.tally.written += 1
            extras = {name: value for name, value in row.items() if name not in DEFINITION_MAPPED}
            if key != row["key"]:
                extras["key"] = row["key"]
            if tone(row.get("color")) != row.get("color"):
                extras["color"] = row.get("color")
            batch.detail(key=row["id"], data=extras, target=f"attributes.AttributeDefinition {key}")
        batch.flush()
    batch.tally.read = len(rows)
    run.finish_table("attribute_definitions", batch.tally)


def lookup_import(run: Run) -> None:
    """Each true value becomes a PersonAttribute with its `set_at`; `value = false` means "not set"
    in the original (its service deleted the row to unset), so such a row is kept aside."""
    if "attribute_lookup" not in run.source.schema.columns:
        return
    known = set(AttributeDefinition.objects.values_list("key", flat=True))

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        targets = {row["id"]: run.people.target(row["person_id"]) for row in rows}
        stored = set(
            PersonAttribute.objects.filter(person_id__in={t for t in targets.values() if t}).values_list(
                "person_id", "attribute_id"
            )
        )
        new = []
        for row in rows:
            target, key = targets[row["id"]], attribute_key(row["attribute_key"])
            if target is None:
                batch.keep(row, key=row["id"], reason=run.people.invalid_reason(row["person_id"]))
            elif not row["value"]:
                batch.keep(
                    row,
                    key=row["id"],
                    reason="value = false: the original's way of saying not set",
                    person_id=target,
                )
            elif key not in known:
                batch.keep(row, key=row["id"], reason=f"no attribute {key!r}", person_id=target)
            elif (target, key) in stored:
                batch.merged()
            else:
                batch.imported()
                value = {"person_id": target, "attribute_id": key, "value": True}
                if row.get("set_at"):
                    value["set_at"] = aware(row["set_at"])
                new.append(value)
                stored.add((target, key))
        # In bulk, without the history signals: the history comes from attribute_history.
        batch.tally.written += rows_copy(PersonAttribute, new)

    run.stream("attribute_lookup", "SELECT t.* FROM attribute_lookup t", handle)


def history_import(run: Run) -> None:
    """Every history row with its timestamp, including those of definitions deleted since (our
    history keeps the key as text, so it needs no definition)."""
    if "attribute_history" not in run.source.schema.columns:
        return

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        new = []
        for row in rows:
            target = run.people.target(row["person_id"])
            if target is None:
                batch.keep(row, key=row["id"], reason=run.people.invalid_reason(row["person_id"]))
                continue
            batch.imported()
            entry = {
                "person_id": target,
                "attribute_key": attribute_key(row["attribute_key"]),
                "old_value": row["old_value"],
                "new_value": bool(row["new_value"]),
            }
            if row.get("changed_at"):
                entry["changed_at"] = aware(row["changed_at"])
            new.append(entry)
        batch.tally.written += rows_copy(AttributeHistory, new)
        run.derive("events", attribute_history_events(new))

    run.stream("attribute_history", "SELECT t.* FROM attribute_history t", handle)


def profile_smoke_follow(run: Run) -> None:
    """Our `profile_smoke` follows the profile's smoke / drink text; the original's could be stale.
    Where the value disagrees, it is set as the derivation would set it, with one history row
    dated now (the moment our rule set it), in bulk."""
    smoking = set(
        PersonAttribute.objects.filter(attribute_id=PROFILE_SMOKE, value=True).values_list(
            "person_id", flat=True
        )
    )
    profiles = Profile.objects.order_by("id").values_list("person_id", "smoke_drink")
    pending = [
        (person_id, smokes(text))
        for person_id, text in profiles.iterator(chunk_size=5000)
        if smokes(text) != (person_id in smoking)
    ]
    written = 0
    for start in range(0, len(pending), run.batch_size):
        chunk = pending[start : start + run.batch_size]
        now = timezone.now()
        with transaction.atomic():
            unset = [person_id for person_id, value in chunk if not value]
            gone = PersonAttribute._base_manager.filter(person_id__in=unset, attribute_id=PROFILE_SMOKE)
            gone._raw_delete(gone.db)  # no signals: the history rows are written below
            rows = [
                {"person_id": p, "attribute_id": PROFILE_SMOKE, "value": True, "set_at": now}
                for p, v in chunk
                if v
            ]
            history = [
                {
                    "person_id": p,
                    "attribute_key": PROFILE_SMOKE,
                    "old_value": None if v else True,
                    "new_value": v,
                    "changed_at": now,
                }
                for p, v in chunk
            ]
            written += rows_copy(PersonAttribute, rows) + len(unset) + rows_copy(AttributeHistory, history)
            run.derive("events", attribute_history_events(history))
        run.committed()
    run.derived["profile_smoke"] = run.derived.get("profile_smoke", 0) + written
