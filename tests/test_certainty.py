"""Certainty first: a value is placed unambiguously or confirmed by the arithmetic, else null.

Damaged rows (an extra value, a value dropped or moved, fused cells) must read
as printed or as null with a warning naming the candidates — never as a third
number — and the checker must not blame the agency for them.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from gongkai import check, read
from gongkai.reading.interpret.placement import Printed, consensus, placements, row_rule
from layouts import render
from records import example

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def _values(tokens: list[Printed], n: int, table: str = "table3") -> list[list[int | None]]:
    rule = row_rule(table, "new")
    out = []
    for pl in placements(tokens, n) or []:
        vals = [None if s is None else int(s[1]) for s in pl]
        if rule is None or rule(vals):
            out.append(vals)
    return out


def test_fused_run_splits_the_one_way_the_row_total_allows() -> None:
    # the corpus README's example: 291000030 is 29/1/0/0/0/0/30
    assert _values([Printed("291000030", fused=True)], 7) == [[29, 1, 0, 0, 0, 0, 30]]


def test_fused_run_without_leading_zeros() -> None:
    got = placements([Printed("033", fused=True)], 3)
    assert got is not None and [[s[1] for s in p if s] for p in got] == [["0", "3", "3"]]


def test_extra_value_left_out_by_the_row_total() -> None:
    toks = [Printed(t) for t in ["5", "1", "0", "0", "12", "0", "0", "6"]]
    assert _values(toks, 7) == [[5, 1, 0, 0, 0, 0, 6]]


def test_dropped_zero_leaves_the_undecided_cells_null() -> None:
    toks = [Printed(t) for t in ["5", "1", "0", "0", "0", "6"]]
    cells, unsure = consensus(_values(toks, 7))  # type: ignore[arg-type]
    assert cells[6] == 6 and unsure  # the total is sure, the gap is not


def _t3_line(text: str, key_label: str, new_values: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(key_label):
            lines[i] = f"{key_label} {new_values}"
    return "\n".join(lines)


def test_extra_value_in_a_row_reads_the_printed_truth() -> None:
    rec = example("2021")
    text = render(rec, "spaces")
    new = rec["table3"]["new"]
    damaged = " ".join(map(str, [*new[:3], 12, *new[3:]]))
    report = read(_t3_line(text, "一、本年新收政府信息公开申请数量", damaged))
    assert report.t3()["new"] == new
    assert report.extra("x_provenance")["table3.new.6"]["by"] == "arithmetic"
    assert report.extra("x_placed")["arithmetic"] == 7


def test_ambiguous_row_is_null_with_candidates_and_the_checker_skips_it() -> None:
    rec = example("2021")
    text = render(rec, "spaces")
    granted = rec["table3"]["granted"]  # [20, 3, 0, 0, 1, 0, 24]
    damaged = " ".join(str(v) for i, v in enumerate(granted) if i != 3)  # a 0 dropped
    report = read(_t3_line(text, "（一）予以公开", damaged))
    row = report.t3()["granted"]
    assert row[6] == 24 and None in row
    assert all(v is None or v == granted[i] for i, v in enumerate(row))
    warning = next(w for w in report.extra("x_warnings") if w.get("row") == "granted")
    assert warning["code"] == "short-row" and len(warning["candidates"]) > 1
    assert "候选" in warning["message"]
    findings = check(report).findings
    assert not [f for f in findings if f.severity == "error"], findings
    info = [f for f in findings if f.rule == "arithmetic-unsure"]
    assert info and info[0].severity == "info" and info[0].where.row == "granted"


def test_broken_row_arithmetic_stays_as_printed() -> None:
    """Constraints choose between placements; they never change a printed number."""
    rec = example("2021")
    text = render(rec, "spaces")
    report = read(_t3_line(text, "（一）予以公开", "20 3 0 0 1 0 99"))
    assert report.t3()["granted"] == [20, 3, 0, 0, 1, 0, 99]
    assert "t3-row-total" in {f.rule for f in check(report).findings}


def test_the_checker_never_rests_on_an_unsure_cell() -> None:
    from check_records import clean, run

    rec = clean()
    rec["table3"]["granted"] = [5, None, 0, 0, 0, 0, 4]  # 5 > 4: wrong whatever the blank
    assert "t3-row-total" in {f.rule for f in run(rec).findings}
    rec["x_unsure"] = [{"table": "table3", "row": "granted", "column": 1}]
    rules = {f.rule for f in run(rec).findings}
    assert "t3-row-total" not in rules and "t3-results-total" not in rules
    assert "arithmetic-unsure" in rules


def test_explain_says_how_each_cell_was_placed() -> None:
    from gongkai.reading import read_document
    from gongkai.reading.explain import explain_lines

    rec = example("2021")
    text = render(rec, "spaces")
    report = read(text)
    lines = explain_lines(report, read_document(text), "en")
    assert any("table3.new.6" in line and "[by its label]" in line for line in lines)
    assert any(line.startswith("[how cells were placed]") for line in lines)


@pytest.mark.parametrize("seed", [1, 2])
def test_mutations_never_read_a_third_number(seed: int) -> None:
    """A small run of bench/mutations.py: every damaged report reads as printed or null."""
    import mutations

    rng = random.Random(seed)
    for layout in ("spaces", "cells"):
        for _ in range(6):
            record = mutations.generated(rng)
            for kind in mutations.MUTATIONS:
                rows = mutations.mutate(mutations.table_rows(record), kind, rng)
                if rows is None:
                    continue
                report = read(mutations.render_rows(record, rows, layout))
                c = mutations.score(record, report.to_dict(private=False))
                assert c["wrong"] == 0, (layout, kind, rows)
                errors = {f.rule for f in check(report).findings if f.severity == "error"}
                assert not errors & mutations.ARITHMETIC, (layout, kind, errors)


def test_a_coincidence_of_the_row_total_is_not_certainty() -> None:
    """Regression (bench/mutations.py, spaces/move): （七）总计 printed 31 0 0 1 0 32 with its
    总计 64 pushed onto the next line: 31+0+0+1+0 = 32 makes 32 look like the total.
    The column balance refutes every such placement, so the row is null, not 32."""
    from records import consistent_t3

    rec = example("2021")
    parts = [31, 0, 0, 1, 0, 32]
    rec["table3"] = consistent_t3(parts, [0] * 6, {"granted": parts}, "2021")
    text = render(rec, "spaces")
    text = _t3_line(text, "（七）总计", "31 0 0 1 0 32")
    text = _t3_line(text, "四、结转下年度继续办理", "64 0 0 0 0 0 0 0")
    report = read(text)
    assert report.t3()["total"][6] is None
    got = report.to_dict(private=False)["table3"]
    for key, row in got.items():
        assert all(v is None or v == rec["table3"][key][i] for i, v in enumerate(row)), key


def test_a_header_word_is_not_taken_for_half_of_the_next_row_label() -> None:
    """One cell a line: the header's last word 其他 stands just before 一、本年新收…; the
    row's label as printed (x_labels, --explain) is the row's own, not 「其他」."""
    from pathlib import Path

    import gongkai

    example = Path(__file__).resolve().parents[1] / "examples" / "qingshan-minzheng-2024.txt"
    labels = gongkai.read(example).extra("x_labels")
    assert labels["table3.new"]["text"].startswith("一、本年新收")
    assert all(v["text"] != "其他" for k, v in labels.items() if k != "table3.other_misc")


def test_a_label_without_values_is_unsure_not_missing() -> None:
    # pdfminer prints table 2's labels, then all its values after the last one: the
    # rows are on the page, the reader could not place their values; the checker
    # said 表二缺少「规章」一行 (blaming the agency for a row it printed)
    fixtures = Path(__file__).resolve().parent / "fixtures" / "converters"
    report = read((fixtures / "example-2021.pdfminer.txt").read_bytes(), name="t.txt")
    unsure = {(u["table"], u["row"]) for u in report.extra("x_unsure")}
    assert ("table2", "rules") in unsure
    assert "table2.rules" in report.extra("x_labels")
    assert any(w["code"] == "no-values" for w in report.extra("x_warnings"))
    findings = check(report).findings
    missing = [f for f in findings if f.rule == "missing-cell" and f.where.table == "table2"]
    assert not missing, missing
    assert any(f.rule == "arithmetic-unsure" and f.where.row == "rules" for f in findings)


def test_a_row_not_printed_at_all_is_still_missing() -> None:
    rec = example("2021")
    text = "\n".join(
        line for line in render(rec, "spaces").splitlines() if not line.startswith("规章 ")
    )
    findings = check(read(text)).findings
    assert any(f.rule == "missing-cell" and f.where.row == "rules" for f in findings)
