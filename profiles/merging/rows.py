"""The rows a merge reads, moves and restores: every row of every model that refers to a person
or to a person's profile, found through Django's model metadata (so the merge knows no app),
read in one query per model whatever their number, and written to JSON and back exactly."""

import base64
import datetime
import decimal
import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from profiles.merging.rules import Row
from profiles.models import Person, Profile

PERSON = "profiles.person"
PROFILE = "profiles.profile"


@dataclass(frozen=True)
class Relation:
    """One model and its foreign keys to Person and to Profile (as attnames)."""

    model: type[models.Model]
    person_fields: tuple[str, ...]
    profile_fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def reference_fields(self) -> tuple[str, ...]:
        return self.person_fields + self.profile_fields

    @property
    def ordered_pairs(self) -> list[tuple[str, str]]:
        """(low, high) for each CheckConstraint `low < F(high)` between two person fields: the
        pair a row stores ordered, which a merge may have to swap."""
        pairs = []
        for constraint in self.model._meta.constraints:
            condition = getattr(constraint, "condition", None)
            for child in getattr(condition, "children", ()):
                if isinstance(child, tuple) and isinstance(child[1], models.F) and child[0].endswith("__lt"):
                    low, high = child[0].removesuffix("__lt"), child[1].name
                    fields = {f.name: f.attname for f in self.model._meta.concrete_fields}
                    if fields.get(low) in self.person_fields and fields.get(high) in self.person_fields:
                        pairs.append((fields[low], fields[high]))
        return pairs

    def unique_sets(self) -> list[tuple[str, tuple[str, ...], Q | None]]:
        """(name, attnames, condition) for every unique rule of the model."""
        meta = self.model._meta
        attname = {f.name: f.attname for f in meta.concrete_fields}
        sets = [
            (f"{f.name} (unique)", (f.attname,), None)
            for f in meta.concrete_fields
            if f.unique and not f.primary_key
        ]
        sets += [(f"unique together {t}", tuple(attname[n] for n in t), None) for t in meta.unique_together]
        for constraint in meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
                name = constraint.name
                if "%(" in name:
                    name = name % {"app_label": meta.app_label, "class": meta.model_name}
                sets.append((name, tuple(attname[n] for n in constraint.fields), constraint.condition))
        return sets


@cache
def relations() -> tuple[Relation, ...]:
    """Every model with a foreign key to Person or Profile; Profile first (others refer to it)."""
    fields: dict[type[models.Model], dict[str, list[str]]] = {}
    for target, kind in ((Person, "person"), (Profile, "profile")):
        for rel in target._meta.related_objects:
            if rel.many_to_many or not rel.field.concrete:
                continue
            entry = fields.setdefault(rel.related_model, {"person": [], "profile": []})
            entry[kind].append(rel.field.attname)
    found = [Relation(model, tuple(f["person"]), tuple(f["profile"])) for model, f in fields.items()]
    return tuple(sorted(found, key=lambda r: (r.model is not Profile, r.label)))


def attnames(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def rows_load(person_ids: list) -> dict[str, dict[Any, Row]]:
    """{model label: {pk: row}} of the people themselves and of every row that refers to them or
    to their profiles: one query for the people and one per related model."""
    loaded = {PERSON: _rows(Person, Q(pk__in=person_ids))}
    profile_ids: list = []
    for relation in relations():
        condition = Q()
        for name in relation.person_fields:
            condition |= Q(**{f"{name}__in": person_ids})
        for name in relation.profile_fields:
            if profile_ids:
                condition |= Q(**{f"{name}__in": profile_ids})
        loaded[relation.label] = _rows(relation.model, condition)
        if relation.model is Profile:
            profile_ids = list(loaded[PROFILE])
    return loaded


def _rows(model: type[models.Model], condition: Q) -> dict[Any, Row]:
    pk = model._meta.pk.attname
    rows = model._base_manager.filter(condition).order_by("pk").values(*attnames(model))
    return {row[pk]: row for row in rows}


def model_of(label: str) -> type[models.Model]:
    return apps.get_model(label)


def encode_value(value: Any) -> Any:
    """A value as JSON that `decode_value` turns back into exactly the same value."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def decode_value(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(seconds=value)
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def encode_rows(loaded: dict[str, dict[Any, Row]]) -> dict[str, list[Row]]:
    """The rows as JSON: {label: [row, ...]} in primary-key order, empty models left out."""
    return {
        label: [{name: encode_value(v) for name, v in row.items()} for row in rows.values()]
        for label, rows in loaded.items()
        if rows
    }


def decode_rows(label: str, encoded: list[Row]) -> dict[Any, Row]:
    """{pk: row} of Python values from `encode_rows`' list for one model."""
    model = model_of(label)
    fields = {field.attname: field for field in model._meta.concrete_fields}
    pk = model._meta.pk.attname
    decoded = [{name: decode_value(fields[name], value) for name, value in row.items()} for row in encoded]
    return {row[pk]: row for row in decoded}
