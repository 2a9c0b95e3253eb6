"""The database settings: on SQLite, two requests that write at once both succeed; on PostgreSQL,
requests served one after the other share a connection (CONN_MAX_AGE)."""

import threading

import environ
import pytest
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from mhc.database_config import database_config
from profiles.benchmarks import _served

# How long the first writer gives the second to get ahead of it; with the fix the second never
# can (it waits for the first to commit), so the test takes this long.
HEAD_START_SECONDS = 1


@pytest.fixture
def sqlite_file(tmp_path):
    """A SQLite database file with a counter at 0, configured as the app configures SQLite."""
    config = database_config(environ.Env.db_url_config(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    config.update(
        {"TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "TEST": {}}
    )
    setup = DatabaseWrapper(config)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    return config


def _read_then_write(config: dict, alias: str, after_reading, after_writing, errors: list) -> None:
    """What a service does in one transaction: read the counter, then write it plus one."""
    connections[alias] = DatabaseWrapper(config, alias=alias)
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            (count,) = cursor.fetchone()
            after_reading()
            cursor.execute("UPDATE counter SET n = %s", [count + 1])
            after_writing()
    except Exception as error:
        errors.append(error)
    finally:
        connections[alias].close()
        del connections[alias]


@pytest.mark.django_db
def test_two_writers_at_once_on_sqlite_take_turns_instead_of_failing(sqlite_file):
    """The first writer reads, then lets the second get ahead if it can before writing. SQLite
    used to answer the first "database is locked" at once (a 500 in a request)."""
    first_has_read, second_has_written = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def let_the_second_go_first():
        first_has_read.set()
        second_has_written.wait(HEAD_START_SECONDS)

    first = threading.Thread(
        target=_read_then_write,
        args=(sqlite_file, "first", let_the_second_go_first, lambda: None, errors),
    )
    second = threading.Thread(
        target=_read_then_write,
        args=(sqlite_file, "second", lambda: None, second_has_written.set, errors),
    )
    first.start()
    assert first_has_read.wait(30)
    second.start()
    first.join()
    second.join()

    assert errors == []
    check = DatabaseWrapper(sqlite_file)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (2,)
    check.close()


def test_a_postgresql_connection_is_kept_between_requests_and_checked_before_reuse():
    config = database_config(environ.Env.db_url_config("postgres://u@db:5432/mhc"), conn_max_age=60)
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)
    # A URL that says otherwise wins; SQLite keeps Django's default (a file opens in microseconds).
    assert database_config({**config, "CONN_MAX_AGE": 5}, conn_max_age=60)["CONN_MAX_AGE"] == 5
    sqlite = database_config(environ.Env.db_url_config("sqlite:///x.sqlite3"), conn_max_age=60)
    assert "CONN_MAX_AGE" not in sqlite


@pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="CONN_MAX_AGE is set for PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_requests_served_one_after_the_other_share_the_configured_connection(auth_client):
    connection = connections["default"]
    assert connection.settings_dict["CONN_MAX_AGE"] == 60
    # Served as a WSGI server serves it (request_started, the response read and closed: signals
    # that close the connection or keep it as CONN_MAX_AGE says); it fails on any answer but 200.
    serve = _served(auth_client, "/people/")
    serve()
    kept = connection.connection
    serve()
    assert kept is not None
    assert connection.connection is kept
    connection.settings_dict["CONN_MAX_AGE"] = 0
    try:
        connection.close()
        serve()
        assert connection.connection is None  # closed when the request finished
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 60
