"""``corpus rank``: a transparent, reproducible quality score per report.

The score is 100 × the weighted mean of six components, each between 0 and 1
(a component that cannot be judged — no report of last year to compare with —
is left out and the weights of the others count):

| component | weight | 1 means | how it falls |
|---|---|---|---|
| completeness | 25 | every cell of the tables holds a number; every part and table is there | share of blank or unplaceable cells; −0.2 a missing part/table (structure error) |
| arithmetic | 25 | every printed total and 勾稽关系 holds | −0.25 an arithmetic error |
| timeliness | 10 | published by the deadline | 0 when late; 0.5 when no date is printed |
| consistency | 15 | carry-over and stock-flow agree with last year's report | 0 when a figure breaks; left out with no report of last year |
| prose | 15 | the prose agrees with the tables | −0.25 a prose finding |
| reuse | 10 | the prose is the year's own | 1 − the larger share reused from last year or copied from another agency |

Ranks are within a level (省级, 市级…); a report of an agency with fewer
applications than ``min_applications`` (or an agency with fewer reports than
``min_reports``) is marked and not ranked: its score rests on too little.
Reports in the old prose-only format before 2019 are not scored.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from gongkai.corpus import analysis
from gongkai.corpus.metrics import BY_KEY
from gongkai.corpus.models import FindingRow
from gongkai.corpus.query import ALL, A, F, Filter, R, _conn, reports_from
from gongkai.i18n import Lang, current_lang, pick

WEIGHTS: dict[str, float] = {
    "completeness": 25,
    "arithmetic": 25,
    "timeliness": 10,
    "consistency": 15,
    "prose": 15,
    "reuse": 10,
}
LABELS: dict[str, tuple[str, str]] = {
    "completeness": ("完整性", "completeness"),
    "arithmetic": ("表内算术", "arithmetic"),
    "timeliness": ("及时性", "timeliness"),
    "consistency": ("跨年衔接", "consistency across years"),
    "prose": ("正文与表格一致", "prose against tables"),
    "reuse": ("文字原创", "own prose"),
}
MARKS: dict[str, tuple[str, str]] = {
    "few-applications": ("申请数量过少，不参与排名", "too few applications: not ranked"),
    "few-reports": ("报告数量过少，不参与排名", "too few reports: not ranked"),
    "no-level": ("层级不明，不参与排名", "level unknown: not ranked"),
}
_WHY: dict[str, tuple[str, str]] = {
    "completeness": (
        "{a}/{b} 个单元格有值，结构问题 {s} 个",
        "{a}/{b} cells hold a value, {s} structure findings",
    ),
    "arithmetic": ("算术问题 {n} 个", "{n} arithmetic findings"),
    "late": ("逾期发布", "late"),
    "on_time": ("按时发布", "on time"),
    "no_date": ("未印发布日期", "no date printed"),
    "breaks": ("与上年不衔接 {n} 处", "{n} breaks with last year"),
    "no_previous": ("库中没有上一年度报告", "no report of last year"),
    "prose": ("正文与表格不一致 {n} 处", "{n} prose findings"),
    "reuse": ("{p:.0%} 的文字与上年或其他机关相同", "{p:.0%} of the prose reused or copied"),
}
FORMULA = "score = 100 × Σ wᵢ·cᵢ / Σ wᵢ  (i over the components that can be judged)"


@dataclass
class RankEntry:
    report_id: int
    agency: str | None
    agency_key: str | None
    year: int | None
    level: str | None
    score: float
    components: dict[str, float | None]
    why: dict[str, str] = field(default_factory=dict)
    marks: list[str] = field(default_factory=list)
    rank: int | None = None
    of: int | None = None
    previous_score: float | None = None

    @property
    def delta(self) -> float | None:
        return None if self.previous_score is None else self.score - self.previous_score


@dataclass
class Ranking:
    entries: list[RankEntry]
    weights: dict[str, float]
    formula: str = FORMULA

    def ranked(self) -> list[RankEntry]:
        return sorted(
            (e for e in self.entries if e.rank is not None),
            key=lambda e: (e.level or "", e.year or 0, e.rank or 0),
        )

    def most_improved(self, n: int = 10) -> list[RankEntry]:
        return sorted(
            (e for e in self.entries if e.delta is not None and not e.marks),
            key=lambda e: -(e.delta or 0),
        )[:n]


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def score_components(
    conn: Engine | Connection, flt: Filter = ALL, *, prose_from: Engine | None = None
) -> dict[int, RankEntry]:
    """Every report's components (for every year, so improvement can be measured)."""
    return _components(conn, flt, prose_from=prose_from)[0]


