"""The production path end to end: `scripts/serve` (gunicorn, WhiteNoise, DEBUG off) and
`scripts/worker` (run_jobs) started as a systemd unit would start them, spoken to over HTTP as
the reverse proxy would (plain HTTP on loopback with `X-Forwarded-Proto: https`), then stopped.

The two processes share a SQLite database, media folder and static folder of their own under a
temporary directory; the worker polls an affiliate feed served by a local HTTP server.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.media.conftest import FixtureServer, image_bytes

PASSWORD = "a-production-password-4471"
TRACKED = "quiet_tom"  # a person of the demo data, with a profile
START_TIMEOUT = 300  # the first start migrates and compresses the static files: slow on a busy machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, timeout: float, what: str, process: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what}: the process exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if result := condition():
                return result
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{what} did not happen within {timeout}s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen, timeout: float = 60) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return -9


class Proxy:
    """What the reverse proxy does for a browser: HTTPS is said in a header, cookies kept by hand
    (they are Secure, so a client library would not send them over plain HTTP)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        response = requests.request(
            method, self.base_url + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def log_in(self, username: str, password: str) -> requests.Response:
        """The login wizard's first step as a browser sends it: the form's hidden fields (CSRF
        token, the wizard's current step) back with the username and password."""
        form = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        step = re.search(r'name="login_view-current_step" value="([^"]+)"', form.text).group(1)
        assert step == "auth", step
        return self.request(
            "POST",
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "login_view-current_step": step,
                "auth-username": username,
                "auth-password": password,
            },
            headers={"Origin": self.base_url.replace("http://", "https://")},
        )


