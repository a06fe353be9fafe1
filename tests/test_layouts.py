"""The parser on every flattened text layout, on reports the tests build."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from gongkai import read
from layouts import LAYOUTS, render
from records import example, records


def public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("x_") and k != "notes"}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_layout_reads_back(layout: str, edition: str) -> None:
    record = example(edition)
    text = render(record, layout)
    got = read(text.encode("utf-8"), name=f"example-{layout}.txt").to_dict(private=False)
    assert public(got) == record


@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_in_gbk(layout: str) -> None:
    record = example("2021")
    got = read(render(record, layout).encode("gb18030"), name="gbk.txt").to_dict(private=False)
    assert public(got) == record


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=records())
def test_any_valid_record_reads_back_in_every_layout(record: dict[str, Any]) -> None:
    for layout in LAYOUTS:
        text = render(record, layout)
        got = read(text.encode("utf-8"), name=f"h-{layout}.txt").to_dict(private=False)
        assert public(got) == record, layout


@pytest.mark.parametrize("layout", ["cells", "pipe", "tabs"])  # (a label on a line of its own)
def test_warnings_of_the_rows_before_those_of_their_cells(layout: str) -> None:
    # a row printed twice is said first, then what a kept row's cells hold: the warnings
    # keep that order when the rows are filled as they are met
    text = render(example("2021"), layout)
    lines = text.splitlines()
    punish = next(i for i, s in enumerate(lines) if s.strip(" |\t#*") == "行政处罚")
    again = next(i for i, s in enumerate(lines) if s.strip(" |\t#*") == "行政强制")
    assert punish < again
    value = next(i for i in range(punish + 1, len(lines)) if "56" in lines[i])
    lines[value] = lines[value].replace("56", "5.5")
    lines[again + 1 : again + 1] = [lines[punish], lines[value].replace("5.5", "7")]
    record = read("\n".join(lines).encode("utf-8"), name=f"twice-{layout}.txt").to_dict()
    codes = [(w["code"], w.get("row")) for w in record["x_warnings"]]
    assert ("duplicate-row", "penalty") in codes
    assert ("not-a-count", "penalty") in codes
    assert codes.index(("duplicate-row", "penalty")) < codes.index(("not-a-count", "penalty"))
