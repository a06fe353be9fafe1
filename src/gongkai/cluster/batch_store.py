"""Storing a batch of read files in the corpus database with a few statements, not a few a file.

:func:`store_batch` stores what :func:`gongkai.corpus.ingest.store` would,
file after file, in the session's transaction — the same rows, ids handed
out by the database in the same order — but a file that is new for its
agency and year (the great majority) is stored with the batch's other new
files: one statement a table for all of them (``INSERT … RETURNING`` for the
reports' ids, ``executemany`` for their cells, warnings, findings and
paragraphs), the sha256 and agencies already present asked for once. A file
that is another version of a report already stored — which needs the
previous version's cells for ``versions-differ`` — goes through ``store``
itself, after the new files before it are written, so the order is the
order of the batch. At 200 files a batch this is one round trip where
``store`` made about ten a file (see ``bench/cluster.py --to db``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal, cast

from sqlalchemy import Table, insert, select, tuple_
from sqlalchemy.orm import Session

from gongkai.corpus import prose_index
from gongkai.corpus.agencies import AgencyInfo, Overrides
from gongkai.corpus.cache import bump
from gongkai.corpus.ingest import Ingested, Stored, store
from gongkai.corpus.models import (
    Agency,
    Blob,
    CellRow,
    FindingRow,
    ParagraphRow,
    ReportRecord,
    ReportRow,
    Source,
    WarningRow,
)

Lang = Literal["zh", "en"] | None
_CHILDREN = (
    ("records", ReportRecord),
    ("cells", CellRow),
    ("warnings", WarningRow),
    ("paragraphs", ParagraphRow),
    ("findings", FindingRow),
)
_FIELDS = ("name", "level", "kind", "region", "parent_key", "origin")


def _t(model: Any) -> Table:
    return cast(Table, model.__table__)


def _replaces(info: AgencyInfo, name: str, origin: str) -> bool:
    """Whether ``info`` replaces what is kept of its agency (the rule of ``store``)."""
    return info.origin == "override" or (origin == "names" and len(info.name) > len(name))


class _Pending:
    """New files waiting to be written together (in the batch's order)."""

    def __init__(self) -> None:
        self.files: list[tuple[int, Ingested, AgencyInfo | None]] = []
        self.keys: set[tuple[str, int]] = set()

    def __bool__(self) -> bool:
        return bool(self.files)


def store_batch(
    session: Session,
    batch: Sequence[Ingested],
    *,
    overrides: Overrides | None = None,
    lang: Lang = None,
) -> list[Stored]:
    """Store ``batch`` in the session's transaction (the caller commits); one
    :class:`Stored` a file, as :func:`~gongkai.corpus.ingest.store` gives."""
    out: list[Stored | None] = [None] * len(batch)
    shas = list({g.sha256 for g in batch if g.ok})
    held = _chunked_in(session, ReportRow.sha256, ReportRow.id, shas)
    infos = [_info(g, overrides) for g in batch]
    keys = list(
        {
            (info.key, g.report["year"])
            for g, info in zip(batch, infos, strict=True)
            if g.ok and info is not None and info.key and g.report["year"] is not None
        }
    )
    stored_keys = _stored_keys(session, keys)
    pending = _Pending()
    seen: dict[str, int] = {}  # sha256 → index of the batch's first file with those bytes
    twins: list[tuple[int, int]] = []
    for i, g in enumerate(batch):
        if not g.ok:
            out[i] = Stored("failed", g.name, g.sha256, error=g.error)
            continue
        if g.sha256 in held:
            out[i] = Stored("exists", g.name, g.sha256, report_id=held[g.sha256])
            continue
        if g.sha256 in seen:  # the same bytes twice in the batch: stored once
            twins.append((i, seen[g.sha256]))
            continue
        seen[g.sha256] = i
        info = infos[i]
        year = g.report["year"]
        key = (info.key, year) if info is not None and info.key and year is not None else None
        if key is not None and (key in stored_keys or key in pending.keys):
            stored_keys |= pending.keys
            _flush(session, pending, out)  # the version before it must be stored first
            out[i] = store(session, g, overrides=overrides, lang=lang)
            continue
        pending.files.append((i, g, info))
        if key is not None:
            pending.keys.add(key)
    _flush(session, pending, out)
    for i, first in twins:
        got = out[first]
        assert got is not None
        out[i] = replace(got, status="exists", name=batch[i].name, version=1, differs=())
    return [s for s in out if s is not None]


def _info(g: Ingested, overrides: Overrides | None) -> AgencyInfo | None:
    if g.agency is not None and overrides is not None:
        return overrides.apply(g.agency)
    return g.agency


def _stored_keys(session: Session, keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (agency key, year) among ``keys`` that have a report stored."""
    out: set[tuple[str, int]] = set()
    for i in range(0, len(keys), 400):
        part = keys[i : i + 400]
        q = select(ReportRow.agency_key, ReportRow.year).where(
            tuple_(ReportRow.agency_key, ReportRow.year).in_(part)
        )
        out.update((k, y) for k, y in session.execute(q) if k is not None and y is not None)
    return out


def _chunked_in(session: Session, col: Any, value: Any, keys: list[str]) -> dict[str, Any]:
    """{key: value} of the rows whose ``col`` is among ``keys`` (asked 500 at a time)."""
    out: dict[str, Any] = {}
    for i in range(0, len(keys), 500):
        out.update(
            (k, v) for k, v in session.execute(select(col, value).where(col.in_(keys[i : i + 500])))
        )
    return out


def _agencies(session: Session, infos: list[AgencyInfo]) -> bool:
    """Every agency of the batch present, as ``store``'s ``_ensure_agency`` leaves
    it; True when a stored one changed."""
    if not infos:
        return False
    changed = False
    keys = list({i.key for i in infos})
    rows = {
        a.key: a
        for k in range(0, len(keys), 500)
        for a in session.scalars(select(Agency).where(Agency.key.in_(keys[k : k + 500])))
    }
    new: dict[str, dict[str, Any]] = {}
    for info in infos:
        fields = {f: getattr(info, f) for f in _FIELDS}
        if info.key in new:
            kept = new[info.key]
            if _replaces(info, kept["name"], kept["origin"]):
                kept.update(fields)
        elif info.key in rows:
            row = rows[info.key]
            if _replaces(info, row.name, row.origin):
                changed |= any(getattr(row, f) != v for f, v in fields.items())
                for f, v in fields.items():
                    setattr(row, f, v)
        else:
            new[info.key] = {"key": info.key, **fields}
    session.flush()
    if new:
        session.execute(insert(_t(Agency)), list(new.values()))
    return changed


def _flush(session: Session, pending: _Pending, out: list[Stored | None]) -> None:
    """Write the pending new files: a statement a table."""
    if not pending:
        return
    files = pending.files
    every_year = _agencies(session, [info for _, _, info in files if info is not None])
    rows = [g.rows() for _, g, _ in files]
    known = _chunked_in(session, Source.sha256, Source.sha256, [g.sha256 for _, g, _ in files])
    fresh = [r for r in rows if r["sources"][0]["sha256"] not in known]
    if fresh:
        session.execute(insert(_t(Source)), [r["sources"][0] for r in fresh])
        session.execute(insert(_t(Blob)), [r["blobs"][0] for r in fresh])
    reports = []
    for r, (_, _, info) in zip(rows, files, strict=True):
        rep = dict(r["reports"][0])
        rep.pop("id")
        if info is not None:
            rep["agency_key"] = info.key
        reports.append(rep)
    table = _t(ReportRow)
    ids = list(
        session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), reports
        ).scalars()
    )
    for name, model in _CHILDREN:
        children = [
            {**c, "report_id": rid} for r, rid in zip(rows, ids, strict=True) for c in r[name]
        ]
        if children:
            session.execute(insert(_t(model)), children)
    for (i, g, _), rid in zip(files, ids, strict=True):
        out[i] = Stored("added", g.name, g.sha256, rid, 1)
    pending.files, pending.keys = [], set()
    prose_index.index_reports(session.connection(), ids)  # prose matched as it is stored
    # cached answers (rank, prose) of these years are stale now
    bump(session.connection(), None if every_year else {r["year"] for r in reports})
