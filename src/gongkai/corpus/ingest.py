"""The per-file unit of work: :func:`process` (pure) and :func:`store` (one transaction).

``process(source, name=…, url=…)`` reads and checks one file and returns an
:class:`Ingested` — everything the corpus keeps about it as plain rows (the
columns of :mod:`gongkai.corpus.models`), or the failure in one line. It
touches no database and pickles, so a process pool or a Dask cluster can map
it over files and store the results anywhere (``Ingested.rows()`` are the rows
of a Parquet dataset with the same columns).

``store(session, ingested)`` writes one result in the session's transaction.
It is idempotent by sha256 (the same bytes twice add nothing); a different
file for an agency and year already present is kept as another version and a
``versions-differ`` finding names the cells that differ.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from gongkai.corpus import prose_index
from gongkai.corpus.agencies import AgencyInfo, Overrides, derive
from gongkai.corpus.cache import bump
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
    pack_record,
)
from gongkai.errors import GongkaiError, InputError
from gongkai.i18n import pick
from gongkai.record import Report, flat_cells

#: a file larger than this is refused before reading (bounded memory)
MAX_BYTES = 64 * 1024 * 1024
#: paragraphs shorter than this (normalised) are not compared for reuse
MIN_PARAGRAPH = 20
_TABLES = ("table2", "table3", "table4", "legacy")
_UNITS = {"万元": 1.0, "万": 1.0, "元": 1e-4, "亿元": 1e4}
_MONEY = re.compile(r"^\s*(-?[\d,]+(?:\.\d+)?)\s*(万元|亿元|元|万)?\s*$")
_NOISE = re.compile(r"[\W\d_a-zA-Z]+")

_MSG = {
    "unexpected": (
        "{name}：读取时出现意外错误（{kind}），已跳过",
        "{name}: unexpected error while reading ({kind}); skipped",
    ),
    "too_large": (
        "{name}：文件过大（{size} 字节，上限 {cap}），已跳过",
        "{name}: file too large ({size} bytes, limit {cap}); skipped",
    ),
    "versions_differ": (
        "{agency} {year} 年度报告另有一个不同的版本（{other}），{n} 个单元格不同：{cells}",
        "{agency} {year}: another version of this report ({other}) differs in {n} cells: {cells}",
    ),
}


@dataclass
class Ingested:
    """One file, read and checked: the rows to store, or why it failed."""

    name: str
    sha256: str
    size: int
    ok: bool
    error: str | None = None
    url: str | None = None
    fetched_at: dt.datetime | None = None
    format: str | None = None
    content: bytes = b""
    report: dict[str, Any] = field(default_factory=dict)
    agency: AgencyInfo | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: list[dict[str, Any]] = field(default_factory=list)
    #: the record, packed (:func:`~gongkai.corpus.models.pack_record`)
    record_z: bytes = b""

    def rows(self, report_id: int | None = None) -> dict[str, list[dict[str, Any]]]:
        """The rows of every table for this file (``report_id`` filled in where given)."""
        if not self.ok:
            return {}
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rid = {"report_id": report_id}
        rep = self.report
        return {
            "sources": [
                {
                    "sha256": self.sha256,
                    "size": self.size,
                    "name": self.name,
                    "url": self.url,
                    "fetched_at": self.fetched_at,
                    "format": self.format,
                    "added_at": now,
                }
            ],
            "blobs": [{"sha256": self.sha256, "data": self.content}],
            "reports": [{**rep, "id": report_id, "sha256": self.sha256, "added_at": now}],
            "records": [{**rid, "record_z": self.record_z}],
            "cells": [{**rid, **c} for c in self.cells],
            "warnings": [{**rid, **w} for w in self.warnings],
            "findings": [{**rid, **f} for f in self.findings],
            "paragraphs": [{**rid, **p} for p in self.paragraphs],
        }


def money_in_wan(text: str | None, label_unit: str | None = None) -> float | None:
    """``"287.54万元"`` → 287.54; ``"96171.6"`` under a 万元 heading → 96171.6;
    no unit anywhere → None (never a guess)."""
    if text is None:
        return None
    m = _MONEY.match(text)
    if not m:
        return None
    unit = m.group(2) or label_unit
    if unit not in _UNITS:
        return None
    return float(m.group(1).replace(",", "")) * _UNITS[unit]


def _money_units() -> dict[str, str | None]:
    from gongkai.national.editions import EDITION_2019, EDITION_2021

    out: dict[str, str | None] = {}
    for ed in (EDITION_2019, EDITION_2021):
        t = ed.table("table2")
        for r in t.rows:
            for c in t.row_columns(r.key):
                if c.kind == "money":
                    out[f"{ed.id}.table2.{r.key}.{c.key}"] = "万元" if "万元" in c.label else None
    return out


def _cells(report: Report, rec: dict[str, Any]) -> list[dict[str, Any]]:
    prov: dict[str, Any] = report.extra("x_provenance") or {}
    blanks = {
        (b.get("table"), b.get("row"), str(b.get("column")))
        for b in report.extra("x_blank_cells") or []
    }
    inferred = {
        (w.get("table"), w.get("row"))
        for w in report.extra("x_warnings") or []
        if w.get("code") == "short-row"
    }
    units = _money_units()
    out = []
    for path, value in flat_cells({k: rec[k] for k in _TABLES if k in rec}).items():
        tbl, row, col = [*path.split("."), "", ""][:3]
        if tbl == "legacy":
            row, col = path.split(".", 1)[1], ""
        p = prov.get(path) or {}
        blank = (tbl, row, col) in blanks
        if tbl == "legacy":
            placed = "prose"
        elif value is None:
            placed = "blank" if blank else "unsure"
        elif (tbl, row) in inferred:
            placed = "inferred"
        elif "table" in p:
            placed = "table"
        elif p:
            placed = "line"
        else:
            placed = "none"
        is_money = isinstance(value, str)
        out.append(
            {
                "path": path,
                "tbl": tbl,
                "row_key": row,
                "col_key": col,
                "value": None if is_money or isinstance(value, bool) else value,
                "amount": money_in_wan(value, units.get(f"{report.template}.{path}"))
                if is_money
                else None,
                "text": value if is_money else None,
                "blank": blank or value is None,
                "placed": placed,
                "line": p.get("line") if isinstance(p.get("line"), int) else None,
                "page": p.get("page") if isinstance(p.get("page"), int) else None,
                # line/page have columns of their own; the rest (table, row, col…) as JSON
                "provenance": json.dumps(rest, ensure_ascii=False, separators=(",", ":"))
                if (rest := provenance_rest(p))
                else None,
            }
        )
    return out


def _warnings(report: Report) -> list[dict[str, Any]]:
    out = []
    for i, w in enumerate(report.extra("x_warnings") or []):
        if not isinstance(w, dict):
            continue
        path = ".".join(str(w[k]) for k in ("table", "row") if w.get(k)) or None
        rest = {k: v for k, v in w.items() if k not in ("code", "message", "message_en")}
        out.append(
            {
                "seq": i,
                "code": str(w.get("code") or "warning"),
                "message": str(w.get("message") or ""),
                "message_en": w.get("message_en"),
                "path": path,
                "detail": json.dumps(rest, ensure_ascii=False, default=str) if rest else None,
            }
        )
    return out


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def finding_row(seq: int, f: dict[str, Any], scope: str = "report") -> dict[str, Any]:
    where = f.get("where") or {}
    known = {"rule", "severity", "message", "where", "expected", "actual"}
    rest = {k: v for k, v in f.items() if k not in known}
    return {
        "seq": seq,
        "rule": f["rule"],
        "severity": f["severity"],
        "scope": scope,
        "message": f.get("message", ""),
        "tbl": where.get("table"),
        "row_key": where.get("row"),
        "col_key": None if where.get("column") is None else str(where.get("column")),
        "section": None if where.get("section") is None else str(where.get("section")),
        "line": where.get("line"),
        "page": where.get("page"),
        "expected": None
        if f.get("expected") is None
        else json.dumps(f.get("expected"), ensure_ascii=False),
        "actual": None
        if f.get("actual") is None
        else json.dumps(f.get("actual"), ensure_ascii=False),
        "expected_num": _num(f.get("expected")),
        "actual_num": _num(f.get("actual")),
        "other_report_id": None,
        "detail": json.dumps(rest, ensure_ascii=False, default=str) if rest else None,
    }


def provenance_rest(p: dict[str, Any]) -> dict[str, Any]:
    """A cell's provenance less the line and page numbers its columns hold."""
    return {k: v for k, v in p.items() if not (k in ("line", "page") and isinstance(v, int))}


