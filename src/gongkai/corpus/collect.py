"""``corpus add``: read, check and store many files, in parallel, one
transaction a file.

The pure step (:func:`gongkai.corpus.ingest.process`) runs in a process pool
of ``workers`` processes (1: in this process); results are stored here as
they arrive, each in its own transaction, so a crash or a full disk leaves
every report either wholly stored or not at all. A bad file is named and
skipped; the run ends with an :class:`AddSummary`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from gongkai.corpus.agencies import Overrides
from gongkai.corpus.ingest import Ingested, Stored, process, store
from gongkai.db import unit_of_work, upgrade


@dataclass(frozen=True)
class Item:
    """One file to add: a path, or fetched bytes with the URL they came from."""

    source: Path | bytes
    name: str
    url: str | None = None
    fetched_at: dt.datetime | None = None
    #: the bytes as fetched, when ``source`` is the page re-encoded for reading
    original: bytes | None = None


@dataclass
class AddSummary:
    """What an ``add`` did, file by file."""

    results: list[Stored] = field(default_factory=list)

    def of(self, status: str) -> list[Stored]:
        return [r for r in self.results if r.status == status]

    @property
    def added(self) -> int:
        return len(self.of("added")) + len(self.of("version"))

    @property
    def failed(self) -> list[Stored]:
        return self.of("failed")

    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in ("added", "version", "exists", "failed", "skipped")}


def items_from_paths(paths: Iterable[str | Path]) -> tuple[list[Item], list[Stored]]:
    """Files, and the report files under folders (the batch loader's
    :func:`~gongkai.batch.discover`), as items to add; the other files of a
    folder come back as ``skipped`` results saying why (none silently dropped)."""
    from gongkai.batch import discover
    from gongkai.i18n import current_lang

    items: list[Item] = []
    skipped: list[Stored] = []
    for entry in discover([str(p) for p in paths], extra=()):
        if entry.skip is not None:
            skipped.append(
                Stored("skipped", entry.path, "", error=entry.skip.message(current_lang()))
            )
        else:
            items.append(Item(Path(entry.path), Path(entry.path).name))
    return items, skipped


def process_item(item: Item, lang: Literal["zh", "en"] | None) -> Ingested:
    """Read and check one item (its bytes or its file), named as the item names it."""
    got = process(
        item.source,
        name=item.name,
        url=item.url,
        fetched_at=item.fetched_at,
        lang=lang,
        original=item.original,
    )
    if not isinstance(item.source, bytes) and got.name != item.name:
        got.name = item.name
    return got


def _results(
    items: list[Item], workers: int, lang: Literal["zh", "en"] | None
) -> Iterator[Ingested]:
    if workers <= 1 or len(items) <= 1:
        for item in items:
            yield process_item(item, lang)
        return
    fn = partial(process_item, lang=lang)
    window = workers * 4  # bounded: never more than this many results held
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future[Ingested]] = set()
        todo = iter(items)
        for item in todo:
            pending.add(pool.submit(fn, item))
            if len(pending) >= window:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield fut.result()
                nxt = next(todo, None)
                if nxt is not None:
                    pending.add(pool.submit(fn, nxt))


def add(
    engine: Engine,
    items: Iterable[Item],
    *,
    workers: int = 1,
    overrides: Overrides | None = None,
    lang: Literal["zh", "en"] | None = None,
    on_result: Callable[[Stored], None] | None = None,
) -> AddSummary:
    """Read, check and store every item; one transaction each."""
    upgrade(engine)
    todo = list(items)
    summary = AddSummary()
    for got in _results(todo, max(1, workers), lang):
        with unit_of_work(engine) as session:
            stored = store(session, got, overrides=overrides, lang=lang)
        summary.results.append(stored)
        if on_result is not None:
            on_result(stored)
    return summary


def default_workers() -> int:
    return max(
        1,
        min(
            8,
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1),
        ),
    )
