"""Golden test: every corpus report read into exactly its reference record.

Any cell that differs fails. The agency is compared as printed, except that
a reference record may name the agency without its parent city (both years
of 洪泽区人民政府 are filed under one name): those compare by agency key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import corpus_params, reference, reference_diff
from gongkai import read
from gongkai.agencies import agency_key
from gongkai.record import Report

#: cells the reference knows from elsewhere (the page's HTML) that the file alone
#: cannot place: the reader leaves them null, with a warning naming the candidates
HONEST_NULLS: dict[str, set[str]] = {
    # 政府集中采购1018703元: 10/18703元, 101/8703元 … (the notes say so)
    "pingtan-haitan-2019.txt": {"table2.procurement.items", "table2.procurement.amount"},
    # 其他对外管理服务事项 35 212204: three cells, two values, and table 2 has no
    # arithmetic to say which one was left blank (the page leaves 本年增/减 blank)
    "jian-minzheng-2020.txt": {
        "table2.other_services.prev_items",
        "table2.other_services.decisions",
    },
}


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_report_matches_reference(path: Path) -> None:
    report = read(path)
    got = report.to_dict(private=False)
    assert got["agency"] is not None
    diffs = reference_diff(got, path, agency_by_key=True)
    honest = HONEST_NULLS.get(path.name, set())
    for key in honest:
        assert key in diffs and diffs[key][0] is None, key
        table, row, col = key.split(".")
        assert {"table": table, "row": row, "column": col} in report.extra("x_unsure")
        warned = [w for w in report.extra("x_warnings") if w.get("row") == row]
        assert any(diffs[key][1] in cand for w in warned for cand in w["candidates"]), warned
        del diffs[key]
    assert diffs == {}, f"{len(diffs)} cells differ (got, expected): {diffs}"


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_reference_records_validate(path: Path) -> None:
    data = reference(path)
    assert Report.model_validate(data).to_dict() == data


def test_agency_key_pairs_levels() -> None:
    assert agency_key("淮安市洪泽区人民政府") == agency_key("洪泽区人民政府")
    assert agency_key("上海市普陀区民政局") == agency_key("普陀区民政局")
    assert agency_key("淮安市人民政府") != agency_key("洪泽区人民政府")
    assert agency_key("集安市民政局") != agency_key("通化市民政局")
