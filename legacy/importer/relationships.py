"""`relationships`, `relationship_history`, `service_relationships` and `profiles.friend_tier` →
relationships on the owner's profile (`MHC_OWNER_USERNAME`).

The original keeps one owner-centric record per profile with a roles array; each role becomes a
relationship of our matching type with the record's status, tier, dates and notes. What has no
field here (a custom role's label, traits, the exact original status) is written into the
relationship's notes under "From the original", so it stays visible on the relationship.
"""

import uuid
from datetime import date, datetime

from django.db import transaction

from legacy.importer.core import Batch, Run, aware, key_text
from legacy.importer.events import relationship_events
from legacy.models import LegacyDetails
from profiles.models import Profile
from relationships.models import Relationship, RelationshipHistory, RelationshipType, Status, Tier
from relationships.services import owner_profile_get_or_create

ROLE_TYPES = {
    "Dom": RelationshipType.DOM,
    "Sub": RelationshipType.SUB,
    "Friend": RelationshipType.FRIEND,
    "Custom": RelationshipType.ACQUAINTANCE,
}
STATUSES = {
    "Potential": Status.POTENTIAL,
    "Occasional": Status.OCCASIONAL,
    "Active": Status.ACTIVE,
    "On Hold": Status.ON_HOLD,
    "Inactive": Status.INACTIVE,
    "Decommissioned": Status.ENDED,
    "Banished": Status.ENDED,
}
TRAIT_TIERS = {
    "T1 Special": Tier.TIER1,
    "T2 Regular": Tier.TIER2,
    "T3 Tipper": Tier.TIER3,
    "T4 Drive-By": Tier.TIER3,
}
# profiles.friend_tier as migration 042 read it (1 special, 2 regular, 3 tipper, 4 drive-by).
FRIEND_TIERS = {1: Tier.TIER1, 2: Tier.TIER2, 3: Tier.TIER3, 4: Tier.TIER3}


def relationship_types(roles: list[str] | None) -> list[str]:
    """Our types for the original's roles, each once, in the original's order."""
    types: list[str] = []
    for role in roles or []:
        kind = ROLE_TYPES.get(role, RelationshipType.ACQUAINTANCE)
        if kind not in types:
            types.append(kind)
    return types


def relationship_status(status: str | None) -> str:
    return STATUSES.get(status or "", Status.ACTIVE)


def relationship_tier(traits: list[str] | None) -> str:
    """The closest friend tier among the traits (tier 1 when none is a tier)."""
    tiers = sorted(TRAIT_TIERS[trait] for trait in traits or [] if trait in TRAIT_TIERS)
    return tiers[0] if tiers else Tier.TIER1


def relationship_notes(row: dict) -> str:
    """The record's notes, then what our relationship has no field for."""
    kept = []
    roles = [role for role in row.get("roles") or [] if role not in ROLE_TYPES]
    if "Custom" in (row.get("roles") or []) or row.get("custom_role_label"):
        kept.append(f"custom role: {row.get('custom_role_label') or '(no label)'}")
    if roles:
        kept.append(f"roles: {', '.join(roles)}")
    if row.get("traits"):
        kept.append(f"traits: {', '.join(row['traits'])}")
    if row.get("status") in ("Decommissioned", "Banished") or (
        row.get("status") and row["status"] not in STATUSES
    ):
        kept.append(f"status: {row['status']}")
    since, until = row.get("since_date"), row.get("until_date")
    if since and until and until < since:
        kept.append(f"until {until} (before since {since})")
    text = (row.get("notes") or "").strip()
    if kept:
        text = "\n".join(filter(None, [text, "From the original: " + "; ".join(kept)]))
    return text


def _dates(since: date | datetime | None, until: date | datetime | None) -> tuple[date | None, date | None]:
    since = since.date() if isinstance(since, datetime) else since
    until = until.date() if isinstance(until, datetime) else until
    if since and until and until < since:
        until = None
    return since, until


def relationships_import(run: Run) -> None:
    schema = run.source.schema
    owner = owner_profile_get_or_create()
    if "relationships" in schema.columns:
        _records(run, owner)
    if "service_relationships" in schema.columns:
        _service(run, owner)
    if schema.has("profiles", "friend_tier"):
        _friend_tiers(run, owner)


