"""The application factory: ``create_app(settings) -> FastAPI``.

The app is assembled from one router per area, listed in :data:`AREAS`
(``gongkai.web.views.<area>`` each defines ``router``); a new area — the
ledger, say — adds its module there and its templates extend ``base.html``.
Everything shared lives here once: the security middleware, the problem
bodies, the static files, the offline API docs and the sandbox that parses
uploads.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from gongkai import __version__
from gongkai.web import problems
from gongkai.web.corpusweb import open_corpus
from gongkai.web.pages import Ctx
from gongkai.web.results import Results
from gongkai.web.sandbox import Sandbox
from gongkai.web.security import Guard, RateLimit
from gongkai.web.settings import Settings

HERE = Path(__file__).parent

#: areas of the site, each a module ``gongkai.web.views.<name>`` with a ``router``
AREAS: list[str] = ["home", "check", "rules", "corpus", "reports", "auth", "ledger"]

DESCRIPTION = """
REST API of gongkai over the same library as the command line.

* `POST /api/check` (multipart field `file`) answers the JSON that
  `gongkai check --json FILE` prints for that file.
* Every page has a JSON twin: the same URL with `.json`.
* Errors are `application/problem+json` (RFC 9457) with the CLI's messages.
* Reading is open; writing needs the token the server was started with
  (`Authorization: Bearer …`).
"""


def _docs_page() -> str:
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gongkai API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A gongkai server over ``settings`` (defaults: no corpus, read-only, loopback)."""
    settings = settings or Settings()
    sandbox = Sandbox(settings.limits)

    engine = open_corpus(settings.db) if settings.db else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        sandbox.close()
        if engine is not None:
            engine.dispose()

    app = FastAPI(
        title="gongkai",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sandbox = sandbox
    app.state.results = Results(settings.limits.kept_results)
    app.state.check_limit = RateLimit(settings.limits.checks_per_minute)
    app.state.engine = engine
    if engine is not None:
        app.state.rule_examples = _rule_examples
    problems.install(app)
    app.add_middleware(Guard, max_body=settings.limits.upload_bytes + 64 * 1024)

    app.mount("/static/swagger", StaticFiles(directory=_swagger_dir()), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page())

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/healthz", tags=["server"], summary="liveness")
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for area in AREAS:
        module = importlib.import_module(f"gongkai.web.views.{area}")
        app.include_router(module.router)
    return app


def _rule_examples(ctx: Ctx) -> dict[str, list[dict[str, str]]]:
    """Reports of the corpus where each rule found something (the rules page's examples)."""
    from gongkai.corpus.browse import rule_examples

    return {
        rule: [
            {
                "url": f"/corpus/report/{rid}",
                "label": f"{agency or '#' + str(rid)} {year or ''}".strip(),
            }
            for rid, agency, year in got
        ]
        for rule, got in rule_examples(ctx.request.app.state.engine).items()
    }


def _swagger_dir() -> Path:
    """Swagger UI's files, from the ``swagger-ui-py`` package (installed, never copied here)."""
    import swagger_ui

    return Path(swagger_ui.__file__).parent / "static"
