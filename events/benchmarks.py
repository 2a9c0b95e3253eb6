"""The daily-use benchmark: every profile section of the heaviest person, the home page, the
activity log and the people search, among N people (100,000 by default). Each page is measured
against a floor, the same SQL run raw, so the table shows how much more than its own SQL a page
costs; the search's SQL alone is what the 50 ms target is about."""

import random
from datetime import timedelta

from django.utils import timezone

from collaborations.models import Collaboration, ordered_pair
from events.models import Event
from media.models import AffiliateSnapshot
from mhc.bench import Bench, benchmark
from notes.models import Note
from profiles.benchmarks import _client, _get, _replay, _statements_of
from profiles.models import Person, Profile
from profiles.sections import sections

REQUESTS = 20
COLLABORATORS = 500
SNAPSHOTS = 3000
EVENTS = 3000
NOTES = 200
SEARCHES = 20


def _population(size: int) -> list[Person]:
    rng = random.Random(16)
    words = ["alex", "leather", "rex", "hot", "guy", "bear", "pup", "daddy", "twink", "muscle", "sam", "kim"]
    people = Person.objects.bulk_create(
        (Person(username=f"{rng.choice(words)}_{i:07d}", role="model") for i in range(size)), batch_size=5000
    )
    Profile.objects.bulk_create(
        (
            Profile(person=p, display_name=f"{rng.choice(words).title()} {rng.choice(words).title()} {i}")
            for i, p in enumerate(people)
        ),
        batch_size=5000,
    )
    return people


def _heaviest(star: Person, others: list[Person]) -> None:
    """The person every section has the most to show for."""
    Collaboration.objects.bulk_create(
        Collaboration(person_a=a, person_b=b)
        for a, b in (ordered_pair(star, o) for o in others[:COLLABORATORS])
    )
    now = timezone.now()
    AffiliateSnapshot.objects.bulk_create(
        (
            AffiliateSnapshot(
                person=star,
                observed_at=now - timedelta(minutes=5 * n + 600 * (n // 30)),
                room_subject=f"Show {n // 30}",
                num_users=100 + n % 50,
                seconds_online=600,
            )
            for n in range(SNAPSHOTS)
        ),
        batch_size=1000,
    )
    Note.objects.bulk_create(
        Note(
            profile=star.profile,
            content=f"note {n}",
            formatted_content="",
            created_at=now - timedelta(hours=n),
        )
        for n in range(NOTES)
    )
    Event.objects.bulk_create(
        (
            Event(
                kind="attribute.set" if n % 2 else "note.created",
                summary=f"event {n}",
                person_id=star.pk,
                username=star.username,
                at=now - timedelta(minutes=n),
            )
            for n in range(EVENTS)
        ),
        batch_size=1000,
    )


def _against_floor(bench: Bench, client, label: str, url: str) -> None:
    _get(client, url)  # warm caches (templates, URL resolver)
    statements = _statements_of(lambda: _get(client, url))
    floor = bench.measure(f"{label}: SQL, raw", lambda: _replay(statements, REQUESTS), items=REQUESTS)
    bench.measure(label, lambda: [_get(client, url) for _ in range(REQUESTS)], items=REQUESTS, floor=floor)


@benchmark(
    "daily-use",
    help="Profile sections of the heaviest person, home page and people search among N people.",
    default_size=100_000,
)
def daily_use(bench: Bench) -> None:
    people = _population(bench.size)
    star = Person.objects.with_profile().get(pk=people[0].pk)
    _heaviest(star, people[1:])
    client = _client()
    for section in sections.all():
        _against_floor(
            bench, client, f"section {section.key}", f"/profile/{star.username}/sections/{section.key}/"
        )
    _against_floor(bench, client, "home page /", "/")
    _against_floor(
        bench, client, "activity, filtered by kind", f"/profile/{star.username}/sections/activity/?kind=note"
    )
    for label, url in (
        ("GET /api/people?search=<prefix>", "/api/people?search=leather_00"),
        ("GET /api/people?search=<name part>", "/api/people?search=muscle%20bear"),
        ("GET /people/?q=<prefix>", "/people/?q=rex_00"),
        ("GET /people/?q=<name part>", "/people/?q=daddy%20pup"),
    ):
        _against_floor(bench, client, label, url)
    bench.note(
        f"The heaviest person has {COLLABORATORS} collaborators, {SNAPSHOTS:,} affiliate snapshots, "
        f"{NOTES} notes and {EVENTS:,} events. Each 'SQL, raw' row is that page's statements replayed "
        f"{REQUESTS} times; divide its seconds by {REQUESTS} for the SQL time of one request."
    )
