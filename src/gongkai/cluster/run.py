"""Reading and checking on a Dask cluster; results stored in batches.

The unit of work is the corpus's own (:func:`gongkai.corpus.ingest.process`:
read + check one file, pure, picklable); :func:`ingest_one` wraps it so that
a file whose bytes are already stored is only hashed, not read again. The
driver (:func:`ingest`) keeps a bounded number of tasks in flight, takes
results as they complete, and hands them to a :class:`Sink` in batches:

- :class:`DatabaseSink` — the corpus's :func:`~gongkai.corpus.ingest.store`
  for each result, one transaction a batch;
- :class:`ParquetSink` — :func:`gongkai.cluster.parquet.write_batch`.

Faults. A worker that dies takes its running tasks with it; the scheduler
gives them to another worker (Dask retries a task up to
``distributed.scheduler.allowed-failures`` times), so nothing is lost. A
file that kills every worker it meets ends as a ``failed`` result naming it;
the batch goes on. Nothing is stored twice: both sinks are keyed by sha256
(the database's ``store`` refuses known bytes; the Parquet sink keeps the
set). A run stopped half-way keeps every batch written; started again, the
files already stored are hashed and passed over (``exists``), the rest read.
Without a cluster the same driver runs in this process (the serial path).
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Engine, select

from gongkai.cluster.connect import Cluster
from gongkai.corpus.agencies import Overrides
from gongkai.corpus.collect import AddSummary, Item
from gongkai.corpus.ingest import MAX_BYTES, Ingested, Stored, process, store
from gongkai.db import unit_of_work, upgrade

Lang = Literal["zh", "en"] | None

#: results handed to the database at once (one transaction)
BATCH = 200
#: results written to a Parquet dataset at once (one file a table and partition)
PARQUET_BATCH = 1000


@dataclass(frozen=True)
class Already:
    """A file whose bytes the corpus holds: hashed, not read."""

    name: str
    sha256: str


@dataclass
class Done:
    """What a task sends back: the result (as the sink wants it) and the seconds
    spent reading and checking."""

    result: Any
    seconds: float


Prepare = Callable[[Ingested], Any]


@dataclass(frozen=True)
class Known:
    """The sha256 already stored (one object: Dask scatters it whole to every worker)."""

    shas: frozenset[str] = frozenset()

    def __contains__(self, sha: object) -> bool:
        return sha in self.shas


def ingest_one(
    item: Item,
    known: Container[str] = frozenset(),
    lang: Lang = None,
    prepare: Prepare | None = None,
) -> Done:
    """Read and check one item unless its bytes are in ``known`` (runs on a worker).

    ``prepare`` turns a file read into what the sink writes (where it was read).
    """
    done = _ingest_one(item, known, lang)
    res = done.result
    if prepare is not None and isinstance(res, Ingested) and res.ok:
        done.result = prepare(res)
    return done


def _ingest_one(item: Item, known: Container[str], lang: Lang) -> Done:
    started = time.perf_counter()
    if isinstance(item.source, Path):
        data = _small_regular_file(item.source)
        if data is not None:
            sha = hashlib.sha256(data).hexdigest()
            if sha in known:
                return Done(Already(item.name, sha), time.perf_counter() - started)
            got = process(data, name=item.name, url=item.url, lang=lang)
            return Done(got, time.perf_counter() - started)
    elif item.original is None and hashlib.sha256(item.source).hexdigest() in known:
        sha = hashlib.sha256(item.source).hexdigest()
        return Done(Already(item.name, sha), time.perf_counter() - started)
    got = process(
        item.source,
        name=item.name,
        url=item.url,
        fetched_at=item.fetched_at,
        lang=lang,
        original=item.original,
    )
    return Done(got, time.perf_counter() - started)


def ingest_many(
    items: list[Item], known: Container[str], lang: Lang = None, prepare: Prepare | None = None
) -> list[Done]:
    """:func:`ingest_one` of a few items in one task (less scheduling a file)."""
    return [ingest_one(item, known, lang, prepare) for item in items]


def _small_regular_file(path: Path) -> bytes | None:
    """The bytes of a regular file within the size cap (else None: ``process`` says why)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


# ---------------------------------------------------------------- sinks


class Sink(Protocol):
    """Where results go: the sha256 already held, and a batch written at once.

    ``prepare`` (a module-level function, or None) runs on the worker that
    read a file and turns its :class:`Ingested` into what ``write`` takes.
    """

    prepare: Prepare | None
    #: results written at once unless the caller says
    batch: int

    def known(self) -> set[str]: ...

    def write(self, batch: list[Any]) -> list[Stored]: ...


class DatabaseSink:
    """The corpus database: ``store`` for each result, one transaction a batch."""

    prepare: Prepare | None = None
    batch = BATCH

    def __init__(
        self, engine: Engine, *, overrides: Overrides | None = None, lang: Lang = None
    ) -> None:
        self.engine = engine
        self.overrides = overrides
        self.lang = lang
        upgrade(engine)

    def known(self) -> set[str]:
        from gongkai.corpus.models import Source

        with self.engine.connect() as conn:
            return set(conn.execute(select(Source.sha256)).scalars())

    def write(self, batch: list[Ingested]) -> list[Stored]:
        with unit_of_work(self.engine) as session:
            return [store(session, g, overrides=self.overrides, lang=self.lang) for g in batch]


