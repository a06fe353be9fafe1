"""The web app in-process (httpx over ASGI): pages, JSON twins, /api/check, safety.

`POST /api/check` must answer exactly what `gongkai check --json` prints for
the same file; every page's JSON twin validates against the schema of its
model; every error is a problem body with the CLI's message; writes are
refused without the token; uploads are capped, sniffed and rate-limited.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from openpyxl import load_workbook

from gongkai.web import Limits, Settings, create_app
from gongkai.web.app import AREAS
from gongkai.web.security import CSP, RateLimit
from gongkai.web.settings import is_loopback

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = (
    "<script>alert('x')</script>测试区人民政府\n2024年政府信息公开工作年度报告\n"
    "一、总体情况\n<img src=x onerror=alert(1)>本机关<script>alert(2)</script>全年主动公开。\n"
)


class App:
    """An app and a synchronous client for it (one event loop)."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.loop = asyncio.new_event_loop()
        self.client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="http://testserver"
        )

    def request(self, method: str, url: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.client.request(method, url, **kw))

    def get(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> httpx.Response:
        return self.request("POST", url, **kw)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()
        self.app.state.sandbox.close()


def _settings(**kw: Any) -> Settings:
    limits = kw.pop("limits", Limits(workers=1, checks_per_minute=0, seconds=60, memory_mb=1024))
    return Settings(limits=limits, **kw)


@pytest.fixture(scope="module")
def web() -> Iterator[App]:
    app = App(_settings(token="a-long-enough-write-token"))
    yield app
    app.close()


def _schema_of(app: App, path: str) -> dict[str, Any]:
    """The response schema OpenAPI documents for ``path`` (refs resolved in the document)."""
    spec = app.get("/api/openapi.json").json()
    op = spec["paths"][path]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    return {**schema, "components": spec["components"]}


def _validate(app: App, openapi_path: str, body: Any) -> None:
    schema = _schema_of(app, openapi_path)
    ref = schema.get("$ref")
    resolver_schema = {"$ref": ref, "components": schema["components"]} if ref else schema
    jsonschema.validate(body, resolver_schema)


# ------------------------------------------------------------------ pages


def test_pages_and_their_twins(web: App) -> None:
    for path in ("/check", "/rules", "/token"):
        page = web.get(path, headers={"accept": "text/html"})
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        twin = web.get(f"{path}.json")
        assert twin.status_code == 200
        _validate(web, f"{path}.json", twin.json())


def test_rules_page_lists_the_catalogue(web: App) -> None:
    from gongkai.checks.registry import catalogue

    body = web.get("/rules.json").json()
    ids = [r["id"] for s in body["scopes"] for r in s["rules"]]
    assert ids == [r.id for r in catalogue()]
    html = web.get("/rules").text
    assert 'id="rule-t3-balance"' in html and "表三勾稽关系不平" in html


def test_chinese_by_default_english_on_request(web: App) -> None:
    web.client.cookies.clear()
    assert "检查年度报告" in web.get("/check").text
    en = web.get("/check?lang=en")
    assert "Check an annual report" in en.text
    assert "lang=en" in en.headers["set-cookie"]
    rules = web.get("/rules.json?lang=en").json()
    assert rules["scopes"][0]["name"] == "Structure and format"
    web.client.cookies.clear()


def test_security_headers_on_every_answer(web: App) -> None:
    for path in ("/check", "/rules.json", "/nothing-here", "/static/gongkai.css"):
        r = web.get(path)
        assert r.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_offline_no_external_resources(web: App) -> None:
    """No page or asset of ours names another host; /docs is served from the package."""
    for path in ("/check", "/rules", "/docs", "/static/docs.js", "/static/gongkai.css"):
        text = web.get(path).text
        assert "http://" not in text and "https://" not in text, path
    assert "<script>" not in web.get("/docs").text.replace("<script src", "")
    assert web.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert web.get("/static/swagger/swagger-ui.css").status_code == 200


def test_openapi_documents_the_api(web: App) -> None:
    spec = web.get("/api/openapi.json").json()
    assert "/api/check" in spec["paths"]
    post = spec["paths"]["/api/check"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "422" in post["responses"]


# ------------------------------------------------------------------ check


def _cli_json(path: Path) -> Any:
    """What `gongkai check --json NAME` prints, run where the file is."""
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "check", "--json", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "GONGKAI_LANG": "zh"},
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name", ["dev/hongze-qzf-2024.pdf", "dev/shuyang-fgj-2023.docx", "seeds/jian-minzheng-2020.txt"]
)
def test_api_check_answers_what_the_cli_prints(web: App, corpus_dir: Path, name: str) -> None:
    path = corpus_dir / name
    r = web.post("/api/check", files={"file": (path.name, path.read_bytes())})
    assert r.status_code == 200, r.text
    assert r.json() == _cli_json(path)


