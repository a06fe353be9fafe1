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
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from gongkai.batch.files import Entry, discover
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
    entries = list(discover(paths, extra=()))

    def tasks() -> Iterator[_Task]:
        for e in entries:
            if e.skip is None:
                yield _Task(e.path, format, keep_document=keep_document, limits=limits)

    done = _run("read", tasks(), jobs)
    for e in entries:
        yield _skipped(e) if e.skip is not None else next(done)


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
    paths: list[str],
    jobs: int,
    cache: _Cache,
    progress: Progress | None,
    phase: str,
    limits: Limits | None,
) -> Iterator[tuple[str, Outcome, tuple[str, int] | None]]:
    """Read each file once for its pairing key; keep a bounded cache of reports."""
    from gongkai.checks.across_years import pair_key

    tasks = (_Task(p, limits=limits) for p in paths)
    for i, (path, got) in enumerate(zip(paths, _run("read", tasks, jobs), strict=True)):
        key = None
        if got.report is not None:
            key = pair_key(got.report)
            cache.put(path, got.report)
        if progress is not None:
            progress(phase, i + 1, len(paths))
        got.report = None  # the cache holds it, or it is read again
        yield path, got, key


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
) -> Iterator[Outcome]:
    """Check every file ``paths`` stand for: one :class:`Outcome` each, in order.

    ``previous`` is last year's report (a file) or a folder of them; the
    batch's own reports pair with each other too. Files of the ``previous``
    folder that were not read are given to ``on_previous``. An unreadable
    ``previous`` file raises its :class:`~gongkai.errors.InputError`.
    ``progress(phase, done, total)`` follows the reading; ``limits`` bound
    the reading of each file (:mod:`gongkai.reading.limits`).
    """
    options = options or CheckOptions()
    entries = list(discover(paths))
    fixed: Report | None = None
    fixed_path: str | None = None
    pool_keys: dict[tuple[str, int], str] = {}
    reports = _Cache(cache)
    if previous is not None and not os.path.isdir(previous):
        fixed_path = os.fspath(previous)
        fixed = load_report(fixed_path, limits=limits)
    elif previous is not None:
        pool = list(discover([os.fspath(previous)]))
        for e in pool:
            if e.skip is not None and on_previous is not None:
                on_previous(_skipped(e))
        readable = [e.path for e in pool if e.skip is None]
        for path, got, key in _keys(readable, jobs, reports, progress, "previous", limits):
            if key is not None:
                pool_keys.setdefault(key, path)
            elif on_previous is not None and got.error is not None:
                on_previous(got)
    to_read = [e.path for e in entries if e.skip is None]
    failed: dict[str, Outcome] = {}
    item_keys: dict[str, tuple[str, int]] = {}
    if fixed is None:
        for path, got, key in _keys(to_read, jobs, reports, progress, "read", limits):
            if got.error is not None:
                failed[path] = got
            elif key is not None:
                item_keys[path] = key
        by_key = dict(pool_keys)
        for path, key in item_keys.items():
            by_key.setdefault(key, path)
        partner = {
            path: by_key.get((key[0], key[1] - 1))
            for path, key in item_keys.items()
            if (key[0], key[1] - 1) in by_key
        }
    else:
        partner = dict.fromkeys(to_read, fixed_path)

    def tasks() -> Iterator[_Task]:
        for path in to_read:
            if path in failed:
                continue
            prev_path = partner.get(path)
            yield _Task(
                path,
                report=reports.get(path),
                previous_path=prev_path,
                previous=fixed if fixed is not None else reports.get(prev_path),
                options=options,
                limits=limits,
            )

    done = _run("check", tasks(), jobs)
    for e in entries:
        if e.skip is not None:
            yield _skipped(e)
        elif e.path in failed:
            yield failed[e.path]
        else:
            yield next(done)


__all__ = ["CheckOptions", "Outcome", "Status", "check_files", "pair_reports", "read_files"]
