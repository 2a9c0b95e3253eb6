"""The pure mapping functions of the importer: one source value in, our value out."""

import uuid
from datetime import UTC, date, datetime

from legacy.importer.attributes import attribute_key, tone
from legacy.importer.core import aware, jsonable
from legacy.importer.media import media_fields, media_source
from legacy.importer.notes import note_category, source_url
from legacy.importer.people import combined_role, username_or_none
from legacy.importer.profiles import clean_tags, merge_fields, profile_fields, social_links
from legacy.importer.relationships import (
    relationship_notes,
    relationship_status,
    relationship_tier,
    relationship_types,
)
from legacy.importer.source import redact


def test_usernames_are_trimmed_and_lower_cased_or_refused():
    assert username_or_none("  FooBar_1 ") == "foobar_1"
    for bad in ("", "a b", "dotted.name", "dash-name", "%41lice", "emoji🙂", "x" * 65, None):
        assert username_or_none(bad) is None


def test_merged_roles_combine():
    assert combined_role(["MODEL", "VIEWER"]) == "both"
    assert combined_role(["MODEL", "UNKNOWN"]) == "model"
    assert combined_role(["UNKNOWN"]) == "unknown"


def test_profile_fields_keep_what_does_not_fit_as_details():
    fields, extras = profile_fields(
        {
            "id": 1,
            "person_id": 2,
            "display_name": "x" * 200,
            "age": 16,
            "rating": 5,
            "tags": ["A", "a "],
            "social_links": [{"platform": "web", "url": "ftp://x"}],
            "irl_name": "Jo",
            "last_broadcast": None,
        }
    )
    assert fields["display_name"] == "x" * 128
    assert extras["display_name"] == "x" * 200
    assert "age" not in fields
    assert extras["age"] == 16
    assert fields["tags"] == ["a"]
    assert fields["social_links"] == []
    assert extras["social_links_not_shown"] == [{"platform": "web", "url": "ftp://x"}]
    assert extras["rating"] == 5
    assert extras["irl_name"] == "Jo"


def test_social_links_and_tags():
    kept, left = social_links([{"platform": "x", "url": "https://x.com/a"}, "junk"])
    assert kept == [{"label": "x", "url": "https://x.com/a"}]
    assert left == ["junk"]
    assert clean_tags([" Feet", "feet", "", 3, "#Feet", "# ", "#bigboobs"]) == ["feet", "bigboobs"]


def test_merging_fills_blanks_and_lists_conflicts():
    merged, conflicts = merge_fields({"bio": "", "location": "A"}, [{"bio": "b", "location": "B"}])
    assert merged == {"bio": "b", "location": "A"}
    assert conflicts == [{"field": "location", "kept": "A", "other": "B"}]


def test_attribute_keys_and_colours():
    assert attribute_key("Regular Tipper!") == "regular_tipper"
    assert attribute_key("1st") == "attr_1st"
    assert tone("emerald") == "emerald"
    assert tone("#22c55e") == "green"
    assert tone("weird") == "gray"


def test_note_categories_and_links():
    assert note_category("tips") == "public_chat"
    assert note_category(None) == note_category("other") == "note"
    assert note_category("dm") == "dm"
    assert source_url("https://example.com/c") == "https://example.com/c"
    assert source_url("javascript:alert(1)") == ""
    assert source_url("https://example.com/" + "x" * 600) == ""


def test_relationship_roles_statuses_tiers_and_what_stays_in_the_notes():
    assert relationship_types(["Dom", "Custom", "Dom"]) == ["dom", "acquaintance"]
    assert relationship_status("On Hold") == "on_hold"
    assert relationship_status("Banished") == "ended"
    assert relationship_tier(["T3 Tipper", "T2 Regular"]) == "tier2"
    assert relationship_tier([]) == "tier1"
    notes = relationship_notes(
        {
            "roles": ["Custom"],
            "custom_role_label": "Muse",
            "traits": ["T4 Drive-By"],
            "status": "Decommissioned",
            "notes": "hi",
            "since_date": date(2024, 2, 1),
            "until_date": date(2024, 1, 1),
        }
    )
    assert notes.startswith(
        "hi\nFrom the original: custom role: Muse; traits: T4 Drive-By; status: Decommissioned"
    )
    assert "until 2024-01-01 (before since 2024-02-01)" in notes


def test_media_fields():
    record_id = uuid.uuid4()
    fields, extras = media_fields(
        {
            "id": record_id,
            "person_id": 1,
            "file_path": "people/a/auto/x.jpg",
            "source": "imported",
            "sha256": "ABC",
            "is_primary": True,
            "deleted_at": datetime(2024, 1, 1),
            "file_size": 10,
            "created_at": datetime(2023, 1, 1),
            "captured_at": None,
            "uploaded_at": datetime(2023, 2, 1),
            "is_favorite": True,
            "title": "t",
        }
    )
    assert fields["source"] == "upload"
    assert extras["source"] == "imported"
    assert fields["sha256"] == ""
    assert extras["sha256"] == "ABC"
    assert fields["is_primary"] is False
    assert extras["is_primary"] is True
    assert fields["captured_at"] == datetime(2023, 2, 1, tzinfo=UTC)
    assert extras["is_favorite"] is True
    assert extras["title"] == "t"
    assert media_source("following_snap") == "screensnap"


def test_source_values_as_json_and_times_as_utc():
    assert jsonable({"a": uuid.UUID(int=1), "b": b"\x00", "c": [date(2024, 1, 2)]}) == {
        "a": "00000000-0000-0000-0000-000000000001",
        "b": {"base64": "AA=="},
        "c": ["2024-01-02"],
    }
    assert aware(datetime(2024, 1, 1)).tzinfo is UTC
    assert redact("postgres://u:pw@h/db") == "postgres://u:***@h/db"
