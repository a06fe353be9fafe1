"""Analysis over the corpus tables, in portable SQL (SQLAlchemy Core).

Every function takes an Engine or a Connection and reads only the tables of
:mod:`gongkai.corpus.models` with standard SQL (joins, CASE, SUM, GROUP BY),
so the same function runs on SQLite, PostgreSQL and DuckDB over a Parquet
dataset with the same columns. Results are typed dataclasses the CLI prints
and the web server renders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Engine, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from gongkai.corpus.metrics import METRICS, RATES, Metric
from gongkai.corpus.models import CellRow, ReportRow
from gongkai.corpus.prose import SharedProse
from gongkai.corpus.query import ALL, A, Filter, R, _conn, reports_from

By = Literal["year", "agency", "level", "region", "none"]
C = CellRow.__table__.c


@dataclass
class StatsRow:
    group: Any
    label: str
    reports: int
    sums: dict[str, int | None]
    rates: dict[str, float | None]


@dataclass
class Stats:
    by: By
    metrics: tuple[Metric, ...]
    rows: list[StatsRow] = field(default_factory=list)

    def total(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for m in self.metrics:
            vals = [r.sums[m.key] for r in self.rows if r.sums[m.key] is not None]
            out[m.key] = sum(v for v in vals if v is not None) if vals else None
        return out


def _group_col(by: By) -> Any:
    return {
        "year": R.year,
        "agency": R.agency_key,
        "level": A.level,
        "region": A.region,
        "none": literal("all"),
    }[by]


def stats(
    conn: Engine | Connection,
    flt: Filter = ALL,
    by: By = "year",
    metrics: tuple[Metric, ...] = METRICS,
) -> Stats:
    """Each metric summed over the chosen reports, by year, agency, level or region."""
    group = _group_col(by).label("grp")
    cols = [func.sum(case((C.path.in_(m.paths), C.value))).label(m.key) for m in metrics]
    paths = sorted({p for m in metrics for p in m.paths})
    q = (
        select(group, func.count(func.distinct(R.id)).label("n"), *cols)
        .select_from(reports_from().join(CellRow.__table__, C.report_id == R.id))
        .where(flt.condition(), C.path.in_(paths))
        .group_by(group)
        .order_by(group)
    )
    # reports without any of these cells count too
    nq = (
        select(group, func.count().label("n"))
        .select_from(reports_from())
        .where(flt.condition())
        .group_by(group)
    )
    out = Stats(by, metrics)
    with _conn(conn) as c:
        counts = {row.grp: row.n for row in c.execute(nq)}
        names: dict[Any, str] = {}
        if by == "agency":
            names = {k: n for k, n in c.execute(select(A.key, A.name))}
        seen = set()
        for row in c.execute(q):
            sums = {
                m.key: (int(getattr(row, m.key)) if getattr(row, m.key) is not None else None)
                for m in metrics
            }
            out.rows.append(
                StatsRow(
                    row.grp,
                    _label(row.grp, by, names),
                    counts.get(row.grp, row.n),
                    sums,
                    {r.key: r.value(sums) for r in RATES},
                )
            )
            seen.add(row.grp)
        for grp, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
            if grp not in seen:
                empty: dict[str, int | None] = {m.key: None for m in metrics}
                out.rows.append(
                    StatsRow(grp, _label(grp, by, names), n, empty, {r.key: None for r in RATES})
                )
    return out


def _label(grp: Any, by: By, names: dict[Any, str]) -> str:
    if grp is None:
        return "—"
    if by == "level":
        from gongkai.corpus.agencies import LEVELS
        from gongkai.i18n import current_lang

        zh, en = LEVELS.get(str(grp), (str(grp), str(grp)))
        return en if current_lang() == "en" else zh
    return names.get(grp, str(grp))


def cell_values(
    conn: Engine | Connection, paths: tuple[str, ...], flt: Filter = ALL
) -> dict[int, dict[str, int | None]]:
    """``{report id: {path: value}}`` for the chosen reports (blank cells are None)."""
    out: dict[int, dict[str, int | None]] = defaultdict(dict)
    q = (
        select(C.report_id, C.path, C.value)
        .select_from(reports_from().join(CellRow.__table__, C.report_id == R.id))
        .where(flt.condition(), C.path.in_(paths))
    )
    with _conn(conn) as c:
        for rid, path, value in c.execute(q):
            out[rid][path] = value
    return dict(out)


# ------------------------------------------------------------------ across years


@dataclass(frozen=True)
class YearBreak:
    """A figure that should carry from one year's report to the next, and does not."""

    agency_key: str
    agency: str | None
    year: int
    check: str  # carry-over | stock-flow
    path: str
    expected: int
    actual: int
    report_id: int
    previous_id: int


