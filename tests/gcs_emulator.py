"""A real GCS JSON-API server on loopback for tests: ``gcp-storage-emulator`` in a subprocess.

``with gcs_emulator() as server:`` starts the emulator (in memory) on a free 127.0.0.1 port,
points ``STORAGE_EMULATOR_HOST`` at it (so ``google-cloud-storage``, hence Beam's ``gs://``
filesystem, talks to it, anonymously) and stops it afterwards. Nothing is mocked: requests go
over HTTP to the emulator process. Test modules wrap it in their own fixture.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zhclean.pipeline import gcs


@dataclass
class EmulatorServer:
    url: str
    process: subprocess.Popen

    def client(self):
        from google.cloud import storage

        return storage.Client.create_anonymous_client()

    def make_bucket(self, name: str) -> str:
        self.client().create_bucket(name)
        return f"gs://{name}"

    def upload(self, gs_path: str, data: bytes) -> str:
        bucket, _, name = gs_path[len("gs://") :].partition("/")
        self.client().bucket(bucket).blob(name).upload_from_string(data)
        return gs_path

    def upload_file(self, gs_path: str, local: Path) -> str:
        return self.upload(gs_path, Path(local).read_bytes())

    def download(self, gs_path: str) -> bytes:
        bucket, _, name = gs_path[len("gs://") :].partition("/")
        return self.client().bucket(bucket).blob(name).download_as_bytes()

    def list(self, gs_prefix: str) -> list[str]:
        bucket, _, prefix = gs_prefix[len("gs://") :].partition("/")
        return sorted(
            f"gs://{bucket}/{b.name}" for b in self.client().list_blobs(bucket, prefix=prefix)
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gcp-storage-emulator exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError("gcp-storage-emulator did not start listening in time")


@contextlib.contextmanager
def gcs_emulator() -> Iterator[EmulatorServer]:
    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gcp_storage_emulator", "start"),
            *("--host", "127.0.0.1", "--port", str(port), "--in-memory", "--quiet"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    previous = os.environ.get(gcs.EMULATOR_ENV)
    try:
        _wait_listening(port, process)
        os.environ[gcs.EMULATOR_ENV] = url
        gcs.use_emulator_if_configured()
        yield EmulatorServer(url=url, process=process)
    finally:
        if previous is None:
            os.environ.pop(gcs.EMULATOR_ENV, None)
        else:
            os.environ[gcs.EMULATOR_ENV] = previous
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
