"""Listing, showing and removing reports of the corpus, with filters.

:class:`Filter` turns ``--year/--agency/--level/--region/--rule`` into a
portable SQLAlchemy Core condition over ``reports`` joined to ``agencies``;
the analysis functions use the same one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    update,
)

from gongkai.corpus import prose_index
from gongkai.corpus.cache import bump
from gongkai.corpus.models import (
    Agency,
    FindingRow,
    ReportRecord,
    ReportRow,
    Source,
    WarningRow,
    unpack_record,
)

R = ReportRow.__table__.c
A = Agency.__table__.c
F = FindingRow.__table__.c
S = Source.__table__.c


@dataclass(frozen=True)
class Filter:
    """Which reports: every field None means all (of the current versions)."""

    years: tuple[int, ...] = ()
    agency: str | None = None
    level: str | None = None
    region: str | None = None
    rule: str | None = None
    ids: tuple[int, ...] = ()
    all_versions: bool = False

    def condition(self) -> ColumnElement[bool]:
        conds: list[ColumnElement[bool]] = []
        if not self.all_versions:
            conds.append(R.current == true())
        if self.ids:
            conds.append(R.id.in_(self.ids))
        if self.years:
            conds.append(R.year.in_(self.years))
        if self.agency:
            like = f"%{self.agency}%"
            conds.append(or_(R.agency.like(like), R.agency_key.like(like), A.name.like(like)))
        if self.level:
            conds.append(A.level == self.level)
        if self.region:
            conds.append(A.region.like(f"%{self.region}%"))
        if self.rule:
            conds.append(exists().where(F.report_id == R.id, F.rule == self.rule))
        return and_(true(), *conds)

    def is_empty(self) -> bool:
        return not (self.years or self.agency or self.level or self.region or self.rule or self.ids)


#: every report (of the current versions)
ALL = Filter()


def reports_from() -> Any:
    """``reports`` joined to its agency and source (outer: an agency may be unknown)."""
    return ReportRow.__table__.outerjoin(Agency.__table__, A.key == R.agency_key).join(
        Source.__table__, S.sha256 == R.sha256
    )


@dataclass(frozen=True)
class ReportSummary:
    id: int
    year: int | None
    agency: str | None
    agency_key: str | None
    level: str | None
    region: str | None
    template: str
    version: int
    current: bool
    errors: int
    warnings: int
    name: str
    sha256: str
    url: str | None


def _summary_select(flt: Filter) -> Select[Any]:
    return (
        select(
            R.id,
            R.year,
            R.agency,
            R.agency_key,
            A.level,
            A.region,
            R.template,
            R.version,
            R.current,
            R.n_errors,
            R.n_warnings,
            S.name,
            R.sha256,
            S.url,
        )
        .select_from(reports_from())
        .where(flt.condition())
        .order_by(R.year, R.agency_key, R.version, R.id)
    )


def list_reports(conn: Engine | Connection, flt: Filter = ALL) -> list[ReportSummary]:
    with _conn(conn) as c:
        return [ReportSummary(*row) for row in c.execute(_summary_select(flt))]


@dataclass
class ReportDetail:
    summary: ReportSummary
    record: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    source: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The record of interchange.md with ``x_source`` naming the file and its findings."""
        rec = dict(self.record)
        rec["x_source"] = {**(rec.get("x_source") or {}), **self.source}
        return {"report": rec, "findings": self.findings}


def finding_dict(row: Any) -> dict[str, Any]:
    """A stored finding back as the finding record of interchange.md."""
    where = {
        k: v
        for k, v in (
            ("table", row.tbl),
            ("row", row.row_key),
            ("column", _col(row.col_key)),
            ("section", row.section),
            ("line", row.line),
            ("page", row.page),
        )
        if v is not None
    }
    out: dict[str, Any] = {
        "rule": row.rule,
        "severity": row.severity,
        "message": row.message,
        "where": where,
    }
    for k in ("expected", "actual"):
        v = getattr(row, k)
        if v is not None:
            out[k] = json.loads(v)
    if row.detail:
        out.update(json.loads(row.detail))
    if row.scope != "report":
        out["x_scope"] = row.scope
    return out


