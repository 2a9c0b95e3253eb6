from datetime import UTC, datetime, timedelta

import pytest

from notes.selectors import latest_notes, latest_tip_menu, note_counts, notes_for, notes_page, recent_notes
from notes.services import note_create
from tests.factories import NoteFactory, PersonFactory, ProfileFactory

pytestmark = pytest.mark.django_db
DAY = datetime(2025, 6, 1, tzinfo=UTC)


def test_counts_per_category_come_from_one_query(person, django_assert_num_queries):
    NoteFactory.create_batch(3, profile=person.profile, category="pm")
    NoteFactory(profile=person.profile, category="tip_menu", content="Flash 50")
    NoteFactory(category="pm")  # someone else's
    with django_assert_num_queries(1):
        counts = note_counts(person.profile)
    assert counts == {"note": 0, "pm": 3, "dm": 0, "public_chat": 0, "tip_menu": 1, "all": 4}


def test_without_a_profile_there_is_nothing_and_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert note_counts(None)["all"] == 0
        assert latest_tip_menu(None) is None
        assert notes_page(notes_for(None), count=note_counts(None)["all"], page=1, per_page=10).notes == []


def test_a_page_of_notes_is_one_query_and_out_of_range_pages_are_clamped(person, django_assert_num_queries):
    for day in range(25):
        NoteFactory(profile=person.profile, created_at=DAY + timedelta(days=day), content=f"day {day}")
    counts = note_counts(person.profile)
    with django_assert_num_queries(1):
        first = notes_page(notes_for(person.profile), count=counts["all"], page=1, per_page=10)
    assert [n.content for n in first.notes][:2] == ["day 24", "day 23"]
    assert (first.number, first.num_pages, first.count, first.has_previous, first.has_next) == (
        1,
        3,
        25,
        False,
        True,
    )
    last = notes_page(notes_for(person.profile), count=counts["all"], page=99, per_page=10)
    assert (last.number, len(last.notes), last.has_next) == (3, 5, False)
    assert (
        notes_page(notes_for(person.profile, category="dm"), count=counts["dm"], page=1, per_page=10).notes
        == []
    )


def test_the_latest_tip_menu_is_the_newest_by_date_not_by_insertion(person):
    newer = note_create(person=person, content="Flash 50", category="tip_menu", created_at=DAY)
    note_create(person=person, content="Flash 40", category="tip_menu", created_at=DAY - timedelta(days=30))
    assert latest_tip_menu(person.profile) == newer


def test_latest_notes_for_a_page_of_people_is_one_query(django_assert_num_queries):
    people = [ProfileFactory().person for _ in range(30)]
    for index, someone in enumerate(people[:20]):
        NoteFactory(profile=someone.profile, content=f"old {index}", created_at=DAY)
        NoteFactory(
            profile=someone.profile,
            content=f"new  {index}\n\n  line two",
            category="dm",
            created_at=DAY + timedelta(hours=1),
        )
    NoteFactory(profile=people[20].profile, content="A" * 5000)
    with django_assert_num_queries(1):
        latest = latest_notes(people)
    assert len(latest) == 21
    assert latest[people[3].id].text == "new 3 line two"
    assert (latest[people[3].id].label, latest[people[3].id].tone) == ("DM", "indigo")
    assert latest[people[20].id].text == "A" * 200  # only the start of a long note is read
    assert people[25].id not in latest


def test_latest_notes_breaks_a_tie_in_time_by_the_later_note(person):
    NoteFactory(profile=person.profile, content="first", created_at=DAY)
    NoteFactory(profile=person.profile, content="second", created_at=DAY)
    assert latest_notes([person])[person.id].text == "second"


def test_latest_notes_of_nobody_is_empty():
    assert latest_notes([PersonFactory()]) == {}


def test_recent_notes_are_newest_first_and_limited(person, django_assert_num_queries):
    for day in range(5):
        NoteFactory(profile=person.profile, content=f"day {day}", created_at=DAY + timedelta(days=day))
    with django_assert_num_queries(1):
        recent = recent_notes(person, limit=3)
    assert [p.text for p in recent] == ["day 4", "day 3", "day 2"]