def test_check_page_draws_the_findings(web: App) -> None:
    text = (ROOT / "examples" / "with-mistakes" / "qingshan-jiaoyu-2024.txt").read_bytes()
    r = web.post("/check", files={"file": ("qingshan-jiaoyu-2024.txt", text)})
    assert r.status_code == 303
    page_url = r.headers["location"]
    body = web.get(f"{page_url}.json").json()
    _validate(web, "/check/{key}.json", body)
    errors = [f for f in body["result"]["findings"] if f["severity"] == "error"]
    assert errors, "the example with mistakes has errors"
    flagged = {c for f in body["view"]["groups"][0]["findings"] for c in f["cells"]}
    assert flagged
    html = web.get(page_url).text
    for key in flagged:
        assert f'id="cell-{key}"' in html
        cell = html.split(f'id="cell-{key}"', 1)[1].split(">", 1)[0]
        assert "flag-error" in cell
    assert 'href="#finding-1"' in html
    assert "<dd>2021 版</dd>" in html  # the edition's name, not its id
    record = web.get(f"{page_url}/record.json")
    assert record.json() == body["result"]["report"]
    assert "attachment" in record.headers["content-disposition"]
    xlsx = web.get(f"{page_url}/findings.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + len(body["result"]["findings"])
    assert {r[2] for r in rows[1:]} == {f["rule"] for f in body["result"]["findings"]}


def test_compared_editions_are_named_not_given_by_id(web: App) -> None:
    # a 2024 report without tables: legacy-format compares editions, and the page said
    # 「应为 2021 · 实为 legacy」 (an identifier in a Chinese sentence)
    text = "青山县水利局2024年政府信息公开工作年度报告\n一、总体情况\n本年度我局依法公开信息。\n"
    r = web.post("/check", data={"text": text})
    assert r.status_code == 303
    body = web.get(r.headers["location"] + ".json").json()
    assert any(f["rule"] == "legacy-format" for f in body["result"]["findings"])
    html = web.get(r.headers["location"]).text
    assert "应为 2021 版 · 实为 旧式文字报告（无统一统计表）" in html
    assert "实为 legacy" not in html


def test_pasted_text_is_checked(web: App) -> None:
    text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")
    r = web.post("/check", data={"text": text})
    assert r.status_code == 303
    body = web.get(r.headers["location"] + ".json").json()
    assert body["name"] == "pasted.txt"
    assert body["result"]["report"]["agency"]


def test_report_text_is_escaped(web: App) -> None:
    r = web.post("/check", files={"file": ("evil.txt", HOSTILE.encode())})
    assert r.status_code == 303
    html = web.get(r.headers["location"]).text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_expired_result_is_a_problem(web: App) -> None:
    r = web.get("/check/no-such-id.json")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "expired"


# ------------------------------------------------------------------ problems


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "not a report")
    return buf.getvalue()


def test_problems_carry_the_cli_message(web: App) -> None:
    data = _zip()
    r = web.post("/api/check", files={"file": ("scan.pdf", data)})
    assert r.status_code == 415
    body = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert body["code"] == "unknown-format"
    assert body["detail"].startswith("scan.pdf: ")
    assert "ZIP" in body["detail"]
    empty = web.post("/api/check", files={"file": ("empty.txt", b"   \n")})
    assert empty.status_code == 422 and empty.json()["code"] == "empty"
    en = web.post("/api/check?lang=en", files={"file": ("scan.pdf", data)})
    assert "a ZIP archive that is not a Word .docx" in en.json()["detail"]
    missing = web.post("/api/check")
    assert missing.status_code == 400 and missing.json()["code"] == "bad-request"


