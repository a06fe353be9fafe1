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