def cell_provenance(provenance: str | None, line: int | None, page: int | None) -> dict[str, Any]:
    """A cell's provenance as the reader gave it (``x_provenance[path]``)."""
    out: dict[str, Any] = json.loads(provenance) if provenance else {}
    if line is not None:
        out.setdefault("line", line)
    if page is not None:
        out.setdefault("page", page)
    return out


def normalise_paragraph(text: str, names: tuple[str, ...] = ()) -> str:
    s = unicodedata.normalize("NFKC", text)
    for n in sorted((n for n in names if n), key=len, reverse=True):
        s = s.replace(n, "")
    return _NOISE.sub("", s)


def paragraph_names(agency: str | None) -> tuple[str, ...]:
    """The names taken out of an agency's paragraphs before comparing them: the
    printed name, its canonical name, key and region."""
    if not agency:
        return ()
    info = derive(agency)
    return (agency, info.name, info.key, info.region or "")


@functools.cache
def _labels() -> frozenset[str]:
    """The format's printed labels, normalised: a table's row read as a line of
    prose is the format speaking, not the agency."""
    from gongkai.national.editions import printed_labels

    return frozenset(normalise_paragraph(w) for w in printed_labels())


def _paragraphs(report: Report) -> list[dict[str, Any]]:
    from gongkai.corpus.prose import band_keys

    names = paragraph_names(report.agency)
    labels = _labels()
    out = []
    seq = 0
    for sec in report.extra("x_sections") or []:
        if not isinstance(sec, dict):
            continue
        for para in str(sec.get("text") or "").split("\n"):
            norm = normalise_paragraph(para, names)
            if len(norm) < MIN_PARAGRAPH or norm in labels:
                continue
            out.append(
                {
                    "seq": seq,
                    "part": sec.get("part") if isinstance(sec.get("part"), int) else None,
                    "digest": hashlib.sha1(norm.encode()).hexdigest(),
                    "length": len(norm),
                    "text": para.strip(),
                    "bands": band_keys(norm),
                }
            )
            seq += 1
    return out