def test_not_a_report_is_422_with_the_cli_message(web: App, tmp_path: Path) -> None:
    path = tmp_path / "menu.txt"
    path.write_text("今日菜单\n米饭 青菜 豆腐\n" * 20, encoding="utf-8")
    web.client.cookies.clear()
    r = web.post("/api/check", files={"file": (path.name, path.read_bytes())})
    cli = subprocess.run(
        [sys.executable, "-m", "gongkai.cli.main", "check", path.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.status_code == 422
    assert r.json()["detail"] in cli.stderr


def test_upload_cap(tmp_path: Path) -> None:
    app = App(_settings(limits=Limits(upload_bytes=1000, workers=1, checks_per_minute=0)))
    try:
        r = app.post("/api/check", files={"file": ("big.txt", b"x" * 200_000)})
        assert r.status_code == 413
        assert r.json()["code"] == "too-large"
        r = app.post("/api/check", files={"file": ("big.txt", b"x" * 5000)})
        assert r.status_code == 413
    finally:
        app.close()


def test_rate_limit_per_client() -> None:
    limit = RateLimit(per_minute=3)
    assert [limit.allow("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limit.allow("a", now=0.0) > 0
    assert limit.allow("b", now=0.0) == 0.0
    assert limit.allow("a", now=20.0) == 0.0  # a minute refills three: one per 20 s
    app = App(_settings(limits=Limits(workers=1, checks_per_minute=1)))
    try:
        text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_bytes()
        assert app.post("/api/check", files={"file": ("a.zip", _zip())}).status_code == 415
        first = app.post("/api/check", files={"file": ("a.txt", text)})
        second = app.post("/api/check", files={"file": ("a.txt", text)})
        assert first.status_code == 200
        assert second.status_code == 429
        assert second.json()["code"] == "rate-limited"
        assert int(second.headers["retry-after"]) > 0
    finally:
        app.close()


# ------------------------------------------------------------------ writers


def test_writes_need_the_token(web: App) -> None:
    assert web.get("/token.json").json() == {
        "configured": True,
        "writable": False,
        "wrong": False,
    }
    wrong = web.post("/token", data={"token": "nope"})
    assert wrong.status_code == 401
    ok = web.post("/token", data={"token": "a-long-enough-write-token"})
    assert ok.status_code == 303
    assert web.get("/token.json").json()["writable"] is True
    web.client.cookies.clear()
    assert web.get("/token.json").json()["writable"] is False


def test_read_only_without_a_token() -> None:
    app = App(_settings())
    try:
        body = app.get("/token.json").json()
        assert body == {"configured": False, "writable": False, "wrong": False}
        r = app.post("/token", data={"token": "anything"})
        assert r.status_code == 403
    finally:
        app.close()


def test_settings_refuse_a_weak_token_beyond_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert Settings(host="0.0.0.0", token="short").problems()
    assert not Settings(host="0.0.0.0", token="x" * 20).problems()
    assert not Settings(host="127.0.0.1", token="short").problems()
    assert not Settings(host="0.0.0.0").problems()


def test_every_area_is_a_router() -> None:
    import importlib

    for area in AREAS:
        module = importlib.import_module(f"gongkai.web.views.{area}")
        assert module.router.routes, area


# ------------------------------------------------------------------ hostile files


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        body = b"<w:document><w:body>" + b" " * (300 * 1024 * 1024) + b"</w:body></w:document>"
        z.writestr("word/document.xml", body)
    return buf.getvalue()


def test_zip_bomb_does_not_take_the_server_down() -> None:
    app = App(_settings(limits=Limits(workers=1, memory_mb=400, seconds=30, checks_per_minute=0)))
    try:
        r = app.post("/api/check", files={"file": ("bomb.docx", _zip_bomb())})
        assert r.status_code in (413, 422), r.text
        assert r.json()["detail"].startswith("bomb.docx")
        text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_bytes()
        assert app.post("/api/check", files={"file": ("ok.txt", text)}).status_code == 200
    finally:
        app.close()
