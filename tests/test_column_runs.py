"""Table 3 printed column by column (pdfminer.six): the 总计 column and the rows where
every column agrees are read by the arithmetic, the rest is null — never a wrong number."""

from __future__ import annotations

import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS
from gongkai import check, read
from gongkai.national.editions import EDITIONS
from layouts import render
from records import example, records, table3_cells

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "converters"
_T3 = "三、收到和处理政府信息公开申请情况"
_T4 = "四、政府信息公开行政复议、行政诉讼情况"


def _by_columns(
    record: dict[str, Any], rng: random.Random, pages: int = 2, by_rows: float = 0.0
) -> str:
    """``record`` in the ``spaces`` layout with table 3 as pdfminer prints it: on each
    page, each column's values one a line, the columns in a shuffled order, then the
    labels of that page's rows (a page printed row by row instead, one value a line,
    with the chance ``by_rows``)."""
    spec = EDITIONS[record["template"]].table("table3")
    keys = list(spec.row_keys)
    lines = render(record, "spaces").splitlines()
    start, end = lines.index(_T3), lines.index(_T4)
    cuts = sorted(rng.sample(range(1, len(keys)), pages - 1)) if pages > 1 else []
    out = [*lines[: start + 1], "申请人情况", "自然人", "法人或其他组织", "总计"]
    for a, b in zip([0, *cuts], [*cuts, len(keys)], strict=True):
        page = keys[a:b]
        if rng.random() < by_rows:
            out += [str(v) for k in page for v in record["table3"][k]]
        else:
            columns = list(range(7))
            rng.shuffle(columns)
            for c in columns:
                out += [str(record["table3"][k][c]) for k in page]
        out += [spec.row(k).label for k in page]
        out.append(f"— {len(out) % 9 + 1} —")
    return "\n".join([*out, *lines[end:]])


def test_example_by_columns() -> None:
    record = example("2021")
    text = _by_columns(record, random.Random(1))
    got = read(text.encode("utf-8"), name="columns.txt").to_dict()
    right, null, wrong = table3_cells(got, record)
    assert wrong == 0
    t3 = got["table3"]
    assert [t3[k][6] for k in t3] == [record["table3"][k][6] for k in t3]  # the 总计 column
    assert t3["denied_state_secret"] == [0] * 7  # a row where every column agrees
    assert t3["new"][:6] == [None] * 6  # 35 4 0 0 1 0: which column is which, unknown
    assert right > 100 and null > 0
    # the warning names the values the row's open cells share out
    new = next(w for w in got["x_warnings"] if w["code"] == "column-runs" and w.get("row") == "new")
    assert [sorted(map(int, c)) for c in new["candidates"]] == [sorted(record["table3"]["new"][:6])]
    assert "35" in new["message"]
    codes = {w["code"] for w in got["x_warnings"]}
    assert "column-runs" in codes
    assert {"long-row", "unconfirmed-order"}.isdisjoint(codes)
    unsure = {(u["row"], u["column"]) for u in got["x_unsure"] if u["table"] == "table3"}
    assert ("new", 0) in unsure and ("new", 6) not in unsure
    assert got["x_provenance"]["table3.total.6"]["by"] == "arithmetic"
    # each placed cell names the line of the value it is
    lines = text.splitlines()
    for key in ("new", "total", "denied_state_secret"):
        for c, v in enumerate(t3[key]):
            if v is not None:
                line = got["x_provenance"][f"table3.{key}.{c}"]["line"]
                assert lines[line - 1] == str(v)
    secret = {got["x_provenance"][f"table3.denied_state_secret.{c}"]["line"] for c in range(7)}
    assert len(secret) == 7  # seven printed zeros, one a cell


def test_the_checker_skips_the_rows_left_open() -> None:
    record = example("2021")
    text = _by_columns(record, random.Random(1))
    report = read(text.encode("utf-8"), name="columns.txt")
    findings = check(report).findings
    assert not [f for f in findings if f.severity == "error"], findings
    info = [f for f in findings if f.rule == "arithmetic-unsure"]
    assert info and {f.where.row for f in info} >= {"new", "granted"}


