"""Demo data: what the original MHC Control Panel knew about one demo person (shown in the
"From the original" section of the profile) and a few of their original rows kept aside."""

from legacy.importer.kept_aside import REASON
from legacy.services import legacy_details_put, legacy_record_keep
from mhc.demo import Demo

DEMO_USERNAME = "alex_lord_"


def load(demo: Demo) -> None:
    person = demo.people.get(DEMO_USERNAME)
    if person is None:
        return
    added = 0
    _, created = legacy_details_put(
        source_table="profiles",
        source_key="1042",
        person=person,
        target=f"profiles.Profile of {person.pk}",
        data={
            "rating": 5,
            "friend_tier": 1,
            "irl_name": "Alexander",
            "address_as": ["Sir", "Alex"],
            "following": True,
            "following_since": "2022-03-14T20:11:00",
            "follower": False,
            "first_service_date": "2022-04-01",
            "stream_summary": "Leather nights, Thursdays.",
        },
    )
    added += created
    kept = [
        (
            "profile_usernames",
            "8d6f0c2e-4b7a-4c1e-9d1a-2f3e4a5b6c7d",
            {"username": "alexlord", "is_current": False, "first_seen_at": "2021-06-02T18:00:00+00:00"},
            "Somebody else is called alexlord now.",
        ),
        (
            "interactions",
            "5b2c9e1d-7f3a-4d2b-8c6e-1a9f0e3d2c4b",
            {"type": "TIP_EVENT", "content": "tipped 100 tokens", "metadata": {"tokens": 100}},
            REASON,
        ),
    ]
    for table, key, row, reason in kept:
        _, created = legacy_record_keep(
            source_table=table, source_key=key, row=row, reason=reason, person=person
        )
        added += created
    if added:
        demo.say(f"legacy: {added} rows from the original for {DEMO_USERNAME}")
