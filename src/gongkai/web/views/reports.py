"""Pages of one report, one agency, and two reports side by side.

- Report (``/corpus/report/{id}``): the tables as printed, each value's
  provenance on hover, the findings, what the reader could not place, the
  source file to download (always as an attachment: a stored web page is
  never served as a page of this site).
- Agency (``/corpus/agency/{key}``): its reports across years and their
  versions, trends, the carry-over chain (green where 结转下年度 matches next
  year's 上年结转), and prose reused from the year before.
- Compare (``/corpus/compare?a=…&b=…``): the cells that differ and the
  paragraphs the two share.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gongkai.corpus import analysis, browse
from gongkai.corpus.metrics import BY_KEY
from gongkai.corpus.query import Filter, show_report
from gongkai.i18n import pick
from gongkai.record import flat_cells
from gongkai.web import charts
from gongkai.web.corpusweb import LEVEL_NAMES, ReportItem, engine, generation, item
from gongkai.web.drawing import ReportView, draw
from gongkai.web.pages import Ctx, context, twin
from gongkai.web.problems import Problem

router = APIRouter()


class SourceInfo(BaseModel):
    name: str | None = None
    sha256: str | None = None
    url: str | None = None
    size: int | None = None
    format: str | None = None
    download: str


class ReportPage(BaseModel):
    id: int
    summary: ReportItem
    result: dict[str, Any]
    view: ReportView
    source: SourceInfo
    agency_url: str | None
    versions: list[ReportItem]


def _detail(ctx: Ctx, report_id: int) -> Any:
    got = show_report(engine(ctx), report_id)
    if got is None:
        raise Problem(
            404,
            "no-report",
            pick(("库中没有编号为 {id} 的报告", "no report with id {id}"), ctx.lang, id=report_id),
        )
    return got


@twin(router, "/corpus/report/{report_id}", "report.html", model=ReportPage, summary="a report")
def report_page(report_id: int, ctx: Ctx = Depends(context)) -> ReportPage:
    detail = _detail(ctx, report_id)
    result = detail.to_dict()
    key = detail.summary.agency_key
    versions = (
        [item(s) for s in browse.agency_reports(engine(ctx), key) if s.year == detail.summary.year]
        if key
        else []
    )
    return ReportPage(
        id=report_id,
        summary=item(detail.summary),
        result=result,
        view=draw(result, ctx.lang),
        source=SourceInfo(
            **{k: detail.source.get(k) for k in ("name", "sha256", "url", "size", "format")},
            download=f"/corpus/report/{report_id}/source",
        ),
        agency_url=f"/corpus/agency/{quote(key, safe='')}" if key else None,
        versions=versions if len(versions) > 1 else [],
    )


@router.get(
    "/corpus/report/{report_id}/source", tags=["corpus"], summary="the original file of a report"
)
def report_source(report_id: int, ctx: Ctx = Depends(context)) -> Response:
    got = browse.source_bytes(engine(ctx), report_id)
    if got is None:
        _detail(ctx, report_id)
        raise Problem(
            404, "no-source", pick(("原始文件未保存", "the original file is not kept"), ctx.lang)
        )
    name, data = got
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


# ------------------------------------------------------------------ agency


class ChainCell(BaseModel):
    forward: int | None
    over: int | None
    match: bool | None


class ChainRow(BaseModel):
    year: int
    next_year: int
    report_id: int
    next_id: int
    cells: list[ChainCell]
    ok: bool | None


class YearRow(BaseModel):
    year: int | None
    reports: list[ReportItem]
    received: int | None
    granted: int | None


class Reuse(BaseModel):
    report_id: int
    year: int | None
    other_id: int
    other_year: int | None
    paragraphs: int
    share: float
    example: str


class AgencyPage(BaseModel):
    key: str
    name: str
    level: str | None
    level_name: str | None
    kind: str | None
    region: str | None
    parent_key: str | None
    years: list[YearRow]
    chain: list[ChainRow]
    columns: list[str]
    reuse: list[Reuse]
    chart: str


@router.get(
    "/corpus/agency/{key:path}/trend.svg", tags=["corpus"], summary="an agency's trend (SVG)"
)
def agency_trend(key: str, ctx: Ctx = Depends(context)) -> Response:
    conn = engine(ctx)

    def draw_it() -> bytes:
        series = {
            BY_KEY[m].label(ctx.lang): browse.metric_by_year(conn, key, BY_KEY[m].paths)
            for m in ("received", "granted", "denied")
        }
        years = sorted({y for s in series.values() for y in s})
        return charts.lines(
            ctx.t("agency.trend"),
            [str(y) for y in years],
            {k: [v.get(y) for y in years] for k, v in series.items()},
            ctx.lang,
        )

    svg = charts.cached((id(conn), "agency", key, ctx.lang, generation(ctx)), draw_it)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


@twin(
    router,
    "/corpus/agency/{key:path}",
    "agency.html",
    model=AgencyPage,
    summary="an agency across years",
)
def agency_page(key: str, ctx: Ctx = Depends(context)) -> AgencyPage:
    conn = engine(ctx)
    info = browse.agency(conn, key)
    reports = browse.agency_reports(conn, key)
    if info is None and not reports:
        raise Problem(
            404,
            "no-agency",
            pick(("库中没有机关 {k}", "no agency {k} in the corpus"), ctx.lang, k=key),
        )
    received = browse.metric_by_year(conn, key, BY_KEY["received"].paths)
    granted = browse.metric_by_year(conn, key, BY_KEY["granted"].paths)
    years: dict[int | None, list[ReportItem]] = {}
    for s in reports:
        years.setdefault(s.year, []).append(item(s))
    chain = [
        ChainRow(
            year=c.year,
            next_year=c.next_year,
            report_id=c.report_id,
            next_id=c.next_id,
            cells=[
                ChainCell(forward=a, over=b, match=m)
                for a, b, m in zip(c.carried_forward, c.next_carried_over, c.matches, strict=True)
            ],
            ok=None
            if all(m is None for m in c.matches)
            else all(m is not False for m in c.matches),
        )
        for c in browse.carry_chain(conn, key)
    ]
    ids = tuple(s.id for s in reports if s.current)
    reuse = (
        [
            Reuse(
                report_id=r.report_id,
                year=r.year,
                other_id=r.other_id,
                other_year=r.other_year,
                paragraphs=r.paragraphs,
                share=round(r.share, 3),
                example=r.example,
            )
            for r in analysis.reused_prose(conn, Filter(ids=ids))
        ]
        if ids
        else []
    )
    from gongkai.national.editions import T3_COLUMNS

    name = info.name if info else (reports[0].agency or key)
    return AgencyPage(
        key=key,
        name=name,
        level=info.level if info else None,
        level_name=pick(LEVEL_NAMES[info.level], ctx.lang)
        if info and info.level in LEVEL_NAMES
        else None,
        kind=info.kind if info else None,
        region=info.region if info else None,
        parent_key=info.parent_key if info else None,
        years=[
            YearRow(year=y, reports=rs, received=received.get(y or 0), granted=granted.get(y or 0))
            for y, rs in sorted(years.items(), key=lambda kv: kv[0] or 0)
        ],
        chain=chain,
        columns=[c.label for c in T3_COLUMNS],
        reuse=reuse,
        chart=f"/corpus/agency/{quote(key, safe='')}/trend.svg?lang={ctx.lang}",
    )


# ------------------------------------------------------------------ compare


class CellDiff(BaseModel):
    path: str
    a: int | str | None
    b: int | str | None


class ComparePage(BaseModel):
    a: ReportItem
    b: ReportItem
    view_a: ReportView
    view_b: ReportView
    differ: list[CellDiff]
    shared: list[str] = Field(default_factory=list)


def _cells(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in flat_cells(
            {t: record[t] for t in ("table2", "table3", "table4", "legacy") if t in record}
        ).items()
    }


@twin(
    router, "/corpus/compare", "compare.html", model=ComparePage, summary="two reports side by side"
)
def compare_page(
    a: int = Query(..., description="id of the first report"),
    b: int = Query(..., description="id of the second report"),
    ctx: Ctx = Depends(context),
) -> ComparePage:
    da, db = _detail(ctx, a), _detail(ctx, b)
    ra, rb = da.to_dict(), db.to_dict()
    ca, cb = _cells(ra["report"]), _cells(rb["report"])
    differ = [
        CellDiff(path=p, a=ca.get(p), b=cb.get(p))
        for p in sorted(set(ca) | set(cb))
        if ca.get(p) != cb.get(p)
    ]
    conn = engine(ctx)
    return ComparePage(
        a=item(da.summary),
        b=item(db.summary),
        view_a=draw(ra, ctx.lang),
        view_b=draw(rb, ctx.lang),
        differ=differ,
        shared=browse.shared_paragraphs(conn, a, b),
    )
