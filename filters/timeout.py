"""Run a text function under a per-call time limit that really stops a slow call.

Two mechanisms, both safe to call from many threads at once (Beam runs DoFns in threads and
the extract rules are shared by all threads of a worker process):

:class:`ProcessRunner` (the default for extraction)
    Persistent child processes (``python -m zhclean.filters.timeout``), one per concurrently
    running call, each serving calls over a pipe: 4-byte length + UTF-8 payload in, status +
    text out. On a time-out the child is killed (SIGKILL) and replaced on the next call. This
    interrupts *anything*: Python loops, lxml/libxml2 C code, resiliparse's C++ main-content
    pass (which is quadratic on deeply nested ``<div>``: 30,000 levels take 30 s, 100,000 levels
    several minutes), and a crash (segfault, out-of-memory kill) takes down only the child. Cost:
    one pipe round trip per document (``benchmarks/extract_isolation.py``: +2 % CPU with
    trafilatura, +0.3 ms per page with resiliparse; 0.2–0.3 ms for a 60 kB payload) and one extra
    Python process per busy thread (67 MB peak RSS with trafilatura loaded).

:class:`ThreadRunner`
    Runs the call in the calling thread; a watchdog thread raises an asynchronous exception in
    it at the deadline (``PyThreadState_SetAsyncExc``). No extra process and no copying, but an
    async exception is only delivered between Python bytecodes: C code that runs for long
    (resiliparse, a huge lxml XPath) cannot be interrupted, and a crash takes the worker down.
    Race-free: the watchdog and the finishing call agree under a lock on who wins; a pending
    exception that lost the race is cleared before the call returns, and the exception class
    derives from ``BaseException`` so ``except Exception`` in library code cannot swallow it
    (if something still does, the watchdog fires again every second).
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import itertools
import json
import os
import re
import select
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from importlib import import_module
from typing import Any, BinaryIO

_LEN = struct.Struct("<I")
_OK, _ERR = b"O", b"E"
_READY = b"R"


class CallTimeout(Exception):
    """The call did not finish within its time limit."""

    kind = "timeout"


class WorkerCrashed(RuntimeError):
    """The child process died while working on this input (segfault, out of memory...)."""

    kind = "crash"


class WorkerError(RuntimeError):
    """The function raised in the child; ``kind`` is the snake_case name of its exception."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def resolve(target: str) -> Callable[..., Any]:
    """``"package.module:function"`` → the function."""
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def _snake(name: str) -> str:
    """``UnicodeDecodeError`` → ``unicode_decode_error`` (as the stage names exceptions)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# ----------------------------------------------------------------------------- process runner


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    """Read exactly ``n`` bytes from ``fd``; raise CallTimeout at ``deadline``, EOFError on EOF."""
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise CallTimeout
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Child:
    """One child process and its pipes."""

    def __init__(self, argv: list[str], startup_timeout: float) -> None:
        self.proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, close_fds=True
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in: BinaryIO = self.proc.stdin
        self._out: BinaryIO = self.proc.stdout
        try:
            ready = _read_exact(self._out.fileno(), 1, time.monotonic() + startup_timeout)
        except (CallTimeout, EOFError):
            self.kill()
            raise RuntimeError(f"extraction worker did not start: {' '.join(argv)}") from None
        if ready != _READY:
            self.kill()
            raise RuntimeError("extraction worker sent an unexpected greeting")

    def call(self, payload: bytes, timeout: float) -> tuple[bytes, bytes]:
        _write_all(self._in.fileno(), _LEN.pack(len(payload)) + payload)
        deadline = time.monotonic() + timeout
        out = self._out.fileno()
        status = _read_exact(out, 1, deadline)
        (size,) = _LEN.unpack(_read_exact(out, _LEN.size, deadline))
        return status, _read_exact(out, size, deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self._in, self._out):
            with contextlib.suppress(OSError):
                pipe.close()

    def close(self) -> None:
        """Ask the child to exit (EOF on its stdin); kill it if it does not."""
        try:
            self._in.close()
            self.proc.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


def _close_all(children: list[_Child]) -> None:
    while children:
        children.pop().close()


class ProcessRunner:
    """Calls ``target(text, **kwargs)`` in persistent child processes under a time limit.

    ``target`` is ``"module:function"`` (importable in the child); ``kwargs`` must be JSON.
    ``warmup``, if given, is processed once when a child starts (before it counts as ready), so
    lazy imports and caches are not charged to the first document's time limit.
    Children are started on demand (one per concurrent caller), kept between calls, killed
    and replaced after a time-out or a crash, and stopped by :meth:`close` or when the runner
    is garbage-collected.
    """

    def __init__(
        self,
        target: str,
        kwargs: dict[str, Any] | None = None,
        warmup: str | None = None,
        startup_timeout: float = 120.0,
    ) -> None:
        spec = {"kwargs": kwargs or {}, "warmup": warmup}
        self._argv = [sys.executable, "-m", __name__, target, json.dumps(spec, sort_keys=True)]
        self._startup_timeout = startup_timeout
        self._idle: list[_Child] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self._idle)

    def _take(self) -> _Child:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Child(self._argv, self._startup_timeout)

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            self._idle.append(child)

    def run(self, payload: bytes, timeout: float) -> str:
        """The function's result for ``payload`` (UTF-8 text; lone surrogates allowed).

        Raises :class:`CallTimeout`, :class:`WorkerCrashed` or :class:`WorkerError`.
        """
        for attempt in (0, 1):
            child = self._take()
            try:
                status, data = child.call(payload, timeout)
            except CallTimeout:
                child.kill()
                raise
            except BrokenPipeError:
                # an idle child that died since its last call (e.g. killed by the OOM killer
                # while idle): not this input's fault, start a fresh one once
                child.kill()
                if attempt == 0:
                    continue
                raise WorkerCrashed("extraction worker closed its input") from None
            except EOFError:
                child.kill()
                code = child.proc.returncode
                raise WorkerCrashed(f"extraction worker died (exit code {code})") from None
            except BaseException:  # anything else leaves the protocol in an unknown state
                child.kill()
                raise
            self._give_back(child)
            text = data.decode("utf-8", "surrogatepass")
            if status == _OK:
                return text
            kind, _, message = text.partition("\n")
            raise WorkerError(kind, message)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Stop the idle children (a runner in use by another thread keeps its child)."""
        with self._lock:
            _close_all(self._idle)

    @property
    def children(self) -> int:
        """Number of idle children (for tests and monitoring)."""
        return len(self._idle)