Received = dict[int, dict[str, int | None]]


def _components(
    conn: Engine | Connection, flt: Filter = ALL, *, prose_from: Engine | None = None
) -> tuple[dict[int, RankEntry], Received]:
    """:func:`score_components`, and the applications received of every report,
    a year at a time. Each year's are kept in the database under the
    generations they depend on (:mod:`gongkai.corpus.cache`): that year's,
    the year before's (carry-over, reuse) and every year's (agencies edited),
    so after reports of one year are added only that year and the next are
    scored again."""
    from gongkai.corpus import cache

    base = Filter(level=flt.level, region=flt.region, agency=flt.agency)
    lang = current_lang()
    with _conn(conn) as c:
        years = sorted(
            set(
                c.execute(
                    select(R.year).select_from(reports_from()).where(base.condition())
                ).scalars()
            ),
            key=lambda y: (y is None, y or 0),
        )
        gens = cache.year_generations(c)
    keep: Engine | Connection = prose_from or conn
    out: dict[int, RankEntry] = {}
    received: Received = {}
    for year in years:
        row = cache.NO_YEAR if year is None else year
        depends = (
            gens.get(row, 0),
            gens.get(row - 1, 0) if year is not None else 0,
            gens.get(cache.EVERY_YEAR, 0),
        )
        entries, got = cache.cached(
            keep,
            f"rank components {base!r} year={year} generations={depends} lang={lang}",
            lambda c, y=year: _year_components(c, base, y, lang),  # type: ignore[misc]
            _encode_year,
            _decode_year,
            keyed=True,
        )
        out.update(entries)
        received.update(got)
    return out, received


def _encode_year(got: tuple[dict[int, RankEntry], Received]) -> dict[str, Any]:
    return {
        "entries": [_plain(e) for e in got[0].values()],
        "received": [[rid, cells] for rid, cells in got[1].items()],
    }


def _decode_year(raw: dict[str, Any]) -> tuple[dict[int, RankEntry], Received]:
    entries = [RankEntry(**e) for e in raw["entries"]]
    return {e.report_id: e for e in entries}, {rid: cells for rid, cells in raw["received"]}


