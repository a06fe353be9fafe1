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

import contextlib
import hashlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import Engine, select

from gongkai.cluster.connect import Cluster
from gongkai.corpus.agencies import Overrides
from gongkai.corpus.collect import AddSummary, Item, process_item
from gongkai.corpus.ingest import MAX_BYTES, Ingested, Stored, process
from gongkai.db import unit_of_work, upgrade

Lang = Literal["zh", "en"] | None

#: results handed to the database at once (one transaction)
BATCH = 200
#: results the driver takes stock of at once (the workers have written them)
PARQUET_BATCH = 1000
#: files a task reads and writes, into a Parquet dataset (one file a table and partition)
PARQUET_CHUNK = 32


@dataclass(frozen=True)
class Already:
    """A file whose bytes the corpus holds: hashed, not read."""

    name: str
    sha256: str


@dataclass
class Done:
    """What a task sends back for a file: the result (as the sink wants it) and
    where the worker's time went."""

    result: Any
    #: wall-clock seconds reading and checking the file
    seconds: float
    #: CPU seconds of the same (far below ``seconds``: the worker waited for a core)
    cpu: float = 0.0
    #: the task's writing (a sink that writes on the workers), shared among its files
    writing: float = 0.0


#: a sink's step on the worker, after a task's files are read: results → what goes back
Step = Callable[[list[Any]], list[Any]]


@dataclass(frozen=True)
class Known:
    """The sha256 already stored (one object, made by a task: Dask copies it to
    the workers that need it, and makes it again if a worker dies with it)."""

    shas: frozenset[str] = frozenset()

    def __contains__(self, sha: object) -> bool:
        return sha in self.shas


def ingest_one(item: Item, known: Container[str] = frozenset(), lang: Lang = None) -> Done:
    """Read and check one item unless its bytes are in ``known`` (runs on a worker)."""
    started, cpu = time.perf_counter(), time.process_time()
    res = _ingest_one(item, known, lang)
    return Done(res, time.perf_counter() - started, time.process_time() - cpu)


def _ingest_one(item: Item, known: Container[str], lang: Lang) -> Any:
    if isinstance(item.source, Path):
        data = _small_regular_file(item.source)
        if data is not None:
            sha = hashlib.sha256(data).hexdigest()
            if sha in known:
                return Already(item.name, sha)
            return process(data, name=item.name, url=item.url, lang=lang)
    elif item.original is None:
        sha = hashlib.sha256(item.source).hexdigest()
        if sha in known:
            return Already(item.name, sha)
    return process_item(item, lang)


def ingest_many(
    items: list[Item], known: Container[str], lang: Lang = None, step: Step | None = None
) -> list[Done]:
    """:func:`ingest_one` of a task's items, then the sink's ``step`` over them (on the worker)."""
    done = [ingest_one(item, known, lang) for item in items]
    if step is not None:
        t = time.perf_counter()
        results = step([d.result for d in done])
        share = (time.perf_counter() - t) / len(done)
        for d, r in zip(done, results, strict=True):
            d.result, d.writing = r, share
    return done


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
    """Where results go: the sha256 already held, and a batch handed over at once.

    ``step`` (picklable, or None) runs on the worker after a task's files are
    read; what it returns is what ``write`` gets.
    """

    step: Step | None
    #: results handed to ``write`` at once unless the caller says
    batch: int
    #: files a task reads (the scheduling is per task)
    chunk: int

    def known(self) -> set[str]: ...

    def write(self, batch: list[Any]) -> list[Stored]: ...


class DatabaseSink:
    """The corpus database: one transaction a batch, rows inserted a batch at a time
    (:func:`~gongkai.cluster.batch_store.store_batch`)."""

    step: Step | None = None
    batch = BATCH
    chunk = 4

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
        from gongkai.cluster.batch_store import store_batch

        with unit_of_work(self.engine) as session:
            return store_batch(session, batch, overrides=self.overrides, lang=self.lang)


_COLLISION = (
    "{name}：报告编号（sha256 的前 63 位）与已存的 {other} 相同，未存入",
    "{name}: its report id (the first 63 bits of its sha256) is that of {other}, "
    "already stored; not stored",
)


