"""The web pages in a real browser: ``gongkai serve`` (uvicorn) and headless Chromium.

A person uploads a real report and sees its findings with the cells they
name highlighted; a report with ``<script>`` in its agency name and prose is
shown as text and runs nothing; no page asks for anything outside the
server, and no page trips its own Content-Security-Policy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from webserver import serve

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="headless Chromium is not installed (Debian package chromium)"
    ),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parent.parent
#: screenshots of the main pages go to docs/images with GONGKAI_SCREENSHOTS=1 (else a temp dir)
DOCS = (
    ROOT / "docs" / "images"
    if os.environ.get("GONGKAI_SCREENSHOTS")
    else Path(tempfile.mkdtemp(prefix="gongkai-shots-"))
)
HOSTILE = (
    "<script>window.__pwned=1;alert('agency')</script>测试区人民政府\n"
    "2024年政府信息公开工作年度报告\n"
    "一、总体情况\n"
    '本机关<img src=x onerror="window.__pwned=2">全年主动公开信息。'
    "<script>alert('prose')</script>\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serve("--workers", "1", "--checks-per-minute", "0", log=log) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """What a page did that it must not: dialogs, CSP violations, requests elsewhere."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.console: list[str] = []
        self.outside: list[str] = []
        host = urlsplit(base).netloc
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: self.console.append(m.text))

        def route(r: Any) -> None:
            if urlsplit(r.request.url).netloc not in (host, ""):
                self.outside.append(r.request.url)
                r.abort()
            else:
                r.continue_()

        page.route("**/*", route)

    def csp_violations(self) -> list[str]:
        return [c for c in self.console if "Content Security Policy" in c]


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    watch = Watch(p, server)
    try:
        yield p, watch
    finally:
        context.close()


@pytest.mark.corpus
def test_upload_a_real_report_and_see_its_findings(
    page: tuple[Any, Watch], server: str, corpus_dir: Path
) -> None:
    p, watch = page
    p.goto(f"{server}/check")
    assert p.locator("h1").inner_text() == "检查年度报告"
    p.set_input_files("#file", str(corpus_dir / "dev" / "hongze-qzf-2023.pdf"))
    with p.expect_navigation():
        p.click("#submit")
    assert "/check/" in p.url
    findings = p.locator("li.finding")
    assert findings.count() > 0
    flagged = p.locator("td.flag")
    assert flagged.count() > 0, "cells named by findings are highlighted"
    # each highlighted cell links to its finding, and the finding back to the cell
    first = flagged.first
    ref = first.locator("a.fref").first.get_attribute("href")
    assert ref and ref.startswith("#finding-")
    target = p.locator(ref)
    assert target.count() == 1
    cell_id = first.get_attribute("id")
    assert target.locator(f'a.cell-link[href="#{cell_id}"]').count() == 1
    colour = first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    # provenance on hover
    assert p.locator("td.v[title]").count() > 0
    target.locator("a.cell-link").first.click()
    assert p.url.endswith(f"#{cell_id}")
    DOCS.mkdir(parents=True, exist_ok=True)
    p.evaluate("() => window.scrollBy(0, -200)")
    p.screenshot(path=str(DOCS / "web-check.png"), full_page=False)
    assert not watch.dialogs and not watch.outside and not watch.csp_violations()


def hostile_record(path: Path) -> Path:
    """A report record whose agency name and prose carry scripts (as tampered pages do)."""
    import json

    from gongkai import read

    record = read(ROOT / "examples" / "qingshan-minzheng-2024.txt").to_dict()
    record["agency"] = "<script>window.__pwned=1;alert('agency')</script>青山区民政局"
    sections = record.get("x_sections") or []
    assert sections
    sections[0]["text"] += (
        "<script>window.__pwned=3;alert('prose')</script><img src=x onerror=\"window.__pwned=2\">"
    )
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["record", "text"])
def test_script_in_a_report_is_shown_as_text(
    page: tuple[Any, Watch], server: str, tmp_path: Path, kind: str
) -> None:
    p, watch = page
    if kind == "record":
        upload = hostile_record(tmp_path / "evil.json")
    else:
        upload = tmp_path / "evil.txt"
        upload.write_text(HOSTILE, encoding="utf-8")
    p.goto(f"{server}/check")
    p.set_input_files("#file", str(upload))
    with p.expect_navigation():
        p.click("#submit")
    p.wait_for_load_state("load")
    assert "/check/" in p.url
    if kind == "record":
        assert "<script>window.__pwned=1" in p.locator("dd.agency").inner_text()
        p.locator("#part-1 summary").click()
        assert "<script>window.__pwned=3" in p.locator("#part-1").inner_text()
    assert p.evaluate("() => window.__pwned === undefined")
    assert p.locator("main script").count() == 0
    assert p.locator("main img").count() == 0
    assert not watch.dialogs
    assert not watch.outside