def _year_components(
    c: Connection, base: Filter, year: int | None, lang: Lang
) -> tuple[dict[int, RankEntry], Received]:
    """The components of the chosen reports of one year (None: of no known year)."""
    from gongkai.corpus import prose

    in_year = R.year == year if year is not None else R.year.is_(None)
    rows = list(
        c.execute(
            select(
                R.id,
                R.agency,
                R.agency_key,
                R.year,
                A.level,
                R.template,
                R.n_cells,
                R.n_blank,
                R.published,
            )
            .select_from(reports_from())
            .where(base.condition(), in_year)
        )
    )
    ids = tuple(r.id for r in rows)
    if not ids:
        return {}, {}
    flt = (
        Filter(level=base.level, region=base.region, agency=base.agency, years=(year,))
        if year is not None
        else Filter(ids=ids, all_versions=True)
    )
    received_paths = BY_KEY["received"].paths
    cells = analysis.cell_values(c, (*analysis.BREAK_PATHS, *received_paths), flt)
    scopes = _rule_scopes()
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    q = (
        select(F.report_id, F.rule, func.count())
        .select_from(reports_from().join(FindingRow.__table__, F.report_id == R.id))
        .where(base.condition(), in_year, F.severity != "info")
        .group_by(F.report_id, F.rule)
    )
    for rid, rule, n in c.execute(q):
        counts[rid][rule] += n
    breaks: Counter[int] = Counter()
    has_prev: set[int] = set()
    reuse: dict[int, float] = defaultdict(float)
    if year is not None:
        breaks.update(b.report_id for b in analysis.year_breaks(c, flt, known=(set(ids), cells)))
        has_prev = {rid for rid, _p in analysis.year_pairs(c, flt)}
        chosen = set(ids)
        for same_agency, spread in ((True, 0), (False, 3)):
            for s in prose.shared_prose(
                c,
                chosen,
                same_agency=same_agency,
                max_spread=spread,
                years=(year,),
                examples=False,  # the share is scored, the example is not shown
            ):
                reuse[s.report_id] = max(reuse[s.report_id], s.share)
    out: dict[int, RankEntry] = {}
    for r in rows:
        if r.template == "legacy" and (r.year or 0) < 2019:
            continue
        n = counts.get(r.id, Counter())
        by_scope: Counter[str] = Counter()
        for rule, k in n.items():
            by_scope[scopes.get(rule, "other")] += k
        comp: dict[str, float | None] = {}
        why: dict[str, str] = {}
        blank_share = (r.n_blank / r.n_cells) if r.n_cells else 1.0
        comp["completeness"] = _clamp((1 - blank_share) * (1 - 0.2 * by_scope["structure"]))
        why["completeness"] = pick(
            _WHY["completeness"],
            lang,
            a=r.n_cells - r.n_blank,
            b=r.n_cells,
            s=by_scope["structure"],
        )
        comp["arithmetic"] = _clamp(1 - 0.25 * by_scope["arithmetic"])
        why["arithmetic"] = pick(_WHY["arithmetic"], lang, n=by_scope["arithmetic"])
        late = n.get("late-publication", 0)
        comp["timeliness"] = 0.0 if late else (1.0 if r.published is not None else 0.5)
        why["timeliness"] = pick(
            _WHY["late" if late else ("on_time" if r.published is not None else "no_date")], lang
        )
        if r.id in has_prev:
            comp["consistency"] = 0.0 if breaks[r.id] else 1.0
            why["consistency"] = pick(_WHY["breaks"], lang, n=breaks[r.id])
        else:
            comp["consistency"] = None
            why["consistency"] = pick(_WHY["no_previous"], lang)
        comp["prose"] = _clamp(1 - 0.25 * by_scope["prose"])
        why["prose"] = pick(_WHY["prose"], lang, n=by_scope["prose"])
        comp["reuse"] = _clamp(1 - reuse.get(r.id, 0.0))
        why["reuse"] = pick(_WHY["reuse"], lang, p=reuse.get(r.id, 0.0))
        judged = {k: v for k, v in comp.items() if v is not None}
        score = (
            100 * sum(WEIGHTS[k] * v for k, v in judged.items()) / sum(WEIGHTS[k] for k in judged)
        )
        out[r.id] = RankEntry(
            r.id, r.agency, r.agency_key, r.year, r.level, round(score, 2), comp, why
        )
    received = {
        rid: {p: v for p, v in cells.get(rid, {}).items() if p in received_paths} for rid in out
    }
    return out, received


def _rule_scopes() -> dict[str, str]:
    from gongkai.checks.registry import catalogue

    return {rule.id: rule.scope for rule in catalogue()}


def rank(
    conn: Engine | Connection, flt: Filter = ALL, *, min_applications: int = 5, min_reports: int = 1
) -> Ranking:
    """Score and rank the chosen reports within their level. The answer is kept
    in the database (:mod:`gongkai.corpus.cache`) until the corpus changes."""
    from gongkai.corpus import cache
    from gongkai.i18n import current_lang

    return cache.cached(
        conn,
        f"rank {flt!r} min_applications={min_applications} min_reports={min_reports}"
        f" lang={current_lang()}",
        lambda c: _rank(
            c,
            flt,
            min_applications=min_applications,
            min_reports=min_reports,
            prose_from=conn if isinstance(conn, Engine) else None,
        ),
        _encode,
        _decode,
    )


def _encode(r: Ranking) -> dict[str, object]:
    return {"entries": [_plain(e) for e in r.entries], "weights": r.weights, "formula": r.formula}


