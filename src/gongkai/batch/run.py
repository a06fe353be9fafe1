"""Batches: read or check many files, each accounted for, with flat memory.

:func:`read_files` and :func:`check_files` take the files and folders a
person gave and yield one :class:`Outcome` per file, in input order: the
file was read (with its report, and for a check its result and the
previous report it was paired with), skipped (with why), or failed (with
the :class:`~gongkai.errors.InputError` naming the problem). They run on
``jobs`` processes and hold only a bounded cache of reports, so a batch of
100,000 files takes the memory of a few hundred.

Pairing across years (``previous``): a file gives last year's report for
every report; a folder, or the batch itself, gives last year's report of
the same agency (:func:`gongkai.checks.across_years.pair` on the agency
key and the year). A folder's files that cannot be read are reported as
passed over through ``on_previous`` — never silently.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from gongkai.batch.files import Entry, discover
from gongkai.batch.index import Index
from gongkai.batch.load import load_report, load_with_document
from gongkai.batch.pool import ordered_map
from gongkai.errors import GongkaiError, InputError, NoTextLayer
from gongkai.i18n import Lang, current_lang
from gongkai.reading.limits import Limits
from gongkai.record import CheckResult, Report

if TYPE_CHECKING:
    from gongkai.reading.document import Document

Status = Literal["read", "skipped", "failed"]


class Unexpected(InputError):
    """An unexpected error while reading; please report it"""

    code = "unexpected"
    zh = "读取时出现意外错误，请报告此问题"


@dataclass
class Outcome:
    """What became of one file of a batch."""

    path: str
    status: Status
    report: Report | None = None
    result: CheckResult | None = None
    error: InputError | None = None
    #: the file of last year's report this one was checked against
    previous: str | None = None
    #: a person should look at it (an image, a scan, a format not read)
    manual_review: bool = False
    #: the document a published report was read from (``read_files(keep_document=True)``)
    document: Document | None = None

    def message(self, lang: Lang | None = None) -> str | None:
        """One line naming the file and why it was skipped or failed (None when read)."""
        if self.error is None:
            return None
        return self.error.message(lang or current_lang())

    def to_dict(self, lang: Lang | None = None, *, private: bool = True) -> dict[str, Any]:
        """The JSON of a batch entry: ``file``, ``status`` and what goes with it.

        A checked file: the check result of ``interchange.md`` (``report``,
        ``findings``) plus ``previous``; a read one: its ``report``; a
        skipped or failed one: ``reason`` (``code``, ``message``) and
        ``manual_review``.
        """
        out: dict[str, Any] = {"file": self.path, "status": self.status}
        if self.result is not None:
            out.update(self.result.to_dict())
            out["previous"] = self.previous
        elif self.report is not None:
            out["report"] = self.report.to_dict(private=private)
        if self.error is not None:
            out["reason"] = {
                "code": self.error.code,
                "message": self.error.message(lang or current_lang()),
            }
        out["manual_review"] = self.manual_review
        return out


@dataclass(frozen=True)
class CheckOptions:
    """What :func:`gongkai.check` is asked, for every file of a batch."""

    lang: Lang | None = None
    pick: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()
    level: Literal["government", "department"] | None = None
    deadline: dt.date | None = None


@dataclass(frozen=True)
class _Task:
    path: str
    format: str | None = None
    report: Report | None = None
    previous_path: str | None = None
    previous: Report | None = None
    options: CheckOptions | None = field(default=None)
    keep_document: bool = False
    limits: Limits | None = None
    #: what became of the file already (skipped, or failed when its key was read)
    outcome: Outcome | None = None


def _load(
    path: str, format: str | None, keep: bool = False, limits: Limits | None = None
) -> Outcome:
    try:
        report, doc = load_with_document(path, format, limits=limits)
        scanned = doc is not None and bool(doc.meta.get("ocr"))  # OCR'd values: a person checks
        return Outcome(
            path, "read", report=report, document=doc if keep else None, manual_review=scanned
        )
    except NoTextLayer as exc:
        return Outcome(path, "failed", error=exc, manual_review=True)
    except InputError as exc:
        return Outcome(path, "failed", error=exc, manual_review=exc.code == "unknown-format")
    except (GongkaiError, OSError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        return Outcome(path, "failed", error=InputError(path, detail, detail))
    except Exception as exc:  # a bug must not end a batch: name the file and go on
        if os.environ.get("GONGKAI_DEBUG"):
            raise
        kind = type(exc).__name__
        return Outcome(path, "failed", error=Unexpected(path, kind, kind))


def _portable(o: Outcome) -> Outcome:
    """The outcome as plain data, to cross to another process (the record's models are built
    at run time and do not pickle); :func:`_restored` undoes it."""
    if o.report is not None:
        o.report = o.report.to_dict()  # type: ignore[assignment]
    if o.result is not None:
        o.result = o.result.to_dict()  # type: ignore[assignment]
    return o


def _restored(o: Outcome) -> Outcome:
    if isinstance(o.report, dict):
        o.report = Report.model_validate(o.report)
    if isinstance(o.result, dict):
        o.result = CheckResult.model_validate(o.result)
    return o


def _read(task: _Task) -> Outcome:
    if task.outcome is not None:
        return task.outcome
    return _load(task.path, task.format, task.keep_document, task.limits)


def _read_task(task: _Task) -> Outcome:
    return _portable(_read(task))


def _check_task(task: _Task) -> Outcome:
    task = replace(task, report=_record(task.report), previous=_record(task.previous))
    return _portable(_checked(task))


def _plain(task: _Task) -> _Task:
    """The task as plain data for another process."""
    return replace(
        task,
        report=task.report.to_dict() if task.report is not None else None,  # type: ignore[arg-type]
        previous=task.previous.to_dict() if task.previous is not None else None,  # type: ignore[arg-type]
    )


def _run(kind: Literal["read", "check"], tasks: Iterable[_Task], jobs: int) -> Iterator[Outcome]:
    """Outcomes of ``tasks`` in order: here, or on ``jobs`` processes."""
    if jobs <= 1:
        fn = _read if kind == "read" else _checked
        for task in tasks:
            yield fn(task)
        return
    remote = _read_task if kind == "read" else _check_task
    for o in ordered_map(remote, (_plain(t) for t in tasks), jobs):
        yield _restored(o)


def _record(value: Report | dict[str, Any] | None) -> Report | None:
    return Report.model_validate(value) if isinstance(value, dict) else value


def _checked(task: _Task) -> Outcome:
    if task.outcome is not None:
        return task.outcome
    got = (
        Outcome(task.path, "read", report=task.report)
        if task.report
        else _load(task.path, None, limits=task.limits)
    )
    if got.report is None:
        return got
    previous = task.previous
    if previous is None and task.previous_path is not None:
        previous = _load(task.previous_path, None, limits=task.limits).report
    o = task.options or CheckOptions()
    from gongkai.checks import check

    got.result = check(
        got.report,
        previous,
        lang=o.lang,
        pick=o.pick,
        skip=o.skip,
        level=o.level,
        deadline=o.deadline,
    )
    got.previous = task.previous_path if previous is not None else None
    return got


def pair_reports(
    items: Sequence[tuple[str, Report]], pool: Sequence[tuple[str, Report]] = ()
) -> dict[int, tuple[str, Report]]:
    """Reports already in memory: for each item, last year's report of its agency (by name).

    Looks among ``items`` and ``pool``; returns ``{index in items: (name, report)}``.
    """
    from gongkai.checks.across_years import pair

    reports = dict([*pool, *items])
    return {i: (name, reports[name]) for i, name in pair(items, pool).items()}


def _skipped(entry: Entry) -> Outcome:
    return Outcome(entry.path, "skipped", error=entry.skip, manual_review=entry.manual_review)


def read_files(
    paths: Iterable[str],
    format: str | None = None,
    *,
    jobs: int = 1,
    keep_document: bool = False,
    limits: Limits | None = None,
) -> Iterator[Outcome]:
    """Read every file ``paths`` stand for: one :class:`Outcome` each, in order.

    ``keep_document``: each outcome keeps the document its report was read
    from (for ``parse --explain``), so nothing is read twice.
    """
    tasks = (
        _Task(e.path, format, keep_document=keep_document, limits=limits)
        if e.skip is None
        else _Task(e.path, outcome=_skipped(e))
        for e in discover(paths, extra=())
    )
    yield from _run("read", tasks, jobs)


class _Cache:
    """The last ``size`` reports read, by file."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Report] = OrderedDict()

    def put(self, path: str, report: Report) -> None:
        if self.size <= 0:
            return
        self.items[path] = report
        self.items.move_to_end(path)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def get(self, path: str | None) -> Report | None:
        if path is None or path not in self.items:
            return None
        self.items.move_to_end(path)
        return self.items[path]