class ParquetSink:
    """A Parquet dataset (:mod:`gongkai.cluster.parquet`), one set of files a batch."""

    def __init__(self, root: str | Path) -> None:
        from gongkai.cluster import parquet

        self.prepare: Prepare | None = parquet.prepare
        self.batch = PARQUET_BATCH
        self.root = parquet.init(root)
        self.cleaned = parquet.clean(self.root)
        self._known = parquet.known_sha256(self.root)

    def known(self) -> set[str]:
        return set(self._known)

    def write(self, batch: list[Any]) -> list[Stored]:
        from gongkai.cluster import parquet

        out: list[Stored] = []
        fresh: list[Any] = []
        for g in batch:
            if isinstance(g, Ingested) and not g.ok:
                out.append(Stored("failed", g.name, g.sha256, error=g.error))
            elif g.sha256 in self._known:
                out.append(Stored("exists", g.name, g.sha256, parquet.report_id(g.sha256)))
            else:
                self._known.add(g.sha256)
                fresh.append(g)
                out.append(Stored("added", g.name, g.sha256, parquet.report_id(g.sha256)))
        parquet.write_batch(self.root, fresh)
        return out


# ---------------------------------------------------------------- the driver


@dataclass
class RunSummary(AddSummary):
    """What a run did, file by file, and where its time went."""

    #: files read and checked (the rest were known bytes, only hashed)
    read: int = 0
    seconds: float = 0.0
    #: summed over tasks: time in reading and checking (on the workers)
    reading_seconds: float = 0.0
    #: time the driver spent handing batches to the sink
    writing_seconds: float = 0.0
    batches: int = 0
    workers: int = 1
    lost_workers: list[str] = field(default_factory=list)


def _serial(
    items: Iterable[Item], known: set[str], lang: Lang, prepare: Prepare | None
) -> Iterator[tuple[str, Any]]:
    for item in items:
        yield item.name, ingest_one(item, known, lang, prepare)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _on_cluster(
    cluster: Cluster,
    items: Iterable[Item],
    known: set[str],
    lang: Lang,
    window: int,
    chunk: int,
    prepare: Prepare | None,
) -> Iterator[tuple[str, Any]]:
    """(name, Done or the exception) of every item, as tasks complete; a task
    holds ``chunk`` items and at most ``window`` tasks are in flight (bounded
    memory however many files)."""
    from distributed import as_completed

    client = cluster.client
    known_f = client.scatter(Known(frozenset(known)), broadcast=True, hash=False)
    run = uuid.uuid4().hex[:8]
    live: dict[str, tuple[list[Item], Any]] = {}
    todo = enumerate(_chunks(items, chunk))
    ac = as_completed([], with_results=True, raise_errors=False)  # type: ignore[no-untyped-call]

    def submit() -> None:
        nxt = next(todo, None)
        if nxt is None:
            return
        i, part = nxt
        fut = client.submit(
            ingest_many,
            part,
            known_f,
            lang,
            prepare,
            key=f"gongkai-ingest-{run}-{i}",
            retries=2,
        )
        live[fut.key] = (part, fut)
        ac.add(fut)  # type: ignore[no-untyped-call]

    try:
        for _ in range(window):
            submit()
        for fut, result in ac:
            part, _ = live.pop(fut.key)
            fut.release()
            submit()
            if isinstance(result, list):
                for item, done in zip(part, result, strict=True):
                    yield item.name, done
            else:  # the task failed (a worker killed it each time it ran)
                for item in part:
                    yield item.name, result
    finally:  # stopped early (an error, Ctrl-C): nothing left running for us
        if live:
            client.cancel([f for _, f in live.values()])
        known_f.release()


def ingest(
    items: Iterable[Item],
    sink: Sink,
    *,
    cluster: Cluster | None = None,
    batch: int | None = None,
    lang: Lang = None,
    on_result: Callable[[Stored], None] | None = None,
    window: int | None = None,
    chunk: int = 4,
    on_done: Callable[[str], None] | None = None,
) -> RunSummary:
    """Read, check and store every item; on ``cluster`` when given, else here.

    On a cluster a task reads ``chunk`` files and at most ``window`` tasks
    (default: 4 a worker) are in flight. ``on_done`` hears of each file as its
    task comes back, ``on_result`` of each as it is stored (a batch at a time).
    """
    started = time.perf_counter()
    summary = RunSummary(workers=cluster.workers if cluster is not None else 1)
    known = sink.known()
    size = batch or sink.batch
    pending: list[Any] = []

    def emit(stored: Stored) -> None:
        summary.results.append(stored)
        if on_result is not None:
            on_result(stored)

    def flush() -> None:
        if not pending:
            return
        t = time.perf_counter()
        stored = sink.write(pending)
        summary.writing_seconds += time.perf_counter() - t
        summary.batches += 1
        pending.clear()
        for s in stored:
            emit(s)

    if cluster is None:
        results = _serial(items, known, lang, sink.prepare)
    else:
        results = _on_cluster(
            cluster,
            items,
            known,
            lang,
            window or max(4, summary.workers * 4),
            max(1, chunk),
            sink.prepare,
        )
    for name, done in results:
        if on_done is not None:
            on_done(name)
        if not isinstance(done, Done):  # the task itself failed (a worker killed it each time)
            emit(Stored("failed", name, "", error=_task_error(name, done)))
            continue
        summary.reading_seconds += done.seconds
        res = done.result
        if isinstance(res, Already):
            emit(Stored("exists", res.name, res.sha256))
            continue
        summary.read += 1
        pending.append(res)
        if len(pending) >= size:
            flush()
    flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _task_error(name: str, exc: Any) -> str:
    from gongkai.i18n import current_lang, pick

    kind = type(exc).__name__
    return pick(
        (
            "{name}：在集群上处理失败（{kind}），已跳过",
            "{name}: failed on the cluster ({kind}); skipped",
        ),
        current_lang(),
        name=name,
        kind=kind,
    )