def _plain(e: RankEntry) -> dict[str, Any]:
    """``asdict(e)`` without its deep copies (a fifth of the time over 100,000 entries)."""
    out = {f.name: getattr(e, f.name) for f in fields(RankEntry)}
    out["components"], out["why"], out["marks"] = dict(e.components), dict(e.why), list(e.marks)
    return out


def _decode(raw: dict[str, Any]) -> Ranking:
    return Ranking([RankEntry(**e) for e in raw["entries"]], raw["weights"], raw["formula"])


def _rank(
    conn: Engine | Connection,
    flt: Filter,
    *,
    min_applications: int,
    min_reports: int,
    prose_from: Engine | None = None,
) -> Ranking:
    with _conn(conn) as c:
        every, received = _components(c, flt, prose_from=prose_from)
    per_agency = Counter(e.agency_key for e in every.values())
    by_key_year = {(e.agency_key, e.year): e for e in every.values()}
    chosen = [e for e in every.values() if not flt.years or e.year in flt.years]
    if flt.rule or flt.ids:
        allowed = set(_ids(conn, flt))
        chosen = [e for e in chosen if e.report_id in allowed]
    for e in chosen:
        got = [v for v in received.get(e.report_id, {}).values() if v is not None]
        if not got or sum(got) < min_applications:
            e.marks.append("few-applications")
        if per_agency[e.agency_key] < min_reports:
            e.marks.append("few-reports")
        if e.level is None:
            e.marks.append("no-level")
        prev = by_key_year.get((e.agency_key, (e.year or 0) - 1))
        e.previous_score = prev.score if prev is not None else None
    groups: dict[tuple[str | None, int | None], list[RankEntry]] = defaultdict(list)
    for e in chosen:
        if not e.marks:
            groups[(e.level, e.year)].append(e)
    for members in groups.values():
        members.sort(key=lambda e: (-e.score, e.agency_key or ""))
        for i, e in enumerate(members):
            # equal scores share a rank
            e.rank = members[i - 1].rank if i and members[i - 1].score == e.score else i + 1
            e.of = len(members)
    chosen.sort(
        key=lambda e: (
            e.year or 0,
            e.level or "~",
            e.rank if e.rank is not None else 10**9,
            -e.score,
        )
    )
    return Ranking(chosen, dict(WEIGHTS))


def _ids(conn: Engine | Connection, flt: Filter) -> list[int]:
    from gongkai.corpus.query import find_ids

    return find_ids(conn, flt)


_EXPLAIN_ZH = """得分 = 100 × 六项分量的加权平均，每项在 0 到 1 之间（无法判断的分量——例如库中没有上一年度报告——不计入，其余分量按权重计算）：

| 分量 | 权重 | 1 表示 | 如何扣分 |
|---|---|---|---|
| 完整性 | 25 | 表格每格都有数字，六个部分和三张表齐全 | 按空白或无法确定的单元格比例；每个结构问题（缺部分/缺表）−0.2 |
| 表内算术 | 25 | 所有总计和勾稽关系成立 | 每个算术问题 −0.25 |
| 及时性 | 10 | 在法定期限内发布 | 逾期为 0；未印发布日期为 0.5 |
| 跨年衔接 | 15 | 上年结转、现行有效件数与上一年度报告衔接 | 有不衔接为 0；没有上一年度报告时不计入 |
| 正文与表格一致 | 15 | 正文数字与表格一致 | 每个不一致 −0.25 |
| 文字原创 | 10 | 文字为本年度自己所写 | 1 − 与上年重复或与其他机关相同的文字比例（取较大者） |

在同一层级（省级、市级……）内排名；申请数少于 min_applications 的报告（或报告数少于 min_reports 的机关）只标注、不排名：数据太少，排名只是噪声。2019 年以前的旧格式报告不评分。"""


def explain_markdown(lang: Lang | None = None) -> str:
    """The formula and weights (docs and ``--explain``)."""
    doc = __doc__ or ""
    en = doc[doc.index("The score") :].strip()
    return f"{FORMULA}\n\n" + pick((_EXPLAIN_ZH, en), lang)
