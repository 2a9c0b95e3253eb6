"""Many journalled moves at once (`media.services.bulk_moves`): what is left when a batch stops
before its copies even start."""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from media.keys import quarantine_key
from media.models import MediaMove, MediaRecord, MediaSource
from media.services import media_create, moves_recover
from media.services.bulk_moves import Move, MovesUnderway
from media.storage import file_delete, file_digest, file_exists
from tests.media.conftest import image_bytes

pytestmark = pytest.mark.django_db


def test_moves_journalled_but_never_handed_to_the_pool_are_released_for_recovery(person):
    records = [
        media_create(
            person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes(color=(n, 0, 0)))
        )[0]
        for n in (10, 20)
    ]
    moves = [
        Move(
            source_key=record.file_path,
            target_key=quarantine_key(record.file_path),
            reason="test",
            size_bytes=record.size_bytes,
            sha256=record.sha256,
            record_id=record.pk,
        )
        for record in records
    ]
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


def test_a_refused_copy_another_move_counts_on_is_left_in_place(person):
    # The record was deleted in the gallery while the batch copied its file: the gallery's move
    # found the batch's copy at its target and counted it as its own, then removes the original.
    # Undoing the refused copy would leave the deleted record with no file anywhere.
    record, _ = media_create(person=person, source=MediaSource.UPLOAD, content=io.BytesIO(image_bytes()))
    target = quarantine_key(record.file_path)
    move = Move(
        source_key=record.file_path,
        target_key=target,
        reason="test",
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        record_id=record.pk,
    )

    def deleted_in_the_gallery_meanwhile(verified):
        MediaMove.objects.create(
            source_key=record.file_path,
            target_key=target,
            reason="soft-delete",
            size_bytes=record.size_bytes,
            sha256=record.sha256,
            target_preexisted=True,
            record=record,
            state=MediaMove.State.VERIFIED,
            lease_holder="elsewhere:1:1",
        )
        MediaRecord.objects.filter(pk=record.pk).update(deleted_at=timezone.now())
        return set()  # refused: the record is no longer live

    with ThreadPoolExecutor(2) as pool:
        outcome = MovesUnderway(moves=[move], pool=pool, commit=deleted_in_the_gallery_meanwhile).finish()
    file_delete(record.file_path)  # the gallery's move ends

    assert outcome.refused == [move]
    assert file_digest(target).sha256 == record.sha256
