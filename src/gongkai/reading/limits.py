"""How much of one file gongkai reads: size, characters, table cells, pages, time.

Reports are small (the largest real one seen: 0.4 MB, 30 pages, a few
hundred cells, 50,000 characters); a file far past that is an accident or
an attack, and reading it would take gigabytes or hours. The defaults are
far above any real report; past one, reading stops with an
:class:`~gongkai.errors.OverLimit` that names the limit and how to raise it
(``--limit chars=5000000`` on the command line, ``GONGKAI_LIMITS`` in the
environment, or ``gongkai.read(..., limits=Limits(chars=5_000_000))``).

    size     bytes of the file                       64 MB
    chars    characters of text read                 2,000,000
    cells    table cells                             100,000
    pages    PDF pages                               500
    seconds  time to read one file                   120
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from types import FrameType

from gongkai.errors import OverLimit, TooLarge


@dataclass(frozen=True)
class Limits:
    """The most gongkai reads of one file."""

    size: int = int(os.environ.get("GONGKAI_MAX_BYTES", str(64 * 1024 * 1024)))
    chars: int = 2_000_000
    cells: int = 100_000
    pages: int = 500
    seconds: float = 120.0

    def replace(self, **changes: float) -> Limits:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


#: what each limit counts, in Chinese and English
NAMES: dict[str, tuple[str, str]] = {
    "size": ("文件大小", "file size"),
    "chars": ("文字字符数", "characters of text"),
    "cells": ("表格单元格数", "table cells"),
    "pages": ("页数", "pages"),
    "seconds": ("读取时间（秒）", "reading time (seconds)"),
}

_UNITS = {"": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}
_SPEC = re.compile(r"^\s*(\w+)\s*=\s*([\d.]+(?:e\d+)?)\s*([kmg]?b?)\s*$", re.I)


def parse(specs: list[str] | tuple[str, ...] | str, base: Limits | None = None) -> Limits:
    """``["chars=5000000", "size=200MB", "seconds=600"]`` (or one comma-separated string)
    over ``base``; ValueError names what is wrong."""
    items = specs.split(",") if isinstance(specs, str) else [x for s in specs for x in s.split(",")]
    changes: dict[str, float] = {}
    for item in items:
        if not item.strip():
            continue
        m = _SPEC.match(item)
        key = m.group(1).lower() if m else ""
        key = {"time": "seconds", "bytes": "size", "characters": "chars"}.get(key, key)
        if m is None or key not in NAMES:
            raise ValueError(
                f"{item.strip()!r}: expected NAME=VALUE, NAME one of {', '.join(NAMES)}"
            )
        value = float(m.group(2)) * _UNITS[m.group(3).lower()]
        if value <= 0:
            raise ValueError(f"{item.strip()!r}: a limit must be above 0")
        changes[key] = value if key == "seconds" else int(value)
    return (base or default()).replace(**changes)


def default() -> Limits:
    """The defaults, with ``GONGKAI_LIMITS`` (``chars=…,pages=…``) applied."""
    return _defaults(os.environ.get("GONGKAI_LIMITS", ""))


@lru_cache(maxsize=8)
def _defaults(env: str) -> Limits:
    """The defaults under the setting ``env`` (Limits is frozen: one value serves every read
    under the same setting; a setting that does not parse raises each time, as uncached)."""
    return parse(env, Limits()) if env.strip() else Limits()


_current: ContextVar[Limits | None] = ContextVar("gongkai_limits", default=None)
_deadline: ContextVar[float | None] = ContextVar("gongkai_deadline", default=None)


def current() -> Limits:
    """The limits in force (set by :func:`applied`, else the defaults)."""
    return _current.get() or default()


def _show(name: str, value: float) -> str:
    if name == "size":
        return f"{value / 1048576:.0f} MB"
    if name == "seconds":
        return f"{value:g}"
    return f"{int(value):,}"


def over(name: str, source: str, found: float | None = None) -> OverLimit:
    """The error for ``source`` past the limit ``name`` (found: how much it had)."""
    limit = getattr(current(), name)
    zh, en = NAMES[name]
    has_zh = f"，本文件 {_show(name, found)}" if found is not None else ""
    has_en = f"; this file has {_show(name, found)}" if found is not None else ""
    raise_it = f"--limit {name}=…"
    cls = TooLarge if name == "size" else OverLimit
    return cls(
        source,
        f"{en} over the limit of {_show(name, limit)}{has_en} (raise it with {raise_it})",
        f"{zh}超过上限 {_show(name, limit)}{has_zh}（可用 {raise_it} 提高）",
    )


def check(name: str, source: str, found: float) -> None:
    """Raise :func:`over` when ``found`` is past the limit ``name``."""
    if found > getattr(current(), name):
        raise over(name, source, found)


def check_time(source: str) -> None:
    """Raise when the time to read ``source`` is up (a checkpoint between steps)."""
    end = _deadline.get()
    if end is not None and time.monotonic() > end:
        raise over("seconds", source)


def remaining() -> float | None:
    """Seconds left to read the current file (None: no clock running)."""
    end = _deadline.get()
    return None if end is None else end - time.monotonic()


class _TimeUp(BaseException):
    """Raised by the alarm; turned into an OverLimit naming the file."""


@contextlib.contextmanager
def applied(limits: Limits | None, source: str) -> Iterator[Limits]:
    """Read ``source`` under ``limits`` (default: those in force): the time limit is an
    alarm in the main thread and a checkpoint elsewhere. Nested uses keep the outer clock."""
    lim = limits or current()
    token = _current.set(lim)
    outer = _deadline.get()
    own = outer is None
    dtoken = _deadline.set(time.monotonic() + lim.seconds) if own else None
    alarm = own and threading.current_thread() is threading.main_thread()
    previous = None
    if alarm:

        def ring(signum: int, frame: FrameType | None) -> None:
            raise _TimeUp

        try:
            previous = signal.signal(signal.SIGALRM, ring)
            signal.setitimer(signal.ITIMER_REAL, lim.seconds)
        except (ValueError, OSError):  # not possible here: checkpoints only
            alarm = False
    try:
        yield lim
    except _TimeUp:
        raise over("seconds", source) from None
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)
        if dtoken is not None:
            _deadline.reset(dtoken)
        _current.reset(token)


__all__ = [
    "NAMES",
    "Limits",
    "applied",
    "check",
    "check_time",
    "current",
    "default",
    "over",
    "parse",
    "remaining",
]