@pytest.fixture
def production(tmp_path_factory):
    """scripts/serve and scripts/worker running on their own data; stopped at the end."""
    home = tmp_path_factory.mktemp("production")
    feed = FixtureServer()
    feed.thread.start()
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "SECRET_KEY": f"production-test-{uuid.uuid4().hex}-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "STATIC_ROOT": str(home / "static"),
        "MEDIA_ROOT": str(home / "media"),
        "REPORTS_DIR": str(home / "reports"),
        "BIND": f"127.0.0.1:{port}",
        "BEHIND_PROXY": "1",
        "LOG_FORMAT": "json",
        "AFFILIATE_API_URL": feed.base_url + "/onlinerooms/",
        "AFFILIATE_POLL_INTERVAL_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",  # as the systemd units set it: each line reaches the log at once
        # DEBUG off turns the second factor on; this test is about serving, not two-factor login
        # (tests/accounts/test_login.py covers that), so a password alone logs the owner in.
        "MHC_REQUIRE_2FA": "0",
    }
    web_log, worker_log = home / "web.log", home / "worker.log"
    scripts = Path(settings.BASE_DIR) / "scripts"
    with web_log.open("w") as out:
        web = subprocess.Popen([scripts / "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    _wait_for(
        lambda: requests.get(base_url + "/healthz", timeout=10).ok,
        START_TIMEOUT,
        "/healthz 200",
        web,
        web_log,
    )
    # What a new owner does once the server runs: the login account, and data to look at.
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    owner_env = {**env, "DEBUG": "0", "MHC_OWNER_PASSWORD": PASSWORD}
    for command in (["create_owner"], ["load_demo"]):
        done = subprocess.run([*manage, *command], env=owner_env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
    with worker_log.open("w") as out:
        worker = subprocess.Popen([scripts / "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)
    started = lambda: "until stopped" in worker_log.read_text()  # noqa: E731
    _wait_for(started, START_TIMEOUT, "the worker's start", worker, worker_log)
    running = {"web": web, "worker": worker, "web_log": web_log, "worker_log": worker_log}
    yield base_url, feed, running
    for name in ("worker", "web"):
        _stop(running[name])
    feed.httpd.shutdown()
    feed.httpd.server_close()


def check_healthz_answers_a_probe_over_plain_http_without_a_login(production):
    base_url, _, _ = production
    response = requests.get(base_url + "/healthz", headers={"X-Request-ID": "probe-1"}, timeout=30)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert response.headers["X-Request-ID"] == "probe-1"
    # Everything else is sent to HTTPS first.
    assert requests.get(base_url + "/people/", allow_redirects=False, timeout=30).status_code == 301


def check_the_owner_logs_in_and_a_profile_page_loads_with_its_static_files(production):
    base_url, _, _ = production
    browser = Proxy(base_url)
    assert browser.get(f"/profile/{TRACKED}/").status_code == 302  # to the login page
    assert browser.log_in("owner", PASSWORD).status_code == 302
    page = browser.get(f"/profile/{TRACKED}/")
    assert page.status_code == 200
    assert TRACKED in page.text
    assets = set(re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text))
    assert any(asset.endswith(".js") for asset in assets)
    assert any(asset.endswith(".css") for asset in assets)
    for asset in assets:
        # Hashed names (app.3f2a9c1b7e4d.js), served by WhiteNoise compressed and cached for good.
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), asset
        response = browser.get(asset, headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200, asset
        assert "immutable" in response.headers["Cache-Control"], asset
        if asset.endswith((".js", ".css")):
            assert response.headers.get("Content-Encoding") in {"br", "gzip"}, asset


def check_every_request_is_logged_once_as_json_with_its_request_id(production):
    base_url, _, running = production
    request_id = f"log-check-{uuid.uuid4().hex}"
    requests.get(base_url + "/healthz", headers={"X-Request-ID": request_id}, timeout=30)
    generated = requests.get(base_url + "/healthz", timeout=30).headers["X-Request-ID"]

    def logged(wanted: str) -> list[dict]:
        lines = [line for line in running["web_log"].read_text().splitlines() if line.startswith("{")]
        return [record for record in map(json.loads, lines) if record.get("request_id") == wanted]

    records = _wait_for(
        lambda: logged(request_id), 30, "the request's log line", running["web"], running["web_log"]
    )
    assert len(records) == 1
    assert records[0]["name"] == "mhc.request"
    assert (records[0]["method"], records[0]["path"], records[0]["status"]) == ("GET", "/healthz", 200)
    assert len(generated) == 32
    assert len(logged(generated)) == 1


def check_the_worker_polls_the_feed_and_the_image_shows_through_the_server(production):
    base_url, feed, running = production
    browser = Proxy(base_url)
    browser.log_in("owner", PASSWORD)

    def images() -> int:
        return browser.get(f"/api/profile/{TRACKED}/media").json()["count"]

    before = images()
    room = {"username": TRACKED, "current_show": "public", "num_users": 12, "num_followers": 900}
    room["image_url_360x270"] = feed.serve("/room.jpg", image_bytes(color=(10, 200, 30)))
    feed.serve("/onlinerooms/", json.dumps([room]).encode(), content_type="application/json")
    _wait_for(lambda: images() > before, 120, "a polled image", running["worker"], running["worker_log"])


def check_the_worker_and_the_server_stop_cleanly_on_sigterm(production):
    _, _, running = production
    assert _stop(running["worker"]) == 0, running["worker_log"].read_text()[-3000:]
    assert _stop(running["web"]) == 0, running["web_log"].read_text()[-3000:]


def test_the_production_server_and_the_worker_serve_and_stop_cleanly(production):
    # One start of both processes (a minute or more: migrations, compressing the static files),
    # checked step by step, in the order an owner meets them.
    check_healthz_answers_a_probe_over_plain_http_without_a_login(production)
    check_the_owner_logs_in_and_a_profile_page_loads_with_its_static_files(production)
    check_every_request_is_logged_once_as_json_with_its_request_id(production)
    check_the_worker_polls_the_feed_and_the_image_shows_through_the_server(production)
    check_the_worker_and_the_server_stop_cleanly_on_sigterm(production)
