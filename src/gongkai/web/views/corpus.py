"""The corpus dashboard, its charts, and the corpus API.

Dashboard (``/corpus``): filters by year, level, region, agency and rule; the
key figures; charts (applications by year, outcome mix, correction rates,
findings by rule); the ranking with each score's breakdown; the reports, a
page at a time. API: ``/api/reports`` (filters, pagination), one report's
record and findings, ``/api/stats``, ``/api/rank``, exports as downloads,
and — with the token — adding and removing reports.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from gongkai.corpus import analysis, browse
from gongkai.corpus.metrics import BY_KEY, METRICS, RATES
from gongkai.corpus.query import Filter, show_report
from gongkai.i18n import pick
from gongkai.web import charts, memo, problems
from gongkai.web.corpusweb import (
    LEVEL_NAMES,
    FilterView,
    ReportItem,
    engine,
    filters,
    generation,
    item,
)
from gongkai.web.pages import Ctx, context, twin
from gongkai.web.problems import Problem
from gongkai.web.security import require_writer

router = APIRouter()
T = TypeVar("T")


class Figure(BaseModel):
    key: str
    label: str
    value: int | float | str | None


class Chart(BaseModel):
    key: str
    title: str
    url: str


class RuleRow(BaseModel):
    rule: str
    severity: str
    findings: int
    reports: int
    url: str


class RankRow(BaseModel):
    report_id: int
    agency: str | None
    agency_key: str | None
    year: int | None
    level: str | None
    score: float
    rank: int | None
    of: int | None
    components: dict[str, float | None]
    why: dict[str, str] = Field(default_factory=dict)
    marks: list[str] = Field(default_factory=list)
    delta: float | None = None


class Ranking(BaseModel):
    weights: dict[str, float]
    formula: str
    labels: dict[str, str]
    rows: list[RankRow]
    total: int


class Listing(BaseModel):
    """A page of reports."""

    total: int
    page: int
    per_page: int
    pages: int
    items: list[ReportItem]


class Choice(BaseModel):
    value: str
    label: str


class Dashboard(BaseModel):
    filter: FilterView
    years: list[int]
    levels: list[Choice]
    regions: list[str]
    figures: list[Figure]
    charts: list[Chart]
    rules: list[RuleRow]
    ranking: Ranking | None
    reports: Listing
    exports: list[Choice]


def _stats(ctx: Ctx, flt: Filter, by: Literal["year", "agency", "level", "region", "none"]) -> Any:
    conn = engine(ctx)
    return memo.remember(
        ("stats", id(conn), flt, by, ctx.lang, _generation(ctx)),
        lambda: analysis.stats(conn, flt, by=by),
    )


def _kept(ctx: Ctx, name: str, flt: Filter | None, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process until the corpus changes (its generation)."""
    conn = engine(ctx)
    return memo.remember((name, id(conn), flt, ctx.lang, _generation(ctx)), compute)


def _figures(ctx: Ctx, flt: Filter) -> list[Figure]:
    conn = engine(ctx)
    f = _kept(ctx, "figures", flt, lambda: browse.key_figures(conn, flt))
    total = _stats(ctx, flt, "none")
    sums = total.total()
    rates = {r.key: r.value(sums) for r in RATES}
    years = f"{f.first_year}–{f.last_year}" if f.first_year is not None else None
    out = [
        Figure(key="reports", label=ctx.t("corpus.fig.reports"), value=f.reports),
        Figure(key="agencies", label=ctx.t("corpus.fig.agencies"), value=f.agencies),
        Figure(key="years", label=ctx.t("corpus.fig.years"), value=years),
        Figure(key="received", label=BY_KEY["received"].label(ctx.lang), value=sums["received"]),
        Figure(key="with_errors", label=ctx.t("corpus.fig.with_errors"), value=f.with_errors),
        Figure(key="errors", label=ctx.t("corpus.fig.errors"), value=f.errors),
    ]
    for key in ("grant_rate", "review_correction"):
        rate = next(r for r in RATES if r.key == key)
        value = rates[key]
        out.append(
            Figure(
                key=key,
                label=rate.label(ctx.lang),
                value=None if value is None else round(value, 4),
            )
        )
    return out


