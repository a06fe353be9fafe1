"""A blank is never a zero (issue 9 #10).

Before: a blank 总计 column gave one t3-row-total error per row, a bogus
「各项办理结果之和为 0，但（七）总计为 805」 when the outcome rows were blank,
and messages printed Python's None (「实为 None」).
"""

from __future__ import annotations

import io

from rich.console import Console

from check_records import clean, findings, run
from gongkai.checks.console import print_result


def test_a_blank_total_column_is_one_finding() -> None:
    d = clean()
    for cells in d["table3"].values():
        if any(cells[:6]):
            cells[6] = None
    got = findings(run(d), "t3-row-total")
    assert len(got) == 1
    assert "总计」列有" in got[0].message and "本年新收" in got[0].message
    assert "None" not in got[0].message


def test_blank_outcomes_are_not_summed_as_zero() -> None:
    d = clean()
    for key in d["table3"]:
        if key not in ("new", "carried_over", "total", "carried_forward"):
            d["table3"][key] = [None] * 7
    result = run(d)
    assert findings(result, "t3-results-total") == []
    # printed parts above the printed total stay an error, blanks or not
    d["table3"]["granted"] = [9, None, None, None, None, None, None]
    got = findings(run(d), "t3-results-total")
    assert got and "空白的格未计入" in got[0].message and got[0].expected is None


def test_balance_with_a_blank_term_is_not_claimed() -> None:
    d = clean()
    d["table3"]["carried_over"] = [None] * 7
    assert findings(run(d), "t3-balance") == []


def test_console_never_prints_none() -> None:
    d = clean()
    d["table3"]["new"][6] = None
    result = run(d)
    out = io.StringIO()
    print_result(Console(file=out, width=200), "x.json", result, "zh")
    text = out.getvalue()
    assert "None" not in text and "空白" in text
