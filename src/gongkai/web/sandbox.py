"""Parsing uploads in worker processes, with limits on time and memory.

A report from a stranger may be a zip bomb, a 5,000-page PDF or a file that
sends a reader into a loop. The server never reads one itself: a
:class:`Sandbox` keeps a few worker processes, each with its address space
capped (``RLIMIT_AS``); a job that outruns its time has its worker killed
and replaced, a worker that dies (out of memory) is replaced, and the caller
gets a :class:`JobFailed` that says which of these happened. Workers are
also replaced after a number of jobs, so slow leaks stay bounded.

Jobs are plain functions named ``"module:function"`` whose arguments and
results pickle; the worker imports the module once.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import multiprocessing as mp
import multiprocessing.connection as mpc
import threading
from typing import Any

from gongkai.web.settings import Limits

#: modules a fresh worker imports before its first job (so the first upload is not slow)
WARM = ("gongkai.web.jobs", "gongkai.batch", "gongkai.checks", "gongkai.reading")


class JobFailed(Exception):
    """A job did not finish: ``kind`` is ``timeout``, ``memory``, ``crashed`` or ``busy``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}" if detail else kind)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = megabytes * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(conn: mpc.Connection, memory_mb: int) -> None:  # pragma: no cover - child process
    """The loop of a worker: receive ``(target, args)``, send ``("ok", result)`` or an error."""
    for name in WARM:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    _limit_memory(memory_mb)
    while True:
        try:
            target, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            module, _, func = target.partition(":")
            result = getattr(importlib.import_module(module), func)(*args)
            conn.send(("ok", result))
        except MemoryError:
            conn.send(("memory", ""))
            return
        except BaseException as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class _Worker:
    def __init__(self, ctx: Any, memory_mb: int) -> None:
        self.conn, child = mp.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, memory_mb), daemon=True)
        self.process.start()
        child.close()
        self.jobs = 0

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class Sandbox:
    """A small pool of worker processes that run jobs under :class:`Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._ctx = mp.get_context("spawn")
        self._idle: list[_Worker] = []
        self._started = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, limits.workers))
        self._waiting = 0
        self._closed = False

    # ----------------------------------------------------------------- workers
    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                w = self._idle.pop()
                if w.process.is_alive():
                    return w
                w.stop()
        return _Worker(self._ctx, self.limits.memory_mb)

    def _give_back(self, w: _Worker) -> None:
        if w.jobs >= self.limits.jobs_per_worker or self._closed:
            w.stop()
            return
        with self._lock:
            self._idle.append(w)

    def warm(self) -> None:
        """Start the workers now rather than on the first upload."""
        with self._lock:
            while len(self._idle) < self.limits.workers:
                self._idle.append(_Worker(self._ctx, self.limits.memory_mb))

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for w in idle:
            w.stop()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._idle if w.process.pid is not None]

    # -------------------------------------------------------------------- jobs
    def run_sync(self, target: str, *args: Any) -> Any:
        """Run ``target(*args)`` in a worker; raise :class:`JobFailed` if it does not finish."""
        with self._lock:
            if self._waiting >= self.limits.workers + self.limits.queue:
                raise JobFailed("busy")
            self._waiting += 1
        try:
            if not self._slots.acquire(timeout=self.limits.seconds):
                raise JobFailed("busy")
            try:
                return self._run(target, args)
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._waiting -= 1

    def _run(self, target: str, args: tuple[Any, ...]) -> Any:
        w = self._take()
        w.jobs += 1
        try:
            w.conn.send((target, args))
            if not w.conn.poll(self.limits.seconds):
                w.stop()
                raise JobFailed("timeout", f"{self.limits.seconds:g} s")
            status, value = w.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            w.stop()
            w.process.join(timeout=5)
            code = w.process.exitcode
            raise JobFailed("memory" if code is not None and code < 0 else "crashed") from None
        if status == "memory":
            w.stop()
            raise JobFailed("memory", f"{self.limits.memory_mb} MiB")
        self._give_back(w)
        if status == "error":
            raise JobFailed("crashed", str(value))
        return value

    async def run(self, target: str, *args: Any) -> Any:
        """:meth:`run_sync` without blocking the event loop."""
        return await asyncio.to_thread(self.run_sync, target, *args)