def _records(run: Run, owner: Profile) -> None:
    rels = Batch("relationships")
    hist = Batch("relationship_history")
    rows = run.source.rows(
        "SELECT t.*, p.person_id AS _person_id FROM relationships t JOIN profiles p ON p.id = t.profile_id "
        "ORDER BY t.id"
    )
    history: dict[uuid.UUID, list[dict]] = {}
    if "relationship_history" in run.source.schema.columns:
        for entry in run.source.rows("SELECT * FROM relationship_history ORDER BY changed_at, id"):
            history.setdefault(entry["relationship_id"], []).append(entry)
    done = set(
        LegacyDetails.objects.filter(source_table="relationships").values_list("source_key", flat=True)
    )
    for start in range(0, len(rows), run.batch_size):
        with transaction.atomic():
            for row in rows[start : start + run.batch_size]:
                _record(run, owner, rels, hist, row, history.pop(row["id"], []), done)
            rels.flush()
            hist.flush()
        run.committed()
    for entries in history.values():  # history of records that no longer exist
        for entry in entries:
            hist.keep(entry, key=entry["id"], reason="its relationship no longer exists")
    with transaction.atomic():
        hist.flush()
    hist.tally.read = hist.tally.imported + hist.tally.merged + hist.tally.kept_aside
    rels.tally.read = len(rows)
    run.finish_table("relationships", rels.tally)
    if "relationship_history" in run.source.schema.columns:
        run.finish_table("relationship_history", hist.tally)


def _record(run: Run, owner: Profile, rels: Batch, hist: Batch, row: dict, entries: list, done: set) -> None:
    legacy_person = row.pop("_person_id")
    person = run.people.target(legacy_person)
    reason = None
    if person is None:
        reason = run.people.invalid_reason(legacy_person)
    elif person == owner.person_id:
        reason = "a relationship of the owner with themself"
    elif not relationship_types(row.get("roles")):
        reason = "no role"
    if reason:
        rels.keep(row, key=row["id"], reason=reason, person_id=person)
        for entry in entries:
            hist.keep(
                entry, key=entry["id"], reason=f"its relationship was kept aside ({reason})", person_id=person
            )
        return
    rels.imported()
    write = key_text(row["id"]) not in done
    tier, status = relationship_tier(row.get("traits")), relationship_status(row.get("status"))
    started, ended = _dates(row.get("since_date"), row.get("until_date"))
    if write:
        for kind in relationship_types(row.get("roles")):
            if Relationship.objects.filter(profile=owner, related_person_id=person, type=kind).exists():
                continue
            Relationship.objects.create(
                profile=owner,
                related_person_id=person,
                type=kind,
                tier=tier,
                status=status,
                notes=relationship_notes(row),
                started_at=started,
                ended_at=ended,
            )
            rels.tally.written += 1
    history_rows = _replay(row, entries, tier, hist)
    for entry in history_rows:
        entry.profile, entry.related_person_id = owner, person
    if write:
        RelationshipHistory.objects.bulk_create(history_rows)
        hist.tally.written += len(history_rows)
        run.derive("events", relationship_events(history_rows))
    rels.detail(
        key=row["id"], data={"created_at": row.get("created_at")}, person_id=person, target="relationships"
    )


def _replay(row: dict, entries: list[dict], tier: str, hist: Batch) -> list[RelationshipHistory]:
    """Our history rows for one record: its roles at creation, then each change of roles or
    status at its own time. Date changes have no place in our history and are kept aside."""
    first_roles = next((e["old_value"] for e in entries if e["field_name"] == "roles"), row.get("roles"))
    first_status = next((e["old_value"] for e in entries if e["field_name"] == "status"), row.get("status"))
    held = relationship_types(first_roles if isinstance(first_roles, list) else [])
    status = relationship_status(first_status if isinstance(first_status, str) else row.get("status"))
    created = aware(row.get("created_at"))
    out = [_entry("created", kind, tier, new_status=status, at=created) for kind in held]
    for entry in entries:
        at = aware(entry["changed_at"])
        made: list[RelationshipHistory] = []
        if entry["field_name"] == "status" and isinstance(entry["new_value"], str):
            new = relationship_status(entry["new_value"])
            if new != status:
                made = [
                    _entry("changed", kind, tier, old_status=status, new_status=new, at=at) for kind in held
                ]
                status = new
        elif entry["field_name"] == "roles" and isinstance(entry["new_value"], list):
            now = relationship_types(entry["new_value"])
            made = [
                _entry("removed", kind, tier, old_status=status, at=at) for kind in held if kind not in now
            ]
            made += [
                _entry("created", kind, tier, new_status=status, at=at) for kind in now if kind not in held
            ]
            held = now
        if made:
            hist.imported()
            out += made
        else:
            why = "our relationship history records type, tier and status only"
            if entry["field_name"] in ("status", "roles"):
                why = "no change once mapped to our types and statuses"
            hist.keep(entry, key=entry["id"], reason=why)
    return out


def _entry(
    action: str, kind: str, tier: str, *, at, old_status: str = "", new_status: str = ""
) -> RelationshipHistory:
    old = {"old_type": kind, "old_tier": tier, "old_status": old_status} if action != "created" else {}
    new = {"new_type": kind, "new_tier": tier, "new_status": new_status} if action != "removed" else {}
    entry = RelationshipHistory(action=action, **old, **new)
    if at is not None:
        entry.changed_at = at
    return entry


