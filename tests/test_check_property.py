"""check() never raises on any record it can build: nulls everywhere, negatives,
missing rows, both editions, legacy, and parser keys of any shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import check
from gongkai.national.editions import EDITION_2019, EDITION_2021, TABLE4, table3_all_rows
from gongkai.record import Report

cells = st.one_of(st.none(), st.integers(min_value=-5, max_value=10**7))
money = st.one_of(st.none(), st.sampled_from(["0", "12.5", "287.54万元", "-3", "96171.6"]))
junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
prose = st.text(
    alphabet="受理收到申请答复办结行政复议诉讼件其中全市未发生费元一二三 0123456789。，\n",
    max_size=200,
)


def _table2(edition_id: str) -> st.SearchStrategy[dict[str, Any]]:
    table = (EDITION_2021 if edition_id == "2021" else EDITION_2019).table("table2")
    rows: dict[str, st.SearchStrategy[Any]] = {}
    for r in table.rows:
        cols = {c.key: (money if c.kind == "money" else cells) for c in table.row_columns(r.key)}
        rows[r.key] = st.one_of(st.none(), st.fixed_dictionaries(cols))
    return st.fixed_dictionaries({}, optional=rows)


def _rows(keys: list[str], width: int) -> st.SearchStrategy[dict[str, Any]]:
    row = st.one_of(st.none(), st.lists(cells, min_size=width, max_size=width))
    return st.fixed_dictionaries({}, optional=dict.fromkeys(keys, row))


x_keys = st.fixed_dictionaries(
    {},
    optional={
        "x_text": st.one_of(prose, junk),
        "x_sections": st.one_of(
            junk,
            st.lists(
                st.fixed_dictionaries(
                    {"part": st.one_of(st.integers(0, 8), junk), "text": st.one_of(prose, junk)},
                    optional={"title": junk, "where": junk},
                ),
                max_size=7,
            ),
        ),
        "x_year_sources": junk,
        "x_agency_sources": junk,
        "x_published_sources": junk,
        "x_signature": junk,
        "x_tables": junk,
        "x_warnings": junk,
        "x_blank_cells": junk,
        "x_html": junk,
        "x_emails": junk,
        "x_preamble": junk,
        "x_title": junk,
    },
)


@st.composite
def records(draw: st.DrawFn) -> Report:
    template = draw(st.sampled_from(["2019", "2021", "legacy"]))
    d: dict[str, Any] = {
        "agency": draw(
            st.one_of(st.none(), st.sampled_from(["淮安市人民政府", "集安市民政局", "", "某某"]))
        ),
        "year": draw(st.one_of(st.none(), st.integers(1990, 2100))),
        "template": template,
        "published": draw(
            st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
        ),
    }
    if template == "legacy":
        d["legacy"] = draw(
            st.one_of(
                st.none(), st.dictionaries(st.sampled_from(["granted", "review", "x"]), cells)
            )
        )
    else:
        d["table2"] = draw(st.one_of(st.none(), _table2(template)))
        d["table3"] = draw(st.one_of(st.none(), _rows([r.key for r in table3_all_rows()], 7)))
        d["table4"] = draw(st.one_of(st.none(), _rows([r.key for r in TABLE4.rows], 5)))
    d.update(draw(x_keys))
    return Report.model_validate(d)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(), st.one_of(st.none(), records()))
def test_check_never_raises(report: Report, previous: Report | None) -> None:
    result = check(report, previous, strict=True)
    for f in result.findings:
        assert f.message and f.severity in ("error", "warning", "info")
        assert isinstance(f.to_dict(), dict)
    assert result.to_dict()["report"] == report.to_dict()