def _ranking(ctx: Ctx, flt: Filter, limit: int = 100) -> Ranking | None:
    from gongkai.corpus import rank as ranking

    conn = engine(ctx)
    got = memo.remember(
        ("rank", id(conn), flt, ctx.lang, _generation(ctx)), lambda: ranking.rank(conn, flt)
    )
    # the table shows ``limit`` rows: only those become models (a corpus ranks thousands)
    entries = sorted(got.entries, key=lambda e: (e.rank is None, -(e.year or 0), -e.score))
    rows = [
        RankRow(
            report_id=e.report_id,
            agency=e.agency,
            agency_key=e.agency_key,
            year=e.year,
            level=e.level,
            score=round(e.score, 1),
            rank=e.rank,
            of=e.of,
            components={k: (None if v is None else round(v, 3)) for k, v in e.components.items()},
            why=dict(e.why),
            marks=list(e.marks),
            delta=None if e.delta is None else round(e.delta, 1),
        )
        for e in entries[:limit]
    ]
    labels = {k: pick(v, ctx.lang) for k, v in getattr(ranking, "LABELS", {}).items()}
    return Ranking(
        weights=dict(got.weights),
        formula=got.formula,
        labels=labels,
        rows=rows,
        total=len(entries),
    )


def _listing(ctx: Ctx, flt: Filter, page: int, per_page: int, sort: str, desc: bool) -> Listing:
    conn = engine(ctx)
    got = browse.page_reports(
        conn,
        flt,
        page=page,
        per_page=per_page,
        sort=sort if sort in ("year", "agency", "errors", "warnings", "id") else "year",  # type: ignore[arg-type]
        descending=desc,
        total=_kept(ctx, "count", flt, lambda: browse.count_reports(conn, flt)),
    )
    return Listing(
        total=got.total,
        page=got.page,
        per_page=got.per_page,
        pages=got.pages,
        items=[item(s) for s in got.items],
    )


CHARTS = ("applications", "outcomes", "corrections", "rules")


@twin(router, "/corpus", "corpus.html", model=Dashboard, summary="the corpus dashboard")
def dashboard(
    ctx: Ctx = Depends(context),
    flt: FilterView = Depends(filters),
    page: int = Query(1, ge=1),
    sort: str = Query("year"),
    desc: bool = Query(False),
) -> Dashboard:
    conn = engine(ctx)
    selection = flt.to_filter()
    facets = _kept(ctx, "facets", None, lambda: browse.facets(conn))
    q = flt.query()
    return Dashboard(
        filter=flt,
        years=facets.years,
        levels=[
            Choice(value=v, label=pick(LEVEL_NAMES.get(v, (v, v)), ctx.lang)) for v in facets.levels
        ],
        regions=facets.regions,
        figures=_figures(ctx, selection),
        charts=[
            Chart(
                key=c,
                title=ctx.t(f"corpus.chart.{c}"),
                url=f"/corpus/charts/{c}.svg?{q}&lang={ctx.lang}".replace("?&", "?"),
            )
            for c in CHARTS
        ],
        rules=[
            RuleRow(**asdict(r), url=f"/corpus?{flt.query(rule=r.rule)}")
            for r in _kept(
                ctx, "rules", selection, lambda: browse.findings_by_rule(conn, selection)
            )
        ],
        ranking=_ranking(ctx, selection),
        reports=_listing(ctx, selection, page, 50, sort, desc),
        exports=[
            Choice(value=f"/api/export.{fmt}?{q}".rstrip("?"), label=fmt.upper())
            for fmt in ("csv", "parquet", "xlsx")
        ],
    )


# ------------------------------------------------------------------ charts


def _chart(ctx: Ctx, name: str, selection: Filter) -> bytes:
    conn = engine(ctx)
    lang = ctx.lang
    title = ctx.t(f"corpus.chart.{name}")
    if name == "applications":
        st = _stats(ctx, selection, "year")
        labels = [str(r.group) for r in st.rows if r.group is not None]
        rows = [r for r in st.rows if r.group is not None]
        return charts.bars(
            title,
            labels,
            {
                BY_KEY["received"].label(lang): [r.sums["received"] for r in rows],
                BY_KEY["handled"].label(lang): [r.sums["handled"] for r in rows],
            },
            lang,
        )
    if name == "outcomes":
        st = _stats(ctx, selection, "year")
        rows = [r for r in st.rows if r.group is not None]
        keys = [m.key for m in METRICS if m.group == "outcomes"]
        shares: dict[str, list[float | None]] = {}
        for k in keys:
            vals: list[float | None] = []
            for r in rows:
                whole = sum(r.sums[x] or 0 for x in keys)
                vals.append(None if not whole else (r.sums[k] or 0) / whole)
            shares[BY_KEY[k].label(lang)] = vals
        return charts.bars(
            title, [str(r.group) for r in rows], shares, lang, stacked=True, percent=True
        )
    if name == "corrections":
        st = _stats(ctx, selection, "year")
        rows = [r for r in st.rows if r.group is not None]
        return charts.lines(
            title,
            [str(r.group) for r in rows],
            {
                rate.label(lang): [r.rates[rate.key] for r in rows]
                for rate in RATES
                if rate.key in ("review_correction", "litigation_correction")
            },
            lang,
            percent=True,
        )
    if name == "rules":
        counts = browse.findings_by_rule(conn, selection)[:15]
        return charts.bars(
            title,
            [c.rule for c in counts],
            {ctx.t("corpus.findings"): [c.findings for c in counts]},
            lang,
            horizontal=True,
        )
    raise Problem(404, "not-found", pick(("没有这个图表：{n}", "no such chart: {n}"), lang, n=name))


