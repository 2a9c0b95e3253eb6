"""Demo collaborations: who the demo broadcasters have been seen on cam with.

Together they make a small network with two clusters, Alex's leather crowd and the Latin
couples, and one bridge between them (ben_between has shown with someone of each), so the
collaboration graph has something to find; its clusters are computed once the pairs are in."""

from datetime import UTC, datetime
from itertools import combinations

from collaborations.selectors import are_collaborators
from collaborations.services import (
    collaboration_add,
    collaboration_add_group,
    collaboration_remove,
    network_clusters_compute,
)
from events.models import Event
from profiles.models import Person
from profiles.services import person_get_or_create, profile_update

PAIRS = [
    ("alex_lord_", "david_stain", datetime(2024, 1, 15, 21, 0, tzinfo=UTC)),
    ("alex_lord_", "bricktiger", datetime(2024, 3, 2, 23, 30, tzinfo=UTC)),
    ("mattiufr", "marco_roma", datetime(2024, 5, 18, 20, 15, tzinfo=UTC)),
    ("liiamspears", "hot_guy_2000", datetime(2024, 7, 4, 19, 45, tzinfo=UTC)),
    ("bear_hug_berlin", "alex_lord_", datetime(2024, 8, 1, 21, 0, tzinfo=UTC)),
    ("bear_hug_berlin", "leather_rex", datetime(2024, 8, 9, 21, 0, tzinfo=UTC)),
    ("mattiufr", "latin_heat", datetime(2024, 9, 12, 22, 0, tzinfo=UTC)),
    ("liiamspears", "rio_duo", datetime(2024, 10, 3, 20, 0, tzinfo=UTC)),
    ("hot_guy_2000", "rio_duo", datetime(2024, 10, 20, 20, 0, tzinfo=UTC)),
    ("ben_between", "bricktiger", datetime(2025, 1, 11, 22, 30, tzinfo=UTC)),
    ("ben_between", "marco_roma", datetime(2025, 2, 14, 21, 0, tzinfo=UTC)),
]
# People only the network needs: (username, display name, followers).
NETWORK_PEOPLE = [
    ("bear_hug_berlin", "Bear Hug", 5_210),
    ("latin_heat", "Latin Heat", 28_400),
    ("rio_duo", "Rio Duo", 41_030),
    ("ben_between", "Ben", 9_800),
]
# Group shows: everyone was on cam with everyone else.
GROUPS = [
    (
        ["jay_and_lee", "leather_rex", "bricktiger"],
        datetime(2024, 6, 8, 22, 0, tzinfo=UTC),
        "Jay & Lee's show",
    ),
    (["marco_roma", "rio_duo", "latin_heat"], datetime(2024, 11, 1, 23, 0, tzinfo=UTC), "Latin night"),
]
# Added by mistake, then removed: the history keeps both events, on both profiles.
REMOVED = ("mattiufr", "hot_guy_2000", "demo: a look-alike, not him")


def _notes(seen_at: datetime) -> str:
    return f"seen together {seen_at:%Y-%m-%d}"


def _network_people(demo) -> None:
    for username, display_name, followers in NETWORK_PEOPLE:
        person, created = person_get_or_create(username=username, role=Person.Role.MODEL)
        demo.people[username] = person
        if created:
            profile_update(person=person, display_name=display_name, followers=followers)
            demo.say(f"person {username}")


def load(demo) -> None:
    _network_people(demo)
    _removed(demo)
    # A pair that exists was loaded before, and the owner may have changed its notes or date since:
    # adding it again would put the demo's back (`load_demo` may be run again at any time).
    for first, second, seen_at in PAIRS:
        if are_collaborators(demo.people[first], demo.people[second]):
            continue
        collaboration_add(
            person=demo.people[first], other=demo.people[second], notes=_notes(seen_at), first_seen_at=seen_at
        )
        demo.say(f"collaboration {first} & {second}")
    for usernames, seen_at, show in GROUPS:
        people = [demo.people[username] for username in usernames]
        if any(are_collaborators(first, second) for first, second in combinations(people, 2)):
            continue
        result = collaboration_add_group(
            people=people, notes=f"{_notes(seen_at)}, {show}", first_seen_at=seen_at
        )
        demo.say(f"collaborations among {', '.join(usernames)} ({result.created} pairs)")
    # So that /graph/ lists the clusters on the first start, before the job has run.
    refresh = network_clusters_compute()
    if refresh.computed:
        demo.say(f"the network's clusters ({refresh.run.cluster_count})")


def _removed(demo) -> None:
    first, second, why = REMOVED
    if Event.objects.filter(kind="collaboration.removed", why=why).exists():
        return
    person, other = demo.people[first], demo.people[second]
    if not are_collaborators(person, other):
        collaboration_add(person=person, other=other, notes="same room, same lamp")
    collaboration_remove(person=person, other=other, why=why)
    demo.say(f"a removed collaboration: {first} & {second}")
