"""Serving in production, in-process: the health check, the request log and its request id, the
log format setting, and error reports to Sentry (the whole path through gunicorn is in
tests/test_production_server.py)."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
from django.conf import settings

from mhc.s3_sandbox import _free_port
from mhc.storage_config import local_storage, s3_storage


def python(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a Python of its own with the test settings and `env`."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mhc.settings_test", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.django_db
def test_healthz_is_200_without_a_login_and_says_nothing_but_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_exempt_from_the_https_redirect_that_every_page_gets(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/people/").status_code == 301


@pytest.mark.django_db
def test_healthz_is_503_when_the_media_folder_cannot_be_written(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    settings.STORAGES = {**settings.STORAGES, "default": local_storage(str(tmp_path / "a-file" / "media"))}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "storage": "unavailable"}


@pytest.mark.django_db
@pytest.mark.s3
def test_healthz_follows_the_s3_bucket(client, settings, s3_storage, s3_server):
    assert client.get("/healthz").status_code == 200
    missing = s3_server.storage_config("no-such-bucket")
    settings.STORAGES = {**settings.STORAGES, "default": missing}
    assert client.get("/healthz").json()["storage"] == "unavailable"
    closed = s3_storage_at(f"http://127.0.0.1:{_free_port()}")
    settings.STORAGES = {**settings.STORAGES, "default": closed}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


def s3_storage_at(endpoint_url: str) -> dict:
    return s3_storage(
        bucket="b", endpoint_url=endpoint_url, region="us-east-1", access_key="k", secret_key="s"
    )


def test_healthz_is_503_when_the_database_is_unreachable():
    result = python(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(response.status_code, response.content.decode())",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{_free_port()}/nowhere",
    )
    status, body = result.stdout.split(" ", 1)
    assert status == "503", result.stderr[-2000:]
    assert json.loads(body)["database"] == "unavailable"


@pytest.mark.django_db
def test_each_request_is_logged_once_with_its_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="mhc.request"):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="from-the-proxy-42")
    assert response["X-Request-ID"] == "from-the-proxy-42"
    [record] = [r for r in caplog.records if r.name == "mhc.request"]
    assert record.request_id == "from-the-proxy-42"
    assert (record.method, record.path, record.status) == ("GET", "/healthz", 200)
    assert record.getMessage().startswith("GET /healthz 200 ")


@pytest.mark.django_db
def test_a_request_id_that_could_forge_a_log_line_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc\nGET /admin/ 200")
    assert response["X-Request-ID"] != "abc\nGET /admin/ 200"
    assert len(response["X-Request-ID"]) == 32


def test_log_format_json_writes_one_json_object_per_line_with_the_request_id():
    result = python(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "Client().get('/healthz', HTTP_X_REQUEST_ID='json-line-1')",
        # The production settings, whose log level keeps the request lines.
        DJANGO_SETTINGS_MODULE="mhc.settings",
        SECRET_KEY="json-log-test-secret-key-with-enough-variety-0123456789",
        ALLOWED_HOSTS="testserver",
        LOG_FORMAT="json",
        DATABASE_URL="sqlite://:memory:",
    )
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert any(r["request_id"] == "json-line-1" and r["path"] == "/healthz" for r in records), result.stderr


def test_an_unknown_log_format_stops_the_start():
    result = python("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'text' or 'json'" in result.stderr


class _Collector(BaseHTTPRequestHandler):
    """Stands in for Sentry's ingest endpoint: keeps the bodies of the envelopes posted to it."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        _Collector.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


RAISE_IN_A_VIEW = (
    "import django; django.setup()\n"
    "import sentry_sdk\n"
    "from django.test import Client\n"
    "from django.urls import path\n"
    "import mhc.urls\n"
    "from django.contrib.auth.decorators import login_not_required\n"
    "def broken(request): raise ZeroDivisionError('dividing by zero in a view')\n"
    "mhc.urls.urlpatterns.append(path('broken', login_not_required(broken)))\n"
    "response = Client(raise_request_exception=False).get('/broken', HTTP_X_REQUEST_ID='sentry-check-1')\n"
    "assert response.status_code == 500, response.status_code\n"
    "sentry_sdk.flush()\n"
    "print(sentry_sdk.get_client().is_active())"
)


def test_an_error_is_reported_to_sentry_when_sentry_dsn_is_set():
    _Collector.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://public-key@127.0.0.1:{server.server_address[1]}/1"
        result = python(RAISE_IN_A_VIEW, SENTRY_DSN=dsn, DATABASE_URL="sqlite://:memory:")
    finally:
        server.shutdown()
        server.server_close()
    assert result.stdout.strip() == "True", result.stderr[-2000:]
    sent = b"".join(_Collector.received).decode(errors="replace")
    assert "dividing by zero in a view" in sent
    assert "sentry-check-1" in sent


def test_sentry_is_off_without_sentry_dsn():
    result = python(RAISE_IN_A_VIEW, SENTRY_DSN="", DATABASE_URL="sqlite://:memory:")
    assert result.stdout.strip() == "False", result.stderr[-2000:]
