"""One error body for every error: RFC 9457 problem details.

Every failure — an unreadable upload, a missing report, a refused write, a
request over the limit, a validation error, a bug — answers
``application/problem+json``::

    {"type": "/problems/not-a-report", "title": "…", "status": 422,
     "detail": "a.pdf: 不是政府信息公开工作年度报告", "code": "not-a-report"}

``detail`` is the message the CLI prints for the same input, in the
language of the request. A page (not ``/api`` or ``.json``) gets the same
problem drawn as HTML.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongkai.i18n import Lang, pick

log = logging.getLogger("gongkai.web")

MEDIA_TYPE = "application/problem+json"

#: titles of the problems, by HTTP status
TITLES: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("需要令牌", "Token required"),
    403: ("不允许写入", "Writing is not allowed"),
    404: ("未找到", "Not found"),
    405: ("不支持的请求方法", "Method not allowed"),
    413: ("文件过大", "Upload too large"),
    415: ("不支持的文件类型", "Unsupported file type"),
    422: ("无法读取为年度报告", "Cannot be read as an annual report"),
    429: ("请求过于频繁", "Too many requests"),
    500: ("服务器内部错误", "Internal server error"),
    503: ("服务器繁忙", "Server busy"),
}


class ProblemBody(BaseModel):
    """The JSON body of every error (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None


class Problem(Exception):
    """Raise to answer with a problem: ``code`` is stable, ``detail`` for a person."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        super().__init__(detail)


def request_lang(request: Request) -> Lang:
    lang = getattr(request.state, "lang", None)
    return "en" if lang == "en" else "zh"


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path.endswith(".json") or path.startswith("/docs"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def problem_response(
    request: Request, status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    lang = request_lang(request)
    title = pick(TITLES.get(status, TITLES[500 if status >= 500 else 400]), lang)
    body = ProblemBody(
        type=f"/problems/{code}",
        title=title,
        status=status,
        detail=detail,
        code=code,
        instance=request.url.path,
    )
    if wants_html(request):
        from gongkai.web.pages import render_problem

        return render_problem(request, body, headers)
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


_HTTP_CODES: dict[int, str] = {
    404: "not-found",
    405: "method-not-allowed",
    400: "bad-request",
    401: "token-required",
    403: "forbidden",
    413: "too-large",
    429: "rate-limited",
}

_HTTP_DETAIL: dict[int, tuple[str, str]] = {
    404: ("没有这个页面：{path}", "no such page: {path}"),
    405: ("{path} 不接受 {method} 请求", "{path} does not accept {method}"),
}


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem."""

    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> Response:
        return problem_response(request, exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        lang = request_lang(request)
        pair = _HTTP_DETAIL.get(exc.status_code)
        detail = (
            pick(pair, lang, path=request.url.path, method=request.method)
            if pair
            else str(exc.detail)
        )
        code = _HTTP_CODES.get(exc.status_code, f"http-{exc.status_code}")
        return problem_response(request, exc.status_code, code, detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        lang = request_lang(request)
        parts: list[str] = []
        for err in exc.errors()[:5]:
            loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{loc}: {err.get('msg', '')}")
        detail = pick(("请求参数有误：{x}", "invalid request: {x}"), lang, x="; ".join(parts))
        return problem_response(request, 400, "bad-request", detail)

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        lang = request_lang(request)
        detail = pick(
            (
                "处理请求时出现意外错误（{kind}），请报告此问题",
                "unexpected error ({kind}); please report it",
            ),
            lang,
            kind=type(exc).__name__,
        )
        return problem_response(request, 500, "internal-error", detail)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting problem bodies."""
    return {
        s: {"model": ProblemBody, "description": TITLES.get(s, ("", "error"))[1]} for s in statuses
    }
