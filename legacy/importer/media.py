"""`media_locator` (older: `profile_images`) → MediaRecord with the same id and the same storage
key: no file is copied or moved. `affiliate_api_polling` (older: `affiliate_api_snapshots`) →
AffiliateSnapshot pointing at the imported record.

Our library allows one live record per storage key and one live primary per person; the
original allowed neither rule. A second live row of a key is merged into the first (by created
date, then id), and its references follow; a primary beyond the first of a person, or on a
soft-deleted row, is imported as not primary with the fact kept in its details.
"""

import re
import uuid

from legacy.importer.core import Batch, Run, aware, where_in
from media.models import AffiliateSnapshot, MediaRecord, MediaSource
from mhc.rows import rows_copy

SOURCES = {
    "affiliate_api": MediaSource.AFFILIATE_API,
    "manual_upload": MediaSource.UPLOAD,
    "screensnap": MediaSource.SCREENSNAP,
    "following_snap": MediaSource.SCREENSNAP,
    "profile": MediaSource.PROFILE,
}
MEDIA_MAPPED = {
    "id",
    "person_id",
    "file_path",
    "original_filename",
    "source",
    "captured_at",
    "file_size",
    "mime_type",
    "width",
    "height",
    "created_at",
    "is_primary",
    "sha256",
    "source_url",
    "deleted_at",
}
SHA256_RE = re.compile(r"[0-9a-f]{64}")
MEDIA_COLUMNS = [
    *sorted(MEDIA_MAPPED),
    "description",
    "uploaded_at",
    "media_type",
    "duration_seconds",
    "photoset_id",
    "title",
    "storage_provider",
    "username",
    "legacy_file_path",
    "s3_verified",
    "s3_verified_at",
    "is_favorite",
]
UNMAPPED = [name for name in MEDIA_COLUMNS if name not in MEDIA_MAPPED]
# Values a column has unless something is special about the row; only the others are kept.
IMPLIED = {"is_favorite": False, "media_type": "image", "storage_provider": "s3", "s3_verified": None}
POLLING_DEAD = ("image_url", "deprecated_image_path", "image_path_360x270")


def media_source(source: str | None) -> str:
    """Our source for an original one; those we have no name for (external, imported …) are uploads."""
    return SOURCES.get(source or "", MediaSource.UPLOAD)


def media_fields(row: dict) -> tuple[dict, dict]:
    """(our MediaRecord's fields, the values kept as details) for one source row."""
    sha = (row.get("sha256") or "").strip().lower()
    fields = {
        "id": row["id"],
        "file_path": row["file_path"],
        "original_filename": (row.get("original_filename") or "")[:255],
        "source": media_source(row.get("source")),
        "source_url": (row.get("source_url") or "")[:2048],
        "sha256": sha if SHA256_RE.fullmatch(sha) else "",
        "size_bytes": row["file_size"]
        if isinstance(row.get("file_size"), int) and row["file_size"] >= 0
        else None,
        "mime_type": (row.get("mime_type") or "")[:64],
        "width": row.get("width") if (row.get("width") or 0) > 0 else None,
        "height": row.get("height") if (row.get("height") or 0) > 0 else None,
        "is_primary": bool(row.get("is_primary")) and row.get("deleted_at") is None,
        "captured_at": aware(row.get("captured_at") or row.get("uploaded_at") or row.get("created_at")),
        "created_at": aware(row.get("created_at")),
        "deleted_at": aware(row.get("deleted_at")),
    }
    extras = {
        name: row[name] for name in UNMAPPED if row.get(name) is not None and row[name] != IMPLIED.get(name)
    }
    if row.get("uploaded_at") == row.get("created_at"):
        extras.pop("uploaded_at", None)
    if (row.get("username") or "").lower() == _key_folder(row["file_path"]):
        extras.pop("username", None)
    if fields["source"] != row.get("source"):
        extras["source"] = row.get("source")
    if fields["sha256"] != (row.get("sha256") or ""):
        extras["sha256"] = row.get("sha256")
    if row.get("is_primary") and not fields["is_primary"]:
        extras["is_primary"] = True
    for name in ("original_filename", "source_url", "mime_type"):
        if (row.get(name) or "") != fields[name]:
            extras[name] = row.get(name)
    return {
        name: value for name, value in fields.items() if value is not None or name == "deleted_at"
    }, extras


def _key_folder(key: str) -> str:
    """The username folder of a `people/<username>/...` key (lower-case), or ""."""
    parts = key.split("/")
    return parts[1].lower() if len(parts) > 2 and parts[0] == "people" else ""


