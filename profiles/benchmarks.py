"""Benchmarks of the profile page and the people directory."""

from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from mhc.bench import Bench, benchmark
from profiles.models import Person, Profile


def _people(count: int) -> list[Person]:
    people = Person.objects.bulk_create(Person(username=f"bench_{i:07d}", role="model") for i in range(count))
    Profile.objects.bulk_create(
        Profile(person=p, display_name=f"Bench {i}", followers=i) for i, p in enumerate(people)
    )
    return people


def _client() -> Client:
    """The owner, signed in with a second factor as in production (MHC_REQUIRE_2FA), so every
    request pays what the owner's does, the OTP device's look-up included."""
    owner = get_user_model().objects.create_superuser("bench", password="bench-only-password")
    device = TOTPDevice.objects.create(user=owner, name="bench", confirmed=True)
    client = Client()
    client.force_login(owner)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}: the figures would mean nothing.")


def _served(client: Client, url: str):
    """A function answering GET `url` as a WSGI server does (Django's WSGIHandler, with the
    request_started/finished signals that close or keep the database connection as
    CONN_MAX_AGE says), with `client`'s session; the test client leaves the connection open."""
    environ = client.get(url).wsgi_request.environ
    handler = WSGIHandler()

    def get() -> None:
        answered = []
        body = handler(dict(environ), lambda status, headers, exc_info=None: answered.append(status))
        try:
            b"".join(body)
        finally:
            body.close()
        if not answered[0].startswith("200"):
            raise RuntimeError(f"GET {url} answered {answered[0]}: the figures would mean nothing.")

    return get


def _statements_of(work) -> list[tuple[str, object]]:
    captured: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        work()
    return captured


def _replay(statements: list[tuple[str, object]], times: int) -> None:
    with connection.cursor() as cursor:
        for _ in range(times):
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()


@benchmark("profile-page", help="Render profile pages; floor: the same SQL run raw.", default_size=200)
def profile_page(bench: Bench) -> None:
    people = _people(max(bench.size, 10))
    client = _client()
    url = people[len(people) // 2].get_absolute_url()
    _get(client, url)  # warm caches (templates, URL resolver)
    statements = _statements_of(lambda: _get(client, url))
    requests = bench.size
    floor = bench.measure(
        "the page's SQL, raw", lambda: _replay(statements, requests), items=requests, record=False
    )
    bench.measure(
        "GET /profile/<username>/",
        lambda: [_get(client, url) for _ in range(requests)],
        items=requests,
        floor=floor,
    )
    bench.note(f"{len(statements)} SQL statements per page view.")


@benchmark("people-directory", help="Search and page through the directory.", default_size=20_000)
def people_directory(bench: Bench) -> None:
    _people(bench.size)
    client = _client()
    _get(client, "/people/")
    pages = 50
    bench.measure(
        "GET /people/?page=N",
        lambda: [_get(client, f"/people/?page={n}") for n in range(1, pages + 1)],
        items=pages,
    )
    bench.measure(
        "GET /people/?q=<prefix>",
        lambda: [_get(client, f"/people/?q=bench_00{n:02d}") for n in range(pages)],
        items=pages,
    )
    bench.measure(
        "GET /api/people?search=<prefix>",
        lambda: [_get(client, f"/api/people?search=bench_0{n:03d}") for n in range(pages)],
        items=pages,
    )
