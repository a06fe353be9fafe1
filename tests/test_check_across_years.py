"""Across years: carry-over, stock-flow, text reuse, pairing by agency and year."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from check_records import clean, findings, gt, report, rules, run
from gongkai.agencies import agency_key, same_body
from gongkai.checks.across_years import pair
from gongkai.checks.agency import level

ACROSS = ("carry-over", "stock-flow", "text-reuse", "previous-unpaired")


def _last_year(d: dict[str, Any]) -> dict[str, Any]:
    prev = copy.deepcopy(d)
    prev["year"] = d["year"] - 1
    prev["table3"]["carried_forward"] = list(d["table3"]["carried_over"])
    nd = d["table2"]["normative_documents"]
    prev["table2"]["normative_documents"] = {
        "issued": 0,
        "repealed": 0,
        "in_force": nd["in_force"] - nd["issued"] + nd["repealed"],
    }
    return prev


def test_corpus_pair_hongze_is_consistent() -> None:
    result = run(gt("hongze-qzf-2024"), gt("hongze-qzf-2023"))
    assert not [r for r in rules(result) if r in ACROSS]


def test_carry_over_fires_per_column() -> None:
    d = clean()
    prev = _last_year(d)
    assert not [r for r in rules(run(d, prev)) if r in ACROSS]
    prev["table3"]["carried_forward"] = [3, 0, 0, 0, 0, 0, 3]
    got = findings(run(d, prev), "carry-over")
    assert [(f.where.row, f.where.column, f.expected, f.actual) for f in got] == [
        ("carried_over", 0, 3, 1),
        ("carried_over", 6, 3, 1),
    ]


def test_stock_flow_is_a_warning() -> None:
    d = clean()
    prev = _last_year(d)
    prev["table2"]["normative_documents"]["in_force"] = 4
    got = findings(run(d, prev), "stock-flow")
    assert [(f.severity, f.where.row, f.expected, f.actual) for f in got] == [
        ("warning", "normative_documents", 5, 10)
    ]


def test_stock_flow_needs_two_2021_reports() -> None:
    d = clean("2021", year=2021)
    prev = clean("2019", year=2020)
    prev["table3"]["carried_forward"] = list(d["table3"]["carried_over"])
    assert not rules(run(d, prev), "stock-flow")


def test_previous_of_another_year_or_agency_is_not_compared() -> None:
    d = clean()
    prev = _last_year(d)
    prev["table3"]["carried_forward"] = [9, 0, 0, 0, 0, 0, 9]
    prev["year"] = d["year"] - 2
    result = run(d, prev)
    assert rules(result, "previous-unpaired") == ["previous-unpaired"] and not rules(
        result, "carry-over"
    )
    prev["year"] = d["year"] - 1
    prev["agency"] = "另一县财政局"
    assert rules(run(d, prev), "previous-unpaired") == ["previous-unpaired"]


_SENTENCES = (
    "本机关坚持以公开为常态、不公开为例外，健全信息发布审核机制。",
    "推进决策、执行、管理、服务、结果公开，及时回应社会关切。",
    "围绕重点领域做好信息公开，扩大公开的覆盖面和影响力。",
    "规范依申请公开办理流程，严格按照法定期限答复申请人。",
    "加强政府网站和政务新媒体管理，定期开展栏目巡查工作。",
    "完善政务公开考核办法，将公开工作纳入年度绩效考核。",
    "组织业务培训，提升工作人员的政策水平和答复能力。",
    "存在的问题是栏目更新不够及时、政策解读形式较为单一。",
    "下一步将加强培训、完善考核、丰富解读形式，提高公开质量。",
)


def _prose(seed: str) -> list[dict[str, Any]]:
    part1 = seed + "".join(_SENTENCES[:7])
    part5 = seed + "".join(_SENTENCES[7:])
    return [
        {"part": 1, "title": "一、总体情况", "text": part1},
        {"part": 5, "title": "五、存在的主要问题及改进情况", "text": part5},
    ]


def test_text_reuse_fires_on_copied_prose_with_the_share() -> None:
    d = clean(x_sections=_prose("2023年，"))
    prev = _last_year(d)
    prev["x_sections"] = _prose("2022年，")
    got = findings(run(d, prev), "text-reuse")
    assert len(got) == 1 and got[0].severity == "warning"
    assert isinstance(got[0].actual, float) and got[0].actual >= 0.95
    assert got[0].model_dump()["shares"]["1"] >= 0.95


def test_text_reuse_silent_on_new_prose_or_without_sections() -> None:
    d = clean(x_sections=_prose("今年，"))
    prev = _last_year(d)
    prev["x_sections"] = [
        {
            "part": 1,
            "title": "一、总体情况",
            "text": "去年我们主要做了三件事情：修订目录、开展培训和建设专栏。" * 3,
        },
        {
            "part": 5,
            "title": "五、存在的主要问题及改进情况",
            "text": "人员力量不足，经费保障偏弱，需要逐步改进。" * 3,
        },
    ]
    assert not rules(run(d, prev), "text-reuse")
    assert not rules(run(clean(), _last_year(clean())), "text-reuse")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("淮安市洪泽区人民政府", "洪泽区政府"),
        ("洪泽区人民政府", "洪泽区政府"),
        ("江苏省淮安市人民政府", "淮安市政府"),
        ("上海市普陀区民政局", "普陀区民政局"),
        ("辽宁省民政厅", "辽宁省民政厅"),
        ("苏州市吴中区民政局", "吴中区民政局"),
        ("淮安市市场监督管理局", "淮安市市场监督管理局"),
        ("沭阳县发展和改革局", "沭阳县发展和改革局"),
    ],
)
def test_agency_key(name: str, key: str) -> None:
    assert agency_key(name) == key


def test_same_body_and_level() -> None:
    assert same_body("省民政厅", "辽宁省民政厅")
    assert same_body("洪泽区人民政府", "淮安市洪泽区人民政府办公室")
    assert not same_body("淮安市民政局", "淮安市洪泽区民政局")
    assert not same_body("沭阳县发展和改革局", "泗阳县发展和改革局")
    assert level("淮安市人民政府") == "government"
    assert level("淮安市人民政府办公室") == "department"
    assert level("沭阳县发展和改革局") == "department"
    assert level("某某开发区") is None


def test_pair_by_agency_and_year() -> None:
    a = report(clean(agency="淮安市洪泽区人民政府", year=2024))
    b = report(clean(agency="洪泽区人民政府", year=2023))
    c = report(clean(agency="淮安市人民政府", year=2023))
    assert pair([("a", a), ("b", b), ("c", c)]) == {0: "b"}
    assert pair([("a", a)], pool=[("c", c), ("b", b)]) == {0: "b"}
