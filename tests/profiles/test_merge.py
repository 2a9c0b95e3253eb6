"""Merging two people: the preview, the merge, its conflicts, and the undo."""

import pytest

from attributes.models import AttributeHistory, PersonAttribute
from collaborations.models import Collaboration
from events.models import Event
from events.selectors import events_of
from media.models import AffiliateSnapshot, MediaRecord
from mhc.exceptions import Conflict
from notes.models import Note
from notes.services import note_create
from profiles.merging.engine import rows_snapshot
from profiles.merging.plan import merge_plan
from profiles.merging.rows import encode_rows, rows_load
from profiles.models import AlternateAccount, FormerUsername, Person, PersonMerge, Profile
from profiles.services import person_merge, person_merge_preview, person_merge_undo
from relationships.models import Relationship, RelationshipHistory
from tests.profiles.merge_helpers import database_dump, rich_pair

pytestmark = pytest.mark.django_db


def test_a_merge_moves_everything_to_the_kept_person_and_settles_each_conflict():
    keep, merge = rich_pair(size=2)
    merged_id = merge.pk
    history_rows = AttributeHistory.objects.filter(person__in=[keep, merge]).count()
    person_merge(keep=keep, merge=merge)

    assert not Person.objects.filter(pk=merged_id).exists()
    assert set(FormerUsername.objects.filter(person=keep).values_list("username", flat=True)) == {
        "alex_two",
        "alex_old",
    }
    assert Note.objects.filter(profile__person=keep).count() == 4
    assert Profile.objects.count() == 2 + 0  # alex's and third_guy's (fourth_guy never had one)
    profile = Profile.objects.get(person=keep)
    assert (profile.display_name, profile.location, profile.bio, profile.age) == (
        "Alex",
        "Berlin",
        "Hi there",
        33,
    )
    values = dict(PersonAttribute.objects.filter(person=keep).values_list("attribute_id", "value"))
    assert values == {"watch_list": True, "banned_me": True, "leather_fetish": True}
    assert AttributeHistory.objects.filter(person=keep).count() == history_rows
    assert MediaRecord.objects.filter(person=keep).count() == 6
    assert list(
        MediaRecord.objects.filter(person=keep, is_primary=True).values_list("sha256", flat=True)
    ) == ["kp" * 8]
    assert AffiliateSnapshot.objects.filter(person=keep).count() == 4
    collaborators = {c.collaborator_of(keep).username: c for c in Collaboration.objects.involving(keep)}
    assert set(collaborators) == {"third_guy", "fourth_guy"}
    assert collaborators["third_guy"].notes == "kept's notes\nmerged's notes"
    third = Person.objects.get(username="third_guy")
    assert (
        collaborators["third_guy"].first_seen_at
        == Collaboration.objects.get(pk=collaborators["third_guy"].pk).first_seen_at
    )
    assert not Collaboration.objects.filter(person_a=keep, person_b=keep).exists()
    mine = set(
        Relationship.objects.filter(profile__person=keep).values_list("related_person__username", "type")
    )
    assert mine == {("third_guy", "dom"), ("third_guy", "friend")}
    assert Relationship.objects.get(profile=third.profile).related_person == keep
    assert {a.person_a_id for a in AlternateAccount.objects.all()} | {
        a.person_b_id for a in AlternateAccount.objects.all()
    } == {
        keep.pk,
        Person.objects.get(username="fourth_guy").pk,
    }
    assert RelationshipHistory.objects.filter(related_person_id=merged_id).count() == 0


def test_the_preview_is_what_the_merge_then_does():
    keep, merge = rich_pair(size=3)
    preview = person_merge_preview(keep=keep, merge=merge)
    predicted = merge_plan(keep=keep, merge=merge).after()
    record = person_merge(keep=keep, merge=merge)
    assert record.plan == preview
    assert PersonMerge.objects.get(pk=record.pk).after == rows_snapshot([keep.pk])
    actual = rows_load([keep.pk])
    actual["profiles.formerusername"] = {
        pk: row for pk, row in actual["profiles.formerusername"].items() if row["username"] != "alex_two"
    }
    predicted["profiles.person"].pop(merge.pk, None)
    assert encode_rows(actual) == encode_rows(predicted)
    kinds = {entry["kind"]: entry for entry in preview["kinds"]}
    assert kinds["notes"]["moved"] == 3
    assert kinds["collaborations"] == {"kind": "collaborations", "moved": 1, "dropped": 2}
    descriptions = " | ".join(f"{c['description']} → {c['choice']}" for c in preview["conflicts"])
    assert "both alex and alex_two have a primary image" in descriptions
    assert "watch_list: set on the merged person only → set" in descriptions
    assert "banned_me: set on one, not the other → set" in descriptions
    assert "collaboration with third_guy" in descriptions
    assert "the collaboration between alex and alex_two would be alex's with themself" in descriptions


@pytest.mark.parametrize("size", [1, 25])
def test_the_preview_reads_in_the_same_few_queries_whatever_the_sizes(size, django_assert_num_queries):
    keep, merge = rich_pair(size=size)
    with django_assert_num_queries(15):
        person_merge_preview(keep=keep, merge=merge)


def test_undo_restores_every_row_of_both_people():
    keep, merge = rich_pair(size=2)
    before = database_dump()
    record = person_merge(keep=keep, merge=merge)
    assert database_dump() != before
    person_merge_undo(merge=record)
    assert database_dump() == before
    record.refresh_from_db()
    assert record.is_undone


def test_undo_is_refused_after_an_edit_and_says_why():
    keep, merge = rich_pair(size=1)
    record = person_merge(keep=keep, merge=merge)
    note_create(person=keep, content="written after the merge")
    with pytest.raises(Conflict, match="notes: 1 added since the merge"):
        person_merge_undo(merge=record)
    assert PersonMerge.objects.get(pk=record.pk).undone_at is None


def test_a_merge_and_its_undo_are_events_in_both_logs_and_history_follows_the_kept_person():
    keep, merge = rich_pair(size=1)
    merged_id = merge.pk
    note_event_before = Event.objects.filter(person_id=merged_id).count()
    record = person_merge(keep=keep, merge=merge)
    kinds = list(events_of(keep).values_list("kind", flat=True))
    assert kinds[0] == "person.merged"
    assert Event.objects.filter(person_id=merged_id).count() == note_event_before
    assert events_of(keep).filter(person_id=merged_id).count() == note_event_before
    person_merge_undo(merge=record)
    merged = Person.objects.get(pk=merged_id)
    assert events_of(merged).first().kind == "person.merge_undone"
    assert events_of(keep).first().kind == "person.merge_undone"
    assert not events_of(keep).filter(person_id=merged_id, kind="alternate.linked").exists()


def test_a_person_cannot_be_merged_into_themself():
    keep, _ = rich_pair(size=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        person_merge(keep=keep, merge=keep)


def test_the_merged_profile_moves_when_the_kept_person_has_none_and_a_relationship_with_them_is_dropped():
    from relationships.services import relationship_create
    from tests.factories import PersonFactory, ProfileFactory

    keep = PersonFactory(username="bare_keep")
    merge = ProfileFactory(person__username="profiled_merge", display_name="Profiled").person
    relationship_create(profile=merge.profile, person=keep, type="friend")
    preview = person_merge_preview(keep=keep, merge=merge)
    assert any("with themself" in conflict["description"] for conflict in preview["conflicts"])
    person_merge(keep=keep, merge=merge)
    assert Profile.objects.get(person=keep).display_name == "Profiled"
    assert not Relationship.objects.exists()
