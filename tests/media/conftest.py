"""Media test helpers: real images made with Pillow, a real HTTP server on loopback that serves
them (and JSON, and HTML), and the storage kinds every service test runs on."""

import contextlib
import io
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image


def image_bytes(color=(200, 40, 90), size=(48, 36), image_format="JPEG") -> bytes:
    """A small real image."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return buffer.getvalue()


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "image/jpeg"
    headers: dict = field(default_factory=dict)
    send_length: bool = True
    delay: float = 0.0  # seconds before the body is sent (to trip a read timeout)


class FixtureServer:
    """A threading HTTP server on 127.0.0.1 answering GETs from a table of routes."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if route.delay:
                    time.sleep(route.delay)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes, **options) -> str:
        """Serve `body` at `path`; returns its full URL."""
        self.routes[path] = Route(body=body, **options)
        return self.base_url + path

    def serve_image(self, path: str, **image) -> str:
        return self.serve(path, image_bytes(**image))


@pytest.fixture
def http_server():
    server = FixtureServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def storage_kind(request) -> str:
    """Runs a test once on local storage and once on S3 (moto_server)."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return request.param
