"""Work on N processes, results in input order, a bounded number in flight.

:func:`ordered_map` is ``map`` over a process pool that keeps at most
``window`` items in flight, so memory stays flat however many items there
are, and yields the results in the order of the items. Workers ignore
Ctrl-C: the parent stops the pool and its own clean-up runs.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _quiet_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], jobs: int = 1, window: int | None = None
) -> Iterator[R]:
    """``fn`` of every item, in order; on ``jobs`` processes when ``jobs > 1``.

    ``fn`` and the items must pickle (a function of a module, plain data).
    """
    if jobs <= 1:
        for item in items:
            yield fn(item)
        return
    ahead = window or jobs * 4
    ctx = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_quiet_worker)
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["ordered_map"]