def _col(v: str | None) -> int | str | None:
    return int(v) if v is not None and v.isdigit() else v


def show_report(conn: Engine | Connection, report_id: int) -> ReportDetail | None:
    with _conn(conn) as c:
        rows = list_reports(c, Filter(ids=(report_id,), all_versions=True))
        if not rows:
            return None
        s = rows[0]
        rec = record_of(c, report_id)
        rec["x_provenance"] = provenance_of(c, report_id)
        findings = [
            finding_dict(r)
            for r in c.execute(
                select(FindingRow.__table__).where(F.report_id == report_id).order_by(F.seq)
            )
        ]
        W = WarningRow.__table__.c
        warnings = [
            {"code": w.code, "message": w.message, "path": w.path}
            for w in c.execute(
                select(WarningRow.__table__).where(W.report_id == report_id).order_by(W.seq)
            )
        ]
        src = c.execute(
            select(S.name, S.sha256, S.url, S.size, S.format, S.fetched_at).where(
                S.sha256 == s.sha256
            )
        ).one()
        source = {
            "name": src.name,
            "sha256": src.sha256,
            "url": src.url,
            "size": src.size,
            "format": src.format,
            "fetched_at": src.fetched_at.isoformat()
            if isinstance(src.fetched_at, dt.datetime)
            else None,
        }
        return ReportDetail(s, rec, findings, warnings, source)


def provenance_of(c: Connection, report_id: int) -> dict[str, Any]:
    """The record's ``x_provenance``, rebuilt from its cells."""
    from gongkai.corpus.ingest import cell_provenance
    from gongkai.corpus.models import CellRow

    cc = CellRow.__table__.c
    q = select(cc.path, cc.provenance, cc.line, cc.page).where(cc.report_id == report_id)
    out = {}
    for path, prov, line, page in c.execute(q):
        got = cell_provenance(prov, line, page)
        if got:
            out[path] = got
    return out


def record_of(c: Connection, report_id: int) -> dict[str, Any]:
    """A stored report's record (without its provenance: :func:`provenance_of`)."""
    RR = ReportRecord.__table__.c
    return unpack_record(
        c.execute(select(RR.record_z).where(RR.report_id == report_id)).scalar_one()
    )


def find_ids(conn: Engine | Connection, flt: Filter) -> list[int]:
    with _conn(conn) as c:
        return list(
            c.execute(select(R.id).select_from(reports_from()).where(flt.condition())).scalars()
        )


def remove(conn: Connection, ids: list[int]) -> int:
    """Remove reports (and their source files, cells, findings…); where a current
    version goes, the latest version left becomes current again."""
    if not ids:
        return 0
    groups = list(
        c for c in conn.execute(select(R.agency_key, R.year, R.sha256).where(R.id.in_(ids)))
    )
    # what matched their prose is re-judged before they go (see prose_index)
    prose_index.unindex_reports(conn, ids)
    conn.execute(delete(ReportRow).where(R.id.in_(ids)))
    shas = [g.sha256 for g in groups]
    conn.execute(delete(Source).where(S.sha256.in_(shas), ~exists().where(R.sha256 == S.sha256)))
    for key, year in {
        (g.agency_key, g.year) for g in groups if g.agency_key is not None and g.year is not None
    }:
        same = and_(R.agency_key == key, R.year == year)
        latest = conn.execute(select(func.max(R.version)).where(same)).scalar()
        if latest is not None:
            was = set(conn.execute(select(R.id).where(same, R.current.is_(True))).scalars())
            conn.execute(update(ReportRow).where(same).values(current=R.version == latest))
            now = conn.execute(select(R.id).where(same, R.current.is_(True))).scalars()
            prose_index.index_reports(conn, [i for i in now if i not in was])
    bump(conn, {g.year for g in groups})
    return len(ids)


