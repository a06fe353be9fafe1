"""The corpus pages and API in-process (httpx over ASGI), on a real SQLite corpus.

Every page's JSON twin validates against the schema OpenAPI documents for
it; the API answers what the corpus library answers; exports open as what
they say they are; writing needs the token; text from reports is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from gongkai.corpus import analysis
from gongkai.corpus.query import ALL, Filter, list_reports, show_report
from gongkai.db import connect
from gongkai.web import Limits, Settings
from test_web_api import App, _validate
from webcorpus import build

TOKEN = "corpus-write-token-0123456789"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    scratch = tmp_path_factory.mktemp("corpus")
    return build(scratch / "corpus.db", scratch)


@pytest.fixture(scope="module")
def web(db: str) -> Iterator[App]:
    app = App(
        Settings(db=db, token=TOKEN, limits=Limits(workers=1, checks_per_minute=0, memory_mb=1024))
    )
    yield app
    app.close()


def _ids(web: App) -> list[int]:
    return [i["id"] for i in web.get("/api/reports?per_page=1000").json()["items"]]


def test_dashboard_and_its_twin(web: App, db: str) -> None:
    html = web.get("/corpus")
    assert html.status_code == 200
    body = web.get("/corpus.json").json()
    _validate(web, "/corpus.json", body)
    engine = connect(db)
    assert body["reports"]["total"] == len(list_reports(engine, ALL))
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["reports"] == body["reports"]["total"]
    total = analysis.stats(engine, ALL, by="none").total()
    assert figures["received"] == total["received"]
    assert body["ranking"] is not None and body["ranking"]["rows"]
    row = body["ranking"]["rows"][0]
    assert set(row["components"]) == set(body["ranking"]["weights"])
    assert [c["key"] for c in body["charts"]] == [
        "applications",
        "outcomes",
        "corrections",
        "rules",
    ]
    for chart in body["charts"]:
        svg = web.get(chart["url"])
        assert svg.status_code == 200
        assert svg.headers["content-type"].startswith("image/svg+xml")
        root = ElementTree.fromstring(svg.content)
        assert root.tag.endswith("svg")
        assert b"<script" not in svg.content
    engine.dispose()


def test_filters_choose_the_reports(web: App, db: str) -> None:
    body = web.get("/corpus.json?year=2024").json()
    years = {i["year"] for i in body["reports"]["items"]}
    assert years == {2024}
    engine = connect(db)
    assert body["reports"]["total"] == len(list_reports(engine, Filter(years=(2024,))))
    engine.dispose()
    by_rule = web.get("/corpus.json?rule=t4-total").json()
    assert by_rule["reports"]["total"] >= 1
    assert by_rule["reports"]["total"] < body["reports"]["total"] + 100
    html = web.get("/corpus?year=2024").text
    assert '<option value="2024" selected>' in html


def test_api_reports_paginates(web: App) -> None:
    everything = web.get("/api/reports?per_page=1000").json()
    total = everything["total"]
    assert total == len(everything["items"]) > 6
    first = web.get("/api/reports?per_page=5&page=1&sort=id").json()
    second = web.get("/api/reports?per_page=5&page=2&sort=id").json()
    assert first["total"] == total and first["pages"] == -(-total // 5)
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in second["items"]]
    assert ids == sorted(i["id"] for i in everything["items"])[:10]
    desc = web.get("/api/reports?per_page=3&sort=errors&desc=true").json()["items"]
    assert [i["errors"] for i in desc] == sorted((i["errors"] for i in desc), reverse=True)
    bad = web.get("/api/reports?page=0")
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"


def test_a_report_through_the_api(web: App, db: str) -> None:
    engine = connect(db)
    for rid in _ids(web)[:5]:
        got = web.get(f"/api/reports/{rid}").json()
        assert got == show_report(engine, rid).to_dict()  # type: ignore[union-attr]
        assert web.get(f"/api/reports/{rid}/record").json() == got["report"]
        assert web.get(f"/api/reports/{rid}/findings").json() == got["findings"]
        page = web.get(f"/corpus/report/{rid}.json").json()
        _validate(web, "/corpus/report/{report_id}.json", page)
        assert page["result"] == got
    engine.dispose()
    missing = web.get("/api/reports/999999")
    assert missing.status_code == 404 and missing.json()["code"] == "no-report"


def test_source_is_always_a_download(web: App) -> None:
    rid = _ids(web)[0]
    r = web.get(f"/corpus/report/{rid}/source")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in r.headers["content-security-policy"]


def test_stats_and_rank(web: App, db: str) -> None:
    engine = connect(db)
    st = web.get("/api/stats?by=year").json()
    expected = analysis.stats(engine, ALL, by="year")
    assert [r["reports"] for r in st["rows"]] == [r.reports for r in expected.rows]
    assert st["total"] == expected.total()
    rank = web.get("/api/rank?year=2024").json()
    assert rank["rows"] and all(r["year"] == 2024 for r in rank["rows"])
    engine.dispose()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_exports(web: App, fmt: str) -> None:
    total = web.get("/api/reports?per_page=1").json()["total"]
    r = web.get(f"/api/export.{fmt}")
    assert r.status_code == 200
    assert r.headers["content-disposition"].startswith("attachment")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(io.BytesIO(r.content)).to_pylist()
    else:
        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        rows = list(ws.iter_rows(values_only=True))[1:]
    assert len(rows) == total
    long = web.get(f"/api/export.{fmt}?shape=long&year=2024")
    assert long.status_code == 200


def test_agency_across_years(web: App) -> None:
    items = web.get("/api/reports?per_page=1000").json()["items"]
    keys: dict[str, set[int]] = {}
    for i in items:
        if i["agency_key"] and i["year"]:
            keys.setdefault(i["agency_key"], set()).add(i["year"])
    key = next(k for k, ys in keys.items() if any(y + 1 in ys for y in ys))
    page = web.get(f"/corpus/agency/{quote(key, safe='')}.json").json()
    _validate(web, "/corpus/agency/{key}.json", page)
    assert [y["year"] for y in page["years"]] == sorted(keys[key])
    assert page["chain"], "consecutive years make a carry-over link"
    for link in page["chain"]:
        assert link["next_year"] == link["year"] + 1
        for c in link["cells"]:
            if c["forward"] is not None and c["over"] is not None:
                assert c["match"] == (c["forward"] == c["over"])
    html = web.get(f"/corpus/agency/{quote(key, safe='')}").text
    assert 'class="data chain"' in html
    assert web.get(page["chart"]).headers["content-type"].startswith("image/svg+xml")
    assert web.get("/corpus/agency/nobody.json").status_code == 404


def test_compare_two_reports(web: App) -> None:
    a, b = _ids(web)[:2]
    page = web.get(f"/corpus/compare.json?a={a}&b={b}").json()
    _validate(web, "/corpus/compare.json", page)
    assert page["a"]["id"] == a and page["b"]["id"] == b
    same = web.get(f"/corpus/compare.json?a={a}&b={a}").json()
    assert same["differ"] == []
    assert web.get(f"/corpus/compare?a={a}").status_code == 400


def test_rules_page_shows_examples_from_the_corpus(web: App) -> None:
    body = web.get("/rules.json").json()
    examples = [e for s in body["scopes"] for r in s["rules"] for e in r["examples"]]
    assert examples
    assert all(e["url"].startswith("/corpus/report/") for e in examples)


def test_report_text_is_escaped_everywhere(web: App) -> None:
    items = web.get("/api/reports?per_page=1000").json()["items"]
    evil = next(i for i in items if i["agency"] and "</script>" in i["agency"])
    for url in (
        "/corpus",
        f"/corpus/report/{evil['id']}",
        f"/corpus/agency/{quote(evil['agency_key'], safe='')}",
    ):
        r = web.get(url, headers={"accept": "text/html"})
        assert r.status_code == 200, url
        html = r.text
        assert "</script>青山" not in html, url
        assert "&lt;/script&gt;青山" in html, url
        assert "<img src=x" not in html, url


def test_writing_needs_the_token(web: App, tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "examples" / "qingshan-rsj-2020.txt").read_bytes()
    upload = {"file": ("new-2020.txt", text + b"\n")}
    assert web.post("/api/reports", files=upload).status_code == 401
    wrong = web.post("/api/reports", files=upload, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    before = web.get("/api/reports?per_page=1").json()["total"]
    added = web.post("/api/reports", files=upload, headers=auth)
    assert added.status_code == 200, added.text
    body: dict[str, Any] = added.json()
    assert body["status"] in ("added", "version")
    again = web.post("/api/reports", files=upload, headers=auth).json()
    assert again["status"] == "exists" and again["report_id"] == body["report_id"]
    assert web.get("/api/reports?per_page=1").json()["total"] == before + (
        1 if body["status"] == "added" else 0
    )
    rid = body["report_id"]
    assert web.request("DELETE", f"/api/reports/{rid}").status_code == 401
    gone = web.request("DELETE", f"/api/reports/{rid}", headers=auth)
    assert gone.status_code == 200 and gone.json() == {"removed": 1}
    assert web.get(f"/api/reports/{rid}").status_code == 404


def test_add_a_checked_report_with_one_click(web: App) -> None:
    text = (Path(__file__).parent.parent / "examples" / "qingshan-szf-2024.txt").read_bytes()
    ok = web.post("/token", data={"token": TOKEN})
    assert ok.status_code == 303
    r = web.post("/check", files={"file": ("szf-copy.txt", text + b"\n\n")})
    page = web.get(r.headers["location"]).text
    assert 'id="add"' in page
    added = web.post(r.headers["location"] + "/add")
    assert added.status_code == 303
    assert added.headers["location"].startswith("/corpus/report/")
    web.client.cookies.clear()
    r2 = web.post("/check", files={"file": ("szf-copy2.txt", text + b"\n\n\n")})
    assert 'id="add"' not in web.get(r2.headers["location"]).text
    assert web.post(r2.headers["location"] + "/add").status_code == 401


def test_read_only_server_refuses_writes(db: str) -> None:
    app = App(Settings(db=db, limits=Limits(workers=1, checks_per_minute=0)))
    try:
        r = app.post("/api/reports", files={"file": ("a.txt", b"x")})
        assert r.status_code == 403 and r.json()["code"] == "read-only"
        assert app.request("DELETE", "/api/reports/1").status_code == 403
    finally:
        app.close()


def test_no_corpus_is_a_problem() -> None:
    app = App(Settings(limits=Limits(workers=1)))
    try:
        r = app.get("/corpus.json")
        assert r.status_code == 404 and r.json()["code"] == "no-corpus"
        assert "gongkai serve --db" in r.json()["detail"]
        assert app.get("/api/reports").status_code == 404
    finally:
        app.close()
