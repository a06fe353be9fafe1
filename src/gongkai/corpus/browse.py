"""Browsing the corpus a page at a time: what the web pages and the API ask.

Listing with pagination and sorting, the key figures of a selection, the
findings counted by rule, the choices a filter offers, an agency's reports
across years with its carry-over chain, and the prose two reports share.
Portable SQL over :mod:`gongkai.corpus.models`, on the same
:class:`~gongkai.corpus.query.Filter` as every other corpus function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, select

from gongkai.corpus.models import Agency, Blob, CellRow, FindingRow, ParagraphRow, ReportRow, Source
from gongkai.corpus.query import (
    ALL,
    A,
    Filter,
    R,
    ReportSummary,
    _conn,
    _summary_select,
)

C = CellRow.__table__.c
P = ParagraphRow.__table__.c

Sort = Literal["year", "agency", "errors", "warnings", "id"]
_SORT = {
    "year": (R.year, R.agency_key),
    "agency": (R.agency_key, R.year),
    "errors": (R.n_errors, R.year),
    "warnings": (R.n_warnings, R.year),
    "id": (R.id,),
}


@dataclass(frozen=True)
class Page:
    """One page of a listing."""

    total: int
    page: int
    per_page: int
    items: list[ReportSummary]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def page_reports(
    conn: Engine | Connection,
    flt: Filter = ALL,
    *,
    page: int = 1,
    per_page: int = 50,
    sort: Sort = "year",
    descending: bool = False,
    total: int | None = None,
) -> Page:
    """The chosen reports, ``per_page`` at a time (``page`` counts from 1).
    ``total``: their number if the caller already knows it (:func:`count_reports`)."""
    per_page = max(1, min(per_page, 1000))
    page = max(1, page)
    keys = _SORT.get(sort, _SORT["year"])
    order = [k.desc() if descending else k.asc() for k in keys] + [R.id.asc()]
    q = _summary_select(flt).order_by(None).order_by(*order)
    with _conn(conn) as c:
        if total is None:
            total = count_reports(c, flt)
        rows = c.execute(q.limit(per_page).offset((page - 1) * per_page))
        return Page(int(total), page, per_page, [ReportSummary(*row) for row in rows])


def count_reports(conn: Engine | Connection, flt: Filter = ALL) -> int:
    """How many reports ``flt`` chooses. Joined to the agencies only when the
    filter asks of them; never to the sources (every report has its source), so
    the count reads no more than it must (at 100,000 reports it was most of a
    listing's time)."""
    q = select(func.count()).select_from(_chosen(flt)).where(flt.condition())
    with _conn(conn) as c:
        return int(c.execute(q).scalar_one())


def _chosen(flt: Filter) -> Any:
    """The reports, joined to their agency only if ``flt`` asks of it."""
    table: Any = ReportRow.__table__
    if flt.agency or flt.level or flt.region:
        table = table.outerjoin(Agency.__table__, A.key == R.agency_key)
    return table


@dataclass(frozen=True)
class Figures:
    """The key figures of a selection."""

    reports: int
    agencies: int
    first_year: int | None
    last_year: int | None
    errors: int
    warnings: int
    with_errors: int


def key_figures(conn: Engine | Connection, flt: Filter = ALL) -> Figures:
    q = (
        select(
            func.count(),
            func.count(func.distinct(R.agency_key)),
            func.min(R.year),
            func.max(R.year),
            func.coalesce(func.sum(R.n_errors), 0),
            func.coalesce(func.sum(R.n_warnings), 0),
            func.coalesce(func.sum((R.n_errors > 0).cast(R.n_errors.type)), 0),
        )
        .select_from(_chosen(flt))
        .where(flt.condition())
    )
    with _conn(conn) as c:
        n, agencies, first, last, errors, warnings, bad = c.execute(q).one()
    return Figures(int(n), int(agencies), first, last, int(errors), int(warnings), int(bad))


@dataclass(frozen=True)
class RuleCount:
    rule: str
    severity: str
    findings: int
    reports: int


def findings_by_rule(conn: Engine | Connection, flt: Filter = ALL) -> list[RuleCount]:
    """How often each rule found something in the chosen reports (most first)."""
    f = FindingRow.__table__.alias("f")
    q = (
        select(f.c.rule, f.c.severity, func.count(), func.count(func.distinct(f.c.report_id)))
        .select_from(_chosen(flt).join(f, f.c.report_id == R.id))
        .where(flt.condition())
        .group_by(f.c.rule, f.c.severity)
    )
    with _conn(conn) as c:
        out = [RuleCount(r, s, int(n), int(k)) for r, s, n, k in c.execute(q)]
    return sorted(out, key=lambda x: (-x.findings, x.rule))


def rule_examples(
    conn: Engine | Connection, per_rule: int = 3
) -> dict[str, list[tuple[int, str | None, int | None]]]:
    """For each rule, a few reports where it found something: (id, agency, year)."""
    f = FindingRow.__table__.alias("f")
    q = (
        select(f.c.rule, R.id, R.agency, R.year)
        .select_from(_chosen(ALL).join(f, f.c.report_id == R.id))
        .where(ALL.condition())
        .group_by(f.c.rule, R.id, R.agency, R.year)
        .order_by(f.c.rule, R.year.desc(), R.id)
    )
    out: dict[str, list[tuple[int, str | None, int | None]]] = {}
    with _conn(conn) as c:
        for rule, rid, agency, year in c.execute(q):
            got = out.setdefault(rule, [])
            if len(got) < per_rule:
                got.append((rid, agency, year))
    return out


@dataclass(frozen=True)
class Facets:
    """What a filter can choose from."""

    years: list[int]
    levels: list[str]
    regions: list[str]


def facets(conn: Engine | Connection) -> Facets:
    with _conn(conn) as c:
        years = [
            y
            for (y,) in c.execute(
                select(R.year).where(R.year.is_not(None)).distinct().order_by(R.year)
            )
        ]
        levels = [v for (v,) in c.execute(select(A.level).where(A.level.is_not(None)).distinct())]
        regions = [
            v
            for (v,) in c.execute(
                select(A.region).where(A.region.is_not(None)).distinct().order_by(A.region)
            )
        ]
    return Facets(years, sorted(levels), regions[:500])


# ------------------------------------------------------------------ one agency


@dataclass(frozen=True)
class AgencyInfo:
    key: str
    name: str
    level: str | None
    kind: str | None
    region: str | None
    parent_key: str | None


def agency(conn: Engine | Connection, key: str) -> AgencyInfo | None:
    with _conn(conn) as c:
        row = c.execute(
            select(A.key, A.name, A.level, A.kind, A.region, A.parent_key).where(A.key == key)
        ).first()
    return AgencyInfo(*row) if row is not None else None


def agency_reports(conn: Engine | Connection, key: str) -> list[ReportSummary]:
    """Every report of the agency ``key``, every version, by year."""
    q = (
        _summary_select(Filter(all_versions=True))
        .where(R.agency_key == key)
        .order_by(None)
        .order_by(R.year, R.version, R.id)
    )
    with _conn(conn) as c:
        return [ReportSummary(*row) for row in c.execute(q)]


@dataclass
class ChainLink:
    """结转下年度 of one year against 上年结转 of the next (seven columns)."""

    year: int
    next_year: int
    report_id: int
    next_id: int
    carried_forward: list[int | None] = field(default_factory=list)
    next_carried_over: list[int | None] = field(default_factory=list)

    @property
    def matches(self) -> list[bool | None]:
        """Per column: True/False, or None where a cell is blank (never read as zero)."""
        return [
            None if a is None or b is None else a == b
            for a, b in zip(self.carried_forward, self.next_carried_over, strict=True)
        ]


def carry_chain(conn: Engine | Connection, key: str) -> list[ChainLink]:
    """The carry-over chain of an agency's current reports, year by year."""
    with _conn(conn) as c:
        current = {
            year: rid
            for rid, year in c.execute(
                select(R.id, R.year).where(
                    R.agency_key == key, R.current.is_(True), R.year.is_not(None)
                )
            )
        }
        ids = tuple(current.values())
        values: dict[int, dict[str, int | None]] = {}
        if ids:
            for rid, path, value in c.execute(
                select(C.report_id, C.path, C.value).where(
                    C.report_id.in_(ids),
                    C.path.like("table3.carr%"),
                )
            ):
                values.setdefault(rid, {})[path] = value
    out: list[ChainLink] = []
    for year in sorted(current):
        nxt = current.get(year + 1)
        if nxt is None:
            continue
        now, later = values.get(current[year], {}), values.get(nxt, {})
        out.append(
            ChainLink(
                year,
                year + 1,
                current[year],
                nxt,
                [now.get(f"table3.carried_forward.{i}") for i in range(7)],
                [later.get(f"table3.carried_over.{i}") for i in range(7)],
            )
        )
    return out


def metric_by_year(
    conn: Engine | Connection, key: str, paths: tuple[str, ...]
) -> dict[int, int | None]:
    """The sum of ``paths`` in each year's current report of agency ``key`` (None: all blank)."""
    q = (
        select(R.year, func.sum(C.value), func.count(C.value))
        .select_from(ReportRow.__table__.join(CellRow.__table__, C.report_id == R.id))
        .where(R.agency_key == key, R.current.is_(True), C.path.in_(paths))
        .group_by(R.year)
    )
    with _conn(conn) as c:
        return {y: (int(s) if n else None) for y, s, n in c.execute(q) if y is not None}


# ------------------------------------------------------------------ two reports


def shared_paragraphs(conn: Engine | Connection, a: int, b: int) -> list[str]:
    """Paragraphs of report ``a`` near-identical to one of report ``b``
    (:mod:`gongkai.corpus.prose`)."""
    from gongkai.corpus.prose import shared_between

    return shared_between(conn, a, b)


def source_bytes(conn: Engine | Connection, report_id: int) -> tuple[str, bytes] | None:
    """The original file of a report: its name and bytes."""
    S, B = Source.__table__.c, Blob.__table__.c
    q = (
        select(S.name, B.data)
        .select_from(
            ReportRow.__table__.join(Source.__table__, S.sha256 == R.sha256).join(
                Blob.__table__, B.sha256 == S.sha256
            )
        )
        .where(R.id == report_id)
    )
    with _conn(conn) as c:
        row = c.execute(q).first()
    return (row[0], bytes(row[1])) if row is not None else None