def _service(run: Run, owner: Profile) -> None:
    """The older `service_relationships` (sub / dom service records): merged into the record's
    relationship of that type where there is one, else a relationship of their own."""
    batch = Batch("service_relationships")
    rows = run.source.rows(
        "SELECT t.*, p.person_id AS _person_id, r.roles AS _roles FROM service_relationships t "
        "JOIN profiles p ON p.id = t.profile_id LEFT JOIN relationships r ON r.profile_id = t.profile_id "
        "ORDER BY t.id"
        if "relationships" in run.source.schema.columns
        else "SELECT t.*, p.person_id AS _person_id, NULL AS _roles FROM service_relationships t "
        "JOIN profiles p ON p.id = t.profile_id ORDER BY t.id"
    )
    done = set(
        LegacyDetails.objects.filter(source_table="service_relationships").values_list(
            "source_key", flat=True
        )
    )
    with transaction.atomic():
        for row in rows:
            legacy_person, roles = row.pop("_person_id"), row.pop("_roles") or []
            person = run.people.target(legacy_person)
            kind = RelationshipType.SUB if row["service_role"] == "sub" else RelationshipType.DOM
            if person is None or person == owner.person_id:
                reason = (
                    run.people.invalid_reason(legacy_person) if person is None else "the owner's own record"
                )
                batch.keep(row, key=row["id"], reason=reason, person_id=person)
                continue
            extras = {
                name: row.get(name) for name in ("service_level", "service_types", "created_at", "updated_at")
            }
            if row["service_role"].capitalize() in roles:  # migration 042 folded it into the record
                batch.merged()
                run.listed(
                    "merged_service_relationships", {"id": str(row["id"]), "into": f"relationships {kind}"}
                )
                extras.update(
                    started_at=row.get("started_at"), ended_at=row.get("ended_at"), notes=row.get("notes")
                )
            else:
                batch.imported()
                exists = Relationship.objects.filter(
                    profile=owner, related_person_id=person, type=kind
                ).exists()
                if key_text(row["id"]) not in done and not exists:
                    batch.tally.written += _service_relationship(run, owner, person, kind, row)
            batch.detail(
                key=row["id"], data=extras, person_id=person, target=f"relationships.Relationship {kind}"
            )
        batch.flush()
    batch.tally.read = len(rows)
    run.finish_table("service_relationships", batch.tally)


def _service_relationship(run: Run, owner: Profile, person: uuid.UUID, kind: str, row: dict) -> int:
    started, ended = _dates(row.get("started_at"), row.get("ended_at"))
    status = Status.ENDED if ended else Status.ACTIVE
    level = f"From the original: service level {row['service_level']}"
    if row.get("service_types"):
        level += f"; types: {', '.join(row['service_types'])}"
    relationship = Relationship.objects.create(
        profile=owner,
        related_person_id=person,
        type=kind,
        status=status,
        notes="\n".join(filter(None, [(row.get("notes") or "").strip(), level])),
        started_at=started,
        ended_at=ended,
    )
    at = aware(row.get("created_at"))
    entry = _entry("created", kind, relationship.tier, new_status=status, at=at)
    entry.profile, entry.related_person_id = owner, person
    entry.save()
    run.derive("events", relationship_events([entry]))
    return 2


def _friend_tiers(run: Run, owner: Profile) -> None:
    """`profiles.friend_tier` 1 to 4 on a profile without a relationships record (migration 042
    folded the others in already): a friend relationship with that tier. The value itself is also
    among the profile's details."""
    where = (
        "NOT EXISTS (SELECT 1 FROM relationships r WHERE r.profile_id = p.id)"
        if "relationships" in run.source.schema.columns
        else "true"
    )
    rows = run.source.rows(
        f"SELECT p.id, p.person_id, p.friend_tier, p.created_at FROM profiles p WHERE p.friend_tier BETWEEN "
        f"1 AND 4 AND {where}"
    )
    friends = set(
        Relationship.objects.filter(profile=owner, type=RelationshipType.FRIEND).values_list(
            "related_person_id", flat=True
        )
    )
    relationships, history = [], []
    for row in rows:
        person = run.people.target(row["person_id"])
        if person is None or person == owner.person_id or person in friends:
            continue
        friends.add(person)
        tier = FRIEND_TIERS[row["friend_tier"]]
        note = f"From the original: friend tier {row['friend_tier']}"
        relationships.append(
            Relationship(profile=owner, related_person_id=person, type="friend", tier=tier, notes=note)
        )
        entry = _entry(
            "created",
            RelationshipType.FRIEND,
            tier,
            new_status=Status.ACTIVE,
            at=aware(row.get("created_at")),
        )
        entry.profile, entry.related_person_id = owner, person
        history.append(entry)
    for start in range(0, len(relationships), run.batch_size):
        with transaction.atomic():  # a relationship and its history row commit together
            Relationship.objects.bulk_create(relationships[start : start + run.batch_size])
            RelationshipHistory.objects.bulk_create(history[start : start + run.batch_size])
            run.derive("events", relationship_events(history[start : start + run.batch_size]))
        run.committed()
    run.derived["friend_tier relationships"] = len(relationships)
