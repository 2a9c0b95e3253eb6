"""A small HTTP proxy on loopback that adds a fixed delay to every request, so a benchmark
against a local S3-protocol server (moto_server) sees the round-trip time of a real one.

    python -m mhc.latency_proxy --target http://127.0.0.1:9000 --delay 0.03 --port 9001

Requests are forwarded as they come (method, path, headers, body) over a kept-alive connection
per proxy thread; the answer is sent back whole. For benchmarks only.
"""

import argparse
import http.client
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


def handler_for(target: str, delay: float) -> type[BaseHTTPRequestHandler]:
    parts = urlsplit(target)
    local = threading.local()

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _upstream(self) -> http.client.HTTPConnection:
            if getattr(local, "connection", None) is None:
                local.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            return local.connection

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            time.sleep(delay)
            for attempt in range(2):
                connection = self._upstream()
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    payload = answer.read()
                    break
                except (http.client.HTTPException, OSError):
                    connection.close()
                    local.connection = None
                    if attempt:
                        raise
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

        def log_message(self, *args) -> None:
            pass

    return Forward


@contextmanager
def running_latency_proxy(target: str, delay: float):
    """The proxy to `target` adding `delay` seconds a request, in its own process (so it takes
    no time from the process measured); yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mhc.latency_proxy", "--target", target, "--delay", str(delay)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True)
    parser.add_argument("--delay", type=float, default=0.03)
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), handler_for(options.target, options.delay))
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