def _serve(target: str, spec_json: str) -> int:
    """Child side: answer requests on stdin until EOF."""
    # the protocol owns the original stdout; anything a library prints goes to stderr
    proto_out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    fn = resolve(target)
    spec = json.loads(spec_json)
    kwargs = spec.get("kwargs") or {}
    if spec.get("warmup") is not None:
        fn(spec["warmup"], **kwargs)
    _write_all(proto_out, _READY)
    fd_in = sys.stdin.fileno()
    while True:
        try:
            (size,) = _LEN.unpack(_read_exact(fd_in, _LEN.size, None))
            text = _read_exact(fd_in, size, None).decode("utf-8", "surrogatepass")
        except EOFError:
            return 0
        try:
            status, result = _OK, fn(text, **kwargs)
            if not isinstance(result, str):
                raise TypeError(f"{target} returned {type(result).__name__}, not str")
            data = result.encode("utf-8", "surrogatepass")
        except Exception as exc:  # reported to the parent, which raises it as WorkerError
            status = _ERR
            data = f"{_snake(type(exc).__name__)}\n{exc}".encode("utf-8", "backslashreplace")
        _write_all(proto_out, status + _LEN.pack(len(data)) + data)


# ------------------------------------------------------------------------------ thread runner


class _Interrupt(BaseException):
    """Raised asynchronously in a thread whose call ran out of time. BaseException, so that
    ``except Exception`` handlers in library code do not swallow it."""


# Private prototypes (not the shared ``ctypes.pythonapi`` attribute, whose argtypes other code
# may set): one to raise an exception class in a thread, one to clear it with NULL.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_clear_async_exc_fn = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)


def _clear_async_exc(thread_id: int) -> None:
    _clear_async_exc_fn(thread_id, None)  # NULL clears a pending exception


class _Call:
    __slots__ = ("done", "fired", "thread_id")

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.done = False
        self.fired = False


class ThreadRunner:
    """Calls ``fn(text)`` in the calling thread under a time limit (async-exception watchdog).

    One watchdog thread per runner serves all calls. See the module docstring for what this
    can and cannot interrupt.
    """

    refire_seconds = 1.0

    def __init__(self, fn: Callable[[str], str]) -> None:
        self._fn = fn
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._heap: list[tuple[float, int, _Call]] = []
        self._seq = itertools.count()
        self._watchdog: threading.Thread | None = None

    def _ensure_watchdog(self) -> None:
        if self._watchdog is None:
            self._watchdog = threading.Thread(
                target=_watch,
                args=(weakref.ref(self),),
                name="zhclean-extract-watchdog",
                daemon=True,
            )
            self._watchdog.start()

    def run(self, text: str, timeout: float) -> str:
        """``fn(text)``, or :class:`CallTimeout` if it takes longer than ``timeout`` seconds."""
        call = _Call(threading.get_ident())
        deadline = time.monotonic() + timeout
        with self._lock:
            self._ensure_watchdog()
            # wake the watchdog only if this deadline comes first: waking it per call would
            # make it compete for the GIL on every document
            if not self._heap or deadline < self._heap[0][0]:
                self._wake.notify()
            heapq.heappush(self._heap, (deadline, next(self._seq), call))
        result: str | None = None
        try:
            result = self._fn(text)
        except _Interrupt:
            result = None
        # Mark the call done under the lock: from then on the watchdog leaves this thread
        # alone. An exception fired just before (the call finished in the same instant) is
        # either still pending, then cleared here, or lands in this loop and is absorbed.
        while True:
            try:
                with self._lock:
                    call.done = True
                    fired = call.fired
                if fired:
                    _clear_async_exc(call.thread_id)
                break
            except _Interrupt:
                continue
        if result is None:
            raise CallTimeout
        return result

    def _expire(self) -> float | None:
        """Fire due calls; return seconds until the next deadline (None: nothing pending)."""
        now = time.monotonic()
        while self._heap:
            deadline, _, call = self._heap[0]
            if call.done:
                heapq.heappop(self._heap)
                continue
            if deadline > now:
                return deadline - now
            heapq.heappop(self._heap)
            call.fired = True
            _set_async_exc(call.thread_id, _Interrupt)
            # in case library code swallows even BaseException: fire again later
            heapq.heappush(self._heap, (now + self.refire_seconds, next(self._seq), call))
        return None


def _watch(ref: weakref.ReferenceType[ThreadRunner]) -> None:
    while True:
        runner = ref()
        if runner is None:
            return
        with runner._lock:
            wait = runner._expire()
            cond = runner._wake
            cond.wait(timeout=60.0 if wait is None else wait)
        del runner  # do not keep the runner alive between rounds


if __name__ == "__main__":
    sys.exit(_serve(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "{}"))
