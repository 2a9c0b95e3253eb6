"""Benchmarks of the relationships page, the filter endpoint and the profile section."""

import itertools

from django.conf import settings

from mhc.bench import Bench, benchmark
from profiles.benchmarks import _client, _get, _people
from profiles.models import Person, Profile
from relationships.models import Relationship, RelationshipHistory, RelationshipType, Status, Tier

PAGES = 20  # requests per measurement


def _relationships(owner: Profile, people: list[Person]) -> None:
    """Each person on the owner's profile, cycling through types, tiers and statuses, with the
    history rows the services would have written (an addition and a tier change)."""
    kinds = itertools.cycle(itertools.product(RelationshipType.values, Tier.values, Status.values))
    relationships = Relationship.objects.bulk_create(
        Relationship(profile=owner, related_person=person, type=type_, tier=tier, status=status)
        for person, (type_, tier, status) in zip(people, kinds, strict=False)
    )
    RelationshipHistory.objects.bulk_create(seeded_history(relationships))


def seeded_history(relationships, *, dated=None, changed_by=None) -> list[RelationshipHistory]:
    """The history rows the services would have written for seeded relationships: each added at
    tier 3, then moved to its own tier. `dated(n, action)` gives the n-th relationship's rows
    their time (default: now)."""
    rows = []
    for n, r in enumerate(relationships):
        for action in ("created", "changed"):
            row = RelationshipHistory(
                profile_id=r.profile_id,
                related_person_id=r.related_person_id,
                action=action,
                old_type="" if action == "created" else r.type,
                new_type=r.type,
                old_tier="" if action == "created" else Tier.TIER3,
                new_tier=Tier.TIER3 if action == "created" else r.tier,
                old_status="" if action == "created" else r.status,
                new_status=r.status,
                changed_by=changed_by,
            )
            if dated is not None:
                row.changed_at = dated(n, action)
            rows.append(row)
    return rows


@benchmark(
    "relationships",
    help="The /relationships/ page, /api/relationships and the owner's Relationships section.",
    default_size=2_000,
)
def relationships(bench: Bench) -> None:
    owner = Person.objects.create(username=settings.MHC_OWNER_USERNAME, role=Person.Role.VIEWER)
    owner_profile = Profile.objects.create(person=owner)
    _relationships(owner_profile, _people(max(bench.size, 10)))
    client = _client()
    section = f"/profile/{owner.username}/sections/relationships/"
    _get(client, "/relationships/")  # warm caches (templates, URL resolver)
    bench.measure(
        "GET /relationships/?mine=1&page=N",
        lambda: [_get(client, f"/relationships/?mine=1&page={n}") for n in range(1, PAGES + 1)],
        items=PAGES,
    )
    bench.measure(
        "GET /relationships/?type=dom&tier=tier1",
        lambda: [_get(client, "/relationships/?type=dom&tier=tier1") for _ in range(PAGES)],
        items=PAGES,
    )
    bench.measure(
        "GET /api/relationships?mine=true&offset=N",
        lambda: [_get(client, f"/api/relationships?mine=true&offset={n * 50}") for n in range(PAGES)],
        items=PAGES,
    )
    bench.measure(
        "GET the owner's section, page N",
        lambda: [_get(client, f"{section}?page={n}") for n in range(1, PAGES + 1)],
        items=PAGES,
    )
    bench.measure(
        "GET the owner's section, history tab",
        lambda: [_get(client, f"{section}?tab=history&page={n}") for n in range(1, PAGES + 1)],
        items=PAGES,
    )
