"""The daily-use benchmark: every profile section of the heaviest person, the home page, the
activity log and the people search, among N people (100,000 by default). Each page is measured
against a floor, the same SQL run raw, so the table shows how much more than its own SQL a page
costs; the search's SQL alone is what the 50 ms target is about."""

import gc

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from events import bench_people
from mhc.bench import Bench, Measurement, benchmark, statistics_refresh
from profiles.benchmarks import _client, _get, _replay, _served, _statements_of
from profiles.models import Person
from profiles.sections import sections
from profiles.selectors import person_by_username

REQUESTS = 20
SEARCHES = 20


def _check_shows_data(client, url: str) -> None:
    """Refuse to measure a section that says it has nothing to show: it would measure the fixed
    cost of a request, not the section's work on its data."""
    body = client.get(url).content.decode()
    if 'class="empty"' in body:
        raise RuntimeError(f"{url} shows an empty part for the heaviest person: seed it in bench_people.")


def _against_floor(bench: Bench, client, label: str, url: str) -> Measurement:
    """Measures GET `url` against its own SQL replayed raw; returns that floor."""
    _get(client, url)  # warm caches (templates, URL resolver)
    statements = _statements_of(lambda: _get(client, url))
    _replay(statements, 1)  # warm as the page was: a cold first replay made the floor look slow
    floor = bench.measure(f"{label}: SQL, raw", lambda: _replay(statements, REQUESTS), items=REQUESTS)
    bench.measure(label, lambda: [_get(client, url) for _ in range(REQUESTS)], items=REQUESTS, floor=floor)
    return floor


def _connection_kept(bench: Bench, client, url: str, floor: Measurement) -> None:
    """The smallest section served as by the WSGI server, with the database connection kept
    between requests (CONN_MAX_AGE, as configured) and opened for each (CONN_MAX_AGE=0)."""
    settings_dict = connection.settings_dict
    configured = settings_dict["CONN_MAX_AGE"]
    served = _served(client, url)

    def requests() -> None:
        for _ in range(REQUESTS):
            served()

    try:
        for label, max_age in (("a new connection each", 0), (f"CONN_MAX_AGE={configured}", configured)):
            settings_dict["CONN_MAX_AGE"] = max_age
            connection.close()  # the next request connects with this setting
            served()
            bench.measure(f"quick-stats served, {label}", requests, items=REQUESTS, floor=floor)
    finally:
        settings_dict["CONN_MAX_AGE"] = configured


def _fixed_lookups(bench: Bench, client, username: str) -> None:
    """The four look-ups every signed-in page makes (the session, its user, the second-factor
    device, the person of the URL), made alone by the code the request runs, no middleware nor
    template, against their own SQL raw: the least a page making them can cost over its SQL."""
    session = SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    stored = session.load()
    user_id, device_id = stored[SESSION_KEY], stored[DEVICE_ID_SESSION_KEY]

    def lookups() -> None:
        SessionStore(session_key=session.session_key).load()
        ModelBackend().get_user(user_id)
        Device.from_persistent_id(device_id)
        person_by_username(username)

    for _ in range(REQUESTS):
        lookups()
    statements = _statements_of(lookups)
    floor = bench.measure("4 look-ups: SQL, raw", lambda: _replay(statements, REQUESTS), items=REQUESTS)
    bench.measure(
        "4 look-ups through the ORM alone",
        lambda: [lookups() for _ in range(REQUESTS)],
        items=REQUESTS,
        floor=floor,
    )


@benchmark(
    "daily-use",
    help="Profile sections of the heaviest person, home page and people search among N people.",
    default_size=100_000,
)
def daily_use(bench: Bench) -> None:
    people = bench_people.population(bench.size)
    star = Person.objects.with_profile().get(pk=people[0].pk)
    client = _client()
    bench_people.heaviest(star, people[1:], get_user_model().objects.get(username="bench"))
    # A server holds no such list: its objects would make each of the collector's full passes,
    # which fall at random within the measurements, walk N model instances more.
    del people
    gc.collect()
    statistics_refresh()
    floors = {}
    for section in sections.all():
        url = f"/profile/{star.username}/sections/{section.key}/"
        _check_shows_data(client, url)
        floors[section.key] = _against_floor(bench, client, f"section {section.key}", url)
    _connection_kept(bench, client, f"/profile/{star.username}/sections/quick-stats/", floors["quick-stats"])
    _fixed_lookups(bench, client, star.username)
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
        f"The heaviest person has {bench_people.COLLABORATORS} collaborators, "
        f"{bench_people.SNAPSHOTS:,} affiliate snapshots, {bench_people.IMAGES} images "
        f"({bench_people.DELETED_IMAGES} deleted), every attribute set after "
        f"{bench_people.ATTRIBUTE_CHANGES} changes, {bench_people.RELATIONSHIPS} relationships on their "
        f"profile and {bench_people.LISTED_BY} on others', {bench_people.NOTES} notes and "
        f"{bench_people.EVENTS:,} events. Each 'SQL, raw' row is that page's statements replayed "
        f"{REQUESTS} times; divide its seconds by {REQUESTS} for the SQL time of one request."
    )
