"""The rendered HTML report as a person sees it: headless Chromium via Playwright.

The page is opened in a real browser (Debian's chromium): its title, the
three tables with their merged headers drawn (a row-spanning label is as
tall as the rows it spans), no table wider than an A4 page, and the page
printed to PDF by the browser reads back into the same record.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongkai import read
from gongkai.write.data import from_dict
from gongkai.write.render import render_bytes
from records import example

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="headless Chromium is not installed (Debian package chromium)"
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(params=["2019", "2021"])
def page_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    record = example(request.param)
    path = tmp_path / f"report-{request.param}.html"
    path.write_bytes(render_bytes(from_dict(record), "html"))
    return path, record


def test_page_shows_title_tables_and_merged_headers(
    browser: Any, page_file: tuple[Path, dict[str, Any]]
) -> None:
    path, record = page_file
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(path.as_uri())
    assert record["agency"] in page.locator("h1").first.inner_text()
    tables = page.locator("table")
    assert tables.count() >= 3
    assert page.locator("th[scope]").count() > 10
    # the row-spanning label of table 3 is drawn as tall as the rows it spans
    label = page.get_by_text("三、本年度办理结果", exact=True).first
    row = page.get_by_text("（一）予以公开", exact=True).first
    label_box, row_box = label.bounding_box(), row.bounding_box()
    assert label_box is not None and row_box is not None
    assert label_box["height"] > 10 * row_box["height"]
    # nothing wider than an A4 page
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('table')].some(t => t.scrollWidth > t.clientWidth + 1)"
    )
    assert overflow is False
    shot = page.screenshot(full_page=True)
    assert len(shot) > 20_000
    page.close()


def test_browser_print_reads_back_into_the_same_record(
    browser: Any, page_file: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path, record = page_file
    page = browser.new_page()
    page.goto(path.as_uri())
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    # the browser's PDF has no embedded copy: this is the visible report alone
    got = read(pdf).to_dict(private=False)
    assert {
        k: v for k, v in got.items() if k in ("table2", "table3", "table4", "year", "template")
    } == {k: record[k] for k in ("table2", "table3", "table4", "year", "template")}


@pytest.mark.parametrize("agency", ["平潭综合实验区经济发展局", "青山市示范区人力资源和社会保障局"])
def test_print_view_breaks_the_title_between_words(
    browser: Any, agency: str, tmp_path: Path
) -> None:
    """The HTML print view broke the title mid-word (issue 9 #6): it breaks after the name."""
    record = example("2021")
    record["agency"] = agency
    path = tmp_path / "t.html"
    path.write_bytes(render_bytes(from_dict(record), "html"))
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    # an A4 text column (210 − 28 − 26 mm) as printed
    page.add_style_tag(content="body { width: 156mm; max-width: 156mm; margin: 0; }")
    lines = page.evaluate(
        """() => {
        const h1 = document.querySelector('h1');
        const range = document.createRange();
        const tops = new Map();
        const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            for (let i = 0; i < node.length; i++) {
                range.setStart(node, i); range.setEnd(node, i + 1);
                const r = range.getBoundingClientRect();
                const top = Math.round(r.top);
                tops.set(top, (tops.get(top) || '') + node.data[i]);
            }
        }
        return [...tops.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
    }"""
    )
    page.close()
    assert "".join(lines) == f"{agency}2023年政府信息公开工作年度报告"
    # every line ends where a word ends: after the name, after the year, at the end
    words = {len(agency), len(agency) + len("2023年"), len("".join(lines))}
    ends = {sum(len(x) for x in lines[: i + 1]) for i in range(len(lines))}
    assert len(lines) >= 2 and ends <= words, lines
