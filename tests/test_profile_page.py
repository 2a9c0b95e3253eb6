"""The whole profile page, every app's part together: it must stay flat however much data a
person has. Each app pins its own section in its own tests; this pins what they add up to."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from attributes.models import AttributeDefinition
from attributes.services import attribute_set
from media.models import MediaSource
from media.services import media_create
from notes.services import note_create
from profiles.models import SectionPreference
from profiles.sections import sections
from relationships.services import relationship_set
from tests.factories import (
    AffiliateSnapshotFactory,
    AttributeDefinitionFactory,
    CollaborationFactory,
    PersonFactory,
    ProfileFactory,
)
from tests.media.conftest import image_bytes


def give_everything(person, *, many: int):
    """`many` of everything every app keeps about a person (attributes, relationships,
    collaborators, images, snapshots, notes of every category), so every section has rows."""
    for other in PersonFactory.create_batch(many):
        CollaborationFactory(person_a=person, person_b=other)
    start = timezone.now() - timedelta(days=300)
    for n in range(many):
        key = f"custom_{n % 20}"
        if not AttributeDefinition.objects.filter(key=key).exists():
            AttributeDefinitionFactory(key=key, show_as_badge=n % 4 == 0)
        attribute_set(person=person, key=key, value=(n // 20) % 2 == 0, at=start + timedelta(hours=n))
    for n, other in enumerate(PersonFactory.create_batch(max(1, many // 4))):
        relationship_set(
            profile=person.profile, person=other, type=["dom", "sub", "friend"][n % 3], tier="tier2"
        )
    for n in range(max(1, many // 10)):
        image = io.BytesIO(image_bytes(color=(n * 10 % 255, 40, 90)))
        media_create(person=person, source=MediaSource.UPLOAD, content=image, is_primary=n == 0)
    AffiliateSnapshotFactory.create_batch(max(1, many // 5), person=person)
    categories = ["note", "pm", "dm", "public_chat", "tip_menu"]
    for n in range(max(len(categories), many // 4)):
        content = (
            "Menu\nFlash - 50 tokens\nDance (100)" if categories[n % 5] == "tip_menu" else f"alice: hi {n}"
        )
        note_create(person=person, content=content, category=categories[n % 5])
    return person


def _page_queries(client, person) -> int:
    client.get(f"/profile/{person.username}/")  # warm caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/profile/{person.username}/")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_the_whole_page_with_every_section_open_stays_flat(auth_client, owner_user):
    for section in sections.all():
        SectionPreference.objects.create(user=owner_user, section_key=section.key, is_open=True)
    quiet_person = give_everything(ProfileFactory().person, many=1)
    busy_person = give_everything(ProfileFactory().person, many=200)
    quiet = _page_queries(auth_client, quiet_person)
    busy = _page_queries(auth_client, busy_person)
    assert busy == quiet, "a section's query count grows with the person's data"
    # session, user, person, section states (4); attributes: section 2 (the header's badges
    # reuse its read); relationships: badge 1, section 2; notes: tip-menu link 1, section 2;
    # collaborators 1; images 2; broadcast history 2 (sessions, their live screenshots); avatar 1;
    # activity log 7 (one per source); names and accounts: former names 1 (the header's
    # "formerly" reuses it), alternates 1, merges 1; from the original 2 (details, kept-aside
    # counts).
    assert busy <= 30
    html = auth_client.get(f"/profile/{busy_person.username}/").content.decode()
    for section in sections.all():
        assert f'data-section="{section.key}"' in html
