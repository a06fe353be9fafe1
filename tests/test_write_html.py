"""The HTML: self-contained, accessible headers, printable, the record embedded."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from gongkai.write.data import ReportData, from_dict
from gongkai.write.html import SCRIPT_ID, render_html
from records import example


@pytest.fixture(params=["2019", "2021"])
def data(request: pytest.FixtureRequest) -> ReportData:
    raw = example(request.param)
    raw["x_narrative"] = {"parts": {5: "问题：</script><b>不是标签</b>"}}
    return from_dict(raw)


def test_page_is_chinese_and_self_contained(data: ReportData) -> None:
    page = render_html(data)
    root = lxml.html.fromstring(page)
    assert root.get("lang") == "zh-CN"
    assert root.find(".//meta[@charset]") is not None
    assert root.findtext(".//title") == data.title
    assert "".join(root.find(".//h1").itertext()) == data.title
    # nothing loaded from elsewhere
    assert not root.xpath("//link | //img | //iframe | //script[@src]")
    assert not re.search(r"url\(|@import", page)
    assert "@media print" in page and "size: A4" in page


def test_every_header_cell_is_a_th_with_scope(data: ReportData) -> None:
    root = lxml.html.fromstring(render_html(data))
    tables = root.findall(".//table")
    assert len(tables) == 3
    for table in tables:
        assert table.get("aria-labelledby", "").startswith("part")
        for th in table.iter("th"):
            assert th.get("scope") in ("col", "colgroup", "row", "rowgroup")
        for td in table.iter("td"):
            text = td.text_content().strip()
            assert text == "" or re.fullmatch(r"-?[\d.]+(万元|元)?", text), text
    t3, t4 = tables[1], tables[2]
    assert len(t3.findall("thead/tr")) == 3 and len(t4.findall("thead/tr")) == 3
    note = t3.find("thead/tr/th")
    assert note is not None and (note.get("rowspan"), note.get("colspan")) == ("3", "3")
    group = next(th for th in t3.iter("th") if th.text == "三、本年度办理结果")
    assert group.get("scope") == "rowgroup"
    assert group.get("rowspan") == ("22" if data.report.template == "2021" else "20")
    row_label = next(th for th in t3.iter("th") if th.text == "一、本年新收政府信息公开申请数量")
    assert row_label.get("scope") == "row" and row_label.get("colspan") == "3"
    assert [th.get("colspan") for th in t4.find("thead/tr").findall("th")] == ["5", "10"]  # type: ignore[union-attr]


def test_record_is_embedded_as_json(data: ReportData) -> None:
    page = render_html(data)
    m = re.search(rf'<script type="application/json" id="{SCRIPT_ID}">(.*?)</script>', page, re.S)
    assert m is not None
    assert "</" not in m.group(1)  # escaped, so text cannot close the script
    assert json.loads(m.group(1)) == data.to_dict()
    assert page.count("<script") == 1


def test_text_is_escaped(data: ReportData) -> None:
    page = render_html(data, embed=False)
    assert "<b>不是标签</b>" not in page
    assert "&lt;b&gt;不是标签&lt;/b&gt;" in page
    assert "<script" not in page


def test_blank_cells_are_empty() -> None:
    raw = example("2021")
    raw["table2"]["penalty"]["decisions"] = None
    root = lxml.html.fromstring(render_html(from_dict(raw)))
    row = next(tr for tr in root.iter("tr") if tr.findtext("th") == "行政处罚")
    assert [td.text_content() for td in row.findall("td")] == [""]
