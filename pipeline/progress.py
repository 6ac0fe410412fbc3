"""Live progress of a local run: shards done / total and records per second, at a steady interval.

Beam's local FnApiRunner only reports metrics when a bundle ends, and in multi-processing mode
the workers are subprocesses, so the launcher cannot read the counters while a shard is being
read. Instead:

- the launcher (:class:`ProgressLogger`, around the pipeline run) makes an empty folder and
  puts its path in the environment variable ``ZHCLEAN_PROGRESS_DIR``, which worker
  subprocesses inherit;
- each worker process keeps cumulative counts (:class:`WorkerProgress`, fed by the audit's
  ``TrackProgress`` step that is fused with the WARC reader) and rewrites one tiny JSON file
  of its own in that folder at most once a second and at the end of each bundle;
- the launcher sums the files every ``interval`` seconds and logs one line.

On Dataflow the variable is not set, workers write nothing, and progress is read from the
Beam counters ``zhclean/records_read`` and ``zhclean/shards_done`` in the Dataflow UI. These
progress numbers are for watching a run only: the exact counts are in stats.json.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ENV_DIR = "ZHCLEAN_PROGRESS_DIR"
ENV_INTERVAL = "ZHCLEAN_PROGRESS_INTERVAL"
DEFAULT_INTERVAL = 10.0
WRITE_EVERY_SECONDS = 1.0

_LOG = logging.getLogger("zhclean.progress")


@dataclass
class Snapshot:
    """Progress summed over all worker files."""

    records: int = 0
    shards: int = 0


class WorkerProgress:
    """Cumulative progress of one worker process, mirrored to ``DIR/<pid>-<uuid>.json``.

    One instance per process (:meth:`get`), shared by all DoFn instances and threads of it.
    """

    _instance: WorkerProgress | None = None
    _instance_lock = threading.Lock()

    def __init__(self, folder: str) -> None:
        self._path = os.path.join(folder, f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json")
        self._lock = threading.Lock()
        self._records = 0
        self._shards = 0
        self._last_write = 0.0

    @classmethod
    def get(cls) -> WorkerProgress | None:
        """The process's progress sink, or None when no local launcher is listening."""
        folder = os.environ.get(ENV_DIR)
        if not folder or not os.path.isdir(folder):
            return None
        with cls._instance_lock:
            if cls._instance is None or not cls._instance._path.startswith(folder + os.sep):
                cls._instance = cls(folder)
            return cls._instance

    def add(self, records: int = 0, shards: int = 0) -> None:
        with self._lock:
            self._records += records
            self._shards += shards
            now = time.monotonic()
            if now - self._last_write >= WRITE_EVERY_SECONDS:
                self._write(now)

    def flush(self) -> None:
        with self._lock:
            self._write(time.monotonic())

    def _write(self, now: float) -> None:
        self._last_write = now
        payload = json.dumps({"records": self._records, "shards": self._shards})
        tmp = f"{self._path}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, self._path)  # atomic: the launcher never reads half a file
        except OSError:  # the launcher removed the folder: the run is over
            pass


def read_snapshot(folder: str) -> Snapshot:
    """Sum the progress files of all workers in ``folder``."""
    snap = Snapshot()
    try:
        names = os.listdir(folder)
    except OSError:
        return snap
    for name in names:
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                data: dict[str, Any] = json.load(fh)
        except (OSError, ValueError):
            continue
        snap.records += int(data.get("records", 0))
        snap.shards += int(data.get("shards", 0))
    return snap


def format_line(
    snap: Snapshot, total_shards: int, rate: float, overall: float, elapsed: float
) -> str:
    minutes, seconds = divmod(int(elapsed), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"progress: shards {snap.shards}/{total_shards} read, {snap.records:,} records, "
        f"{rate:,.1f} records/s (last interval), {overall:,.1f} records/s overall, "
        f"elapsed {hours}:{minutes:02d}:{seconds:02d}"
    )


class ProgressLogger:
    """Launcher side: a folder for the workers' files and a thread that logs their sum.

    Use as a context manager around the pipeline run (``with ProgressLogger(n): ...``).
    """

    def __init__(self, total_shards: int, interval: float | None = None) -> None:
        self.total_shards = total_shards
        if interval is None:
            interval = float(os.environ.get(ENV_INTERVAL, DEFAULT_INTERVAL))
        self.interval = max(0.1, interval)
        self.lines: list[str] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._folder = ""
        self._saved_env: str | None = None
        self._start = 0.0
        self._last = (0.0, 0)

    def __enter__(self) -> ProgressLogger:
        self._folder = tempfile.mkdtemp(prefix="zhclean-progress-")
        self._saved_env = os.environ.get(ENV_DIR)
        os.environ[ENV_DIR] = self._folder
        self._start = time.monotonic()
        self._last = (self._start, 0)
        self._thread = threading.Thread(target=self._loop, name="zhclean-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if exc[0] is None:
            self.log_once(final=True)
        if self._saved_env is None:
            os.environ.pop(ENV_DIR, None)
        else:
            os.environ[ENV_DIR] = self._saved_env
        shutil.rmtree(self._folder, ignore_errors=True)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.log_once()

    def log_once(self, final: bool = False) -> str:
        now = time.monotonic()
        snap = read_snapshot(self._folder)
        last_time, last_records = self._last
        rate = (snap.records - last_records) / max(1e-9, now - last_time)
        overall = snap.records / max(1e-9, now - self._start)
        self._last = (now, snap.records)
        line = format_line(snap, self.total_shards, rate, overall, now - self._start)
        if final:
            line += " (done)"
        elif self.total_shards and snap.shards >= self.total_shards:
            line += " (reading done; dedup and writing)"
        self.lines.append(line)
        _LOG.info("%s", line)
        return line


@contextlib.contextmanager
def progress_logger(local: bool, total_shards: int) -> Iterator[ProgressLogger | None]:
    """Progress lines for a local run; on a remote runner, a pointer to the Beam counters."""
    if not local:
        _LOG.info(
            "progress: see the counters zhclean/records_read and zhclean/shards_done "
            "(of %d shards) in the runner's UI",
            total_shards,
        )
        yield None
        return
    with ProgressLogger(total_shards) as logger:
        yield logger
