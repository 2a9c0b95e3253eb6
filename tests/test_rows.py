"""Inserting rows given as dicts (`mhc.rows.rows_insert`): the same rows `bulk_create` would
store, their ids returned in order."""

from datetime import UTC, datetime

import pytest
from django.db import DataError, connection, transaction

from events.models import Event
from media.models import MediaMove, MediaRecord, MediaSource
from mhc.rows import rows_insert
from profiles.models import Person
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_inserted_rows_come_back_in_order_with_their_defaults():
    person = PersonFactory()
    record = MediaRecord.objects.create(
        person=person,
        source=MediaSource.AFFILIATE_API,
        file_path="people/ann/a.jpg",
        captured_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    rows = [
        {
            "source_key": f"people/ann/{n}.jpg",
            "target_key": f"QUARANTINE/people/ann/{n}.jpg",
            "reason": "dedup",
            "size_bytes": n,
            "sha256": f"{n}" * 64,
            "record_id": record.pk if n % 2 else None,
        }
        for n in range(3)
    ]

    ids = rows_insert(MediaMove, rows)

    moves = MediaMove.objects.in_bulk(ids)
    assert [moves[pk].source_key for pk in ids] == [row["source_key"] for row in rows]
    assert [moves[pk].record_id for pk in ids] == [None, record.pk, None]
    defaults = {(move.state, move.error, move.target_preexisted) for move in moves.values()}
    assert defaults == {("intent", "", False)}
    assert all(move.created_at and move.updated_at for move in moves.values())


@pytest.mark.django_db
def test_json_values_are_stored_as_json():
    person = PersonFactory()
    [pk] = rows_insert(
        Event,
        [{"kind": "media.deduplicated", "summary": "s", "person_id": person.pk, "data": {"kept": ["a", 1]}}],
    )

    event = Event.objects.get(pk=pk)
    assert event.data == {"kept": ["a", 1]}
    assert event.person_id == person.pk
    assert event.at is not None


def test_no_rows_insert_nothing():
    assert rows_insert(MediaMove, []) == []


@pytest.mark.django_db
def test_a_callable_default_is_called_for_each_row():
    ids = rows_insert(Person, [{"username": "ann"}, {"username": "bob"}])

    assert len(set(ids)) == 2  # each its own UUID, not one default shared by the batch
    assert set(Person.objects.filter(pk__in=ids).values_list("username", flat=True)) == {"ann", "bob"}


@pytest.mark.django_db
def test_text_times_and_nulls_are_stored_exactly_as_given():
    tricky = 'people/o\'neil "q" back\\slash\ttab\nnew é 😀 %s %(x)s ,{}/a.jpg'
    expires = datetime(2026, 12, 3, 16, 40, 1, 123456, tzinfo=UTC)
    rows = [
        {
            "source_key": tricky,
            "target_key": "QUARANTINE/" + tricky,
            "reason": "dedup",
            "size_bytes": 2**40,
            "sha256": "f" * 64,
            "error": '[1, 2] {"json": null} NULL',
            "lease_expires_at": expires,
        },
        {
            "source_key": "b",
            "target_key": "c",
            "reason": "x",
            "size_bytes": 0,
            "sha256": "",
            "lease_expires_at": None,
        },
    ]

    first, second = rows_insert(MediaMove, rows)

    stored = MediaMove.objects.get(pk=first)
    assert (stored.source_key, stored.target_key) == (tricky, "QUARANTINE/" + tricky)
    assert (stored.size_bytes, stored.error, stored.lease_expires_at) == (2**40, rows[0]["error"], expires)
    assert MediaMove.objects.get(pk=second).lease_expires_at is None


@pytest.mark.django_db
def test_a_json_field_keeps_strings_lists_and_nesting_and_null_stays_json_null_in_the_value():
    person = PersonFactory()
    data = [{"data": "just text"}, {"data": [1, "two", {"three": None}]}, {"data": {"a": {"b": ["c"]}}}]
    ids = rows_insert(Event, [{"kind": "k", "summary": "s", "person_id": person.pk, **row} for row in data])

    events = Event.objects.in_bulk(ids)
    assert [events[pk].data for pk in ids] == [row["data"] for row in data]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite does not enforce a column's length")
@pytest.mark.django_db
def test_a_value_too_long_for_its_column_is_refused_and_nothing_is_stored():
    with pytest.raises(DataError), transaction.atomic():
        rows_insert(
            MediaMove,
            [{"source_key": "a", "target_key": "b", "reason": "r" * 65, "size_bytes": 1, "sha256": ""}],
        )
    assert not MediaMove.objects.exists()
