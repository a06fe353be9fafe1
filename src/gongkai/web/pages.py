"""Pages and their JSON twins: one data function, two answers.

Every page of the site is a *data function* that returns a pydantic model;
:func:`twin` registers it twice — ``GET /path`` draws the model with a
Jinja2 template, ``GET /path.json`` returns the model itself (and documents
it in OpenAPI) — so the page and its JSON can never say different things.
Routes hold no logic: they call the library and return its data.

Templates share ``base.html`` (navigation, language switch, footer) and the
text of the interface comes from :mod:`gongkai.web.text` in the language of
the request. Jinja2 escapes everything; no template marks report text safe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel

from gongkai.i18n import Lang, pick
from gongkai.national.names import edition_name
from gongkai.web.problems import ProblemBody, request_lang
from gongkai.web.security import may_write
from gongkai.web.settings import Settings
from gongkai.web.text import TEXT

HERE = Path(__file__).parent
M = TypeVar("M", bound=BaseModel)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


TEMPLATES = Jinja2Templates(env=_environment())


@dataclass
class Ctx:
    """What a data function knows of its request."""

    request: Request
    lang: Lang
    settings: Settings

    @property
    def writable(self) -> bool:
        return may_write(self.request)

    def t(self, key: str, **kw: Any) -> str:
        return pick(TEXT[key], self.lang, **kw)


def context(request: Request) -> Ctx:
    """Dependency: the :class:`Ctx` of a request."""
    return Ctx(request, request_lang(request), request.app.state.settings)


def _lang_url(request: Request, lang: str) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", lang))
    return f"{request.url.path}?{urlencode(query)}"


def _query(request: Request, **changes: Any) -> str:
    """The current URL's query with ``changes`` (None removes a key)."""
    items = {k: v for k, v in request.query_params.items() if k != "lang"}
    for k, v in changes.items():
        if v is None or v == "":
            items.pop(k, None)
        else:
            items[k] = str(v)
    return "?" + urlencode(items) if items else "?"


def render(ctx: Ctx, template: str, page: BaseModel | None, status: int = 200) -> HTMLResponse:
    """Draw ``page`` with ``template`` in the language of the request."""
    request = ctx.request
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "page": page,
            "ctx": ctx,
            "t": ctx.t,
            "edition_name": functools.partial(edition_name, lang=ctx.lang),
            "lang": ctx.lang,
            "other_lang_url": _lang_url(request, "zh" if ctx.lang == "en" else "en"),
            "json_url": f"{request.url.path}.json"
            + (f"?{request.url.query}" if request.url.query else ""),
            "query": functools.partial(_query, request),
        },
        status_code=status,
    )


def render_problem(
    request: Request, body: ProblemBody, headers: dict[str, str] | None = None
) -> Response:
    ctx = context(request)
    response = render(ctx, "problem.html", body, status=body.status)
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def twin(
    router: APIRouter,
    path: str,
    template: str,
    *,
    model: type[M],
    summary: str,
    tags: list[str | Enum] | None = None,
) -> Callable[[Callable[..., M]], Callable[..., M]]:
    """Register a data function as the page ``path`` and its JSON twin ``path.json``.

    The data function takes ``ctx: Ctx = Depends(context)`` and any query or
    path parameters, and returns ``model``.
    """

    def deco(fn: Callable[..., M]) -> Callable[..., M]:
        @functools.wraps(fn)
        def as_json(*args: Any, **kwargs: Any) -> M:
            return fn(*args, **kwargs)

        @functools.wraps(fn)
        def as_html(*args: Any, **kwargs: Any) -> Response:
            data = fn(*args, **kwargs)
            return render(kwargs["ctx"], template, data)

        as_html.__annotations__ = {**fn.__annotations__, "return": Response}
        router.add_api_route(
            f"{path}.json",
            as_json,
            methods=["GET"],
            response_model=model,
            summary=summary,
            tags=tags or ["pages"],
        )
        router.add_api_route(
            path,
            as_html,
            methods=["GET"],
            response_class=HTMLResponse,
            response_model=None,
            include_in_schema=False,
        )
        return fn

    return deco
