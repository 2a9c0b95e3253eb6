"""Rows as JSON Lines, one object a line, in Django's own serialization format
(`{"model", "pk", "fields"}`) so that `loaddata` and any JSON reader understand them.

Two things differ from `dumpdata`: times keep their microseconds (Django's encoder cuts them to
milliseconds, and a restore must give back exactly what was saved), and keys are sorted, so the
same rows are the same bytes whichever database they came from (PostgreSQL reorders the keys of
a JSON value). Foreign keys to content types and permissions are written as natural keys;
many-to-many links are tables of their own in a backup, so they are left out of their owner's row.
"""

import datetime
from collections.abc import Iterable, Iterator
from typing import TextIO

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, with times to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RowSerializer(jsonl.Serializer):
    """Django's JSON Lines serializer with the differences the module docstring describes."""

    def __init__(self) -> None:
        super().__init__()
        self._permission_keys: dict[int, list] | None = None

    def handle_fk_field(self, obj, field) -> None:
        target = field.remote_field.model
        value = getattr(obj, field.attname)
        if value is not None and target is ContentType:
            value = list(ContentType.objects.get_for_id(value).natural_key())
        elif value is not None and target is Permission:
            value = self._permission_key(value)
        else:
            value = self._value_from_field(obj, field)
        self._current[field.name] = value

    def _permission_key(self, permission_id: int) -> list:
        if self._permission_keys is None:
            self._permission_keys = {
                permission.pk: list(permission.natural_key())
                for permission in Permission.objects.select_related("content_type")
            }
        return self._permission_keys[permission_id]

    def handle_m2m_field(self, obj, field) -> None:
        """Many-to-many links are written as rows of their own table."""


def rows_write(rows: Iterable[models.Model], stream: TextIO) -> int:
    """Write `rows` to `stream`, one JSON object a line; returns how many."""
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    RowSerializer().serialize(counted(), stream=stream, cls=ExactEncoder, sort_keys=True)
    return count


def rows_read(lines: Iterable[str], *, using: str) -> Iterator[DeserializedObject]:
    """The rows of `lines` as unsaved model instances (their foreign keys by value, natural keys
    looked up in the database `using`)."""
    return jsonl.Deserializer(lines, using=using, ignorenonexistent=False)
