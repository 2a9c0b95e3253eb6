"""`persons` → Person. Usernames are trimmed and lower-cased; rows that then collide (the original's
unique key was case-sensitive) are one account and become one Person; a name still invalid is
kept aside with every row that depends on it."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from legacy.importer.core import Batch, Run, Tally, aware
from mhc.rows import rows_copy
from profiles.models import Person
from profiles.usernames import normalize_username

ROLES = {"MODEL": Person.Role.MODEL, "VIEWER": Person.Role.VIEWER, "BOTH": Person.Role.BOTH}
PERSON_MAPPED = {"id", "username", "platform", "role", "first_seen_at", "last_seen_at"}


def username_or_none(raw: object) -> str | None:
    """The stored form of a source username, or None when it is not a valid one."""
    try:
        return normalize_username(raw)
    except ValidationError:
        return None


def combined_role(roles: list[str]) -> str:
    """One role for the rows merged into a person: both if they disagree, unknown if none is known."""
    known = {ROLES[role] for role in roles if role in ROLES}
    if Person.Role.BOTH in known or {Person.Role.MODEL, Person.Role.VIEWER} <= known:
        return Person.Role.BOTH
    return known.pop() if known else Person.Role.UNKNOWN


@dataclass
class Group:
    """Source persons that are one account: the survivor and the rows merged into it."""

    username: str
    platform: str
    survivor: uuid.UUID
    members: list[uuid.UUID]
    role: str = Person.Role.UNKNOWN
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None


@dataclass
class PeoplePlan:
    """Where each source person goes. Most go to the Person with their own id; only the exceptions
    are held in memory (invalid names, merged rows, names our database already had)."""

    invalid: dict[uuid.UUID, str] = field(default_factory=dict)
    survivor_of: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    groups: dict[uuid.UUID, Group] = field(default_factory=dict)  # by survivor
    existing: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # survivor → our other id

    def target(self, legacy_id: uuid.UUID | None) -> uuid.UUID | None:
        """Our Person id for a source person id (None for an invalid name or no id)."""
        if legacy_id is None or legacy_id in self.invalid:
            return None
        survivor = self.survivor_of.get(legacy_id, legacy_id)
        return self.existing.get(survivor, survivor)

    def invalid_reason(self, legacy_id: uuid.UUID) -> str:
        return f"its person's username {self.invalid.get(legacy_id)!r} is not a valid username"


def people_plan(run: Run) -> PeoplePlan:
    """Read every person once (id, name, platform) and work out the merges and the invalid names."""
    plan = PeoplePlan()
    first: dict[tuple[str, str], uuid.UUID] = {}
    collisions: dict[tuple[str, str], list[uuid.UUID]] = {}
    for rows in run.source.stream("SELECT id, username, platform FROM persons ORDER BY id", size=5000):
        for row in rows:
            username = username_or_none(row["username"])
            if username is None:
                plan.invalid[row["id"]] = row["username"]
                continue
            name = (username, row["platform"] or Person.DEFAULT_PLATFORM)
            if name in first:
                collisions.setdefault(name, [first[name]]).append(row["id"])
            else:
                first[name] = row["id"]
    del first
    members = [member for ids in collisions.values() for member in ids]
    facts = {
        row["id"]: row
        for row in run.source.rows(
            "SELECT p.id, p.role, p.first_seen_at, p.last_seen_at, p.created_at, "
            "EXISTS (SELECT 1 FROM profiles f WHERE f.person_id = p.id) AS has_profile "
            "FROM persons p WHERE p.id = ANY(%s)",
            (members,),
        )
    }
    for (username, platform), ids in collisions.items():
        rows = [facts[member] for member in ids]
        rows.sort(key=lambda row: (not row["has_profile"], _oldest(row), str(row["id"])))
        group = Group(
            username=username,
            platform=platform,
            survivor=rows[0]["id"],
            members=[row["id"] for row in rows],
            role=combined_role([row["role"] for row in rows]),
            first_seen_at=min(aware(row["first_seen_at"]) for row in rows),
            last_seen_at=max(aware(row["last_seen_at"]) for row in rows),
        )
        plan.groups[group.survivor] = group
        for row in rows[1:]:
            plan.survivor_of[row["id"]] = group.survivor
        run.listed("merged_usernames", {"username": username, "platform": platform, "rows": len(rows)})
    for legacy_id, raw in plan.invalid.items():
        run.listed("invalid_usernames", {"id": str(legacy_id), "username": raw})
    return plan


def _oldest(row: dict) -> tuple:
    return tuple(
        aware(row[name]) or datetime.max.replace(tzinfo=UTC) for name in ("created_at", "first_seen_at")
    )


def people_import(run: Run) -> None:
    """Write the Person rows, batch by batch; every run re-reads `persons` (the accounting and the
    names our database already had depend on all of it) and writes only what is missing."""
    plan = run.people
    total = Tally()
    with run.progress_bar("persons", run.source.count("persons")) as bar:
        for rows in run.source.stream("SELECT * FROM persons ORDER BY id", size=run.batch_size):
            batch = Batch("persons")
            with transaction.atomic():
                _persons_batch(plan, batch, rows)
                batch.flush()
            batch.tally.read = len(rows)
            total.add(batch.tally)
            bar.update(len(rows))
            run.committed()
    run.finish_table("persons", total)


def _persons_batch(plan: PeoplePlan, batch: Batch, rows: list[dict]) -> None:
    wanted: dict[uuid.UUID, dict] = {}
    for row in rows:
        legacy_id = row["id"]
        if legacy_id in plan.invalid:
            batch.keep(
                row, key=legacy_id, reason=plan.invalid_reason(legacy_id).replace("its person's", "the")
            )
            continue
        survivor = plan.survivor_of.get(legacy_id, legacy_id)
        group = plan.groups.get(survivor)
        if group:
            wanted[survivor] = {
                "username": group.username,
                "platform": group.platform,
                "role": group.role,
                "first_seen_at": group.first_seen_at,
                "last_seen_at": group.last_seen_at,
            }
        else:
            wanted[survivor] = {
                "username": username_or_none(row["username"]),
                "platform": row["platform"] or Person.DEFAULT_PLATFORM,
                "role": ROLES.get(row["role"], Person.Role.UNKNOWN),
                "first_seen_at": aware(row["first_seen_at"]),
                "last_seen_at": aware(row["last_seen_at"]),
            }
        if survivor == legacy_id:
            batch.imported()
        else:
            batch.merged()
    batch.tally.written += persons_upsert(plan, wanted)
    for row in rows:
        target = plan.target(row["id"])
        if target is None:
            continue
        extras = {name: value for name, value in row.items() if name not in PERSON_MAPPED}
        if row["username"] != wanted[plan.survivor_of.get(row["id"], row["id"])]["username"]:
            extras["username"] = row["username"]
        batch.detail(key=row["id"], data=extras, person_id=target, target=f"profiles.Person {target}")


def persons_upsert(plan: PeoplePlan, wanted: dict[uuid.UUID, dict]) -> int:
    """Create the people not in our database yet (with the survivor's id); for a name our database
    already had, remember its id and widen its first/last seen. Returns the rows written."""
    written = 0
    by_name = {(spec["username"], spec["platform"]): survivor for survivor, spec in wanted.items()}
    found: dict[tuple[str, str], Person] = {}
    for platform in {spec["platform"] for spec in wanted.values()}:
        names = [spec["username"] for spec in wanted.values() if spec["platform"] == platform]
        for person in Person.objects.filter(platform=platform, username__in=names):
            found[(person.username, platform)] = person
    new = []
    for name, survivor in by_name.items():
        spec = wanted[survivor]
        person = found.get(name)
        if person is None:
            new.append({"id": survivor, **spec})
            continue
        if person.pk != survivor:
            plan.existing[survivor] = person.pk
        fields = []
        if spec["first_seen_at"] and spec["first_seen_at"] < person.first_seen_at:
            person.first_seen_at = spec["first_seen_at"]
            fields.append("first_seen_at")
        if spec["last_seen_at"] and spec["last_seen_at"] > person.last_seen_at:
            person.last_seen_at = spec["last_seen_at"]
            fields.append("last_seen_at")
        if fields:
            person.save(update_fields=[*fields, "updated_at"])
            written += 1
    return written + rows_copy(Person, new)
