"""The reader's evidence: typed, serialised as the record's x_ keys, read back exactly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gongkai import check, read
from gongkai.evidence import WARNINGS, Evidence, ParseWarning, register_warning
from gongkai.record import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".txt", ".html", ".md"))


def _x(report: Report) -> dict[str, Any]:
    return {k: v for k, v in (report.model_extra or {}).items() if k.startswith("x_")}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_reader_output_is_a_serialisation_of_the_model(path: Path) -> None:
    report = read(path)
    ev = report.evidence
    assert ev.unreadable == []
    extras = _x(report)
    assert ev.to_extras() == {k: v for k, v in extras.items() if k in ev.to_extras()}
    known = {str(f.alias) for f in Evidence.model_fields.values()}
    assert set(extras) <= known, f"x_ keys the model does not describe: {set(extras) - known}"
    assert all(w.code in WARNINGS for w in ev.warnings)


def test_evidence_says_how_each_value_was_decided() -> None:
    report = read(ROOT / "examples" / "qingshan-minzheng-2024.txt")
    decided = report.evidence.decided
    assert (decided.year, decided.agency, decided.edition) == ("title", "title", "table2")
    assert report.evidence.year_sources.period == 2024


def test_an_x_key_of_another_shape_reads_as_absent() -> None:
    report = read(ROOT / "examples" / "qingshan-minzheng-2024.txt")
    d = report.to_dict()
    d["x_year_sources"] = {"title": "二〇二二年"}  # another tool's shape
    d["x_warnings"] = [{"no code": 1}]
    odd = Report.model_validate(d)
    assert sorted(odd.evidence.unreadable) == ["x_warnings", "x_year_sources"]
    assert odd.evidence.year_sources.title is None and odd.evidence.warnings == []
    assert odd.evidence.provenance == report.evidence.provenance
    # the checker stays silent on what it cannot read, and does not crash
    assert "year-mismatch" not in {f.rule for f in check(odd).findings}


def test_every_warning_code_in_the_code_is_registered() -> None:
    """A code the reader may give is registered (and so documented) before it is given."""
    pattern = re.compile(r'(?:\.warn|_warn|ParseWarning\.make)\(\s*(?:t,\s*)?"([a-z][a-z0-9-]*)"')
    used = {
        m.group(1)
        for path in (ROOT / "src" / "gongkai" / "reading").rglob("*.py")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no warnings: the pattern is stale"
    assert used <= set(WARNINGS), f"not registered in gongkai.evidence: {used - set(WARNINGS)}"


def test_a_warning_code_must_be_registered_once() -> None:
    with pytest.raises(ValueError, match="not registered"):
        ParseWarning.make("no-such-code", ("中", "en"))
    with pytest.raises(ValueError, match="twice"):
        register_warning("short-row", ("", ""), ("", ""))
    w = ParseWarning.make("short-row", ("少了", "short"), table="table3", row="new")
    assert (w.text("zh"), w.text("en"), w.row) == ("少了", "short", "new")


PARTS = (
    "一、总体情况\n本机关认真落实条例。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    "一、本年新收政府信息公开申请数量 5 1 0 0 0 0 6\n二、上年结转政府信息公开申请数量 1 0 0 0 0 0 1\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
)
TITLE = "测试县民政局政府信息公开工作年度报告\n"


def _codes(report: Report) -> list[str]:
    return [w.code for w in report.evidence.warnings]


def test_a_year_taken_from_the_most_named_is_a_guess() -> None:
    report = read(TITLE + "2022年本局工作。2022年受理。2023年计划。\n" + PARTS)
    assert (report.year, report.evidence.decided.year) == (2022, "most-named")
    assert _codes(report) == ["year-guessed"]
    assert report.evidence.warnings[0].model_extra == {
        "candidates": [2022, 2023],
        "source": "most-named",
    }


def test_a_year_before_the_signature_is_a_guess() -> None:
    report = read(TITLE + PARTS + "测试县民政局\n2023年1月20日\n")
    assert (report.year, report.evidence.decided.year) == (2022, "signature-year-before")
    assert _codes(report) == ["year-guessed"]
    assert "2023-01-20" in report.evidence.warnings[0].message


def test_a_year_printed_is_no_guess_and_no_year_is_null() -> None:
    report = read(TITLE.replace("政府", "2023年政府") + PARTS)
    assert (report.year, report.evidence.decided.year, _codes(report)) == (2023, "title", [])
    nothing = read(TITLE + PARTS)
    assert nothing.year is None and nothing.evidence.decided.year is None


def test_an_edition_nothing_decides_is_a_guess() -> None:
    report = read(TITLE + PARTS)
    assert (report.template, report.evidence.decided.edition) == ("2021", "default")
    assert _codes(report) == ["edition-guessed"]
    by_year = read(TITLE.replace("政府", "2023年政府") + PARTS)
    assert by_year.evidence.decided.edition == "year" and "edition-guessed" not in _codes(by_year)


def test_one_date_parser_for_every_form() -> None:
    import datetime as dt

    from gongkai.written import EMAIL, parse_date

    day = dt.date(2021, 1, 11)
    for text in ("2021年1月11日", "2021-01-11", "２０２１年１月１１日", "二〇二一年一月十一日"):
        assert parse_date(text) == day and parse_date(text, whole=True) == day
    assert parse_date("落款：2021年1月11日") == day
    assert parse_date("落款：2021年1月11日", whole=True) is None
    assert parse_date("2021年2月30日") is None
    assert [m.group(0) for m in EMAIL.finditer("邮箱：gk@qs.gov.cn。")] == ["gk@qs.gov.cn"]