def test_pasting_text_works_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        p.goto(f"{server}/check")
        p.fill("#text", (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text("utf-8"))
        with p.expect_navigation():
            p.click("#submit")
        assert p.locator("table.report").count() == 3
        assert "青山" in p.locator("dd.agency").inner_text()
    finally:
        context.close()


def test_english_switch_and_rules(page: tuple[Any, Watch], server: str) -> None:
    p, watch = page
    p.goto(f"{server}/rules")
    assert "检查规则" in p.locator("h1").inner_text()
    p.click("a.lang")
    assert "Check rules" in p.locator("h1").inner_text()
    p.goto(f"{server}/check")
    assert p.locator("h1").inner_text() == "Check an annual report"
    assert p.locator("#rule-t3-balance").count() == 0
    p.goto(f"{server}/rules?lang=zh")
    p.screenshot(path=str(DOCS / "web-rules.png"))
    assert not watch.outside and not watch.csp_violations()


def test_api_docs_work_offline(page: tuple[Any, Watch], server: str) -> None:
    p, watch = page
    p.goto(f"{server}/docs")
    p.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert p.locator(".opblock").count() > 3
    assert "/api/check" in p.locator(".swagger-ui").inner_text()
    assert not watch.outside, watch.outside


# ------------------------------------------------------------------ the corpus


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from webcorpus import build

    scratch = tmp_path_factory.mktemp("corpus")
    db = build(scratch / "corpus.db", scratch)
    with serve("--workers", "1", "--db", db, log=scratch / "serve.log") as base:
        yield base


@pytest.fixture
def cpage(browser: Any, corpus_server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    watch = Watch(p, corpus_server)
    try:
        yield p, watch
    finally:
        context.close()


def test_filter_the_dashboard(cpage: tuple[Any, Watch], corpus_server: str) -> None:
    p, watch = cpage
    p.goto(f"{corpus_server}/corpus")
    total = p.locator("table.reports tbody tr").count()
    assert total > 3
    for img in p.locator(".charts img").all():
        img.scroll_into_view_if_needed()
        p.wait_for_function(
            "e => e.complete && e.naturalWidth > 0", arg=img.element_handle(), timeout=30000
        )
    p.evaluate("() => window.scrollTo(0, 0)")
    p.screenshot(path=str(DOCS / "web-corpus.png"))
    p.select_option("#f-year", "2024")
    with p.expect_navigation():
        p.click("#f-apply")
    assert "year=2024" in p.url
    years = p.locator("table.reports tbody tr td:nth-child(2)").all_inner_texts()
    assert years and set(years) == {"2024"}
    assert len(years) < total
    # the ranking sorts by a click on a header (progressive enhancement)
    score = p.locator("table.ranking thead th").nth(4)
    score.click()
    scores = [float(x) for x in p.locator("table.ranking tbody td:nth-child(5)").all_inner_texts()]
    assert scores == sorted(scores)
    assert not watch.dialogs and not watch.outside and not watch.csp_violations()


@pytest.mark.corpus
def test_follow_an_agency_across_years(cpage: tuple[Any, Watch], corpus_server: str) -> None:
    p, watch = cpage
    p.goto(f"{corpus_server}/corpus?agency=洪泽")
    p.locator("table.reports a.agency").first.click()
    p.wait_for_load_state("load")
    assert "/corpus/agency/" in p.url
    years = p.locator("tr.year").evaluate_all("rows => rows.map(r => r.dataset.year)")
    assert years == ["2023", "2024"]
    chain = p.locator("table.chain tbody tr")
    assert chain.count() == 1
    cells = chain.first.locator("td")
    assert cells.count() == 7
    for i in range(7):
        cls = cells.nth(i).get_attribute("class") or ""
        assert "match" in cls or "mismatch" in cls
    green = chain.first.locator("td.match").first
    if green.count():
        assert green.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(227, 246, 236)"
    p.screenshot(path=str(DOCS / "web-agency.png"), full_page=True)
    p.locator("tr.year[data-year='2024'] a.report-link").first.click()
    p.wait_for_load_state("load")
    assert "/corpus/report/" in p.url
    assert p.locator("table.report").count() == 3
    assert p.locator("td.v[title]").count() > 0, "provenance on hover"
    p.screenshot(path=str(DOCS / "web-report.png"))
    assert not watch.dialogs and not watch.outside and not watch.csp_violations()


def test_scripts_in_the_corpus_run_nowhere(cpage: tuple[Any, Watch], corpus_server: str) -> None:
    p, watch = cpage
    p.goto(f"{corpus_server}/corpus?agency=script")
    link = p.locator("table.reports a.agency").first
    assert "</script>" in link.inner_text()
    link.click()
    p.wait_for_load_state("load")
    assert "</script>" in p.locator("h1").inner_text()
    p.locator("a.report-link").first.click()
    p.wait_for_load_state("load")
    p.locator("#part-1 summary").click()
    assert "<script>window.__pwned=1</script>" in p.locator("#part-1").inner_text()
    assert p.evaluate("() => window.__pwned === undefined")
    assert p.locator("main script, main img:not(figure img)").count() == 0
    assert not watch.dialogs and not watch.outside
