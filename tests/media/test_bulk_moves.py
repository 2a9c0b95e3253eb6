"""Many journalled moves at once (`media.services.bulk_moves`): what is left when a batch stops
before its copies even start, and moves to a place another move is making."""

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.utils import timezone

import media.services.bulk_moves
from media.keys import quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.services import media_create, media_soft_delete, moves_recover
from media.services.bulk_moves import Move, MovesUnderway
from media.services.moves import MoveUnderWay
from media.storage import file_digest, file_exists
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def _uploads(person, *reds: int) -> list[MediaRecord]:
    """One uploaded image of `person` for each red value (different bytes each)."""
    return [
        media_create(
            person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color=(red, 0, 0)))
        )[0]
        for red in reds
    ]


def _move_of(record) -> Move:
    return Move(
        source_key=record.file_path,
        target_key=quarantine_key(record.file_path),
        reason="test",
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        record_id=record.pk,
    )


def test_moves_journalled_but_never_handed_to_the_pool_are_released_for_recovery(person):
    records = _uploads(person, 10, 20)
    moves = [_move_of(record) for record in records]
    pool = ThreadPoolExecutor(1)
    pool.shutdown()

    with pytest.raises(RuntimeError, match="shutdown"):
        MovesUnderway(moves=moves, pool=pool, commit=lambda verified: set())

    # Journalled, and no longer leased to this (still running) process: the next recovery, in
    # this very process too, settles them instead of waiting for it to end.
    assert set(MediaMove.objects.values_list("state", "lease_holder")) == {(MediaMove.State.INTENT, "")}
    assert [outcome.action for outcome in moves_recover()] == ["rolled back", "rolled back"]
    for record in records:
        assert file_digest(record.file_path).sha256 == record.sha256
        assert not file_exists(quarantine_key(record.file_path))


def test_a_gallery_delete_while_a_batch_moves_the_file_is_refused_and_the_batch_undoes_its_copy(
    storage_kind, person
):
    # The gallery's move would find the batch's copy at its target and count it as its own;
    # had it started, the batch's undoing of its refused copy would leave the deleted record
    # with no file anywhere. It cannot start while the batch's move is under way.
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))
    target = quarantine_key(record.file_path)
    refused_in_the_gallery = []

    def deleted_in_the_gallery_meanwhile(verified):
        with pytest.raises(MoveUnderWay, match="under way") as refusal:
            media_soft_delete(record=MediaRecord.objects.get(pk=record.pk))
        refused_in_the_gallery.append(refusal.value)
        return set()  # the batch refuses its move too (its group changed, say)

    with ThreadPoolExecutor(2) as pool:
        outcome = MovesUnderway(
            moves=[_move_of(record)], pool=pool, commit=deleted_in_the_gallery_meanwhile
        ).finish()

    assert refused_in_the_gallery
    assert [move.source_key for move in outcome.refused] == [record.file_path]
    assert MediaRecord.objects.get(pk=record.pk).deleted_at is None
    assert file_digest(record.file_path).sha256 == record.sha256
    assert not file_exists(target)
    assert not MediaMove.objects.filter(state__in=MediaMove.UNFINISHED).exists()
    # Once the batch has finished, the gallery's delete goes through.
    media_soft_delete(record=MediaRecord.objects.get(pk=record.pk))
    assert file_digest(target).sha256 == record.sha256


def test_a_batch_leaves_out_a_move_whose_place_another_move_is_making(person):
    busy, free = _uploads(person, 30, 40)
    MediaMove.objects.create(  # the gallery's move of `busy`, under way in another process
        source_key=busy.file_path,
        target_key=quarantine_key(busy.file_path),
        reason="soft-delete",
        size_bytes=busy.size_bytes,
        sha256=busy.sha256,
        record=busy,
        lease_holder="elsewhere:1:1",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )

    with ThreadPoolExecutor(2) as pool:
        outcome = MovesUnderway(
            moves=[_move_of(busy), _move_of(free)],
            pool=pool,
            commit=lambda verified: {m.pk for m in verified},
        ).finish()

    assert [(move.source_key, why) for move, why in outcome.failed] == [
        (busy.file_path, "another move to its place is under way")
    ]
    assert [move.source_key for move in outcome.moved] == [free.file_path]
    assert file_digest(busy.file_path).sha256 == busy.sha256  # left for the gallery's move
    assert not file_exists(free.file_path)
    assert file_exists(quarantine_key(free.file_path))
    assert MediaMove.objects.filter(source_key=busy.file_path).count() == 1


def test_a_batch_whose_place_a_move_takes_after_the_check_journals_nothing(person, monkeypatch):
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))
    monkeypatch.setattr(media.services.bulk_moves, "targets_under_way", lambda keys: set())
    MediaMove.objects.create(
        source_key=record.file_path,
        target_key=quarantine_key(record.file_path),
        reason="soft-delete",
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        lease_holder="elsewhere:1:1",
    )

    with ThreadPoolExecutor(1) as pool, pytest.raises(MoveUnderWay, match="nothing of the batch"):
        MovesUnderway(moves=[_move_of(record)], pool=pool, commit=lambda verified: set())

    assert MediaMove.objects.count() == 1
    assert file_digest(record.file_path).sha256 == record.sha256
