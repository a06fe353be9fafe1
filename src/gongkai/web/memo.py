"""Results of slow corpus questions, kept for a while.

Ranking a corpus reads every paragraph of every report; a dashboard asks it
on each visit. :func:`remember` keeps an answer per question (name, filter,
language) until the corpus is written through this server (the
``generation`` changes) or ``ttl`` seconds pass (writes by ``gongkai corpus``
in another process show up then).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

TTL = 300.0
SIZE = 128

_lock = threading.Lock()
_items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
#: one computation per question at a time: the others wait for its answer
_busy: dict[Hashable, threading.Lock] = {}


def remember(key: Hashable, compute: Callable[[], T], ttl: float = TTL) -> T:
    """``compute()``, or the answer it gave for ``key`` less than ``ttl`` seconds ago."""
    now = time.monotonic()
    with _lock:
        got = _items.get(key)
        if got is not None and now - got[0] < ttl:
            _items.move_to_end(key)
            return got[1]  # type: ignore[no-any-return]
        gate = _busy.setdefault(key, threading.Lock())
    with gate:
        with _lock:
            got = _items.get(key)
            if got is not None and time.monotonic() - got[0] < ttl:
                return got[1]  # type: ignore[no-any-return]
        value = compute()
        with _lock:
            _items[key] = (time.monotonic(), value)
            while len(_items) > SIZE:
                _items.popitem(last=False)
            _busy.pop(key, None)
        return value


def forget() -> None:
    with _lock:
        _items.clear()
