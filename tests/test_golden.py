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


@pytest.mark.corpus
@pytest.mark.parametrize("path", corpus_params())
def test_report_matches_reference(path: Path) -> None:
    got = read(path).to_dict(private=False)
    assert got["agency"] is not None
    diffs = reference_diff(got, path, agency_by_key=True)
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
