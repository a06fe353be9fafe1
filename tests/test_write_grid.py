"""The official table layout, the sentences written from the numbers, the text layouts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from gongkai.national.editions import EDITION_2019, EDITION_2021, T3_GROUP_LABELS
from gongkai.national.model import Edition
from gongkai.write import sentences
from gongkai.write.content import compose
from gongkai.write.data import ReportData, from_dict
from gongkai.write.grid import official_table, official_tables, total_parts
from gongkai.write.text import BLANK, render_markdown, render_text, table_markdown
from records import example, records

EDITIONS = [pytest.param(EDITION_2019, id="2019"), pytest.param(EDITION_2021, id="2021")]


def _data(edition: str = "2021", **narrative: Any) -> ReportData:
    raw = example(edition)
    raw["x_narrative"] = narrative
    return from_dict(raw)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_cell_of_the_record_has_one_place(edition: Edition) -> None:
    for table in official_tables(edition):
        paths = [c.path for c in table.cells() if c.role == "value"]
        assert len(paths) == len(set(paths))
        t = edition.table(table.key)
        expected = {
            (t.key, r.key, c.key if t.key == "table2" else i)
            for r in t.rows
            for i, c in enumerate(t.row_columns(r.key))
        }
        assert set(paths) == expected
        grid = table.grid()  # raises if a position is empty or covered twice
        assert all(len(row) == table.ncols for row in grid)
        assert abs(sum(table.widths) - 1) < 1e-9


@pytest.mark.parametrize("edition", EDITIONS)
def test_table3_has_the_official_merged_headers(edition: Edition) -> None:
    table = official_table(edition, "table3")
    labels = edition.table("table3").header_labels
    first, second, third = table.rows[:3]
    note = first[0]
    assert (note.text, note.rowspan, note.colspan) == (labels[2], 3, 3)
    assert (first[1].text, first[1].colspan) == (labels[0], 7)
    assert [(c.text, c.rowspan, c.colspan) for c in second] == [
        ("自然人", 2, 1),
        (labels[1], 1, 5),
        ("总计", 2, 1),
    ]
    assert [c.text for c in third] == [c.label for c in edition.table("table3").columns[1:-1]]
    results = next(c for c in table.cells() if c.text == T3_GROUP_LABELS[0])
    outcome_rows = sum(1 for r in edition.table("table3").rows if r.group is not None)
    assert results.rowspan == outcome_rows == (22 if edition.id == "2021" else 20)
    deny = next(c for c in table.cells() if c.text == "（三）不予公开")
    assert deny.rowspan == 8


@pytest.mark.parametrize("edition", EDITIONS)
def test_table4_has_the_official_merged_headers(edition: Edition) -> None:
    table = official_table(edition, "table4")
    top, mid, low, values = table.rows
    assert [(c.text, c.colspan) for c in top] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [c.rowspan for c in mid[:5]] == [2] * 5
    assert [(c.text, c.colspan) for c in mid[5:]] == [("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert len(low) == 10 and len(values) == 15
    assert table.header_rows == 3


def test_table2_captions_span_the_table_and_short_rows_span_the_rest() -> None:
    table = official_table(EDITION_2021, "table2")
    captions = [c for c in table.cells() if c.role == "caption"]
    assert [c.text for c in captions] == [s.caption for s in EDITION_2021.table("table2").subtables]
    assert all(c.colspan == table.ncols for c in captions)
    fee = next(c for c in table.cells() if c.path == ("table2", "fees", "amount"))
    assert fee.colspan == 3


def test_total_parts_follow_the_printed_arithmetic() -> None:
    assert total_parts(EDITION_2021, ("table3", "new", 6)) == [
        ("table3", "new", i) for i in range(6)
    ]
    outcome = [r.key for r in EDITION_2021.table("table3").rows if r.outcome]
    assert [p[1] for p in total_parts(EDITION_2021, ("table3", "total", 2))] == outcome
    assert total_parts(EDITION_2021, ("table4", "review", 4)) == [
        ("table4", "review", i) for i in range(4)
    ]
    assert total_parts(EDITION_2021, ("table3", "new", 3)) == []


# ---------------------------------------------------------------- sentences


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(\d+)件", text)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(blanks=False))
def test_sentences_agree_with_the_tables(rec: dict[str, Any]) -> None:
    data = from_dict(rec)
    report, edition = data.report, data.edition
    t3 = report.t3()
    detail = sentences.applications_detail(report, edition)
    summary = sentences.applications_summary(report, edition)
    if t3["new"][6] or t3["carried_over"][6] or t3["total"][6] or t3["carried_forward"][6]:
        assert f"新收政府信息公开申请{t3['new'][6]}件" in detail
        assert f"上年结转{t3['carried_over'][6]}件" in detail
        assert f"办结{t3['total'][6]}件" in detail
        assert f"结转下年度继续办理{t3['carried_forward'][6]}件" in detail
        assert _numbers(summary) == [
            t3["new"][6],
            t3["carried_over"][6],
            t3["total"][6],
            t3["carried_forward"][6],
        ]
        # the outcome categories add up to the total
        m = re.search(r"其中(.*)；", detail)
        listed = _numbers(m.group(1)) if m else []
        assert sum(listed) == t3["total"][6]
    t4 = report.t4()
    review = sentences.reviews(report, edition)
    suits = t4["litigation_direct"][4] + t4["litigation_after_review"][4]
    if t4["review"][4] or suits:
        assert f"行政复议{t4['review'][4]}件" in review
        assert f"行政诉讼{suits}件" in review


def test_outcome_categories_come_from_the_edition() -> None:
    names19 = [n for n, _ in sentences.outcome_categories(EDITION_2019)]
    names21 = [n for n, _ in sentences.outcome_categories(EDITION_2021)]
    assert (
        names19
        == names21
        == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    )
    assert dict(sentences.outcome_categories(EDITION_2021))["其他处理"] == [
        "other_no_correction",
        "other_unpaid_fee",
        "other_misc",
    ]


def test_summary_goes_under_the_applications_subheading() -> None:
    text = "总述。\n（一）主动公开\n主动公开若干。\n（二）依申请公开\n依法答复。\n（三）政府信息管理\n管理。"
    blocks = [b for b in compose(_data(parts={1: text})) if b.part == 1]
    kinds = [(b.kind, b.text) for b in blocks]
    i = kinds.index(("subheading", "（二）依申请公开"))
    assert blocks[i + 1].text.startswith("本年度共新收政府信息公开申请")


def test_placeholders_are_replaced() -> None:
    data = _data(parts={1: "概述。{{申请情况}}", 4: "{{复议诉讼}}"})
    text = render_text(data)
    assert "{{" not in text
    assert "被申请行政复议2件" in text


def test_empty_report_says_none_received() -> None:
    raw = example("2021")
    for k, row in raw["table3"].items():
        raw["table3"][k] = [0] * len(row)
    data = from_dict(raw)
    assert "未收到" in sentences.applications_summary(data.report, data.edition)


# ---------------------------------------------------------------- text layouts


def _table(text: str, first: str, last: str) -> list[str]:
    lines = text.splitlines()
    i = lines.index(first)
    j = next(k for k in range(i, len(lines)) if lines[k].startswith(last))
    return lines[i : j + 1]


def test_cells_layout_one_cell_a_line_blank_line_between_rows() -> None:
    raw = example("2021")
    raw["table2"]["licensing"]["decisions"] = None
    text = render_text(from_dict(raw), "cells")
    block = _table(text, "第二十条第（五）项", "行政许可")
    assert block == ["第二十条第（五）项", "", "信息内容", "本年处理决定数量", "", "行政许可"]
    after = text.splitlines()[text.splitlines().index("行政许可") + 1]
    assert after == BLANK


def test_pipe_layout_one_row_a_line() -> None:
    text = render_text(_data(), "pipe")
    lines = text.splitlines()
    assert "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数" in lines
    row = next(line for line in lines if line.startswith("一、本年新收"))
    assert row.split(" | ")[1:] == [str(v) for v in example("2021")["table3"]["new"]]
    assert "行政复议 | 行政诉讼" in lines


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_markdown_tables_are_rectangular(edition: str) -> None:
    data = _data(edition)
    for table in official_tables(data.edition, data.report):
        md = [line for line in table_markdown(table) if line.startswith("|")]
        widths = {line.count(" | ") for line in md if not line.startswith("|--")}
        assert len(widths) <= 2  # table 2: one width per captioned block at most
        if table.key != "table2":
            assert widths == {table.ncols - 1}
    md = render_markdown(data)
    title = data.title
    assert f"{title}\n{'=' * 2 * len(title)}" in md
    assert "一、总体情况\n------------" in md


def test_every_layout_prints_every_part_and_the_signature() -> None:
    data = _data(parts={5: "问题。", 6: "无。"})
    for text in (render_text(data, "cells"), render_text(data, "pipe"), render_markdown(data)):
        for part in data.edition.parts:
            assert part.heading in text
        assert text.rstrip().endswith("2024年1月20日")
        assert data.title in text
