"""Results of slow corpus questions, kept for a while.

A dashboard asks the same questions on each visit. :func:`remember` keeps an
answer per question in this process; callers put the corpus's generation
(:mod:`gongkai.corpus.cache`, grown by every write from any process) in the
question, so an answer is never stale; ``ttl`` only bounds how long unused
answers stay in memory. Slow answers are also kept in the database itself.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: answers are keyed by the corpus's generation: the time only frees memory
TTL = 3600.0
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
