"""The check page and ``POST /api/check``.

``POST /api/check`` (multipart field ``file``) answers exactly the JSON that
``gongkai check --json FILE`` prints: the same loader and checker run in a
sandboxed worker (:mod:`gongkai.web.uploads`). The page posts the same
upload (or pasted text, or a URL when fetching is enabled), keeps the result
for a while under an unguessable id and redirects to it: the report drawn
as printed with the cells findings name highlighted, the findings by
severity, what the reader could not place, and downloads.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from gongkai.checks.workbook import findings_workbook
from gongkai.web import problems
from gongkai.web.drawing import ReportView, draw
from gongkai.web.pages import Ctx, context, twin
from gongkai.web.problems import Problem
from gongkai.web.results import Kept, Results
from gongkai.web.uploads import Upload, check_upload, pasted, receive

router = APIRouter()


class CheckForm(BaseModel):
    """What the check form accepts."""

    max_mb: float
    fetch_urls: bool
    writable: bool


class CheckPage(BaseModel):
    """One check: the result as ``gongkai check --json`` prints it, and its drawing."""

    id: str
    name: str
    result: dict[str, Any]
    view: ReportView
    corpus: bool


def _results(ctx: Ctx) -> Results:
    results: Results = ctx.request.app.state.results
    return results


def _kept(ctx: Ctx, key: str) -> Kept:
    kept = _results(ctx).get(key)
    if kept is None:
        raise Problem(404, "expired", ctx.t("check.expired"))
    return kept


@twin(router, "/check", "check_form.html", model=CheckForm, summary="the check form")
def check_form(ctx: Ctx = Depends(context)) -> CheckForm:
    limits = ctx.settings.limits
    return CheckForm(
        max_mb=round(limits.upload_bytes / 1048576, 1),
        fetch_urls=ctx.settings.fetch_urls,
        writable=ctx.writable,
    )


async def _run(ctx: Ctx, upload: Upload) -> dict[str, Any]:
    ctx.request.app.state.check_limit.check(ctx.request)
    return await check_upload(ctx.request.app.state.sandbox, upload, ctx.lang)


@router.post(
    "/api/check",
    tags=["check"],
    summary="check one report file",
    responses=problems.responses(400, 413, 415, 422, 429, 503),
)
async def api_check(
    file: UploadFile = File(description="the report: PDF, DOCX, DOC, HTML or text"),
    ctx: Ctx = Depends(context),
) -> JSONResponse:
    """The check result of the uploaded file: exactly what `gongkai check --json FILE`
    prints (the report record and its findings). `?lang=en` for English messages."""
    upload = await receive(file, ctx.settings.limits, ctx.lang)
    return JSONResponse(await _run(ctx, upload))


@router.post("/check", include_in_schema=False)
async def check_post(
    file: UploadFile | None = File(None),
    text: str = Form(""),
    url: str = Form(""),
    ctx: Ctx = Depends(context),
) -> Response:
    limits = ctx.settings.limits
    upload: Upload
    if file is not None and file.filename:
        upload = await receive(file, limits, ctx.lang)
    elif text.strip():
        upload = pasted(text, limits, ctx.lang)
    elif url.strip():
        if not ctx.settings.fetch_urls:
            raise Problem(
                403,
                "fetch-disabled",
                ctx.t("check.fetch_off"),
            )
        from starlette.concurrency import run_in_threadpool

        from gongkai.web.fetch import fetch

        upload = await run_in_threadpool(fetch, url.strip(), limits, ctx.lang)
    else:
        raise Problem(400, "nothing", ctx.t("check.nothing"))
    result = await _run(ctx, upload)
    keep = upload.data if ctx.settings.writable else None
    key = _results(ctx).put(Kept(upload.name, result, keep, len(upload.data)))
    return RedirectResponse(f"/check/{key}", status_code=303)


@twin(router, "/check/{key}", "check_result.html", model=CheckPage, summary="a check result")
def check_page(key: str, ctx: Ctx = Depends(context)) -> CheckPage:
    kept = _kept(ctx, key)
    return CheckPage(
        id=key,
        name=kept.name,
        result=kept.result,
        view=draw(kept.result, ctx.lang),
        corpus=ctx.settings.db is not None,
    )


def _attachment(name: str) -> dict[str, str]:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    }


@router.get("/check/{key}/record.json", tags=["check"], summary="the record of a check")
def check_record(key: str, ctx: Ctx = Depends(context)) -> JSONResponse:
    kept = _kept(ctx, key)
    return JSONResponse(kept.result["report"], headers=_attachment(f"{kept.name}.json"))


@router.get("/check/{key}/findings.xlsx", tags=["check"], summary="the findings as Excel")
def check_findings(key: str, ctx: Ctx = Depends(context)) -> Response:
    kept = _kept(ctx, key)
    return Response(
        findings_workbook([(kept.name, kept.result)], ctx.lang),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(f"{kept.name}.findings.xlsx"),
    )