def process(
    source: Path | str | bytes,
    *,
    name: str | None = None,
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
    lang: Literal["zh", "en"] | None = None,
    original: bytes | None = None,
) -> Ingested:
    """Read and check one file; never raises for a bad file (the failure is in
    the result, one line naming the file). ``original``: the bytes as found,
    kept and addressed, when ``source`` is a re-encoded copy for reading (a page
    whose charset only the web server declared)."""
    import gongkai

    label = name or (str(source) if not isinstance(source, bytes) else "<bytes>")
    if isinstance(source, bytes):
        data = source
    else:
        from gongkai.batch import regular_file

        try:
            p = regular_file(source)  # a FIFO or a device is refused, not read
            size = p.stat().st_size
            if size > MAX_BYTES:
                return Ingested(
                    label,
                    "",
                    size,
                    False,
                    pick(_MSG["too_large"], lang, name=label, size=size, cap=MAX_BYTES),
                    url=url,
                )
            data = p.read_bytes()
        except InputError as e:
            return Ingested(label, "", 0, False, e.message(lang or _lang()), url=url)
        except OSError as e:
            return Ingested(label, "", 0, False, f"{label}: {e.strerror or e}", url=url)
        name = name or p.name
    kept = original if original is not None else data
    sha = hashlib.sha256(kept).hexdigest()
    base = Ingested(name or label, sha, len(kept), False, url=url, fetched_at=fetched_at)
    if len(data) > MAX_BYTES:
        base.error = pick(_MSG["too_large"], lang, name=label, size=len(data), cap=MAX_BYTES)
        return base
    try:
        report = gongkai.read(data, name=name or label)
    except InputError as e:
        base.error = e.message(lang or _lang())
        return base
    except GongkaiError as e:
        base.error = f"{label}: {e}"
        return base
    except Exception as e:  # a reader bug must not stop a batch: named, skipped
        base.error = pick(_MSG["unexpected"], lang, name=label, kind=type(e).__name__)
        return base
    return from_report(report, kept, name=base.name, url=url, fetched_at=fetched_at, lang=lang)


