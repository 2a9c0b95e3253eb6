"""Demo collaborations: who the demo broadcasters have been seen on cam with."""

from datetime import UTC, datetime
from itertools import combinations

from collaborations.selectors import are_collaborators
from collaborations.services import collaboration_add, collaboration_add_group, collaboration_remove
from events.models import Event

PAIRS = [
    ("alex_lord_", "david_stain", datetime(2024, 1, 15, 21, 0, tzinfo=UTC)),
    ("alex_lord_", "bricktiger", datetime(2024, 3, 2, 23, 30, tzinfo=UTC)),
    ("mattiufr", "marco_roma", datetime(2024, 5, 18, 20, 15, tzinfo=UTC)),
    ("liiamspears", "hot_guy_2000", datetime(2024, 7, 4, 19, 45, tzinfo=UTC)),
]
# Added by mistake, then removed: the history keeps both events, on both profiles.
REMOVED = ("mattiufr", "hot_guy_2000", "demo: a look-alike, not him")
# Jay & Lee's show with two guests: everyone was on cam with everyone else.
GROUP = (["jay_and_lee", "leather_rex", "bricktiger"], datetime(2024, 6, 8, 22, 0, tzinfo=UTC))


def _notes(seen_at: datetime) -> str:
    return f"seen together {seen_at:%Y-%m-%d}"


def load(demo) -> None:
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
    usernames, seen_at = GROUP
    people = [demo.people[username] for username in usernames]
    if any(are_collaborators(first, second) for first, second in combinations(people, 2)):
        return
    result = collaboration_add_group(
        people=people, notes=f"{_notes(seen_at)}, Jay & Lee's show", first_seen_at=seen_at
    )
    demo.say(f"collaborations among {', '.join(usernames)} ({result.created} pairs)")


def _removed(demo) -> None:
    first, second, why = REMOVED
    if Event.objects.filter(kind="collaboration.removed", why=why).exists():
        return
    person, other = demo.people[first], demo.people[second]
    if not are_collaborators(person, other):
        collaboration_add(person=person, other=other, notes="same room, same lamp")
    collaboration_remove(person=person, other=other, why=why)
    demo.say(f"a removed collaboration: {first} & {second}")
