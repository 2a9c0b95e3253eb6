"""Each polled room is recorded whole or not at all: its image record, its snapshot and the
person's last-seen time are one transaction."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from media import affiliate
from media.affiliate import affiliate_poll
from media.models import AffiliateSnapshot, MediaRecord
from tests.factories import PersonFactory, ProfileFactory
from tests.media.test_polling import room

pytestmark = pytest.mark.django_db


class Killed(Exception):
    """Stands for the worker dying between a room's writes."""


def test_a_poll_killed_between_a_rooms_writes_leaves_nothing_of_that_room(http_server, monkeypatch):
    alex = ProfileFactory(person=PersonFactory(username="alex")).person
    rooms = json.dumps([room("alex", http_server.serve_image("/ri/alex.jpg"))]).encode()
    url = http_server.serve("/onlinerooms/", rooms, content_type="application/json")

    def killed(**kwargs):
        raise Killed

    monkeypatch.setattr(affiliate, "person_update", killed)
    with pytest.raises(Killed):
        affiliate_poll(url=url)
    assert not MediaRecord.objects.filter(person=alex).exists()
    assert not AffiliateSnapshot.objects.filter(person=alex).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jpg")), "the rolled-back record's file is left"

    monkeypatch.undo()
    report = affiliate_poll(url=url)
    assert (report.snapshots, report.images) == (1, 1)
    assert AffiliateSnapshot.objects.get(person=alex).media_locator == MediaRecord.objects.get(person=alex)
