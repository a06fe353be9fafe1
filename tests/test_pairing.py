"""Pairing across years never takes a government for its department (issue 9 #11).

Before: 平潭综合实验区 ≈ 平潭综合实验区财政金融局, 上海市人民政府办公厅 ≈
上海市人民政府 and 北京市 ≈ 北京市民政局, so a department was checked against
its government's report.
"""

from __future__ import annotations

import pytest

from check_records import clean, findings, run
from gongkai.agencies import body_kind, same_agency, same_body


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("平潭综合实验区", "平潭综合实验区财政金融局"),
        ("上海市人民政府办公厅", "上海市人民政府"),
        ("北京市", "北京市民政局"),
    ],
)
def test_a_government_is_not_its_department(a: str, b: str) -> None:
    assert not same_agency(a, b) and not same_agency(b, a)
    this = clean(agency=a, year=2024)
    last = clean(agency=b, year=2023)
    last["table3"]["carried_forward"] = [4, 0, 0, 0, 0, 0, 4]
    result = run(this, last)
    assert findings(result, "carry-over") == []
    assert findings(result, "previous-unpaired")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("省民政厅", "辽宁省民政厅"),
        ("淮安市洪泽区人民政府", "洪泽区人民政府"),
        ("平潭综合实验区管委会", "平潭综合实验区管理委员会"),
    ],
)
def test_short_forms_of_one_agency_still_pair(a: str, b: str) -> None:
    assert same_agency(a, b)


def test_kinds() -> None:
    assert body_kind("北京市") == "government" and body_kind("北京市民政局") == "department"
    # the agency-mismatch rule stays lenient: the compiling office stands for its government
    assert same_body("洪泽区人民政府", "淮安市洪泽区人民政府办公室")