class ParquetSink:
    """A Parquet dataset (:mod:`gongkai.cluster.parquet`) the workers write.

    Each task's worker writes and commits the files it read
    (:class:`~gongkai.cluster.parquet.WriteOnWorker`); the driver only keeps
    count: the same bytes committed twice in one run (two paths) are taken out
    of the later batch; a report id another file already has (63 bits of
    sha256: not expected in any real corpus) is refused, named.
    """

    batch = PARQUET_BATCH
    chunk = PARQUET_CHUNK

    def __init__(self, root: str | Path, *, lang: Lang = None) -> None:
        from gongkai.cluster import parquet

        self.lang = lang
        self.root = parquet.init(root)
        self.cleaned = parquet.clean(self.root)
        self.step: Step | None = parquet.WriteOnWorker(str(self.root))
        self._known = parquet.known_sha256(self.root)
        self._ids = {parquet.report_id(s): s for s in self._known}
        self._versions = parquet.agency_years(self.root)
        #: where this run's files were committed (batch, partition)
        self._where: dict[str, tuple[str, str]] = {}

    def known(self) -> set[str]:
        return set(self._known)

    def write(self, batch: list[Any]) -> list[Stored]:
        from gongkai.cluster import parquet
        from gongkai.i18n import pick

        out: list[Stored] = []
        undo: dict[tuple[str, str], set[str]] = defaultdict(set)
        for g in batch:
            if isinstance(g, Ingested):  # a failure (a read file comes back as Written)
                out.append(Stored("failed", g.name, g.sha256, error=g.error))
                continue
            w: parquet.Written = g
            where = (w.batch, parquet.part_path(w.part))
            other = self._ids.get(w.report_id)
            if w.sha256 in self._known:
                if self._where.get(w.sha256) != where:  # not the very files kept
                    undo[where].add(w.sha256)
                out.append(Stored("exists", w.name, w.sha256, w.report_id))
            elif other is not None:
                undo[where].add(w.sha256)
                msg = pick(_COLLISION, self.lang, name=w.name, other=other[:12])
                out.append(Stored("failed", w.name, w.sha256, error=msg))
            else:
                self._known.add(w.sha256)
                self._where[w.sha256] = where
                self._ids[w.report_id] = w.sha256
                key = (w.agency_key, w.year)
                again = w.agency_key is not None and w.year is not None and key in self._versions
                if w.agency_key is not None and w.year is not None:
                    self._versions.add((w.agency_key, w.year))
                out.append(Stored("version" if again else "added", w.name, w.sha256, w.report_id))
        for (bid, part), shas in undo.items():
            parquet.drop(self.root, bid, part, shas)
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
    #: CPU seconds of the same (below ``reading_seconds``: workers waited for a core)
    reading_cpu_seconds: float = 0.0
    #: summed over tasks: time the workers spent writing (a sink that writes there)
    worker_writing_seconds: float = 0.0
    #: time the sink's writes took (in the driver's writing thread, beside the reading)
    writing_seconds: float = 0.0
    batches: int = 0
    workers: int = 1
    lost_workers: list[str] = field(default_factory=list)


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _serial(
    items: Iterable[Item], known: set[str], lang: Lang, step: Step | None, chunk: int
) -> Iterator[tuple[str, Any]]:
    for part in _chunks(items, chunk):
        for item, done in zip(part, ingest_many(part, known, lang, step), strict=True):
            yield item.name, done


def _on_cluster(
    cluster: Cluster,
    items: Iterable[Item],
    known: set[str],
    lang: Lang,
    window: int,
    chunk: int,
    step: Step | None,
) -> Iterator[tuple[str, Any]]:
    """(name, Done or the exception) of every item, as tasks complete; a task
    holds ``chunk`` items and at most ``window`` tasks are in flight (bounded
    memory however many files)."""
    from distributed import as_completed, wait

    client = cluster.client
    run = uuid.uuid4().hex[:8]
    # a task, not scattered data: a worker that dies with it, it is made again
    known_f = client.submit(Known, frozenset(known), key=f"gongkai-known-{run}")
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
            step,
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
            # the tasks in flight (at most ``window``) finish their writes first: a task
            # still writing when a restart's clean-up looks would lose its committed rows
            futures = [f for _, f in live.values()]
            with contextlib.suppress(Exception):
                wait(futures, timeout=120)  # type: ignore[no-untyped-call]
            client.cancel(futures)
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
    chunk: int | None = None,
    on_done: Callable[[str], None] | None = None,
) -> RunSummary:
    """Read, check and store every item; on ``cluster`` when given, else here.

    A task reads ``chunk`` files (default: the sink's) and on a cluster at
    most ``window`` tasks (default: 2 a worker) are in flight. ``on_done``
    hears of each file as its task comes back, ``on_result`` of each as it is
    stored (a batch at a time).
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

    per_task = max(1, chunk or sink.chunk)
    if cluster is None:
        results = _serial(items, known, lang, sink.step, per_task)
    else:
        results = _on_cluster(
            cluster,
            items,
            known,
            lang,
            window or max(2, summary.workers * 2),
            per_task,
            sink.step,
        )
    writer = _Writer(sink, summary, emit)
    try:
        for name, done in results:
            if on_done is not None:
                on_done(name)
            if not isinstance(done, Done):  # the task failed (a worker killed it each time)
                emit(Stored("failed", name, "", error=_task_error(name, done)))
                continue
            summary.reading_seconds += done.seconds
            summary.reading_cpu_seconds += done.cpu
            summary.worker_writing_seconds += done.writing
            res = done.result
            if isinstance(res, Already):
                emit(Stored("exists", res.name, res.sha256))
                continue
            summary.read += 1
            pending.append(res)
            if len(pending) >= size:
                writer.put(pending)
                pending = []
        if pending:
            writer.put(pending)
    finally:  # what was handed over is stored (or its error raised) before we return
        writer.close()
    summary.seconds = time.perf_counter() - started
    return summary


class _Writer:
    """The sink's writes in a thread of their own, one batch at a time: the
    driver goes on taking results — and the workers on reading — while a batch
    is stored. Results are emitted in the order of the batches."""

    def __init__(self, sink: Sink, summary: RunSummary, emit: Callable[[Stored], None]) -> None:
        self.sink, self.summary, self.emit = sink, summary, emit
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-sink")
        self.busy: Future[tuple[list[Stored], float]] | None = None

    def _write(self, batch: list[Any]) -> tuple[list[Stored], float]:
        t = time.perf_counter()
        return self.sink.write(batch), time.perf_counter() - t

    def put(self, batch: list[Any]) -> None:
        self.wait()
        self.busy = self.pool.submit(self._write, batch)

    def wait(self) -> None:
        if self.busy is None:
            return
        busy, self.busy = self.busy, None
        stored, seconds = busy.result()  # the sink's error, raised here
        self.summary.writing_seconds += seconds
        self.summary.batches += 1
        for s in stored:
            self.emit(s)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown()


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
