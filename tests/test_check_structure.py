"""Structure rules: parts, tables, cells, edition, legacy format, years."""

from __future__ import annotations

from typing import Any

from check_records import clean, findings, gt, rules, run
from gongkai.national.editions import PARTS


def _sections(skip: int | None = None) -> list[dict[str, Any]]:
    return [
        {
            "part": p.number,
            "title": p.heading,
            "where": {"line": p.number * 10},
            "text": "本部分内容。",
        }
        for p in PARTS
        if p.number != skip
    ]


def test_missing_section_fires_only_with_sections() -> None:
    d = clean(x_sections=_sections(skip=5), x_text="一、总体情况\n本年工作。\n")
    got = findings(run(d), "missing-section")
    assert [(f.where.section, f.severity) for f in got] == [(5, "error")]
    assert "存在的主要问题及改进情况" in got[0].message
    assert not rules(run(clean()), "missing-section")


def test_missing_section_accepts_a_title_variant_in_the_text() -> None:
    d = clean(x_sections=_sections(skip=5), x_text="五、存在问题及改进措施\n加强培训。\n")
    assert not rules(run(d), "missing-section")
    d["x_text"] = "全文由总体情况、存在问题及改进措施等组成。"  # named, not a heading
    assert rules(run(d), "missing-section") == ["missing-section"]


def test_missing_section_not_for_legacy() -> None:
    d = {
        "agency": "某省民政厅",
        "year": 2017,
        "template": "legacy",
        "published": None,
        "x_sections": [],
    }
    assert not rules(run(d), "missing-section")


def test_missing_table() -> None:
    d = clean()
    del d["table4"]
    got = findings(run(d), "missing-table")
    assert [(f.where.table, f.severity) for f in got] == [("table4", "error")]
    d = clean(x_tables={"table3": {"found": True, "image_only": True}})
    assert "图片" in findings(run(d), "missing-table")[0].message
    assert not rules(run(clean(x_tables={"table3": {"found": True}})), "missing-table")


def test_missing_cell_from_parser_warning_and_absent_row() -> None:
    d = clean("2019")
    d["x_warnings"] = [
        {
            "code": "short-row",
            "table": "table2",
            "row": "other_services",
            "expected": 3,
            "actual": 2,
            "where": {"line": 93},
        }
    ]
    got = findings(run(d), "missing-cell")
    assert [(f.where.row, f.where.line, f.expected, f.actual) for f in got] == [
        ("other_services", 93, 3, 2)
    ]
    d = clean()
    del d["table3"]["rejected_duplicate"]
    got = findings(run(d), "missing-cell")
    assert [(f.where.table, f.where.row, f.severity) for f in got] == [
        ("table3", "rejected_duplicate", "warning")
    ]


def test_blank_cells_are_info_grouped_by_column() -> None:
    d = clean("2019")
    d["table2"]["other_services"] = {"prev_items": 35, "change": None, "decisions": 212204}
    got = findings(run(d), "blank-cell")
    assert [(f.severity, f.where.table, f.where.row, f.where.column) for f in got] == [
        ("info", "table2", "other_services", "change")
    ]
    d = clean(x_blank_cells=[{"table": "table3", "row": "new", "column": 2, "text": "/"}])
    got = findings(run(d), "blank-cell")
    assert [(f.where.row, f.where.column) for f in got] == [("new", 2)]


def test_edition_mismatch() -> None:
    assert rules(run(clean("2021", year=2020)), "edition-mismatch") == ["edition-mismatch"]
    got = findings(run(clean("2019", year=2022)), "edition-mismatch")
    assert (got[0].expected, got[0].actual) == ("2021", "2019")
    assert not rules(run(clean("2019", year=2019)), "edition-mismatch")
    assert not rules(run(clean("2019", year=2018)), "edition-mismatch")


def test_2021_report_keeping_the_2019_row() -> None:
    d = gt("hongze-qzf-2023")
    got = findings(run(d), "t3-legacy-row")
    assert [(f.severity, f.where.row) for f in got] == [("warning", "other")]
    assert not rules(run(d), "edition-mismatch") and not rules(run(d), "missing-cell")
    assert not rules(run(clean("2021")), "t3-legacy-row")
    assert not rules(run(clean("2019")), "t3-legacy-row")


def test_legacy_format() -> None:
    legacy = {
        "agency": "某省民政厅",
        "template": "legacy",
        "published": None,
        "legacy": {"granted": 2},
    }
    assert rules(run({**legacy, "year": 2019}), "legacy-format") == ["legacy-format"]
    assert not rules(run({**legacy, "year": 2017}), "legacy-format")
    assert not rules(run({**legacy, "year": None}), "legacy-format")


def test_year_mismatch_title_and_period() -> None:
    d = clean(year=2023, x_year_sources={"title": 2022, "period": 2023, "text": 2023})
    got = findings(run(d), "year-mismatch")
    assert [(f.where.section, f.expected, f.actual) for f in got] == [("title", 2023, 2022)]
    d = clean(year=2023, x_year_sources={"title": 2023, "period": 2024})
    assert [f.actual for f in findings(run(d), "year-mismatch")] == [2024]
    assert not rules(
        run(clean(year=2023, x_year_sources={"title": 2023, "period": 2023})), "year-mismatch"
    )


def test_year_mismatch_from_the_text() -> None:
    """The parser names the year the text speaks of; the rule compares it with the data year."""
    said = {"title": None, "period": None, "text": 2022}
    found = findings(run(clean(year=2023, x_year_sources=said)), "year-mismatch")
    assert [f.actual for f in found] == [2022]
    assert not rules(run(clean(year=2023, x_year_sources={**said, "text": None})), "year-mismatch")


def test_the_year_the_text_speaks_of() -> None:
    from gongkai import read

    body = "2022年，本局认真落实条例。2022年共受理申请6件。2022年工作平稳。2023年将继续努力。"
    weak = "根据国办发〔2019〕号文件，2023年本局工作。2022年计划。2023年总结。"
    title = "测试县民政局政府信息公开工作年度报告"
    tail = "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    said = read(f"{title}\n{body}\n{tail}").extra("x_year_sources")
    assert said["text"] == 2022
    assert read(f"{title}\n{weak}\n{tail}").extra("x_year_sources")["text"] is None


def test_missing_cell_of_table4_as_a_whole_names_no_row() -> None:
    """Regression: a 15-value table-4 row with 12 values printed 「None」 as its row."""
    from gongkai import check, read
    from layouts import render
    from records import example

    text = render(example("2021"), "spaces").replace(
        "1 0 0 1 2 0 0 0 0 0 0 1 0 0 1", "1 0 0 1 2 0 0 0 0 0 0 1"
    )
    findings = [f for f in check(read(text)).findings if f.rule == "missing-cell"]
    assert findings and "None" not in findings[0].message
    assert findings[0].message.startswith("表四只显示 12 个数值")
