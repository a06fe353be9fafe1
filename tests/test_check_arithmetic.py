"""Arithmetic rules A1–A5: each fires on a broken table and stays silent on a correct one."""

from __future__ import annotations

import pytest

from check_records import clean, findings, rules, run

ARITHMETIC = ("t3-balance", "t3-row-total", "t3-results-total", "t4-total", "negative-value")


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_clean_records_are_silent(edition: str) -> None:
    assert run(clean(edition)).findings == []


def test_t3_balance_fires_and_names_the_column() -> None:
    d = clean()
    d["table3"]["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    got = findings(run(d), "t3-balance")
    assert [(f.where.column, f.expected, f.actual) for f in got] == [(0, 6, 7), (6, 7, 8)]
    assert got[0].where.table == "table3" and got[0].severity == "error"
    assert "新收 5" in got[0].message and "结转下年度 2" in got[0].message


def test_t3_row_total_fires_on_a_wrong_total() -> None:
    d = clean()
    d["table3"]["granted"][6] = 5
    got = findings(run(d), "t3-row-total")
    assert [(f.where.row, f.where.column, f.expected, f.actual) for f in got] == [
        ("granted", 6, 4, 5)
    ]


def test_blank_total_with_parts_breaks_a2() -> None:
    d = clean()
    d["table3"]["new"][6] = None
    got = findings(run(d), "t3-row-total")
    assert len(got) == 1 and got[0].expected == 6 and got[0].actual is None
    assert "空白" in got[0].message


def test_blank_parts_count_as_zero() -> None:
    d = clean()
    for key, row in d["table3"].items():
        d["table3"][key] = [row[0] + row[1], None, None, None, None, None, row[6]]
    result = run(d)
    assert not [r for r in rules(result) if r in ARITHMETIC]
    assert "blank-cell" in rules(result)


def test_t3_results_total_fires() -> None:
    d = clean()
    d["table3"]["denied_state_secret"] = [1, 0, 0, 0, 0, 0, 1]
    got = findings(run(d), "t3-results-total")
    assert [(f.where.column, f.expected, f.actual) for f in got] == [(0, 6, 5), (6, 7, 6)]


def test_t3_results_total_counts_the_2019_row_in_a_2021_report() -> None:
    d = clean()
    for k in ("other_no_correction", "other_unpaid_fee", "other_misc"):
        del d["table3"][k]
    d["table3"]["other"] = [0] * 7
    assert not [r for r in rules(run(d)) if r in ARITHMETIC]
    d["table3"]["other"] = [1, 0, 0, 0, 0, 0, 1]
    assert len(findings(run(d), "t3-results-total")) == 2


def test_t4_total_fires_like_hongze_2023() -> None:
    d = clean()
    d["table4"]["review"] = [10, 1, 0, 0, 0]
    got = findings(run(d), "t4-total")
    assert [(f.where.row, f.where.column, f.expected, f.actual) for f in got] == [
        ("review", 4, 11, 0)
    ]
    assert "维持 10" in got[0].message


def test_negative_values() -> None:
    d = clean()
    d["table4"]["litigation_direct"] = [-1, 1, 0, 0, 0]
    d["table2"]["fees"] = {"amount": "-3"}
    got = findings(run(d), "negative-value")
    assert {(f.where.table, f.where.row) for f in got} == {
        ("table4", "litigation_direct"),
        ("table2", "fees"),
    }


def test_negative_change_is_allowed_in_2019() -> None:
    d = clean("2019")
    d["table2"]["licensing"] = {"prev_items": 6, "change": -3, "decisions": 538}
    assert run(d).findings == []


def test_negative_legacy_figure() -> None:
    d = {
        "agency": "某省民政厅",
        "year": 2017,
        "template": "legacy",
        "published": None,
        "legacy": {"granted": -2},
    }
    assert rules(run(d)) == ["negative-value"]


def test_unplaced_rows_are_left_out() -> None:
    d = clean()
    d["table3"]["granted"] = [None] * 7
    d["x_warnings"] = [
        {"code": "short-row", "table": "table3", "row": "granted", "expected": 7, "actual": 3}
    ]
    result = run(d)
    assert not [r for r in rules(result) if r in ARITHMETIC]
    assert "missing-cell" in rules(result)
    d2 = clean()
    d2["table3"]["total"] = [0, 5, 1, 0, 0, 0, 0]
    d2["x_warnings"] = [
        {"code": "long-row", "table": "table3", "row": "total", "expected": 7, "actual": 8}
    ]
    assert not [r for r in rules(run(d2)) if r in ARITHMETIC]