Progress = Callable[[str, int, int], None]


def _keys(
    index: Index,
    pool: bool,
    jobs: int,
    cache: _Cache,
    progress: Progress | None,
    limits: Limits | None,
) -> Iterator[Outcome]:
    """Read the index's files still undecided once for their pairing keys, into the index;
    keep a bounded cache of reports. Yields the outcomes of the files that failed."""
    from gongkai.checks.across_years import pair_key

    total = index.count(pool=pool)
    phase = "previous" if pool else "read"
    numbered = index.undecided(pool=pool)
    seqs: deque[int] = deque()

    def tasks() -> Iterator[_Task]:
        for seq, path in numbered:
            seqs.append(seq)
            yield _Task(path, limits=limits)

    if jobs > 1:
        # on N processes only the key comes back: a report crossing between processes
        # costs the parent more than reading it again on a worker when it is checked
        for i, (path, key, failed) in enumerate(ordered_map(_key_task, tasks(), jobs)):
            seq = seqs.popleft()
            if key is not None:
                index.key(seq, path, key)
            elif failed is not None:
                index.decide(seq, failed)
                yield failed
            if progress is not None:
                progress(phase, i + 1, total)
        return
    for i, got in enumerate(_run("read", tasks(), jobs)):
        seq = seqs.popleft()
        if got.report is not None:
            key = pair_key(got.report)
            if key is not None:
                index.key(seq, got.path, key)
            cache.put(got.path, got.report)
            got.report = None  # the cache holds it, or it is read again
        elif got.error is not None:
            index.decide(seq, got)
            yield got
        if progress is not None:
            progress(phase, i + 1, total)


