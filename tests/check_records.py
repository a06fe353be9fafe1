"""Records for the checker's tests: clean ones built from the national format, and the corpus."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.checks import check
from gongkai.national.editions import EDITION_2019, EDITION_2021, TABLE4
from gongkai.record import CheckResult, Report

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _zeros_table2(edition_id: str) -> dict[str, Any]:
    ed = EDITION_2021 if edition_id == "2021" else EDITION_2019
    t2 = ed.table("table2")
    return {
        r.key: {c.key: ("0" if c.kind == "money" else 0) for c in t2.row_columns(r.key)}
        for r in t2.rows
    }


def clean(edition_id: str = "2021", year: int | None = None, **over: Any) -> dict[str, Any]:
    """A correct record: a few applications, balanced, all sums right."""
    ed = EDITION_2021 if edition_id == "2021" else EDITION_2019
    t3 = {r.key: [0] * 7 for r in ed.table("table3").rows}
    t3["new"] = [5, 1, 0, 0, 0, 0, 6]
    t3["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    t3["granted"] = [3, 1, 0, 0, 0, 0, 4]
    t3["unavailable_not_held"] = [2, 0, 0, 0, 0, 0, 2]
    t3["total"] = [5, 1, 0, 0, 0, 0, 6]
    t3["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    t4 = {r.key: [0] * 5 for r in TABLE4.rows}
    t4["review"] = [1, 0, 0, 1, 2]
    t4["litigation_direct"] = [0, 1, 0, 0, 1]
    t2 = _zeros_table2(edition_id)
    if edition_id == "2021":
        t2["normative_documents"] = {"issued": 2, "repealed": 1, "in_force": 10}
    d: dict[str, Any] = {
        "agency": "测试县民政局",
        "year": year or (2023 if edition_id == "2021" else 2020),
        "template": edition_id,
        "published": None,
        "table2": t2,
        "table3": t3,
        "table4": t4,
    }
    d.update(over)
    return d


def report(d: dict[str, Any]) -> Report:
    return Report.model_validate(copy.deepcopy(d))


def run(
    d: dict[str, Any] | Report, previous: dict[str, Any] | Report | None = None, **kw: Any
) -> CheckResult:
    rep = d if isinstance(d, Report) else report(d)
    prev = previous if isinstance(previous, Report) or previous is None else report(previous)
    return check(rep, prev, strict=True, **kw)


def rules(result: CheckResult, rule_id: str | None = None) -> list[str]:
    return [f.rule for f in result.findings if rule_id is None or f.rule == rule_id]


def findings(result: CheckResult, rule_id: str) -> list[Any]:
    return [f for f in result.findings if f.rule == rule_id]


def gt(name: str) -> dict[str, Any]:
    """A reference record of the corpus (the test is skipped without the corpus)."""
    hits = sorted(CORPUS.glob(f"*/{name}.gt.json"))
    if not hits:
        pytest.skip("reference corpus not found")
    data: dict[str, Any] = json.loads(hits[0].read_text(encoding="utf-8"))
    return data
