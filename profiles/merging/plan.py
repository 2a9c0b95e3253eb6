"""Planning a merge: what moves, what is dropped, what changes, and every choice in words.

`merge_plan` only reads (a constant number of queries, whatever the two people have); the
preview shows its summary, and `merge_apply` writes exactly what it planned, so a preview is
what the merge then does.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from profiles.merging.rows import PERSON, PROFILE, Relation, attnames, relations, rows_load
from profiles.merging.rules import Names, Row, merge_rules
from profiles.models import Person


@dataclass
class Plan:
    """A merge of `merge` into `keep`, worked out on the rows as they are now."""

    keep: Person
    merge: Person
    before: dict[str, dict[Any, Row]]
    names: Names
    updates: dict[str, dict[Any, Row]] = field(default_factory=lambda: defaultdict(dict))
    deletes: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    kinds: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)

    def conflict(self, kind: str, description: str, choice: str) -> None:
        self.conflicts.append({"kind": kind, "description": description, "choice": choice})

    def summary(self) -> dict:
        """The plan as the preview and the merge's history show it (JSON)."""
        return {
            "keep": self.keep.username,
            "merge": self.merge.username,
            "kinds": self.kinds,
            "conflicts": self.conflicts,
            "former_username": self.merge.username,
        }

    def after(self, *, created: list[models.Model] = ()) -> dict[str, dict[Any, Row]]:
        """The rows as the merge leaves them, with the rows it `created` (the merged name):
        what an undo compares the kept person's rows with. The merge writes exactly this, as
        the tests check, so it need not read it back."""
        result = {}
        for label, rows in self.before.items():
            dropped = set(self.deletes.get(label, ()))
            changes = self.updates.get(label, {})
            result[label] = {
                pk: {**row, **changes.get(pk, {})} for pk, row in rows.items() if pk not in dropped
            }
        for instance in created:
            row = {name: getattr(instance, name) for name in attnames(type(instance))}
            result.setdefault(instance._meta.label_lower, {})[instance.pk] = row
        return result


def merge_plan(*, keep: Person, merge: Person) -> Plan:
    """How `merge` would be merged into `keep`; reads only."""
    before = rows_load([keep.pk, merge.pk])
    plan = Plan(keep=keep, merge=merge, before=before, names=_names(before, keep, merge))
    profiles = before[PROFILE]
    profile_of = {pk: row["person_id"] for pk, row in profiles.items()}
    profile_map: dict = {}
    for relation in relations():
        _plan_relation(plan, relation, profile_of, profile_map)
        if relation.label == PROFILE:
            kept = [pk for pk, row in profiles.items() if row["person_id"] == keep.pk]
            merged = [pk for pk in plan.deletes.get(PROFILE, ()) if profile_of[pk] == merge.pk]
            if kept and merged:
                profile_map[merged[0]] = kept[0]
    _plan_person(plan)
    return plan


def _names(before: dict[str, dict[Any, Row]], keep: Person, merge: Person) -> Names:
    """Usernames of everyone the rows refer to (one query), for the plan's sentences."""
    ids = set()
    for relation in relations():
        for row in before[relation.label].values():
            ids.update(row[name] for name in relation.person_fields if row[name] is not None)
    names = dict(Person.objects.filter(pk__in=ids - {keep.pk, merge.pk}).values_list("pk", "username"))
    return {**names, keep.pk: keep.username, merge.pk: merge.username}


def _kind(relation: Relation) -> str:
    return str(relation.model._meta.verbose_name_plural)


def _describe(relation: Relation, row: Row, plan: Plan) -> str:
    """A row in words: its kind and the third people it concerns (or its key)."""
    singular = str(relation.model._meta.verbose_name)
    others = [
        plan.names.get(row[name], "?")
        for name in relation.person_fields
        if row[name] not in (plan.keep.pk, plan.merge.pk, None)
    ]
    if others:
        return f"{singular} with {', '.join(others)}"
    people = {row[name] for name in relation.person_fields}
    if {plan.keep.pk, plan.merge.pk} <= people:
        return f"the {singular} between {plan.keep.username} and {plan.merge.username}"
    for candidate in ("attribute_id", "attribute_key", "type", "username"):
        if candidate in row:
            return f"{singular} {row[candidate]}"
    return f"{singular} #{row[relation.model._meta.pk.attname]}"


def _plan_relation(plan: Plan, relation: Relation, profile_of: dict, profile_map: dict) -> None:
    """Plan one model's rows: move what refers to the merged person, drop what would refer to
    the kept one twice, settle what would collide; record the updates, deletes and counts."""
    label, rule = relation.label, merge_rules.get(relation.label)
    rows = plan.before[label]
    after = {pk: _remapped(row, relation, plan, profile_map) for pk, row in rows.items()}
    # Rows of the merged person's profile move with it even when the profile itself moves.
    moved = {
        pk
        for pk, new in after.items()
        if new != rows[pk]
        or any(profile_of.get(new[name]) == plan.merge.pk for name in relation.profile_fields)
    }
    dropped = _self_references(plan, relation, after, moved, profile_of)
    for name, fields, condition in relation.unique_sets():
        if set(fields) & set(relation.reference_fields):
            for pks in _collisions(relation, after, dropped, fields, condition):
                if set(pks) & moved:
                    _resolve_collision(plan, relation, rule, name, pks, moved, after, dropped)
    plan.deletes[label].extend(sorted(dropped, key=str))
    for pk, new in after.items():
        if pk in dropped:
            continue
        changes = {name: value for name, value in new.items() if rows[pk][name] != value}
        if changes:
            plan.updates[label][pk] = changes
        if pk in moved and rule and rule.explain and (sentence := rule.explain(new, plan.names)):
            plan.conflict(_kind(relation), sentence, "moved")
    if moved:
        plan.kinds.append({"kind": _kind(relation), "moved": len(moved - dropped), "dropped": len(dropped)})


