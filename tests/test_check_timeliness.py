"""Timeliness: 31 January for departments, 31 March for a government's own report."""

from __future__ import annotations

import datetime as dt

from check_records import clean, findings, rules, run
from gongkai.checks.agency import deadline


def test_deadlines() -> None:
    assert deadline(2023, "department") == dt.date(2024, 1, 31)
    assert deadline(2023, "government") == dt.date(2024, 3, 31)
    assert deadline(2023, None) == dt.date(2024, 3, 31)
    assert deadline(2018, "department") == dt.date(2019, 3, 31)


def test_department_after_31_january_is_late() -> None:
    got = findings(run(clean(published="2024-02-05")), "late-publication")
    assert [(f.severity, f.expected, f.actual) for f in got] == [
        ("warning", "2024-01-31", "2024-02-05")
    ]
    assert "5 天" in got[0].message
    assert not rules(run(clean(published="2024-01-17")), "late-publication")


def test_government_has_until_31_march() -> None:
    gov = clean(agency="测试县人民政府", published="2024-03-01")
    assert not rules(run(gov), "late-publication")
    assert rules(run({**gov, "published": "2024-04-01"}), "late-publication") == [
        "late-publication"
    ]
    office = clean(agency="测试县人民政府办公室", published="2024-03-01")
    assert rules(run(office), "late-publication") == ["late-publication"]


def test_overrides() -> None:
    d = clean(published="2024-03-01")
    assert not rules(run(d, level="government"), "late-publication")
    assert not rules(run(d, deadline=dt.date(2024, 3, 15)), "late-publication")
    assert rules(
        run(clean(agency="测试县人民政府", published="2024-03-01"), level="department"),
        "late-publication",
    )


def test_before_2019_all_have_until_31_march() -> None:
    legacy = {"agency": "某省民政厅", "year": 2017, "template": "legacy", "published": "2018-03-20"}
    assert not rules(run(legacy), "late-publication")


def test_date_from_the_parser_and_silence_without_one() -> None:
    assert rules(
        run(clean(x_published_sources={"signature": None, "page": "2024-02-20"})),
        "late-publication",
    )
    assert not rules(run(clean()), "late-publication")
    no_year = clean(published="2030-01-01")
    no_year["year"] = None
    assert not rules(run(no_year), "late-publication")


def test_no_date_found_says_timeliness_was_not_checked() -> None:
    """On 15 of 24 real files no date was read and lateness was silently not checked (#7)."""
    from gongkai import check, read

    page = (
        "青山县民政局2023年政府信息公开工作年度报告\n一、总体情况\n本年度依法公开。\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    )
    report = read(page.encode("utf-8"), "text", name="nodate.txt")
    assert report.published is None
    rules = {f.rule: f for f in check(report).findings}
    assert "publication-date-unknown" in rules
    assert "未检查" in rules["publication-date-unknown"].message
    dated = read((page + "青山县民政局\n2024年1月20日\n").encode("utf-8"), "text", name="d.txt")
    assert "publication-date-unknown" not in {f.rule for f in check(dated).findings}