class _conn:
    """``with _conn(engine_or_connection) as c``: a connection, opened only if needed."""

    def __init__(self, target: Engine | Connection) -> None:
        self.target = target
        self.own: Connection | None = None

    def __enter__(self) -> Connection:
        if isinstance(self.target, Connection):
            return self.target
        self.own = self.target.connect()
        return self.own

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.close()


@dataclass(frozen=True)
class AgencyRow:
    key: str
    name: str
    level: str | None
    kind: str | None
    region: str | None
    parent_key: str | None
    origin: str
    reports: int


def list_agencies(conn: Engine | Connection) -> list[AgencyRow]:
    with _conn(conn) as c:
        counts: dict[str | None, int] = dict(
            c.execute(
                select(R.agency_key, func.count()).where(R.current == true()).group_by(R.agency_key)
            ).all()
        )
        rows = c.execute(
            select(A.key, A.name, A.level, A.kind, A.region, A.parent_key, A.origin).order_by(A.key)
        )
        return [AgencyRow(*r, counts.get(r.key, 0)) for r in rows]


def _move_reports(conn: Connection, key: str, into: str) -> None:
    """Move agency ``key``'s reports to ``into`` (two name variants of one body).

    An agency has one current report a year: where both had one for the same year,
    the one stored later stays current and the other becomes an earlier version
    (versions are numbered again in the order stored). The prose of the reports
    that change agency or stop being current is matched again (the agency a report
    belongs to decides what its prose is compared with)."""
    current = select(R.id, R.year).where(R.current.is_(True), R.year.is_not(None))
    moved: dict[int, int] = {r.id: r.year for r in conn.execute(current.where(R.agency_key == key))}
    staying: dict[int, int] = {
        r.id: r.year for r in conn.execute(current.where(R.agency_key == into))
    }
    latest: dict[int, int] = {}
    for rid, year in (*staying.items(), *moved.items()):
        latest[year] = max(rid, latest.get(year, rid))
    demoted = [rid for rid, year in staying.items() if latest[year] != rid]
    prose_index.unindex_reports(conn, [*moved, *demoted])
    years = {year for year in moved.values() if year in staying.values()}
    conn.execute(update(ReportRow).where(R.agency_key == key).values(agency_key=into))
    for year in sorted(years):
        same = (R.agency_key == into) & (R.year == year)
        ids = list(conn.execute(select(R.id).where(same).order_by(R.id)).scalars())
        for version, rid in enumerate(ids, start=1):
            values = {"version": version, "current": rid == latest[year]}
            conn.execute(update(ReportRow).where(R.id == rid).values(**values))
    prose_index.index_reports(conn, [rid for rid, year in moved.items() if latest[year] == rid])


def apply_overrides(conn: Connection, overrides: Any) -> int:
    """Apply a user's agency file to the stored agencies: their fields, and where
    it gives another key (two name variants are one body), the reports move to
    it. Returns the number of agencies changed."""
    from gongkai.corpus.agencies import AgencyInfo

    changed = 0
    for key in list(conn.execute(select(A.key)).scalars()):
        info: AgencyInfo | None = overrides.by_key.get(key)
        if info is None:
            continue
        changed += 1
        values = {
            "name": info.name,
            "level": info.level,
            "kind": info.kind,
            "region": info.region,
            "parent_key": info.parent_key,
            "origin": "override",
        }
        if info.key != key:
            _move_reports(conn, key, info.key)
            target = conn.execute(select(A.key).where(A.key == info.key)).first()
            if target is None:
                conn.execute(update(Agency).where(A.key == key).values(key=info.key, **values))
            else:
                conn.execute(delete(Agency).where(A.key == key))
                conn.execute(update(Agency).where(A.key == info.key).values(**values))
        else:
            conn.execute(update(Agency).where(A.key == key).values(**values))
    if changed:
        bump(conn)
    return changed
