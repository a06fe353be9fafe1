"""The reviewer's February: the roster of who must report, and one agency
over the years.

- :func:`roster_status`: against a roster (CSV/XLSX of the agencies expected
  to report, with level and parent), for one year: who has not published, who
  published twice, for the wrong year or late, and which of last year's
  reports each was paired with; agencies in the corpus not on the roster too.
- :func:`agency_view`: an agency's key figures for every year side by side,
  with the breaks between years marked (carry-over, stock-flow, a missing year).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from gongkai.agencies import agency_key, clean_name
from gongkai.corpus import analysis
from gongkai.corpus.agencies import derive, load_overrides
from gongkai.corpus.metrics import BY_KEY, Metric
from gongkai.corpus.query import A, F, Filter, R, S, _conn, reports_from
from gongkai.errors import InputError
from gongkai.i18n import Lang

# ---------------------------------------------------------------- roster


@dataclass(frozen=True)
class RosterEntry:
    name: str
    key: str
    level: str | None
    parent: str | None


@dataclass
class RosterRow:
    """One expected agency (or, ``on_roster`` False, an agency the roster lacks)."""

    name: str
    key: str
    level: str | None
    parent: str | None
    status: str  # published | missing | twice | wrong-year | late | not-on-roster
    flags: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # file names of this year's reports
    published: str | None = None
    paired_with: str | None = None  # last year's report file
    on_roster: bool = True


STATUS_LABELS: dict[str, tuple[str, str]] = {
    "published": ("已发布", "published"),
    "missing": ("未发布", "not published"),
    "twice": ("发布了两次或多个版本", "published twice"),
    "wrong-year": ("年度有误", "wrong year"),
    "late": ("逾期发布", "late"),
    "not-on-roster": ("不在名单中", "not on the roster"),
}


def load_roster(path: str | Path) -> list[RosterEntry]:
    """The roster: CSV or XLSX with a name column (名称/机关/name) and
    optionally level (层级) and parent (上级)."""
    p = Path(path)
    if p.suffix.lower() in (".yaml", ".yml", ".xlsx", ".csv"):
        ov = load_overrides(p)  # the same headings as the agency file
        seen: dict[str, RosterEntry] = {}
        for info in ov.by_key.values():
            seen.setdefault(info.key, RosterEntry(info.name, info.key, info.level, info.parent_key))
        return list(seen.values())
    raise InputError(
        str(p), "a roster is a .csv, .xlsx or .yaml file", "名单应为 .csv、.xlsx 或 .yaml 文件"
    )


def roster_status(
    conn: Engine | Connection, roster: list[RosterEntry], year: int
) -> list[RosterRow]:
    with _conn(conn) as c:
        q = (
            select(R.id, R.agency, R.agency_key, R.year, R.version, R.current, R.published, S.name)
            .select_from(reports_from())
            .where(R.year.in_((year, year - 1)))
            .order_by(R.version)
        )
        by_key: dict[tuple[str | None, int | None], list[Any]] = defaultdict(list)
        for found in c.execute(q):
            by_key[(found.agency_key, found.year)].append(found)
        ids = [r.id for rows in by_key.values() for r in rows]
        rules: dict[int, set[str]] = defaultdict(set)
        if ids:
            for rid, rule in c.execute(
                select(F.report_id, F.rule).where(
                    F.report_id.in_(ids), F.rule.in_(("late-publication", "year-mismatch"))
                )
            ):
                rules[rid].add(rule)
    out: list[RosterRow] = []
    keys = set()
    for e in roster:
        keys.add(e.key)
        this = by_key.get((e.key, year), [])
        last = [r for r in by_key.get((e.key, year - 1), []) if r.current]
        row = RosterRow(
            e.name, e.key, e.level, e.parent, "published", reports=[r.name for r in this]
        )
        row.paired_with = last[0].name if last else None
        if not this:
            row.status = "missing"
        else:
            cur = next((r for r in this if r.current), this[-1])
            row.published = cur.published.isoformat() if cur.published else None
            flags = []
            if len(this) > 1:
                flags.append("twice")
            if any("year-mismatch" in rules[r.id] for r in this):
                flags.append("wrong-year")
            if "late-publication" in rules[cur.id]:
                flags.append("late")
            row.flags = flags
            row.status = flags[0] if flags else "published"
        out.append(row)
    for (key, y), rows in sorted(by_key.items(), key=lambda kv: str(kv[0])):
        if y == year and key not in keys:
            info = derive(rows[0].agency or key or "")
            out.append(
                RosterRow(
                    rows[0].agency or key or "—",
                    key or "",
                    info.level,
                    info.parent_key,
                    "not-on-roster",
                    reports=[r.name for r in rows],
                    on_roster=False,
                )
            )
    return out


def roster_table(
    rows: list[RosterRow], lang: Lang = "zh"
) -> tuple[list[str], list[dict[str, Any]]]:
    from gongkai.i18n import pick

    heads = {
        "name": ("机关", "agency"),
        "level": ("层级", "level"),
        "parent": ("上级", "parent"),
        "status": ("状态", "status"),
        "reports": ("本年度报告", "this year's reports"),
        "published": ("发布日期", "published"),
        "paired_with": ("上年度报告", "last year's report"),
    }
    cols = [pick(v, lang) for v in heads.values()]
    data = []
    for r in rows:
        status = "；".join(
            pick(STATUS_LABELS[s], lang)
            for s in ([r.status] + [f for f in r.flags if f != r.status])
        )
        vals = {
            "name": r.name,
            "level": r.level,
            "parent": r.parent,
            "status": status,
            "reports": "；".join(r.reports),
            "published": r.published,
            "paired_with": r.paired_with,
        }
        data.append({pick(heads[k], lang): v for k, v in vals.items()})
    return cols, data


def write_roster(
    rows: list[RosterRow], path: str | Path, lang: Lang = "zh", *, force: bool = False
) -> Path:
    from gongkai.corpus.export import _exists, _xlsx_bytes
    from gongkai.output import atomic_write

    target = Path(path)
    if target.exists() and not force:
        raise _exists(target)
    cols, data = roster_table(rows, lang)
    if target.suffix.lower() == ".xlsx":
        atomic_write(target, _xlsx_bytes({"roster": (cols, data)}))
    else:
        buf = io.StringIO()
        w = csv.DictWriter(buf, cols)
        w.writeheader()
        w.writerows(data)
        atomic_write(target, "\ufeff" + buf.getvalue())
    return target


# ---------------------------------------------------------------- one agency

VIEW_METRICS: tuple[str, ...] = (
    "received",
    "carried_over",
    "granted",
    "partially_granted",
    "denied",
    "unavailable",
    "rejected",
    "other",
    "handled",
    "carried_forward",
    "review_total",
    "litigation_direct_total",
    "litigation_after_review_total",
)
IN_FORCE: tuple[str, ...] = ("table2.rules.in_force", "table2.normative_documents.in_force")


@dataclass
class AgencyYear:
    year: int
    report_id: int
    name: str
    figures: dict[str, int | None]
    breaks: list[str] = field(default_factory=list)  # what does not carry from last year
    gap_before: bool = False  # the year before is missing from the corpus


@dataclass
class AgencyView:
    key: str
    name: str
    level: str | None
    region: str | None
    parent_key: str | None
    years: list[AgencyYear]
    metrics: tuple[Metric, ...]


class AgencyNotFound(InputError):
    """No agency of that name in the corpus"""

    code = "no-agency"
    zh = "库中没有这个机关"


def find_agency(
    conn: Engine | Connection, name: str
) -> tuple[str, str, str | None, str | None, str | None]:
    key = agency_key(name) or clean_name(name)
    with _conn(conn) as c:
        row = c.execute(
            select(A.key, A.name, A.level, A.region, A.parent_key).where(A.key == key)
        ).first()
        if row is None:
            rows = c.execute(
                select(A.key, A.name, A.level, A.region, A.parent_key).where(
                    A.name.like(f"%{clean_name(name)}%")
                )
            ).all()
            if len(rows) != 1:
                names = "、".join(r.name for r in rows[:8])
                raise AgencyNotFound(
                    name, f"candidates: {names}" if rows else "", f"可能是：{names}" if rows else ""
                )
            row = rows[0]
    return row.key, row.name, row.level, row.region, row.parent_key


def agency_view(conn: Engine | Connection, name: str) -> AgencyView:
    key, canonical, level, region, parent = find_agency(conn, name)
    metrics = tuple(BY_KEY[k] for k in VIEW_METRICS)
    flt = Filter(agency=None)
    with _conn(conn) as c:
        reps = c.execute(
            select(R.id, R.year, S.name)
            .select_from(reports_from())
            .where(flt.condition(), R.agency_key == key, R.year.is_not(None))
            .order_by(R.year)
        ).all()
        ids = tuple(r.id for r in reps)
        paths = tuple({p for m in metrics for p in m.paths} | set(IN_FORCE))
        vals = analysis.cell_values(c, paths, Filter(ids=ids, all_versions=True)) if ids else {}
        breaks = analysis.year_breaks(c, Filter(ids=ids, all_versions=True)) if ids else []
    years = []
    prev_year = None
    for r in reps:
        cells = vals.get(r.id, {})
        figs: dict[str, int | None] = {}
        for m in metrics:
            got = [cells.get(p) for p in m.paths if cells.get(p) is not None]
            figs[m.key] = sum(v for v in got if v is not None) if got else None
        in_force = [cells.get(p) for p in IN_FORCE if cells.get(p) is not None]
        figs["in_force"] = sum(v for v in in_force if v is not None) if in_force else None
        marks = sorted(
            {
                f"{b.check} {b.path}: {b.actual} ≠ {b.expected}"
                for b in breaks
                if b.report_id == r.id
            }
        )
        years.append(
            AgencyYear(
                r.year, r.id, r.name, figs, marks, prev_year is not None and r.year - prev_year > 1
            )
        )
        prev_year = r.year
    return AgencyView(key, canonical, level, region, parent, years, metrics)
