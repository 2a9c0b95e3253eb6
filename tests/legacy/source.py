"""Source databases for the importer's tests: a PostgreSQL database of either schema generation of
the original MHC Control Panel, created under a unique name, filled with rows covering every rule
of the move, and dropped afterwards."""

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

import legacy

FIXTURES = Path(legacy.__file__).parent / "fixtures"
SERVER = "postgresql://postgres@127.0.0.1:5432"
T0 = datetime(2023, 5, 1, 12, 0, 0)


def ids(*names: str) -> dict[str, uuid.UUID]:
    return {name: uuid.uuid5(uuid.NAMESPACE_DNS, f"legacy-test-{name}") for name in names}


@dataclass
class Legacy:
    """The source database: its URL and the ids of the rows the tests look for."""

    url: str
    generation: str
    person: dict[str, uuid.UUID] = field(default_factory=dict)
    profile: dict[str, int] = field(default_factory=dict)
    media: dict[str, uuid.UUID] = field(default_factory=dict)
    note: dict[str, uuid.UUID] = field(default_factory=dict)


@contextmanager
def database(prefix: str = "legacy_src_i12"):
    """A new, empty database on the local server (dropped afterwards); yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_schema(url: str, generation: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute((FIXTURES / "common.sql").read_text())
        conn.execute((FIXTURES / f"{generation}.sql").read_text())
        newest = 96 if generation == "current" else 93
        conn.execute(
            "INSERT INTO migrations (id, name) SELECT n, lpad(n::text, 3, '0') || '_migration.sql' "
            "FROM generate_series(1, %s) n",
            (newest,),
        )


@contextmanager
def legacy_source(generation: str):
    """A filled source database of `generation` ("current" or "pre094")."""
    with database() as url:
        create_schema(url, generation)
        legacy = Legacy(url=url, generation=generation)
        with psycopg.connect(url, autocommit=True) as conn:
            fill(conn, legacy)
        yield legacy


def fill(conn: psycopg.Connection, legacy: Legacy) -> None:
    p = legacy.person
    p.update(
        ids(
            "alice",
            "Alice",
            "Bob ",
            "bob",
            "carol",
            "CAROL",
            "bad",
            "dave",
            "dave_sc",
            "erin",
            "owner",
            "frank",
        )
    )
    persons = [
        # key, username, platform, role, created (days after T0)
        ("alice", "alice", "chaturbate", "MODEL", 0),
        ("Alice", "Alice", "chaturbate", "VIEWER", 5),
        ("Bob ", "Bob ", "chaturbate", "VIEWER", 0),
        ("bob", "bob", "chaturbate", "MODEL", 3),
        ("carol", "carol", "chaturbate", "UNKNOWN", 7),
        ("CAROL", "CAROL", "chaturbate", "VIEWER", 2),
        ("bad", "bad name!", "chaturbate", "MODEL", 0),
        ("dave", "Dave", "chaturbate", "MODEL", 1),
        ("dave_sc", "dave", "stripchat", "MODEL", 1),
        ("erin", "erin", "chaturbate", "VIEWER", 1),
        ("owner", "mhc_owner", "chaturbate", "VIEWER", 0),
        ("frank", "frank", "chaturbate", "VIEWER", 1),
    ]
    for key, username, platform, role, days in persons:
        at = T0 + timedelta(days=days)
        conn.execute(
            "INSERT INTO persons (id, username, platform, role, first_seen_at, last_seen_at, created_at, "
            "rid, "
            "room_visit_count) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (p[key], username, platform, role, at, at + timedelta(days=30), at, 1000 + days, days),
        )
    pre094 = legacy.generation == "pre094"
    profiles = {
        "alice": {
            "display_name": "Alice A",
            "age": 17,
            "smoke_drink": "YES/No",
            "tags": ["Cute", "cute", " feet "],
            "social_links": json.dumps(
                [
                    {"platform": "twitter", "url": "https://x.com/a"},
                    {"platform": "x", "url": "javascript:alert(1)"},
                ]
            ),
            "notes": "Old note text",
            "rating": 4,
            "friend_tier": 2,
            "irl_name": "Alicia",
            "following": True,
            "following_since": T0,
            "address_as": ["Princess"],
        },
        "Alice": {
            "display_name": "Alice B",
            "bio": "bio from the other row",
            "location": "Berlin",
            "rating": 2,
        },
        "bob": {"display_name": "Bob", "notes": "already a note"},
        "bad": {"display_name": "Bad", "notes": "bad person's note"},
        "dave": {"display_name": "Dave", "friend_tier": 3, "smoke_drink": "No/No"},
        "erin": {"display_name": "Erin", "location": "Paris"},
        "owner": {"display_name": "Me"},
        "frank": {"display_name": "Frank", "friend_tier": 1},
    }
    if pre094:
        profiles["alice"].update(watch_list=True, leather_fetish=True)
        profiles["dave"].update(profile_smoke=True, banned_me=True)
    for key, values in profiles.items():
        columns = ["person_id", "updated_at", *values]
        row = conn.execute(
            f"INSERT INTO profiles ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
            f"RETURNING id",
            [p[key], T0 + timedelta(days=10), *values.values()],
        ).fetchone()
        legacy.profile[key] = row[0]
    _seen_with(conn, legacy)
    _notes(conn, legacy)
    _attributes(conn, legacy)
    _relationships(conn, legacy)
    _media(conn, legacy)
    _rest(conn, legacy)


def _seen_with(conn, legacy: Legacy) -> None:
    p, pr = legacy.person, legacy.profile
    rows = [
        (pr["alice"], "dave", p["dave"], T0 + timedelta(days=3), "first show"),
        (pr["dave"], "alice", p["alice"], T0 + timedelta(days=1), "again"),  # the other direction, earlier
        (pr["alice"], "erin", None, T0 + timedelta(days=4), None),  # NULL id, resolved by name
        (pr["alice"], "ghost", None, T0 + timedelta(days=4), None),  # resolves to nobody
        (pr["alice"], "alice", p["Alice"], T0, None),  # a pair with themself once merged
        (pr["bad"], "dave", p["dave"], T0, None),  # an invalid person's row
    ]
    for row in rows:
        conn.execute(
            "INSERT INTO profile_seen_with (profile_id, seen_with_username, seen_with_person_id, "
            "created_at, notes) "
            "VALUES (%s, %s, %s, %s, %s)",
            row,
        )
    a, b = sorted([p["dave"], p["erin"]], key=str)
    conn.execute(
        "INSERT INTO collaborations (person_a_id, person_b_id, notes, first_seen_at) VALUES (%s, %s, %s, %s)",
        (a, b, "group show", T0 - timedelta(days=100)),
    )


def _notes(conn, legacy: Legacy) -> None:
    pr = legacy.profile
    chat = "alice: hi all\nbob tipped 50 tokens\ndave: hello"
    rows = {
        "plain": (pr["alice"], "hello there", "note", None, None),
        "pm": (pr["alice"], "private words", "pm", None, None),
        "dm": (pr["alice"], "direct words", "dm", None, "https://chaturbate.com/messages/1"),
        "chat": (pr["alice"], chat, "public_chat", "<script>alert(1)</script><b>chat</b>", None),
        "tips_twin": (pr["alice"], chat, "tips", "<style>x</style>", None),
        "menu": (pr["alice"], "Flash - 50\nDance - 100", "tip_menu", "<img src=x onerror=alert(1)>", None),
        "tips_alone": (pr["dave"], "erin tipped 25 tokens", "tips", None, None),
        "empty": (pr["dave"], "   ", "note", None, None),
        "bad_link": (pr["dave"], "with a bad link", "note", None, "javascript:alert(1)"),
        "bob_note": (pr["bob"], "already a note", "note", None, None),
        "bad_person": (pr["bad"], "about a bad name", "note", None, None),
    }
    for key, (profile, content, category, formatted, url) in rows.items():
        legacy.note[key] = conn.execute(
            "INSERT INTO profile_notes (profile_id, content, category, formatted_content, source_url, "
            "created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (profile, content, category, formatted, url, T0 + timedelta(hours=len(legacy.note))),
        ).fetchone()[0]


SYSTEM_KEYS = (
    "watch_list",
    "banned_me",
    "banned_by_me",
    "room_banned",
    "smoke_on_cam",
    "leather_fetish",
    "had_interaction",
    "profile_smoke",
)


def _attributes(conn, legacy: Legacy) -> None:
    for order, key in enumerate(SYSTEM_KEYS):
        conn.execute(
            "INSERT INTO attribute_definitions (key, label, is_system, is_auto_derived, sort_order) "
            "VALUES (%s, %s, true, %s, %s)",
            (key, key.replace("_", " ").title(), key == "profile_smoke", order),
        )
    if legacy.generation == "pre094":
        return  # the older schema keeps the flags on profiles; these tables are empty
    p = legacy.person
    conn.execute(
        "INSERT INTO attribute_definitions (key, label, color, show_as_badge, sort_order, is_system) "
        "VALUES ('regular_tipper', 'Regular Tipper', '#22c55e', true, 100, false)"
    )
    lookups = [
        (p["alice"], "watch_list", True, T0 + timedelta(days=2)),
        (p["alice"], "regular_tipper", True, T0 + timedelta(days=3)),
        (p["dave"], "banned_me", False, T0 + timedelta(days=4)),
        (p["bad"], "watch_list", True, T0),
    ]
    for row in lookups:
        conn.execute(
            "INSERT INTO attribute_lookup (person_id, attribute_key, value, set_at) VALUES (%s, %s, %s, %s)",
            row,
        )
    history = [
        (p["alice"], "watch_list", None, True, T0 + timedelta(days=2)),
        (p["alice"], "regular_tipper", None, True, T0 + timedelta(days=3)),
        (p["alice"], "old_flag", None, True, T0 + timedelta(days=1)),  # a definition deleted since
        (p["alice"], "old_flag", True, False, T0 + timedelta(days=2)),
        (p["dave"], "banned_me", None, True, T0 + timedelta(days=1)),
        (p["dave"], "banned_me", True, False, T0 + timedelta(days=4)),
        (p["bad"], "watch_list", None, True, T0),
    ]
    for row in history:
        conn.execute(
            "INSERT INTO attribute_history (person_id, attribute_key, old_value, new_value, changed_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            row,
        )


def _relationships(conn, legacy: Legacy) -> None:
    pr = legacy.profile
    dave = conn.execute(
        "INSERT INTO relationships (profile_id, roles, status, traits, since_date, notes, created_at) "
        "VALUES (%s, '{Dom,Friend}', 'Active', '{\"T2 Regular\",\"likes feet\"}', '2023-01-01', 'met at a "
        "show', %s) "
        "RETURNING id",
        (pr["dave"], T0),
    ).fetchone()[0]
    history = [
        ("roles", [], ["Dom"], T0 + timedelta(days=1)),
        ("roles", ["Dom"], ["Dom", "Friend"], T0 + timedelta(days=2)),
        ("status", "Potential", "Active", T0 + timedelta(days=3)),
        ("since_date", None, "2023-01-01", T0 + timedelta(days=4)),
    ]
    for field_name, old, new, at in history:
        conn.execute(
            "INSERT INTO relationship_history (relationship_id, field_name, old_value, new_value, "
            "changed_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            (dave, field_name, json.dumps(old), json.dumps(new), at),
        )
    conn.execute(
        "INSERT INTO relationships (profile_id, roles, custom_role_label, status, created_at) "
        "VALUES (%s, '{Custom}', 'Muse', 'Banished', %s)",
        (pr["erin"], T0),
    )
    conn.execute(
        "INSERT INTO relationships (profile_id, roles, status) VALUES (%s, '{Sub}', 'Active')", (pr["bad"],)
    )
    service = [
        (pr["dave"], "dom", "premium", ["feet"], "dave's dom service"),
        (pr["erin"], "sub", "basic", [], "erin serves"),
    ]
    for row in service:
        conn.execute(
            "INSERT INTO service_relationships (profile_id, service_role, service_level, service_types, "
            "notes, "
            "started_at) VALUES (%s, %s, %s, %s, %s, '2022-06-01')",
            row,
        )


def _media(conn, legacy: Legacy) -> None:
    p, m = legacy.person, legacy.media
    m.update(ids("m1", "m2", "m3", "m4", "m5", "m6", "m7"))
    sha = "a" * 64
    rows = [
        # key, person, path, source, primary, deleted, sha, favourite, created (days)
        ("m1", "alice", "people/alice/auto/alice_1.jpg", "affiliate_api", True, None, sha, False, 0),
        (
            "m2",
            "alice",
            "people/alice/auto/alice_1.jpg",
            "affiliate_api",
            False,
            None,
            sha,
            False,
            1,
        ),  # same key
        ("m3", "Alice", "people/Alice/snaps/a_2.jpg", "following_snap", False, None, None, True, 2),
        ("m4", "Alice", "people/Alice/uploads/a_3.jpg", "manual_upload", True, T0, "b" * 64, False, 3),
        ("m5", "bad", "people/bad/auto/x.jpg", "affiliate_api", False, None, "c" * 64, False, 0),
        (
            "m6",
            "dave",
            "people/dave/auto/d_1.jpg",
            "affiliate_api",
            False,
            T0 + timedelta(days=9),
            "d" * 64,
            False,
            0,
        ),
        ("m7", "dave", "people/dave/profile/d_2.jpg", "external", True, None, "not-a-hash", False, 1),
    ]
    for key, person, path, source, primary, deleted, digest, favourite, days in rows:
        conn.execute(
            "INSERT INTO media_locator (id, person_id, file_path, source, is_primary, deleted_at, sha256, "
            "is_favorite, "
            "created_at, file_size, mime_type, width, height, storage_provider, username, title) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 1234, 'image/jpeg', 360, 270, 's3', %s, %s)",
            (
                m[key],
                p[person],
                path,
                source,
                primary,
                deleted,
                digest,
                favourite,
                T0 + timedelta(days=days),
                person,
                "a title" if key == "m3" else None,
            ),
        )
    table = "affiliate_api_polling" if legacy.generation == "current" else "affiliate_api_snapshots"
    polling = [
        ("dave", 0, m["m6"]),  # points at a soft-deleted record
        ("dave", 1, m["m5"]),  # points at a record kept aside (its person's name is invalid)
        ("alice", 0, m["m2"]),  # points at the merged duplicate
        ("alice", 1, None),
        ("bad", 0, m["m5"]),
    ]
    for person, hours, media_id in polling:
        conn.execute(
            f"INSERT INTO {table} (person_id, observed_at, seconds_online, room_subject, tags, num_users, "
            "num_followers, is_hd, image_url_360x270, media_locator_id, current_show) "
            "VALUES (%s, %s, 600, 'hello room', '{a,b}', 10, 100, true, 'https://thumb/x.jpg', %s, 'public')",
            (p[person], T0 + timedelta(hours=hours), media_id),
        )


def _rest(conn, legacy: Legacy) -> None:
    p = legacy.person
    statbate = "statbate_api_polling" if legacy.generation == "current" else "snapshots"
    conn.execute(
        f"INSERT INTO {statbate} (person_id, source, captured_at, raw_payload) VALUES (%s, "
        f"'statbate_model', %s, %s)",
        (p["dave"], T0, json.dumps({"rank": 5})),
    )
    for username, is_current in (
        ("alice_old", False),
        ("Alice", True),
        ("dave", False),
        ("alice.old", False),
    ):
        conn.execute(
            "INSERT INTO profile_usernames (person_id, username, is_current, first_seen_at, last_seen_at) "
            "VALUES (%s, %s, %s, %s, %s)",
            (p["alice"], username, is_current, T0 - timedelta(days=400), T0 - timedelta(days=200)),
        )
    a, b = sorted([p["alice"], p["erin"]], key=str)
    conn.execute(
        "INSERT INTO alternate_accounts (person_a_id, person_b_id, notes) VALUES (%s, %s, 'same')", (a, b)
    )
    for text in ("hi", "hi again"):
        conn.execute(
            "INSERT INTO interactions (person_id, type, content) VALUES (%s, 'CHAT_MESSAGE', %s)",
            (p["dave"], text),
        )
    conn.execute("INSERT INTO users (email, password_hash) VALUES ('me@example.com', 'x')")
    conn.execute("INSERT INTO role_permissions VALUES (1, 1), (1, 2)")