@pytest.mark.parametrize(
    ("name", "least"), [("example-2021", 100), ("example-2019", 80), ("qingshan-szf-2024", 30)]
)
def test_pdfminer_fixtures(name: str, least: int) -> None:
    truth = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    got = read((FIXTURES / f"{name}.pdfminer.txt").read_bytes(), name=f"{name}.txt").to_dict()
    right, null, wrong = table3_cells(got, truth)
    assert wrong == 0
    # before: table 3 all null but a row or two (a big agency's rows rarely agree)
    assert right >= least, (right, null)
    assert all(got["table3"][k][6] == v[6] for k, v in truth["table3"].items())


def test_a_value_out_of_its_column_leaves_the_table_null() -> None:
    # one value printed away from its column (pdfminer does this): no reading passes
    truth = json.loads((FIXTURES / "qingshan-rsj-2020.json").read_text("utf-8"))
    text = (FIXTURES / "qingshan-rsj-2020.pdfminer.txt").read_bytes()
    got = read(text, name="rsj.txt").to_dict()
    assert table3_cells(got, truth)[2] == 0
    assert "column-runs" not in {w["code"] for w in got["x_warnings"]}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(blanks=False), seed=st.integers(0, 2**16), pages=st.integers(1, 3))
def test_by_columns_never_reads_a_wrong_number(
    record: dict[str, Any], seed: int, pages: int
) -> None:
    text = _by_columns(record, random.Random(seed), pages)
    got = read(text.encode("utf-8"), name="columns.txt").to_dict()
    assert table3_cells(got, record)[2] == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(blanks=False), seed=st.integers(0, 2**16), pages=st.integers(2, 4))
def test_pages_by_rows_or_by_columns_never_read_a_wrong_number(
    record: dict[str, Any], seed: int, pages: int
) -> None:
    text = _by_columns(record, random.Random(seed), pages, by_rows=0.5)
    got = read(text.encode("utf-8"), name="mixed.txt").to_dict()
    assert table3_cells(got, record)[2] == 0


def test_a_page_by_rows_is_read_whole() -> None:
    # every row's values one after another, the labels after them all
    record = example("2021")
    rng = random.Random(4)
    text = _by_columns(record, rng, pages=1, by_rows=1.0)
    got = read(text.encode("utf-8"), name="rows.txt").to_dict()
    assert got["table3"] == record["table3"]


@pytest.mark.corpus
@pytest.mark.skipif(not (CORPUS / "dev").is_dir(), reason="../shared/corpus is absent")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_pdftotext_of_a_real_report() -> None:
    # hongze's 2023 report through pdftotext without -layout: some rows one after
    # another, the others column by column, 2019's table 3 in a 2021 report
    sys.path.insert(0, str(FIXTURES))
    from make import convert

    pdf = CORPUS / "dev" / "hongze-qzf-2023.pdf"
    truth = json.loads(pdf.with_name("hongze-qzf-2023.gt.json").read_text("utf-8"))
    got = read(convert(pdf, "pdftotext").encode("utf-8"), name="hongze.txt").to_dict()
    right, null, wrong = table3_cells(got, truth)
    assert wrong == 0 and right >= 100, (right, null)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(blanks=False), seed=st.integers(0, 2**16))
def test_rows_as_columns_never_read_a_wrong_number(record: dict[str, Any], seed: int) -> None:
    # the values row by row where columns are expected (the labels apart): whatever
    # passes must still be right or null
    rng = random.Random(seed)
    spec = EDITIONS[record["template"]].table("table3")
    keys = list(spec.row_keys)
    lines = render(record, "spaces").splitlines()
    start, end = lines.index(_T3), lines.index(_T4)
    values = [str(v) for k in keys for v in record["table3"][k]]
    if rng.random() < 0.5:
        values.reverse()
    out = [*lines[: start + 1], "申请人情况", *values, *(spec.row(k).label for k in keys)]
    got = read("\n".join([*out, *lines[end:]]).encode("utf-8"), name="rows.txt").to_dict()
    assert table3_cells(got, record)[2] == 0
