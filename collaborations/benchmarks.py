"""Benchmarks of a person with many collaborators: the section, the API list and group adds."""

from itertools import combinations

from django.contrib.auth import get_user_model
from django.test import Client

from collaborations.models import Collaboration, ordered_pair
from collaborations.services import collaboration_add, collaboration_add_group
from mhc.bench import Bench, benchmark
from profiles.models import Person, Profile

REQUESTS = 50
GROUP = 50


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: the figures would mean nothing.")


@benchmark(
    "collaborations",
    help="A person with N collaborators: render the section, list the API, add pairs and a group.",
    default_size=500,
)
def collaborations(bench: Bench) -> None:
    people = Person.objects.bulk_create(
        Person(username=f"bench_{i:07d}", role="model") for i in range(bench.size + GROUP + 1)
    )
    Profile.objects.bulk_create(Profile(person=p, display_name=f"Bench {i}") for i, p in enumerate(people))
    star, others, group = people[0], people[1 : bench.size + 1], people[bench.size + 1 :]
    Collaboration.objects.bulk_create(
        Collaboration(person_a=a, person_b=b) for a, b in (ordered_pair(star, other) for other in others)
    )
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", password="bench-only-password"))
    section = f"/profile/{star.username}/sections/collaborators/"
    api = f"/api/profile/{star.username}/collaborations?limit=50"
    _get(client, section)  # warm caches (templates, URL resolver)
    bench.measure(
        f"GET the section ({bench.size:,} collaborators)",
        lambda: [_get(client, section) for _ in range(REQUESTS)],
        items=REQUESTS,
    )
    bench.measure(
        "GET the API list (a page of 50)",
        lambda: [_get(client, api) for _ in range(REQUESTS)],
        items=REQUESTS,
    )
    pairs = list(combinations(group, 2))[: bench.size]
    bench.measure(
        "collaboration_add, one pair a call",
        lambda: [collaboration_add(person=a, other=b, notes="bench") for a, b in pairs],
        items=len(pairs),
    )
    Collaboration.objects.filter(notes="bench").delete()
    everyone = GROUP * (GROUP - 1) // 2
    bench.measure(
        f"collaboration_add_group ({GROUP} people)",
        lambda: collaboration_add_group(people=group, notes="bench group"),
        items=everyone,
    )
    bench.note(f"The group of {GROUP} makes {everyone:,} pairs; items/s counts pairs.")
