"""Variants seen in the wild, each built into a report and read back."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai import read
from layouts import render
from records import consistent_t3, example


def _read(text: str, name: str = "variant.txt") -> Any:
    return read(text.encode("utf-8"), name=name)


def test_2021_report_keeping_the_2019_single_other_row() -> None:
    rec = example("2021")
    outcomes = {"granted": [3, 0, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0, 0]}
    rec["table3"] = consistent_t3([4, 0, 0, 0, 0, 0], [0] * 6, outcomes, "2019")
    report = _read(render(rec, "cells"))
    assert report.template == "2021"
    t3 = report.t3()
    assert t3["other"] == [1, 0, 0, 0, 0, 0, 1]
    assert "other_misc" not in t3 and "other_no_correction" not in t3


def test_local_row_is_kept_aside_not_forced() -> None:
    text = render(example("2021"), "spaces").replace(
        "（七）总计", "（八）其他情形（本地增设） 0 0 0 0 0 0 0\n（七）总计", 1
    )
    report = _read(text)
    extra = report.extra("x_extra_rows")
    assert any("本地增设" in r["label"] for r in extra)
    assert report.t3()["total"] == example("2021")["table3"]["total"]


def test_label_wrapped_over_two_lines() -> None:
    rec = example("2021")
    text = render(rec, "cells").replace(
        "5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重\n新出具已获取信息"
    )
    assert _read(text).t3() == rec["table3"]


def test_table_split_across_pages_with_page_number_and_repeated_header() -> None:
    rec = example("2019")
    text = render(rec, "spaces").replace(
        "（四）无法提供", "- 4 -\n申请人情况\n自然人 法人或其他组织 总计\n（四）无法提供", 1
    )
    assert _read(text).t3() == rec["table3"]


def test_full_width_digits_and_thousands_separators() -> None:
    rec = example("2021")
    rec["table2"]["licensing"]["decisions"] = 447228
    text = render(rec, "spaces").replace("447228", "447,228").replace("行政强制 0", "行政强制 ０")
    report = _read(text)
    assert report.t2()["licensing"]["decisions"] == 447228
    assert report.t2()["coercion"]["decisions"] == 0


@pytest.mark.parametrize("blank", ["——", "-", "/", "／", "—"])
def test_blank_markers_are_null_and_listed(blank: str) -> None:
    rec = example("2019")
    text = render(rec, "spaces").replace("行政处罚 30 0 17", f"行政处罚 30 {blank} 17")
    report = _read(text)
    assert report.t2()["penalty"] == {"prev_items": 30, "change": None, "decisions": 17}
    assert {"table": "table2", "row": "penalty", "column": "change"}.items() <= report.extra(
        "x_blank_cells"
    )[0].items()


def test_part_title_variants() -> None:
    rec = example("2021")
    text = (
        render(rec, "pipe")
        .replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议及行政诉讼情况")
        .replace("五、存在的主要问题及改进情况", "五、存在的主要问题及整改措施")
    )
    report = _read(text)
    assert [s["part"] for s in report.extra("x_sections")] == [1, 2, 3, 4, 5, 6]


def test_title_with_guanyu_and_chinese_numeral_date() -> None:
    rec = example("2021")
    text = render(rec, "cells")
    text = text.replace(
        "青山市示范区民政局\n2023年政府信息公开工作年度报告",
        "青山市示范区民政局关于2023年度政府信息公开工作年度报告",
        1,
    )
    text = text.replace("2024年1月20日", "二〇二四年一月二十日")
    report = _read(text)
    assert report.agency == "青山市示范区民政局"
    assert report.year == 2023
    assert report.published is not None and report.published.isoformat() == "2024-01-20"


def test_short_title_completed_from_signature() -> None:
    text = render(example("2021"), "cells").replace(
        "青山市示范区民政局\n2023年政府信息公开", "民政局2023年政府信息公开", 1
    )
    assert _read(text).agency == "青山市示范区民政局"


def test_statistics_period_gives_year_without_title_year() -> None:
    text = render(example("2021"), "cells").replace(
        "2023年政府信息公开工作年度报告", "政府信息公开工作年度报告", 1
    )
    assert _read(text).year == 2023


def test_row_with_unplaceable_values_is_null_with_a_warning() -> None:
    rec = example("2021")
    text = render(rec, "spaces").replace(
        "1.本机关不掌握相关政府信息 7 1 0 0 0 0 8", "1.本机关不掌握相关政府信息 7 8"
    )
    report = _read(text)
    assert report.t3()["unavailable_not_held"] == [None] * 7
    warn = [w for w in report.extra("x_warnings") if w["code"] == "short-row"]
    assert (
        warn
        and warn[0]["row"] == "unavailable_not_held"
        and warn[0]["expected"] == 7
        and warn[0]["actual"] == 2
    )


def test_row_of_natural_person_and_total_only() -> None:
    rec = example("2021")
    text = render(rec, "cells").replace(
        "二、上年结转政府信息公开申请数量\n2\n0\n0\n0\n0\n0\n2",
        "二、上年结转政府信息公开申请数量\n2\n2",
    )
    report = _read(text)
    assert report.t3()["carried_over"] == [2, None, None, None, None, None, 2]


def test_legacy_report_figures() -> None:
    text = (
        "青山市民政局2016年政府信息公开工作年度报告\n"
        "一、概述\n本局全年主动公开政府信息326条。\n"
        "二、依申请公开情况\n全年共受理政府信息公开申请15件，其中当面申请3件，网上申请12件。"
        "同意公开9件，部分公开2件，不予公开1件，信息不存在3件。\n"
        "三、复议诉讼\n本年度未发生针对本局政府信息公开的行政复议和行政诉讼。\n"
        "青山市民政局\n2017年3月20日\n"
    )
    report = _read(text)
    assert report.template == "legacy" and report.year == 2016
    assert report.legacy == {
        "proactive_items": 326,
        "applications_received": 15,
        "applications_in_person": 3,
        "applications_online": 12,
        "granted": 9,
        "partially_granted": 2,
        "denied": 1,
        "not_exist": 3,
        "review": 0,
        "litigation": 0,
    }


def test_title_broken_over_two_lines() -> None:
    text = render(example("2021"), "cells").replace(
        "青山市示范区民政局\n2023年政府信息公开工作年度报告",
        "青山市示范区民政局2023年政府信息公开\n工作年度报告",
        1,
    )
    report = _read(text)
    assert report.agency == "青山市示范区民政局"
    assert report.extra("x_title") == "青山市示范区民政局2023年政府信息公开工作年度报告"


def test_year_from_text_ignores_the_cited_2019_revision() -> None:
    text = render(example("2021"), "cells")
    text = text.replace("2023年政府信息公开工作年度报告", "政府信息公开工作年度报告", 1)
    text = text.replace(
        "所列数据统计期限自2023年1月1日至2023年12月31日。", "根据《条例》（2019年修订）编制。"
    )
    assert _read(text).year == 2023


@pytest.mark.parametrize("minus", ["-", "—", "－", "–", "−"])
def test_negative_change_with_any_dash(minus: str) -> None:
    rec = example("2019")
    text = render(rec, "spaces").replace("行政许可 12 -2 3120", f"行政许可 12 {minus}2 3120")
    assert _read(text).t2()["licensing"] == {"prev_items": 12, "change": -2, "decisions": 3120}


def test_agency_from_the_page_title_when_the_body_names_none() -> None:
    body = render(example("2021"), "cells")
    body = body.replace(
        "青山市示范区民政局\n2023年政府信息公开工作年度报告", "2023年政府信息公开工作年度报告", 1
    )
    body = body.rsplit("青山市示范区民政局", 1)[0]  # no signature either
    html = "<html><head><meta charset='utf-8'><title>青山市示范区民政局2023年政府信息公开工作年度报告</title></head><body>"
    html += "".join(f"<p>{line}</p>" for line in body.splitlines()) + "</body></html>"
    assert read(html.encode("utf-8"), name="page.html").agency == "青山市示范区民政局"


HEADINGS = {
    1: [
        "一、总体情况",
        "一、概述",
        "一、总体概述",
        "一、总体情况：",
        "一、总体情况。本年度本机关持续推进政务公开，主动公开政府信息三百余条，办理申请二十余件，均按期答复。",
    ],
    2: ["二、主动公开政府信息情况", "二、 主动公开政府信息", "二、主动公开政府信息情况（见下表）"],
    3: ["三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请"],
    4: [
        "四、政府信息公开行政复议、行政诉讼情况",
        "四、政府信息公开行政复议及行政诉讼情况",
        "四、因政府信息公开工作被申请行政复议和提起行政诉讼情况",
    ],
    5: [
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
        "五、存在问题及改进措施",
        "五、存在的不足和改进措施",
        "五、存在的主要问题及整改措施",
    ],
    6: ["六、其他需要报告的事项", "六、其他需要报告事项", "六、其他事项"],
}


@pytest.mark.parametrize(("part", "heading"), [(p, h) for p, hs in HEADINGS.items() for h in hs])
def test_part_heading_variants(part: int, heading: str) -> None:
    from gongkai.reading.interpret.sections import match_part_heading

    found = match_part_heading(heading)
    assert found is not None and found.number == part


@pytest.mark.parametrize(
    "line",
    [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "四、结转下年度继续办理",
    ],
)
def test_table_rows_are_not_part_headings(line: str) -> None:
    from gongkai.reading.interpret.sections import match_part_heading

    assert match_part_heading(line) is None


def test_breadcrumb_is_not_the_title() -> None:
    text = "首页 > 政府信息公开 > 年度报告\n" + render(example("2021"), "cells")
    report = _read(text)
    # the agency's line above the title is part of the title (a title broken after the name)
    assert report.extra("x_title") == "青山市示范区民政局2023年政府信息公开工作年度报告"
    assert report.agency == "青山市示范区民政局" and report.year == 2023


def test_legacy_phrasing_variants() -> None:
    text = (
        "青山市交通局2015年政府信息公开工作年度报告\n"
        "二、依申请公开情况\n全年共收到政府信息公开申请9件，其中不同意公开2件，同意公开5件，同意部分公开1件，"
        "非本机关职责范围1件。\n三、因政府信息公开申请提起行政复议、行政诉讼的情况\n本年度收到行政复议申请1件，无行政诉讼。\n"
    )
    figures = _read(text).legacy
    assert figures is not None
    assert figures["applications_received"] == 9
    assert figures["granted"] == 5
    assert figures["denied"] == 2
    assert figures["partially_granted"] == 1
    assert figures["not_this_agency"] == 1
    assert figures["review"] == 1
    assert figures["litigation"] == 0


def test_full_width_digits_in_the_statistics_period() -> None:
    text = render(example("2021"), "cells").replace(
        "2023年政府信息公开工作年度报告", "政府信息公开工作年度报告", 1
    )
    text = text.replace(
        "自2023年1月1日至2023年12月31日", "自２０２３年１月１日至２０２３年１２月３１日"
    )
    report = _read(text)
    assert report.extra("x_year_sources")["period"] == 2023
    assert report.year == 2023
