"""Golden test: every corpus report read into exactly its reference record.

Any cell that differs fails. The agency is compared as printed, except that
a reference record may name the agency without its parent city (both years
of 洪泽区人民政府 are filed under one name): those compare by agency key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import corpus_params, reference
from gongkai import read
from gongkai.agencies import agency_key
from gongkai.record import Report, flat_cells


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_report_matches_reference(path: Path) -> None:
    expected = reference(path)
    expected.pop("notes", None)
    got = read(path).to_dict(private=False)
    exp_agency, got_agency = expected.pop("agency"), got.pop("agency")
    assert got_agency is not None
    assert got_agency == exp_agency or agency_key(got_agency) == agency_key(exp_agency)
    a, b = flat_cells(got), flat_cells(expected)
    diffs = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
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