def _remapped(row: Row, relation: Relation, plan: Plan, profile_map: dict) -> Row:
    """The row as the merge leaves it: the merged person (and a dropped profile) replaced by the
    kept one, an ordered pair put back in order."""
    new = dict(row)
    for name in relation.person_fields:
        if new[name] == plan.merge.pk:
            new[name] = plan.keep.pk
    for name in relation.profile_fields:
        new[name] = profile_map.get(new[name], new[name])
    for low, high in relation.ordered_pairs:
        if new[low] is not None and new[high] is not None and new[low] > new[high]:
            new[low], new[high] = new[high], new[low]
    return new


def _self_references(plan: Plan, relation: Relation, after: dict, moved: set, profile_of: dict) -> set:
    """Moved rows that would refer to the kept person twice (directly or through a profile)."""
    keep, merge = plan.keep.pk, plan.merge.pk
    dropped = set()
    for pk in sorted(moved, key=str):
        new = after[pk]
        owners = [profile_of.get(new[name]) for name in relation.profile_fields]
        people = [new[name] for name in relation.person_fields] + [keep if o == merge else o for o in owners]
        if people.count(keep) >= 2:
            dropped.add(pk)
            what = _describe(relation, plan.before[relation.label][pk], plan)
            plan.conflict(_kind(relation), f"{what} would be {plan.keep.username}'s with themself", "dropped")
    return dropped


def _collisions(relation: Relation, after: dict, dropped: set, fields: tuple, condition) -> list[list]:
    """Groups of rows that would share the values of a unique rule (rows the rule's condition
    leaves out, and NULLs, never collide)."""
    groups: dict[tuple, list] = defaultdict(list)
    for pk, new in after.items():
        if pk in dropped or (condition is not None and not q_matches(condition, new, relation)):
            continue
        key = tuple(new[f] for f in fields)
        if None not in key:
            groups[key].append(pk)
    return [pks for pks in groups.values() if len(pks) > 1]


def _resolve_collision(plan, relation, rule, name, pks, moved, after, dropped) -> None:
    """Rows that would break unique rule `name` together: the kept person's row survives (the
    earliest merged one if it has none); the others step out of the rule if the model's rule
    says how, else fold into the survivor and are dropped."""
    kind = _kind(relation)
    pks = sorted(pks, key=lambda pk: (pk in moved, str(pk)))
    survivor, others = pks[0], pks[1:]
    what = _describe(relation, plan.before[relation.label][others[0]], plan)
    if rule and name in rule.yields:
        step_out = rule.yields[name]
        for pk in others:
            after[pk].update(step_out.values)
        words = {"keep": plan.keep.username, "merge": plan.merge.username}
        plan.conflict(kind, step_out.conflict.format(**words), step_out.choice.format(**words))
        return
    dropped.update(others)
    choice = f"{plan.keep.username}'s kept" if survivor not in moved else "one kept"
    if rule and rule.combine:
        resolution = rule.combine(after[survivor], [after[pk] for pk in others], plan.names)
        after[survivor].update(resolution.updates)
        if resolution.choices:
            choice = "; ".join(resolution.choices)
    plan.conflict(kind, f"both have {what}", choice)


def _plan_person(plan: Plan) -> None:
    keep, merge = plan.keep, plan.merge
    rows = plan.before[PERSON]
    kept, merged = rows[keep.pk], rows[merge.pk]
    changes = {}
    if merged["first_seen_at"] < kept["first_seen_at"]:
        changes["first_seen_at"] = merged["first_seen_at"]
    if merged["last_seen_at"] > kept["last_seen_at"]:
        changes["last_seen_at"] = merged["last_seen_at"]
    if kept["role"] != merged["role"]:
        if kept["role"] == Person.Role.UNKNOWN:
            changes["role"] = merged["role"]
            plan.conflict(
                "people", f"role: {keep.username} unknown, {merge.username} {merged['role']}", merged["role"]
            )
        elif merged["role"] != Person.Role.UNKNOWN:
            plan.conflict(
                "people",
                f"role: {keep.username} {kept['role']}, {merge.username} {merged['role']}",
                f"{kept['role']} ({keep.username}'s)",
            )
    if changes:
        plan.updates[PERSON][keep.pk] = changes
    plan.deletes[PERSON].append(merge.pk)


def q_matches(condition: Q, row: Row, relation: Relation) -> bool:
    """Whether a row (as {attname: value}) meets a unique constraint's condition: equality,
    `isnull` and `in` look-ups, combined with AND, OR and NOT, which is what conditions on
    our models use."""
    attname = {f.name: f.attname for f in relation.model._meta.concrete_fields}
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(q_matches(child, row, relation))
            continue
        lookup, expected = child
        name, _, op = lookup.partition("__")
        value = row[attname.get(name, name)]
        if op in ("", "exact"):
            results.append(value == expected)
        elif op == "isnull":
            results.append((value is None) == bool(expected))
        elif op == "in":
            results.append(value in expected)
        else:
            raise ValueError(f"A merge cannot evaluate the look-up {lookup!r} of a unique constraint.")
    matched = all(results) if condition.connector == Q.AND else any(results)
    return not matched if condition.negated else matched