#: (this year's cell, last year's cells added, this year's cells added/subtracted)
_CARRY = [
    ("carry-over", f"table3.carried_over.{i}", (f"table3.carried_forward.{i}",), (), ())
    for i in range(7)
]
_STOCK = [
    (
        "stock-flow",
        f"table2.{row}.in_force",
        (f"table2.{row}.in_force",),
        (f"table2.{row}.issued",),
        (f"table2.{row}.repealed",),
    )
    for row in ("rules", "normative_documents")
]


def year_pairs(conn: Engine | Connection, flt: Filter = ALL) -> list[tuple[int, int]]:
    """(report, last year's report of the same agency) for every consecutive pair."""
    prev = aliased(ReportRow)
    q = (
        select(R.id, prev.id)
        .select_from(
            reports_from().join(
                prev,
                and_(
                    prev.agency_key == R.agency_key, prev.year == R.year - 1, prev.current.is_(True)
                ),
            )
        )
        .where(flt.condition())
    )
    with _conn(conn) as c:
        return [(a, b) for a, b in c.execute(q)]


#: the cells the carry-over and stock-flow checks read
BREAK_PATHS = tuple(
    sorted({p for chk in (*_CARRY, *_STOCK) for p in (chk[1], *chk[2], *chk[3], *chk[4])})
)


def year_breaks(
    conn: Engine | Connection,
    flt: Filter = ALL,
    *,
    known: tuple[set[int], dict[int, dict[str, int | None]]] | None = None,
) -> list[YearBreak]:
    """Carry-over (上年结转 = last year's 结转下年度) and stock-flow (现行有效 = last
    year's + 制发 − 废止) for every agency with consecutive years; a blank cell
    is never taken as zero (the pair is skipped). ``known``: the reports whose
    BREAK_PATHS cells the caller has read already, and those cells (one pass
    over the cells instead of two)."""
    with _conn(conn) as c:
        pairs = year_pairs(c, flt)
        if not pairs:
            return []
        ids = tuple({i for p in pairs for i in p})
        read, vals = known if known is not None else (set(), {})
        missing = tuple(i for i in ids if i not in read)
        if missing:
            vals = {**vals, **cell_values(c, BREAK_PATHS, Filter(ids=missing, all_versions=True))}
        meta = {
            r.id: (r.agency_key, r.agency, r.year)
            for r in c.execute(select(R.id, R.agency_key, R.agency, R.year).where(R.id.in_(ids)))
        }
    out = []
    for rid, pid in pairs:
        now, before = vals.get(rid, {}), vals.get(pid, {})
        for name, path, prev_add, now_add, now_sub in (*_CARRY, *_STOCK):
            parts = [
                now.get(path),
                *(before.get(p) for p in prev_add),
                *(now.get(p) for p in now_add),
                *(now.get(p) for p in now_sub),
            ]
            if any(v is None for v in parts):
                continue
            expected = (
                sum(before.get(p) or 0 for p in prev_add)
                + sum(now.get(p) or 0 for p in now_add)
                - sum(now.get(p) or 0 for p in now_sub)
            )
            actual = now.get(path) or 0
            if expected != actual:
                key, agency, year = meta[rid]
                out.append(
                    YearBreak(key or "", agency, year or 0, name, path, expected, actual, rid, pid)
                )
    return sorted(out, key=lambda b: (b.agency_key, b.year, b.path))


# ------------------------------------------------------------------ prose


