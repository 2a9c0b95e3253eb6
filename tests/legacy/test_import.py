"""import_legacy against source databases of both schema generations: every rule of the move,
checked on the rows a user would find afterwards."""

import json
from datetime import UTC, date, timedelta

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command

from attributes.models import AttributeDefinition, AttributeHistory, PersonAttribute
from collaborations.models import Collaboration
from events.models import Event
from legacy.importer import import_legacy
from legacy.models import LegacyDetails, LegacyRecord
from media.models import AffiliateSnapshot, MediaRecord
from notes.models import Note
from profiles.models import AlternateAccount, FormerUsername, Person, Profile
from relationships.models import Relationship, RelationshipHistory
from tests.legacy.source import T0, Legacy, create_schema, database, fill

pytestmark = pytest.mark.django_db

UTC_T0 = T0.replace(tzinfo=UTC)


def run(url: str, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_legacy", url, *args, stdout=out)
    return out.getvalue()


def person(username: str, platform: str = "chaturbate") -> Person:
    return Person.objects.get(username=username, platform=platform)


@pytest.fixture
def imported(legacy):
    result = import_legacy(legacy.url, apply=True, show_progress=False)
    assert result.balanced
    return legacy, result


def test_a_dry_run_writes_nothing_and_shows_what_an_apply_would_do(legacy):
    out = run(legacy.url)
    assert "Dry run (nothing written)" in out
    assert Person.objects.count() == 0
    assert LegacyRecord.objects.count() == 0
    assert "persons" in out
    assert "kept aside" in out
    applied = import_legacy(legacy.url, apply=True, show_progress=False)
    dry = import_legacy(legacy.url, apply=False, show_progress=False)  # after the apply: nothing to write
    assert {name: tally.as_dict() for name, tally in dry.tables.items()} == {
        name: tally.as_dict() for name, tally in applied.tables.items()
    }
    assert dry.written == 0


def test_every_source_row_is_accounted_for_in_the_report(legacy, settings):
    run(legacy.url, "--apply")
    [report] = list(settings.REPORTS_DIR.glob("import-legacy-*.json"))
    data = json.loads(report.read_text())
    assert data["generation"] == legacy.generation
    assert data["applied"]
    assert data["changed"]
    for name, tally in data["tables"].items():
        assert tally["read"] == tally["imported"] + tally["merged"] + tally["kept_aside"], name
    assert data["tables"]["persons"] == {"read": 12, "imported": 8, "merged": 3, "kept_aside": 1}
    assert data["tables"]["interactions"]["kept_aside"] == 2
    assert {entry["username"] for entry in data["lists"]["merged_usernames"]} == {"alice", "bob", "carol"}
    assert [entry["username"] for entry in data["lists"]["invalid_usernames"]] == ["bad name!"]
    assert [entry["name"] for entry in data["lists"]["unresolved_seen_with"]] == ["ghost"]
    assert {
        "username": "alice",
        "table": "profiles",
        "field": "display_name",
        "kept": "Alice A",
        "other": "Alice B",
    } in (data["lists"]["conflicts"])
    assert "postgres@" in data["source"]
    families = {"people", "profiles", "attributes", "notes", "collaborations", "relationships", "images"}
    assert families | {"snapshots", "names over time", "kept aside"} == set(data["seconds"])
    assert all(seconds >= 0 for seconds in data["seconds"].values())


def test_a_second_apply_changes_nothing_and_says_so(legacy):
    first = run(legacy.url, "--apply")
    counts = _state()
    events = Event.objects.filter(kind="import.legacy").count()
    second = run(legacy.url, "--apply")
    assert "Wrote" in first
    assert "Nothing changed: everything was already imported." in second
    assert _state() == counts
    assert events == 1
    assert Event.objects.filter(kind="import.legacy").count() == 1


def _state() -> dict:
    models = (Person, Profile, Note, Collaboration, PersonAttribute, AttributeHistory, Relationship)
    models += (RelationshipHistory, MediaRecord, AffiliateSnapshot, LegacyRecord, LegacyDetails, Event)
    return {model.__name__: model.objects.count() for model in models}


def test_usernames_are_trimmed_lower_cased_and_case_twins_merged(imported):
    legacy, _ = imported
    assert person("alice").pk == legacy.person["alice"]  # the one with a profile and the oldest
    assert person("bob").pk == legacy.person["bob"]  # "Bob " had no profile
    assert person("carol").pk == legacy.person["CAROL"]  # neither has one: the oldest
    assert person("alice").role == Person.Role.BOTH  # MODEL and VIEWER merged
    assert person("dave", "stripchat") != person("dave")  # another platform, another person
    assert not Person.objects.filter(username__contains="bad").exists()
    merged = LegacyDetails.objects.get(source_table="persons", source_key=str(legacy.person["Alice"]))
    assert merged.person == person("alice")
    assert merged.data["username"] == "Alice"


def test_an_invalid_username_is_kept_aside_with_every_row_that_depends_on_it(imported):
    legacy, _ = imported
    bad = str(legacy.person["bad"])
    kept = LegacyRecord.objects.filter(reason__contains="'bad name!'")
    tables = set(kept.values_list("source_table", flat=True))
    assert {
        "persons",
        "profiles",
        "profile_notes",
        "profile_seen_with",
        "media_locator",
        "relationships",
    } <= tables
    assert LegacyRecord.objects.get(source_table="persons", source_key=bad).row["username"] == "bad name!"


def test_profile_fields_are_filled_and_the_rest_kept_from_the_original(imported):
    legacy, _ = imported
    profile = person("alice").profile
    assert profile.display_name == "Alice A"  # the main profile's value wins the conflict
    assert profile.bio == "bio from the other row"
    assert profile.location == "Berlin"
    assert profile.age is None  # 17 is no adult age: kept as a detail
    assert profile.tags == ["cute", "feet"]
    assert profile.social_links == [{"label": "twitter", "url": "https://x.com/a"}]
    details = LegacyDetails.objects.get(source_table="profiles", source_key=str(legacy.profile["alice"])).data
    assert details["rating"] == 4
    assert details["friend_tier"] == 2
    assert details["irl_name"] == "Alicia"
    assert details["following"] is True
    assert details["age"] == 17
    assert details["address_as"] == ["Princess"]
    assert details["social_links_not_shown"] == [{"platform": "x", "url": "javascript:alert(1)"}]


def test_the_old_single_notes_column_becomes_a_note_unless_a_note_holds_it(imported):
    assert Note.objects.filter(profile__person__username="alice", content="Old note text").count() == 1
    assert Note.objects.filter(profile__person__username="bob", content="already a note").count() == 1


def test_seen_with_rows_become_one_collaboration_per_pair(imported):
    alice, dave, erin = person("alice"), person("dave"), person("erin")
    pair = Collaboration.objects.between(alice, dave).get()
    assert pair.first_seen_at == UTC_T0 + timedelta(days=1)  # the earlier of the two directions
    assert pair.notes == "again\nfirst show"  # every distinct note, oldest first
    assert Collaboration.objects.between(alice, erin).exists()  # NULL id resolved by name
    assert Collaboration.objects.between(dave, erin).get().first_seen_at == UTC_T0 - timedelta(days=100)
    assert Collaboration.objects.count() == 3
    assert (
        LegacyRecord.objects.filter(source_table="profile_seen_with", reason__contains="themself").count()
        == 1
    )
    assert (
        LegacyRecord.objects.filter(source_table="profile_seen_with", reason__contains="nobody").count() == 1
    )


def test_notes_keep_category_dates_and_links_and_get_their_html_from_our_parsers(imported):
    legacy, _ = imported
    notes = Note.objects.filter(profile__person__username="alice")
    assert set(notes.values_list("category", flat=True)) == {"note", "pm", "dm", "public_chat", "tip_menu"}
    chat = notes.get(category="public_chat")
    assert "<script" not in chat.formatted_content
    assert "<style" not in chat.formatted_content
    assert '<ol class="chat-log">' in chat.formatted_content  # rebuilt from the content
    assert "onerror" not in notes.get(category="tip_menu").formatted_content
    assert notes.get(category="dm").source_url == "https://chaturbate.com/messages/1"
    assert notes.get(content="hello there").created_at == UTC_T0
    # `tips`: merged into its public-chat twin; alone, it becomes a public-chat note
    assert notes.filter(category="public_chat").count() == 1
    alone = Note.objects.get(profile__person__username="dave", content="erin tipped 25 tokens")
    assert alone.category == "public_chat"
    assert LegacyDetails.objects.get(source_key=str(legacy.note["tips_alone"])).data == {"category": "tips"}
    bad_link = Note.objects.get(content="with a bad link")
    assert bad_link.source_url == ""
    assert (
        LegacyDetails.objects.get(source_key=str(legacy.note["bad_link"]))
        .data["source_url"]
        .startswith("javascript")
    )
    assert LegacyRecord.objects.get(source_key=str(legacy.note["empty"])).reason == "empty note"


def test_relationship_roles_become_relationships_on_the_owners_profile_with_history(imported, settings):
    _legacy, _ = imported
    owner = person(settings.MHC_OWNER_USERNAME).profile
    dave = person("dave")
    mine = Relationship.objects.filter(profile=owner, related_person=dave)
    assert set(mine.values_list("type", flat=True)) == {"dom", "friend"}
    dom = mine.get(type="dom")
    assert (dom.tier, dom.status, dom.started_at) == ("tier2", "active", date(2023, 1, 1))
    assert "met at a show" in dom.notes
    assert "traits: T2 Regular, likes feet" in dom.notes
    history = RelationshipHistory.objects.filter(profile=owner, related_person=dave).order_by(
        "changed_at", "id"
    )
    assert [(h.action, h.new_type, h.new_status) for h in history] == [
        ("created", "dom", "potential"),
        ("created", "friend", "potential"),
        ("changed", "dom", "active"),
        ("changed", "friend", "active"),
    ]
    assert history[0].changed_at == UTC_T0 + timedelta(days=1)
    erin = Relationship.objects.filter(profile=owner, related_person=person("erin"))
    muse = erin.get(type="acquaintance")
    assert muse.status == "ended"
    assert "custom role: Muse" in muse.notes
    assert "status: Banished" in muse.notes
    assert erin.get(type="sub").notes.startswith("erin serves")  # from service_relationships
    friend = Relationship.objects.get(profile=owner, related_person=person("frank"), type="friend")
    assert friend.tier == "tier1"  # profiles.friend_tier 1


def test_media_keep_their_storage_key_and_facts(imported):
    legacy, _ = imported
    m = legacy.media
    first = MediaRecord.objects.get(pk=m["m1"])
    assert first.file_path == "people/alice/auto/alice_1.jpg"
    assert first.sha256 == "a" * 64
    assert first.is_primary
    assert first.size_bytes == 1234
    assert first.mime_type == "image/jpeg"
    assert not MediaRecord.objects.filter(pk=m["m2"]).exists()  # the same key: merged into m1
    favourite = MediaRecord.objects.get(pk=m["m3"])
    assert favourite.person == person("alice")
    assert favourite.source == "screensnap"
    assert LegacyDetails.objects.get(source_key=str(m["m3"])).data["is_favorite"] is True
    deleted_primary = MediaRecord.objects.get(pk=m["m4"])
    assert deleted_primary.deleted_at is not None
    assert not deleted_primary.is_primary
    assert LegacyDetails.objects.get(source_key=str(m["m4"])).data["is_primary"] is True
    assert MediaRecord.objects.get(pk=m["m6"]).deleted_at is not None
    odd = MediaRecord.objects.get(pk=m["m7"])
    assert odd.sha256 == ""
    assert odd.source == "upload"
    assert LegacyRecord.objects.filter(source_key=str(m["m5"]), source_table="media_locator").exists()


def test_polling_rows_become_snapshots_pointing_at_the_imported_records(imported):
    legacy, _ = imported
    m = legacy.media
    dave = AffiliateSnapshot.objects.filter(person=person("dave")).order_by("observed_at")
    assert [s.media_locator_id for s in dave] == [m["m6"], None]  # a deleted record; one kept aside
    alice = AffiliateSnapshot.objects.filter(person=person("alice")).order_by("observed_at", "id")
    assert alice[0].media_locator_id == m["m1"]  # the merged duplicate's reference follows
    snapshot = dave[0]
    assert (snapshot.room_subject, snapshot.num_users, snapshot.tags, snapshot.is_hd) == (
        "hello room",
        10,
        ["a", "b"],
        True,
    )


def test_former_usernames_and_alternates_come_in_and_everything_else_is_kept_aside_verbatim(imported):
    legacy, report = imported
    alice = person("alice")
    former = FormerUsername.objects.get(person=alice)
    assert (former.username, former.used_from, former.used_until) == (
        "alice_old",
        UTC_T0 - timedelta(days=400),
        UTC_T0 - timedelta(days=200),
    )
    kept = dict(
        LegacyRecord.objects.filter(source_table="profile_usernames").values_list("row__username", "reason")
    )
    assert kept == {"dave": "Somebody else is called dave now.", "alice.old": "not a valid username"}
    tally = report.tables["profile_usernames"]
    assert (tally.read, tally.imported, tally.merged, tally.kept_aside) == (4, 1, 1, 2)
    link = AlternateAccount.objects.get()
    assert {link.person_a, link.person_b} == {alice, person("erin")}
    assert link.notes == "same"
    assert not LegacyRecord.objects.filter(source_table="alternate_accounts").exists()
    statbate = "statbate_api_polling" if legacy.generation == "current" else "snapshots"
    assert LegacyRecord.objects.get(source_table=statbate).row["raw_payload"] == {"rank": 5}
    assert LegacyRecord.objects.filter(source_table="role_permissions").count() == 2
    assert LegacyRecord.objects.filter(source_table="interactions", person=person("dave")).count() == 2


def test_attributes_come_with_their_history(imported):
    legacy, _ = imported
    alice, dave = person("alice"), person("dave")
    if legacy.generation == "current":
        tipper = AttributeDefinition.objects.get(key="regular_tipper")
        assert (tipper.label, tipper.color, tipper.show_as_badge, tipper.is_system) == (
            "Regular Tipper",
            "green",
            True,
            False,
        )
        assert PersonAttribute.objects.get(person=alice, attribute="watch_list").set_at == UTC_T0 + timedelta(
            days=2
        )
        assert PersonAttribute.objects.filter(person=alice, attribute="regular_tipper").exists()
        assert not PersonAttribute.objects.filter(
            person=dave, attribute="banned_me"
        ).exists()  # value = false
        assert LegacyRecord.objects.get(source_table="attribute_lookup", person=dave).reason.startswith(
            "value = false"
        )
        old = AttributeHistory.objects.filter(person=alice, attribute_key="old_flag").order_by("changed_at")
        assert [(h.old_value, h.new_value) for h in old] == [
            (None, True),
            (True, False),
        ]  # definition deleted
        watch = AttributeHistory.objects.filter(person=alice, attribute_key="watch_list")
        assert [(h.old_value, h.new_value, h.changed_at) for h in watch] == [
            (None, True, UTC_T0 + timedelta(days=2))
        ]
    else:
        for key in ("watch_list", "leather_fetish"):
            assert PersonAttribute.objects.filter(person=alice, attribute=key, value=True).exists()
            [entry] = AttributeHistory.objects.filter(person=alice, attribute_key=key)
            assert (entry.old_value, entry.new_value) == (None, True)
            assert entry.changed_at == UTC_T0 + timedelta(days=10)  # the profile's last change
        assert PersonAttribute.objects.filter(person=dave, attribute="banned_me").exists()
    # profile_smoke follows smoke / drink here: alice smokes ("YES/No"), dave does not ("No/No")
    assert PersonAttribute.objects.filter(person=alice, attribute="profile_smoke", value=True).exists()
    following = AttributeHistory.objects.get(person=alice, attribute_key="following")
    assert (following.old_value, following.new_value, following.changed_at) == (None, True, UTC_T0)
    assert not PersonAttribute.objects.filter(person=dave, attribute="following").exists()
    assert not PersonAttribute.objects.filter(person=dave, attribute="profile_smoke", value=True).exists()


def test_the_import_is_an_event_of_the_command(legacy):
    run(legacy.url, "--apply")
    event = Event.objects.get(kind="import.legacy")
    assert event.actor_kind == "command"
    assert event.actor_name == "import_legacy"
    assert event.data["tables"]["persons"]["read"] == 12


def test_the_imported_history_is_in_the_activity_log_at_its_own_time(imported, auth_client, settings):
    imported_events = Event.objects.filter(data__imported=True)
    assert imported_events.filter(kind__startswith="attribute.").count() == AttributeHistory.objects.count()
    assert (
        imported_events.filter(kind__startswith="relationship.").count()
        == RelationshipHistory.objects.count()
    )
    assert imported_events.filter(kind="note.created").count() == Note.objects.count()
    assert imported_events.filter(kind="collaboration.added").count() == Collaboration.objects.count()
    assert not imported_events.filter(data__backfilled=False).exists()  # never offered for undo
    alice = person("alice")
    for entry in AttributeHistory.objects.filter(person=alice):
        event = imported_events.get(person_id=alice.pk, subject_id=entry.attribute_key, at=entry.changed_at)
        assert event.kind == ("attribute.set" if entry.new_value else "attribute.cleared")
        assert event.username == "alice"
    first_pair = Collaboration.objects.get(
        person_a__username__in=["alice", "dave"], person_b__username__in=["alice", "dave"]
    )
    added = imported_events.get(kind="collaboration.added", subject_id=str(first_pair.pk))
    assert added.at == first_pair.first_seen_at == UTC_T0 + timedelta(days=1)  # the earlier direction
    page = auth_client.get("/profile/alice/sections/activity/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Collaboration added: " in text
    assert "Note added on alice" in text
    owner_page = auth_client.get(f"/profile/{settings.MHC_OWNER_USERNAME}/sections/activity/")
    assert f"Relationship {settings.MHC_OWNER_USERNAME} → " in owner_page.content.decode()


def test_the_profile_page_shows_what_came_from_the_original(imported, auth_client):
    page = auth_client.get("/profile/alice/sections/from-the-original/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Alicia" in text
    assert "Rating (0 = not rated)" in text
    assert "Friend tier" in text
    assert "profile_usernames: 2" in text
    other = auth_client.get(f"/profile/{settings.MHC_OWNER_USERNAME}/sections/from-the-original/")
    assert other.status_code == 200


def test_an_older_database_with_profile_images_is_read_too():
    with database() as url:
        create_schema(url, "pre094")
        legacy = Legacy(url=url, generation="pre094")
        with psycopg.connect(url, autocommit=True) as conn:
            fill(conn, legacy)
            conn.execute("ALTER TABLE media_locator RENAME TO profile_images")
            conn.execute("ALTER TABLE profile_images RENAME COLUMN is_primary TO is_current")
            conn.execute(
                "ALTER TABLE affiliate_api_snapshots RENAME COLUMN media_locator_id TO profile_image_id"
            )
        result = import_legacy(url, apply=True, show_progress=False)
    assert result.balanced
    assert result.tables["profile_images"].as_dict() == {
        "read": 7,
        "imported": 5,
        "merged": 1,
        "kept_aside": 1,
    }
    assert MediaRecord.objects.get(pk=legacy.media["m1"]).is_primary
    snapshot = AffiliateSnapshot.objects.filter(person=person("alice")).order_by("observed_at", "id").first()
    assert snapshot.media_locator_id == legacy.media["m1"]
