"""Old reports (2008–2018): prose figures, Chinese numerals, negative statements, scope,
and the old statistics table flattened into ``label unit value`` runs."""

from __future__ import annotations

import pytest

from gongkai import read
from gongkai.reading.interpret.legacy import cn_number, legacy_figures, prose_figures

HEAD = "某县民政局2012年政府信息公开工作年度报告\n一、概述\n本局认真贯彻落实《条例》，做好政府信息公开工作。\n"


@pytest.mark.parametrize(
    ("text", "value"),
    [("两", 2), ("十二", 12), ("二十", 20), ("一百零五", 105), ("三千二百", 3200), ("12", 12)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2017年未收到有关政府信息公开申请。", {"applications_received": 0}),
        (
            "全年共受理政府信息公开申请十二件，其中同意公开两件，不予公开一件。",
            {"applications_received": 12, "granted": 2, "denied": 1},
        ),
        ("我局收到1条信息公开申请，按规定不予公开。", {"applications_received": 1}),
        # review and suits, not applications
        (
            "我局未收到因政府信息公开提出的行政复议、行政诉讼和行政申诉的申请。",
            {"review": 0, "litigation": 0},
        ),
        # items counted by disclosure attribute are not applications
        (
            "全年主动公开政府信息425条，依申请公开信息46条，不予公开信息1402条。",
            {"proactive_items": 425},
        ),
    ],
)
def test_prose_statements(sentence: str, expected: dict[str, int]) -> None:
    assert prose_figures(sentence, "某县民政局").figures == expected


def test_a_negative_statement_keeps_its_sentence_as_provenance() -> None:
    got = prose_figures("2018年未收到有关政府信息公开申请。", "某局")
    assert got.sources["applications_received"] == {
        "by": "statement",
        "text": "未收到有关政府信息公开申请",
    }


def test_scope_words() -> None:
    both = "全市共受理政府信息公开申请1200件。本局受理政府信息公开申请30件。"
    assert prose_figures(both, "某市民政局").figures == {"applications_received": 30}
    city_only = prose_figures("全市共受理政府信息公开申请1200件。", "某市民政局")
    assert city_only.figures == {"applications_received": None}
    warning = city_only.warnings[0].to_json()
    assert warning["code"] == "scope"
    assert "1200" in warning["candidates"][0]
    # a government's own report speaks for its whole area
    assert prose_figures("全市共受理政府信息公开申请1200件。", "某市人民政府").figures == {
        "applications_received": 1200
    }


TABLE_SPACED = (
    "附表： 指标名称 计量单位 年末统计 主动公开信息数 条 6 其中：1．网站公开 条 6 "
    "2．政府公报公开 条 0 受理依申请公开信息总数 条 2 其中：1．当面申请数 条 1 "
    "2．网上申请数 条 1 对申请的答复总数 条 2 其中：1．同意公开答复数 条 1 "
    "2．同意部分公开答复数 条 0 3．否决公开答复总数 条 1 行政复议数 件 0 行政诉讼数 件 0"
)


def test_statistics_table_with_spaces() -> None:
    got = legacy_figures(HEAD + TABLE_SPACED, "某县民政局")
    assert got.figures == {
        "proactive_items": 6,
        "applications_received": 2,
        "granted": 1,
        "partially_granted": 0,
        "denied": 1,
        "not_exist": None,
        "not_this_agency": None,
        "review": 0,
        "litigation": 0,
    }
    assert {r["key"] for r in got.table} >= {"applications_in_person", "answers_total"}


TABLE_FUSED = (
    "指标名称计量单位2018年度历年累计主动公开文件数条290872其中：1.政府网站公开数条290872"
    "2.政府公报公开数条00受理政府信息公开申请总数条11其中：1.当面申请书条002.网上申请数条11"
    "对申请的答复总数条11其中：1.同意公开答复数条002.同意部分公开答复数条003.不予公开答复数条11"
    "4.其他类型答复数条00行政复议数件00行政诉讼数件00"
)


def test_fused_table_is_decided_by_the_prose() -> None:
    """290872 is 2/90872 or 290/872 by its digits; the prose says 290."""
    got = legacy_figures(HEAD + "全年主动公开政府信息290条。\n" + TABLE_FUSED, "某局")
    assert got.figures["proactive_items"] == 290
    assert got.sources["proactive_items"]["by"] == "arithmetic"
    assert got.figures["applications_received"] == 1 and got.figures["denied"] == 1


def test_fused_table_without_the_prose_is_null_with_candidates() -> None:
    got = legacy_figures(HEAD + TABLE_FUSED, "某局")
    assert got.figures["proactive_items"] is None
    w = next(w.to_json() for w in got.warnings if w.row == "proactive_items")
    assert [2, 90872] in w["candidates"] and [290, 872] in w["candidates"]
    assert {"table": "legacy", "row": "proactive_items"} in got.unsure


def test_prose_and_table_disagreeing_is_null() -> None:
    got = legacy_figures(HEAD + "全年共受理政府信息公开申请5件。\n" + TABLE_SPACED, "某局")
    assert got.figures["applications_received"] is None
    assert any(w.code == "legacy-conflict" for w in got.warnings)


def test_a_whole_old_report_reads_its_table() -> None:
    text = HEAD + "二、主动公开政府信息情况\n本局主动公开政府信息6条。\n" + TABLE_SPACED + "\n"
    report = read(text.encode(), name="old.txt")
    assert report.template == "legacy"
    assert report.legacy is not None and report.legacy["applications_received"] == 2
    assert report.extra("x_legacy_sources")["granted"]["text"] == "1.同意公开答复数 1"