@router.get("/corpus/charts/{name}.svg", tags=["corpus"], summary="a chart of the corpus (SVG)")
def chart(name: str, ctx: Ctx = Depends(context), flt: FilterView = Depends(filters)) -> Response:
    if name not in CHARTS:
        raise Problem(
            404, "not-found", pick(("没有这个图表：{n}", "no such chart: {n}"), ctx.lang, n=name)
        )
    key = (id(engine(ctx)), name, flt.query(), ctx.lang, _generation(ctx))
    svg = charts.cached(key, lambda: _chart(ctx, name, flt.to_filter()))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


def _generation(ctx: Ctx) -> int:
    """The corpus's generation: it changes with every write, by this server or
    any other process (kept answers and charts are then computed afresh)."""
    return generation(ctx)


# ------------------------------------------------------------------ API


@router.get(
    "/api/reports",
    tags=["corpus"],
    summary="list the reports (filters, pagination)",
    response_model=Listing,
    responses=problems.responses(400, 404),
)
def api_reports(
    ctx: Ctx = Depends(context),
    flt: FilterView = Depends(filters),
    page: int = Query(1, ge=1),
    per_page: int = Query(50, ge=1, le=1000),
    sort: Literal["year", "agency", "errors", "warnings", "id"] = Query("year"),
    desc: bool = Query(False),
) -> Listing:
    return _listing(ctx, flt.to_filter(), page, per_page, sort, desc)


def _detail(ctx: Ctx, report_id: int) -> Any:
    got = show_report(engine(ctx), report_id)
    if got is None:
        raise Problem(
            404,
            "no-report",
            pick(("库中没有编号为 {id} 的报告", "no report with id {id}"), ctx.lang, id=report_id),
        )
    return got


@router.get(
    "/api/reports/{report_id}",
    tags=["corpus"],
    summary="a report's check result: record and findings (interchange.md)",
    responses=problems.responses(404),
)
def api_report(report_id: int, ctx: Ctx = Depends(context)) -> JSONResponse:
    return JSONResponse(_detail(ctx, report_id).to_dict())


@router.get("/api/reports/{report_id}/record", tags=["corpus"], summary="a report's record")
def api_record(report_id: int, ctx: Ctx = Depends(context)) -> JSONResponse:
    return JSONResponse(_detail(ctx, report_id).to_dict()["report"])


@router.get("/api/reports/{report_id}/findings", tags=["corpus"], summary="a report's findings")
def api_findings(report_id: int, ctx: Ctx = Depends(context)) -> JSONResponse:
    return JSONResponse(_detail(ctx, report_id).findings)


class StatsRowModel(BaseModel):
    group: str | int | None
    label: str
    reports: int
    sums: dict[str, int | None]
    rates: dict[str, float | None]


class StatsModel(BaseModel):
    by: str
    metrics: dict[str, str]
    rows: list[StatsRowModel]
    total: dict[str, int | None]


@router.get(
    "/api/stats",
    tags=["corpus"],
    summary="metrics summed by year, agency, level or region",
    response_model=StatsModel,
)
def api_stats(
    ctx: Ctx = Depends(context),
    flt: FilterView = Depends(filters),
    by: Literal["year", "agency", "level", "region", "none"] = Query("year"),
) -> StatsModel:
    st = analysis.stats(engine(ctx), flt.to_filter(), by=by)
    return StatsModel(
        by=st.by,
        metrics={m.key: m.label(ctx.lang) for m in st.metrics},
        rows=[
            StatsRowModel(
                group=r.group, label=r.label, reports=r.reports, sums=r.sums, rates=r.rates
            )
            for r in st.rows
        ],
        total=st.total(),
    )