def from_report(
    report: Report,
    content: bytes,
    *,
    name: str,
    url: str | None = None,
    fetched_at: dt.datetime | None = None,
    lang: Literal["zh", "en"] | None = None,
) -> Ingested:
    """Check a report already read and make its rows (``process`` after reading;
    a record from elsewhere — a synthetic corpus, a cluster — the same way)."""
    import gongkai

    sha = hashlib.sha256(content).hexdigest()
    base = Ingested(name, sha, len(content), False, url=url, fetched_at=fetched_at)
    try:
        result = gongkai.check(report, lang=lang) if lang else gongkai.check(report)
    except Exception as e:  # a checker bug must not stop a batch either
        base.error = pick(_MSG["unexpected"], lang, name=name, kind=type(e).__name__)
        return base
    rec = report.to_dict()
    src = rec.get("x_source") or {}
    info = derive(report.agency) if report.agency else None
    cells = _cells(report, rec)
    findings = [finding_row(i, f.to_dict()) for i, f in enumerate(result.findings)]
    sev = [f["severity"] for f in findings]
    # the text is in the original file, the provenance in the cells
    stored = {k: v for k, v in rec.items() if k not in ("x_text", "x_provenance")}
    base.ok = True
    base.format = src.get("format")
    base.content = content
    base.agency = info
    base.cells = cells
    base.warnings = _warnings(report)
    base.findings = findings
    base.paragraphs = _paragraphs(report)
    base.report = {
        "agency": report.agency,
        "agency_key": info.key if info else None,
        "year": report.year,
        "template": report.template,
        "published": report.published,
        "version": 1,
        "current": True,
        "n_errors": sev.count("error"),
        "n_warnings": sev.count("warning"),
        "n_infos": sev.count("info"),
        "n_cells": len(cells),
        "n_blank": sum(1 for c in cells if c["blank"]),
    }
    base.record_z = pack_record(stored)
    return base


def _lang() -> Literal["zh", "en"]:
    from gongkai.i18n import current_lang

    return current_lang()


@dataclass(frozen=True)
class Stored:
    """What :func:`store` did: ``added``, ``version`` (another version of an
    agency's report for a year), ``exists`` (these bytes are already stored)
    ``failed`` (the file could not be read; nothing stored) or ``skipped`` (a
    file of a folder that is not a report, with why)."""

    status: Literal["added", "version", "exists", "failed", "skipped"]
    name: str
    sha256: str
    report_id: int | None = None
    version: int = 1
    differs: tuple[str, ...] = ()
    error: str | None = None


def _ensure_agency(session: Session, info: AgencyInfo) -> bool:
    """The agency stored or brought up to date; True when a stored one changed
    (its name, level… count in the answers about every year)."""
    row = session.scalar(select(Agency).where(Agency.key == info.key))
    if row is None:
        session.add(
            Agency(
                key=info.key,
                name=info.name,
                level=info.level,
                kind=info.kind,
                region=info.region,
                parent_key=info.parent_key,
                origin=info.origin,
            )
        )
        session.flush()
        return False
    if info.origin == "override" or (row.origin == "names" and len(info.name) > len(row.name)):
        before = (row.name, row.level, row.kind, row.region, row.parent_key, row.origin)
        # an override wins; otherwise the fullest printed name is the canonical one
        row.name, row.level, row.kind, row.region, row.parent_key, row.origin = (
            info.name,
            info.level,
            info.kind,
            info.region,
            info.parent_key,
            info.origin,
        )
        return before != (row.name, row.level, row.kind, row.region, row.parent_key, row.origin)
    return False


