"""Browser fixtures: Playwright driving the system Chromium against the live server, logged in.

Browser tests skip when /usr/bin/chromium is missing, and fail instead when
MHC_REQUIRE_BROWSER=1 (as in CI). `page` uses serialized rollback, so rows that migrations seed
(e.g. system attributes) are there in every browser test although the live server's database is
flushed between tests.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from playwright.sync_api import expect

CHROMIUM = Path(os.environ.get("MHC_CHROMIUM", "/usr/bin/chromium"))
# How long an action or an `expect` waits. The machines the suite runs on are shared (load 10 on
# two cores has been seen in CI), and the API docs' first schema took longer than Playwright's
# 5 s there; a passing test waits no longer for it.
WAIT_MS = 20_000
expect.set_options(timeout=WAIT_MS)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium(django_db_setup):
    """A headless Chromium, shared by the run."""
    if not (CHROMIUM.exists() or shutil.which(str(CHROMIUM))):
        message = f"Chromium is not installed at {CHROMIUM} (Debian package 'chromium')."
        if os.environ.get("MHC_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " MHC_REQUIRE_BROWSER=1 requires the browser tests to run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # Playwright's sync API leaves its event loop marked as running in this thread, so from
        # now on Django (through asgiref) hands out other connection objects: ones without the
        # serialized test database that serialized rollback restores after each flush.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        yield browser
        browser.close()


def _session_cookie(user, live_server_url: str) -> dict:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server_url}


def _note_csp_violation(message, violations: list[str]) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url', '')}: {message.text}")


class _RequestsInFlight:
    """Wraps the live server's WSGI app to count the requests it is still answering.

    Closing the browser does not wait for the server: a request the page sent just before could
    still be in a transaction when the test's database flush (a TRUNCATE on PostgreSQL) starts,
    and the two deadlock. The tab's teardown waits here for the server to finish first.
    """

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            self.count += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Answer(result, self._done)

    def _done(self) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count == 0, timeout=timeout)


class _Answer:
    """A WSGI response that reports when the server has closed it (request_finished has run)."""

    def __init__(self, result, done):
        self.result = result
        self.done = done

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


@pytest.fixture(scope="session")
def requests_in_flight(live_server) -> _RequestsInFlight:
    httpd = live_server.thread.httpd
    tracker = _RequestsInFlight(httpd.get_app())
    httpd.set_app(tracker)
    return tracker


@pytest.fixture
def anonymous_page(chromium, django_db_serialized_rollback, live_server, requests_in_flight):
    """A fresh browser tab on the live server, not logged in."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    # The app runs under a strict Content-Security-Policy; anything it blocks (an inline script
    # or style, an on*= attribute, eval) is reported in the console and fails the test.
    violations: list[str] = []
    page.on("console", lambda message: _note_csp_violation(message, violations))
    page.csp_violations = violations
    yield page
    context.close()
    requests_in_flight.wait_idle()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not violations, f"Content-Security-Policy violations on the page: {violations}"


@pytest.fixture
def page(anonymous_page, live_server, owner_user):
    """A browser tab logged in as the owner."""
    anonymous_page.context.add_cookies([_session_cookie(owner_user, live_server.url)])
    return anonymous_page