@router.get(
    "/api/rank",
    tags=["corpus"],
    summary="scores and ranks, each with its breakdown",
    response_model=Ranking,
)
def api_rank(
    ctx: Ctx = Depends(context),
    flt: FilterView = Depends(filters),
    limit: int = Query(1000, ge=1, le=100000),
) -> Ranking:
    got = _ranking(ctx, flt.to_filter(), limit)
    if got is None:
        raise Problem(404, "no-ranking", ctx.t("corpus.no_ranking"))
    return got


_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@router.get(
    "/api/export.{fmt}", tags=["corpus"], summary="the chosen reports as a file (wide or long)"
)
def api_export(
    fmt: Literal["csv", "parquet", "xlsx", "json"],
    ctx: Ctx = Depends(context),
    flt: FilterView = Depends(filters),
    shape: Literal["wide", "long"] = Query("wide"),
) -> Response:
    from gongkai.corpus.export import export

    workdir = Path(tempfile.mkdtemp(prefix="gongkai-export-"))
    try:
        target = workdir / f"corpus.{fmt}"
        export(engine(ctx), target, fmt, shape, flt.to_filter())
        data = target.read_bytes()
    finally:
        for f in workdir.iterdir():
            with contextlib.suppress(OSError):
                f.unlink()
        workdir.rmdir()
    return Response(
        data,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="gongkai-corpus-{shape}.{fmt}"'},
    )


# ------------------------------------------------------------------ writing


class Added(BaseModel):
    status: str
    name: str
    sha256: str
    report_id: int | None = None
    version: int = 1
    error: str | None = None
    page: str | None = None


async def add_bytes(ctx: Ctx, name: str, data: bytes) -> Added:
    """Store an upload in the corpus (read and checked in a sandboxed worker)."""
    sandbox = ctx.request.app.state.sandbox
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-add-"))
    try:
        path = workdir / name
        path.write_bytes(data)
        from gongkai.web.sandbox import JobFailed

        try:
            got = await sandbox.run("gongkai.web.jobs:ingest_file", str(path), name, ctx.lang)
        except JobFailed as exc:
            raise Problem(422, "unreadable", f"{name}: {exc.kind}") from None
    finally:
        with contextlib.suppress(OSError):
            (workdir / name).unlink()
        with contextlib.suppress(OSError):
            workdir.rmdir()
    from gongkai.corpus.ingest import store
    from gongkai.db import unit_of_work

    with unit_of_work(engine(ctx)) as session:
        stored = store(session, got, lang=ctx.lang)
    if stored.status == "failed":
        raise Problem(422, "unreadable", stored.error or name)
    return Added(
        status=stored.status,
        name=stored.name,
        sha256=stored.sha256,
        report_id=stored.report_id,
        version=stored.version,
        page=f"/corpus/report/{stored.report_id}" if stored.report_id else None,
    )


@router.post(
    "/api/reports",
    tags=["corpus"],
    summary="add a report to the corpus (needs the token)",
    response_model=Added,
    dependencies=[Depends(require_writer)],
    responses=problems.responses(401, 403, 413, 415, 422),
)
async def api_add(
    file: UploadFile = File(description="the report: PDF, DOCX, DOC, HTML or text"),
    ctx: Ctx = Depends(context),
) -> Added:
    from gongkai.web.uploads import receive

    engine(ctx)
    upload = await receive(file, ctx.settings.limits, ctx.lang)
    return await add_bytes(ctx, upload.name, upload.data)


@router.post("/check/{key}/add", include_in_schema=False, dependencies=[Depends(require_writer)])
async def add_checked(key: str, ctx: Ctx = Depends(context)) -> Response:
    kept = ctx.request.app.state.results.get(key)
    if kept is None or kept.data is None:
        raise Problem(404, "expired", ctx.t("check.expired"))
    added = await add_bytes(ctx, kept.name, kept.data)
    return RedirectResponse(added.page or "/corpus", status_code=303)


@router.delete(
    "/api/reports/{report_id}",
    tags=["corpus"],
    summary="remove a report (needs the token)",
    dependencies=[Depends(require_writer)],
    responses=problems.responses(401, 403, 404),
)
def api_remove(report_id: int, ctx: Ctx = Depends(context)) -> JSONResponse:
    from gongkai.corpus.query import remove
    from gongkai.db.session import write_connection

    _detail(ctx, report_id)
    with write_connection(engine(ctx)) as conn:
        n = remove(conn, [report_id])
    return JSONResponse({"removed": n})
