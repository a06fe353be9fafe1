"""Runs of values printed for several table-3 rows at once (``pdftotext`` without ``-layout``).

Such a converter prints a block of row labels with no values, then every value of
the block in one run beside the first or the last label. The reader gives the run
back to the rows of the block, row by row, where the rows without values around the
label leave one window for it, and keeps them only where table 3's arithmetic
confirms them; anything else is null with a warning, never a wrong number.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import read
from gongkai.national.editions import EDITIONS
from layouts import render
from records import example, records, table3_cells

_T3 = "三、收到和处理政府信息公开申请情况"
_T4 = "四、政府信息公开行政复议、行政诉讼情况"


def _line(label: str, values: list[Any]) -> str:
    return " ".join([label, *("/" if v is None else str(v) for v in values)])


def _blocks(record: dict[str, Any], rng: random.Random, first: bool | None = None) -> str:
    """``record`` in the ``spaces`` layout, with its table-3 rows cut into blocks of one
    to eight rows: a block of two or more prints its labels alone (with the group
    headings among them where they fall) and all its values in one run beside the
    first label of the block or the last (``first`` chooses; None: each block at
    random)."""
    spec = EDITIONS[record["template"]].table("table3")
    labels = {r.label: r.key for r in spec.rows}
    lines = render(record, "spaces").splitlines()
    start, end = lines.index(_T3), lines.index(_T4)
    out = lines[:start]
    # the lines of table 3: (label, key) for a row, (line, None) for anything else
    items = []
    for line in lines[start:end]:
        key = next((k for label, k in labels.items() if line.startswith(label + " ")), None)
        items.append((spec.row(key).label if key else line, key))
    i = 0
    while i < len(items):
        if items[i][1] is None:
            out.append(items[i][0])
            i += 1
            continue
        size = rng.randint(1, 8)
        block: list[tuple[str, str | None]] = []
        rows = 0
        while i < len(items) and rows < size:
            block.append(items[i])
            rows += items[i][1] is not None
            i += 1
        keys = [k for _, k in block if k is not None]
        run = [v for k in keys for v in record["table3"][k]]
        at_first = rng.random() < 0.5 if first is None else first
        carrier = keys[0] if at_first else keys[-1]
        for text, key in block:
            if key is None or key != carrier:
                out.append(text)
            else:
                values = run if len(keys) > 1 else record["table3"][key]
                out.append(_line(text, values))
    return "\n".join([*out, *lines[end:]])


def test_blocks_read_back_whole() -> None:
    # every block's run beside its last label, then beside its first: all 175 cells
    for first in (False, True):
        record = example("2021")
        text = _blocks(record, random.Random(3), first=first)
        got = read(text.encode("utf-8"), name="blocks.txt").to_dict()
        assert got["table3"] == record["table3"]
        placed = got["x_placed"]
        assert placed.get("order", 0) > 0  # the spread rows say how they were placed


def test_the_2019_edition_too() -> None:
    record = example("2019")
    text = _blocks(record, random.Random(5))
    got = read(text.encode("utf-8"), name="blocks.txt").to_dict()
    assert got["table3"] == record["table3"]


def _rows_as(record: dict[str, Any], printed: dict[str, list[Any] | None]) -> str:
    """``record`` in the ``spaces`` layout with the table-3 rows of ``printed`` printed
    with those values (None: the label alone)."""
    spec = EDITIONS[record["template"]].table("table3")
    labels = {spec.row(k).label: k for k in printed}
    out = []
    for line in render(record, "spaces").splitlines():
        key = next((k for label, k in labels.items() if line.startswith(label + " ")), None)
        if key is None:
            out.append(line)
        else:
            values = printed[key]
            out.append(
                spec.row(key).label if values is None else _line(spec.row(key).label, values)
            )
    return "\n".join(out)


def test_a_run_two_windows_could_take_is_left_null() -> None:
    # 予以公开 and 属于国家秘密 alone, two rows of values beside 部分公开 between them:
    # the run is 予以公开 + 部分公开 or 部分公开 + 属于国家秘密, and nothing tells which
    record = example("2021")
    t3 = record["table3"]
    run = [*t3["partially_granted"], *t3["denied_state_secret"]]
    text = _rows_as(
        record, {"granted": None, "partially_granted": run, "denied_state_secret": None}
    )
    got = read(text.encode("utf-8"), name="two.txt").to_dict()
    for key in ("granted", "partially_granted", "denied_state_secret"):
        assert got["table3"].get(key, [None] * 7) == [None] * 7
    assert any(w["code"] == "long-row" for w in got["x_warnings"])


def test_a_run_with_one_window_is_given_to_its_rows() -> None:
    # the same run with 予以公开 printed with its own values: one window is left
    record = example("2021")
    t3 = record["table3"]
    run = [*t3["partially_granted"], *t3["denied_state_secret"]]
    text = _rows_as(record, {"partially_granted": run, "denied_state_secret": None})
    got = read(text.encode("utf-8"), name="one.txt").to_dict()
    assert got["table3"] == t3
    assert got["x_provenance"]["table3.denied_state_secret.0"]["by"] == "order"


def test_a_run_of_the_wrong_rows_is_never_placed_as_certain() -> None:
    # the run printed beside the block's last label holds the rows one further down
    # (the first row of the block printed nowhere): counts can't tell, the
    # arithmetic must, and nothing is read wrong
    record = example("2021")
    spec = EDITIONS["2021"].table("table3")
    keys = list(spec.row_keys)
    text = render(record, "spaces")
    lines = text.splitlines()
    block = keys[2:6]  # granted .. denied_prohibited_by_law
    shifted = [v for k in keys[3:7] for v in record["table3"][k]]
    out = []
    for line in lines:
        label = next(
            (spec.row(k).label for k in keys[2:7] if line.startswith(spec.row(k).label + " ")), None
        )
        if label is None:
            out.append(line)
        elif label == spec.row(block[-1]).label:
            out.append(_line(label, shifted))
        elif label == spec.row(keys[6]).label:
            continue
        else:
            out.append(label)
    got = read("\n".join(out).encode("utf-8"), name="shift.txt").to_dict()
    assert table3_cells(got, record)[2] == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records(blanks=False), seed=st.integers(0, 2**16))
def test_blocks_never_read_a_wrong_number(record: dict[str, Any], seed: int) -> None:
    text = _blocks(record, random.Random(seed))
    got = read(text.encode("utf-8"), name="blocks.txt").to_dict()
    _right, null, wrong = table3_cells(got, record)
    assert wrong == 0
    # a generated record's arithmetic holds, so every run is confirmed: all read
    assert null == 0, got.get("x_warnings")


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "converters"


@pytest.mark.parametrize("name", ["example-2021", "qingshan-minzheng-2024", "qingshan-szf-2024"])
def test_pdftotext_text_reads_table3_whole(name: str) -> None:
    # pdftotext without -layout: label blocks, then their values in one run (made by
    # tests/fixtures/converters/make.py); table 3 was all null but for a few rows
    truth = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    text = (FIXTURES / f"{name}.pdftotext.txt").read_bytes()
    got = read(text, name=f"{name}.txt").to_dict()
    assert got["table3"] == truth["table3"]