def media_plan(run: Run) -> tuple[dict[uuid.UUID, uuid.UUID], set[uuid.UUID]]:
    """(duplicate live row → the row it is merged into, ids of rows kept aside): the only media
    ids that do not map to a record of the same id."""
    table = run.source.schema.tables.get("media")
    if not table:
        return {}, set()
    merged = {}
    live = "WHERE deleted_at IS NULL " if run.source.schema.has(table, "deleted_at") else ""
    for row in run.source.rows(
        f'SELECT array_agg(id ORDER BY created_at, id) AS ids FROM "{table}" {live}'
        "GROUP BY file_path HAVING count(*) > 1"
    ):
        first, *others = row["ids"]
        merged.update(dict.fromkeys(others, first))
    kept = {
        row["id"]
        for row in run.source.rows(
            f'SELECT id, person_id FROM "{table}" WHERE person_id = ANY(%s)', (list(run.people.invalid),)
        )
    }
    return merged, kept


def media_import(run: Run, merged: dict[uuid.UUID, uuid.UUID]) -> None:
    table = run.source.schema.tables.get("media")
    if not table:
        return
    columns = run.source.select_list(table, MEDIA_COLUMNS, renames={"is_primary": "is_current"})
    select = f'SELECT {columns} FROM "{table}" t'

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        ids = [row["id"] for row in rows]
        present = set(where_in(MediaRecord.objects, "id", ids).values_list("pk", flat=True))
        targets = {row["id"]: run.people.target(row["person_id"]) for row in rows}
        live_primaries = MediaRecord.objects.filter(is_primary=True, deleted_at__isnull=True)
        people = {t for t in targets.values() if t}
        primaries = set(where_in(live_primaries, "person_id", people).values_list("person_id", flat=True))
        taken = _keys_taken(rows, set(ids))
        new = []
        for row in rows:
            target = targets[row["id"]]
            if target is None:
                batch.keep(row, key=row["id"], reason=run.people.invalid_reason(row["person_id"]))
                continue
            fields, extras = media_fields(row)
            into = (
                (merged.get(row["id"]) or taken.get(row["file_path"]))
                if row.get("deleted_at") is None
                else None
            )
            if into:
                batch.merged()
                run.listed(
                    "merged_media", {"id": str(row["id"]), "into": str(into), "file_path": row["file_path"]}
                )
                extras.update({name: row.get(name) for name in MEDIA_MAPPED - {"id", "person_id"}})
                batch.detail(key=row["id"], data=extras, person_id=target, target=f"media.MediaRecord {into}")
                continue
            batch.imported()
            if fields["is_primary"] and target in primaries:
                fields["is_primary"] = False
                extras["is_primary"] = True
            if fields["is_primary"]:
                primaries.add(target)
            batch.detail(
                key=row["id"], data=extras, person_id=target, target=f"media.MediaRecord {row['id']}"
            )
            if row["id"] not in present:
                new.append({"person_id": target, **fields})
        batch.tally.written += rows_copy(MediaRecord, new)

    run.stream(table, select, handle)


def _keys_taken(rows: list[dict], ids: set) -> dict[str, uuid.UUID]:
    """Live records of ours (not from this source row) that already use a live row's key."""
    keys = [row["file_path"] for row in rows if row.get("deleted_at") is None]
    ours = where_in(MediaRecord.objects.filter(deleted_at__isnull=True), "file_path", keys)
    return {path: pk for path, pk in ours.values_list("file_path", "pk") if pk not in ids}


def polling_import(run: Run, merged: dict[uuid.UUID, uuid.UUID], kept: set[uuid.UUID]) -> None:
    """Every observation becomes a snapshot; its thumbnail follows a merged record, and one whose
    record was kept aside keeps the id in its details. `session_start` (observed minus seconds
    online) and `created_at` are not carried; the dead image columns are kept as details."""
    table = run.source.schema.tables.get("affiliate")
    if not table:
        return
    media_column = (
        "media_locator_id" if run.source.schema.has(table, "media_locator_id") else "profile_image_id"
    )

    def handle(run: Run, batch: Batch, rows: list[dict]) -> None:
        new = []
        for row in rows:
            target = run.people.target(row["person_id"])
            if target is None:
                batch.keep(row, key=row["id"], reason=run.people.invalid_reason(row["person_id"]))
                continue
            batch.imported()
            media_id = row.get(media_column)
            extras = {name: row[name] for name in POLLING_DEAD if row.get(name) not in (None, "")}
            if media_id in kept:
                extras[media_column] = media_id
                media_id = None
            new.append(
                {
                    "person_id": target,
                    "observed_at": aware(row["observed_at"]),
                    "room_subject": (row.get("room_subject") or "")[:1024],
                    "num_users": max(row.get("num_users") or 0, 0),
                    "num_followers": max(row.get("num_followers") or 0, 0),
                    "tags": list(row.get("tags") or []),
                    "is_hd": row.get("is_hd"),
                    "current_show": (row.get("current_show") or "")[:32],
                    "seconds_online": max(row.get("seconds_online") or 0, 0),
                    "image_url_360x270": (row.get("image_url_360x270") or "")[:2048],
                    "media_locator_id": merged.get(media_id, media_id),
                }
            )
            if extras:
                batch.detail(key=row["id"], data=extras, person_id=target, target="media.AffiliateSnapshot")
        batch.tally.written += rows_copy(AffiliateSnapshot, new)

    run.stream(table, f'SELECT t.* FROM "{table}" t', handle)
