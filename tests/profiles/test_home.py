"""The owner's home page at /: recent activity, the watch list, people seen lately, the latest
notes and the library's health."""

import json

import pytest

from attributes.services import attribute_set
from events.models import Event
from events.undo import event_undo
from media.models import MediaJob
from notes.services import note_create
from tests.factories import PersonFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_recent_activity_the_watch_list_and_the_latest_notes(auth_client, settings):
    rex = ProfileFactory(person=PersonFactory(username="leather_rex")).person
    attribute_set(person=rex, key="watch_list", value=True, why="asked for my address")
    note_create(person=rex, content="Loves the blue light.")
    html = home(auth_client)
    assert '<a href="/profile/leather_rex/#section-activity">Watchlist set on leather_rex</a>' in html
    assert '<span class="muted small">· why: asked for my address</span>' in html
    assert "ago</time>" in html or "now</time>" in html
    assert 'id="home-watch-list"' in html
    assert html.count('href="/profile/leather_rex/"') >= 2  # watch list and seen lately
    assert "Loves the blue light." in html
    assert "No check has run yet" in html


def test_home_shows_stopped_jobs_their_last_error_and_the_last_check(auth_client, settings, tmp_path):
    MediaJob.objects.update_or_create(
        name="affiliate-polling", defaults={"state": "stopped", "last_error": "HTTP 503 from the API"}
    )
    settings.REPORTS_DIR = str(tmp_path)
    (tmp_path / "media-check-20250301-120000.json").write_text(
        json.dumps(
            {
                "finished_at": "2025-03-01T12:00:00+00:00",
                "summary": {"quarantine_files": 3, "quarantine_bytes": 2048},
                "problems": ["2 missing file(s) (a live record without its file)"],
            }
        )
    )
    html = home(auth_client)
    assert "stopped" in html
    assert "HTTP 503 from the API" in html
    assert "2025-03-01 12:00" in html
    assert "2 missing file(s)" in html
    assert "3 files, 2.0\xa0KB" in html  # filesizeformat keeps the number and unit together


def test_home_takes_the_same_queries_however_much_there_is(auth_client, django_assert_num_queries):
    for n in range(30):
        person = ProfileFactory().person
        attribute_set(person=person, key="watch_list", value=True)
        note_create(person=person, content=f"note {n}")
    # session, user, recent events, watch list (+ its count), seen lately, notes, jobs
    with django_assert_num_queries(8):
        home(auth_client)


def test_recent_activity_marks_an_undone_change_and_its_undo(auth_client):
    rex = ProfileFactory(person=PersonFactory(username="leather_rex")).person
    attribute_set(person=rex, key="watch_list", value=True)
    event_undo(event=Event.objects.get(kind="attribute.set"), why="clicked by mistake")
    html = home(auth_client)
    assert "Watchlist set on leather_rex</a>\n" in html
    assert '<span class="muted small">· why: clicked by mistake</span>' in html
    assert html.count('<span class="muted small">(undone)</span>') == 1