def _prose(
    conn: Engine | Connection, flt: Filter, same_agency: bool, max_spread: int
) -> list[SharedProse]:
    from gongkai.corpus import cache, prose

    def compute(c: Connection) -> list[SharedProse]:
        chosen = list(
            c.execute(select(R.id, R.year).select_from(reports_from()).where(flt.condition()))
        )
        years = {y for _i, y in chosen if y is not None}
        if not years:
            return []
        return prose.shared_prose(
            c,
            {i for i, _y in chosen},
            same_agency=same_agency,
            max_spread=max_spread,
            years=years,
        )

    kind = "reused" if same_agency else "copied"
    return cache.cached(
        conn,
        f"{kind} prose {flt!r} spread={max_spread} lsh={prose.SHINGLE}/{prose.BANDS}x{prose.ROWS}/{prose.THRESHOLD}",
        compute,
        lambda got: [asdict(s) for s in got],
        lambda raw: [SharedProse(**d) for d in raw],
    )


def copied_prose(
    conn: Engine | Connection, flt: Filter = ALL, *, max_spread: int = 3
) -> list[SharedProse]:
    """Near-duplicate paragraphs of different agencies in the same year
    (:mod:`gongkai.corpus.prose`: shingles of the normalised text, MinHash, LSH
    candidates verified by their Jaccard similarity), with the share of each
    report's prose that is copied. A paragraph found in more than
    ``max_spread`` other agencies is common boilerplate, not copying."""
    return _prose(conn, flt, same_agency=False, max_spread=max_spread)


def reused_prose(conn: Engine | Connection, flt: Filter = ALL) -> list[SharedProse]:
    """Near-duplicate paragraphs an agency's report repeats from its report of
    the year before."""
    return _prose(conn, flt, same_agency=True, max_spread=0)


# ------------------------------------------------------------------ roll-up


@dataclass(frozen=True)
class RollUp:
    """A government's own figure against the sum of its departments' (information)."""

    government_key: str
    government: str
    year: int
    metric: str
    own: int | None
    departments: int
    departments_sum: int | None


def sums_by_agency_year(
    conn: Engine | Connection, flt: Filter = ALL, metrics: tuple[Metric, ...] = METRICS
) -> dict[tuple[str, int], dict[str, int | None]]:
    """Each metric for every (agency key, year) of the chosen reports."""
    paths = sorted({p for m in metrics for p in m.paths})
    cols = [func.sum(case((C.path.in_(m.paths), C.value))).label(m.key) for m in metrics]
    q = (
        select(R.agency_key, R.year, *cols)
        .select_from(reports_from().join(CellRow.__table__, C.report_id == R.id))
        .where(flt.condition(), C.path.in_(paths), R.agency_key.is_not(None), R.year.is_not(None))
        .group_by(R.agency_key, R.year)
    )
    with _conn(conn) as c:
        return {
            (row.agency_key, row.year): {m.key: getattr(row, m.key) for m in metrics}
            for row in c.execute(q)
        }


def roll_up(
    conn: Engine | Connection, flt: Filter = ALL, metric_keys: tuple[str, ...] = ("received",)
) -> list[RollUp]:
    """For every government with departments in the corpus, each year: its own
    figure and the sum of its departments' (information, not an error: the
    two need not be equal)."""
    from gongkai.corpus.metrics import BY_KEY

    metrics = tuple(BY_KEY[k] for k in metric_keys)
    with _conn(conn) as c:
        sums = sums_by_agency_year(c, flt, metrics)
        govs = dict(c.execute(select(A.key, A.name).where(A.kind == "government")).all())
        children: dict[str, list[str]] = defaultdict(list)
        for key, parent in c.execute(
            select(A.key, A.parent_key).where(A.parent_key.is_not(None), A.kind == "department")
        ):
            children[parent].append(key)
    out = []
    years = sorted({y for _k, y in sums})
    for gov in sorted(govs):
        for year in years:
            deps = [sums[(k, year)] for k in children.get(gov, []) if (k, year) in sums]
            if not deps:
                continue
            own = sums.get((gov, year), {})
            for m in metrics:
                vals = [d[m.key] for d in deps if d[m.key] is not None]
                out.append(
                    RollUp(
                        gov,
                        govs[gov],
                        year,
                        m.key,
                        own.get(m.key),
                        len(deps),
                        sum(v for v in vals if v is not None) if vals else None,
                    )
                )
    return out