def _key_task(task: _Task) -> tuple[str, tuple[str, int] | None, Outcome | None]:
    """On a worker: the file's pairing key, or its outcome when it could not be read."""
    from gongkai.checks.across_years import pair_key

    got = _read(task)
    if got.report is None:
        return got.path, None, got if got.error is not None else None
    return got.path, pair_key(got.report), None


def _paired(
    paths: Sequence[str],
    previous: str | None,
    jobs: int,
    cache: _Cache,
    on_previous: Callable[[Outcome], None] | None,
    progress: Progress | None,
    limits: Limits | None,
) -> Iterator[tuple[str, Outcome | None, str | None]]:
    """The batch's files in order, each with its outcome if already decided (skipped, failed)
    and last year's file of its agency in the batch or the ``previous`` folder."""
    with Index() as index:
        if previous is not None:
            for e in discover([previous]):
                if e.skip is None:
                    index.add(e.path, pool=True)
                elif on_previous is not None:
                    on_previous(_skipped(e))
            for got in _keys(index, True, jobs, cache, progress, limits):
                if on_previous is not None:
                    on_previous(got)
        for e in discover(paths):
            index.add(e.path, outcome=None if e.skip is None else _skipped(e))
        for _ in _keys(index, False, jobs, cache, progress, limits):
            pass
        yield from index.partners()


def check_files(
    paths: Iterable[str],
    previous: str | os.PathLike[str] | None = None,
    options: CheckOptions | None = None,
    *,
    jobs: int = 1,
    cache: int = 256,
    on_previous: Callable[[Outcome], None] | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
    pair: bool = True,
) -> Iterator[Outcome]:
    """Check every file ``paths`` stand for: one :class:`Outcome` each, in order.

    ``previous`` is last year's report (a file) or a folder of them; the
    batch's own reports pair with each other too, unless ``pair`` is false.
    Files of the ``previous`` folder that were not read are given to
    ``on_previous``. An unreadable ``previous`` file raises its
    :class:`~gongkai.errors.InputError`. ``progress(phase, done, total)``
    follows the reading; ``limits`` bound the reading of each file
    (:mod:`gongkai.reading.limits`).

    Memory stays flat however many files: pairing keeps its index of the
    files in a temporary on-disk database (:mod:`gongkai.batch.index`), and
    none is made when ``previous`` is a file or pairing is off.
    """
    options = options or CheckOptions()
    given = list(paths)
    reports = _Cache(cache)
    fixed: Report | None = None
    fixed_path: str | None = None
    if previous is not None and not os.path.isdir(previous):
        fixed_path = os.fspath(previous)
        fixed = load_report(fixed_path, limits=limits)
    alone = previous is None and len(given) == 1 and not os.path.isdir(given[0])
    if fixed is not None or not pair or alone:
        # nothing to pair: each file is read once, as it comes
        def tasks() -> Iterator[_Task]:
            for e in discover(given):
                if e.skip is not None:
                    yield _Task(e.path, outcome=_skipped(e))
                else:
                    yield _Task(
                        e.path,
                        previous_path=fixed_path,
                        previous=fixed,
                        options=options,
                        limits=limits,
                    )

        yield from _run("check", tasks(), jobs)
        return
    folder = None if previous is None else os.fspath(previous)

    def paired() -> Iterator[_Task]:
        for path, outcome, partner in _paired(
            given, folder, jobs, reports, on_previous, progress, limits
        ):
            if outcome is not None:
                yield _Task(path, outcome=outcome)
                continue
            yield _Task(
                path,
                report=reports.get(path),
                previous_path=partner,
                previous=reports.get(partner),
                options=options,
                limits=limits,
            )

    yield from _run("check", paired(), jobs)


__all__ = ["CheckOptions", "Outcome", "Status", "check_files", "pair_reports", "read_files"]
