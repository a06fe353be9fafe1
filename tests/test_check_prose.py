"""Prose against the tables: figures compared, scopes respected, fees reported."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from check_records import clean, findings, report, rules, run
from gongkai.checks.prose import figures


def _with_prose(text: str, part: int = 1, **over: Any) -> dict[str, Any]:
    sections = [{"part": part, "title": "一、总体情况", "where": {"line": 10}, "text": text}]
    return clean(x_sections=sections, **over)


def test_figures_of_each_kind_across_line_breaks() -> None:
    text = (
        "2023年，全市共受理政府信息公开申请 6\n件，答复 6 件（含上年度结转申请 1 件，另有 1 件顺延到下年度答复）。"
        "政府信息公开行政复议 2 件，其中结果维持 1 件；政府信息公开行政诉讼 1 件。"
    )
    got = {(f.kind, f.value) for f in figures(report(_with_prose(text, agency="测试县人民政府")))}
    assert got == {
        ("received", 6),
        ("answered", 6),
        ("carried_over", 1),
        ("carried_forward", 1),
        ("review", 2),
        ("litigation", 1),
    }


def test_matching_prose_is_silent() -> None:
    text = "本年度共受理政府信息公开申请6件，均已按期答复。行政复议2件，行政诉讼1件。"
    assert not rules(run(_with_prose(text)), "text-table-mismatch")


def test_mismatch_names_both_numbers_and_places() -> None:
    text = "2023年，区政府办代表区政府受理政府信息公开申请\n17件，均已在法定期限内予以答复。"
    got = findings(run(_with_prose(text)), "text-table-mismatch")
    assert len(got) == 1
    f = got[0]
    assert (f.severity, f.expected, f.actual, f.where.section, f.where.line) == (
        "warning",
        6,
        17,
        1,
        11,
    )
    assert f.model_dump()["table_where"] == {"table": "table3", "row": "new", "column": 6}
    assert "17" in f.message and "6" in f.message


def test_received_may_include_carried_over() -> None:
    assert not rules(run(_with_prose("共收到依申请公开申请7件。")), "text-table-mismatch")


def test_scope_words_in_a_department_report_are_skipped() -> None:
    text = "全市民政系统共受理政府信息公开申请120件。"
    assert not rules(run(_with_prose(text)), "text-table-mismatch")
    gov = _with_prose(text, agency="测试市人民政府")
    assert rules(run(gov), "text-table-mismatch") == ["text-table-mismatch"]


def test_parts_after_qizhong_and_other_counts_are_skipped() -> None:
    text = "共受理政府信息公开申请6件，其中网上申请4件，信函申请2件。依申请公开文件245条。受理群众咨询52件。"
    assert not rules(run(_with_prose(text)), "text-table-mismatch")


def test_none_statements() -> None:
    d = _with_prose("本年度未收到政府信息公开申请，未发生行政复议、行政诉讼。")
    got = {(f.where.section, f.actual, f.expected) for f in findings(run(d), "text-table-mismatch")}
    assert got == {(1, 0, 6), (1, 0, 2), (1, 0, 1)}
    quiet = _with_prose("本年度未发生行政复议被纠错的情况。")
    assert not rules(run(quiet), "text-table-mismatch")


def test_text_without_sections_skips_table_lines() -> None:
    body = "一、本年新收政府信息公开申请数量 9 0 0 0 0 0 9\n本年共受理政府信息公开申请6件。\n"
    assert not rules(run(clean(x_text=body)), "text-table-mismatch")
    body = "本年共受理政府信息公开申请9件。\n"
    assert [f.where.line for f in findings(run(clean(x_text=body)), "text-table-mismatch")] == [1]


def test_legacy_and_record_only_are_silent() -> None:
    assert not rules(run(clean()), "text-table-mismatch")
    legacy = {
        "agency": "某省民政厅",
        "year": 2017,
        "template": "legacy",
        "published": None,
        "x_text": "共受理申请12件。",
    }
    assert not rules(run(legacy), "text-table-mismatch")


def _fee_record(six: str) -> dict[str, Any]:
    d = clean()
    d["table3"]["other_unpaid_fee"] = [1, 0, 0, 0, 0, 0, 1]
    d["table3"]["granted"] = [2, 1, 0, 0, 0, 0, 3]
    d["x_sections"] = [
        {"part": 1, "title": "一、总体情况", "text": "本年工作平稳。"},
        {"part": 6, "title": "六、其他需要报告的事项", "text": six},
    ]
    return d


def test_fee_not_reported() -> None:
    got = findings(run(_fee_record("无。")), "fee-not-reported")
    assert [(f.severity, f.where.section, f.actual) for f in got] == [("warning", 6, 1)]
    assert not rules(run(_fee_record("本年收取信息处理费0元。")), "fee-not-reported")


def test_fee_charged_in_prose() -> None:
    d = clean()
    d["x_sections"] = [
        {
            "part": 3,
            "title": "三、收到和处理政府信息公开申请情况",
            "text": "本年依法收取信息处理费 300 元。",
        },
        {"part": 6, "title": "六、其他需要报告的事项", "text": "无。"},
    ]
    assert rules(run(d), "fee-not-reported") == ["fee-not-reported"]
    assert not rules(run(clean()), "fee-not-reported")


def _compact_before(body: str) -> tuple[str, list[int]]:
    """The old compaction: a list of every character's line (1.4 GB at 20 million)."""
    out: list[str] = []
    lines: list[int] = []
    line = 0
    for ch in body:
        if ch == "\n":
            line += 1
            continue
        if ch.isspace() or ch == "\u3000":
            continue
        out.append(ch)
        lines.append(line)
    return "".join(out), lines


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="申请 \t\n\u3000\r\x85\u2028件1。", max_size=60))
def test_compaction_keeps_every_characters_line(body: str) -> None:
    from gongkai.checks.prose import _compact, line_at

    flat, starts = _compact(body)
    before, lines = _compact_before(body)
    assert flat == before
    assert [line_at(starts, i) for i in range(len(flat))] == lines