def store(
    session: Session,
    ingested: Ingested,
    *,
    overrides: Overrides | None = None,
    lang: Literal["zh", "en"] | None = None,
) -> Stored:
    """Write one result in the session's transaction (the caller commits)."""
    if not ingested.ok:
        return Stored("failed", ingested.name, ingested.sha256, error=ingested.error)
    existing = session.scalar(select(ReportRow.id).where(ReportRow.sha256 == ingested.sha256))
    if existing is not None:
        return Stored("exists", ingested.name, ingested.sha256, report_id=existing)
    info = ingested.agency
    if info is not None and overrides is not None:
        info = overrides.apply(info)
    every_year = info is not None and _ensure_agency(session, info)
    rows = ingested.rows()
    rep = rows["reports"][0]
    rep.pop("id")
    if info is not None:
        rep["agency_key"] = info.key
    if session.get(Source, ingested.sha256) is None:
        session.add(Source(**rows["sources"][0]))
        session.flush()
        session.add(Blob(**rows["blobs"][0]))
        session.flush()
    previous = None
    if rep["agency_key"] and rep["year"] is not None:
        same = (ReportRow.agency_key == rep["agency_key"]) & (ReportRow.year == rep["year"])
        rep["version"] = (session.scalar(select(func.max(ReportRow.version)).where(same)) or 0) + 1
        previous = session.scalar(select(ReportRow).where(same & ReportRow.current.is_(True)))
        if previous is not None:  # its prose is no longer compared: the new version's is
            prose_index.unindex_reports(session.connection(), [previous.id])
        session.execute(update(ReportRow).where(same).values(current=False))
    report = ReportRow(**rep)
    session.add(report)
    session.flush()
    rid = report.id
    for table, model in (
        ("records", ReportRecord),
        ("cells", CellRow),
        ("warnings", WarningRow),
        ("paragraphs", ParagraphRow),
    ):
        if rows[table]:
            session.execute(
                insert(cast(Table, model.__table__)), [{**r, "report_id": rid} for r in rows[table]]
            )
    findings = [{**f, "report_id": rid} for f in rows["findings"]]
    differs: tuple[str, ...] = ()
    if previous is not None:
        differs = _differing_cells(session, previous.id, ingested.cells)
        if differs:
            shown = "、".join(differs[:8]) + ("…" if len(differs) > 8 else "")
            f = finding_row(
                len(findings),
                {
                    "rule": "versions-differ",
                    "severity": "warning",
                    "message": pick(
                        _MSG["versions_differ"],
                        lang,
                        agency=rep["agency"] or rep["agency_key"],
                        year=rep["year"],
                        other=previous.sha256[:12],
                        n=len(differs),
                        cells=shown,
                    ),
                    "expected": None,
                    "actual": len(differs),
                },
                scope="corpus",
            )
            f.update(
                report_id=rid,
                other_report_id=previous.id,
                detail=json.dumps({"cells": list(differs)}, ensure_ascii=False),
            )
            findings.append(f)
            report.n_warnings += 1
    if findings:
        session.execute(insert(cast(Table, FindingRow.__table__)), findings)
    prose_index.index_reports(session.connection(), [rid])
    bump(session.connection(), None if every_year else [rep["year"]])
    return Stored(
        "version" if previous is not None else "added",
        ingested.name,
        ingested.sha256,
        rid,
        rep["version"],
        differs,
    )


def _differing_cells(
    session: Session, other_id: int, cells: list[dict[str, Any]]
) -> tuple[str, ...]:
    old = {
        p: (v, t)
        for p, v, t in session.execute(
            select(CellRow.path, CellRow.value, CellRow.text).where(CellRow.report_id == other_id)
        )
    }
    new = {c["path"]: (c["value"], c["text"]) for c in cells}
    return tuple(sorted(p for p in set(old) | set(new) if old.get(p) != new.get(p)))
