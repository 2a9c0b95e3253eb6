"""A real S3-protocol server on loopback (moto_server), for tests and benchmarks.

Needs the `test` extra (`moto[server]`). The server runs as a separate process on a free port,
so django-storages and boto3 talk real HTTP to it, exactly as they would to S3.
"""

import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass

from mhc.storage_config import s3_storage

ACCESS_KEY = "sandbox-access-key"
SECRET_KEY = "sandbox-secret-key"
REGION = "us-east-1"


@dataclass(frozen=True)
class S3Sandbox:
    endpoint_url: str
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY
    region: str = REGION

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def storage_config(self, bucket: str) -> dict:
        """A STORAGES["default"] entry for django-storages pointed at this server."""
        return s3_storage(
            bucket=bucket,
            endpoint_url=self.endpoint_url,
            region=self.region,
            access_key=self.access_key,
            secret_key=self.secret_key,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_s3_sandbox(timeout: float = 30.0):
    """Start moto_server on a free loopback port; yield an S3Sandbox; stop it afterwards."""
    port = _free_port()
    # The server logs every request: to a file, since a pipe nobody reads would fill up and
    # stall the server once a long run (a benchmark) has made enough requests.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed when the server stops, below
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"moto_server exited: {log.read().decode()[-2000:]}")
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"moto_server did not answer on {endpoint} within {timeout}s"
                    ) from None
                time.sleep(0.1)
        yield S3Sandbox(endpoint_url=endpoint)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
