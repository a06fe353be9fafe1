"""Markdown from PDF converters (pymupdf4llm): table cells broken with ``<br>``, header
rows whose empty cells are layout, rows whose one value sits between empty cells."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai import read
from gongkai.reading.formats.text import markdown_line

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "converters"


def test_br_joins_the_lines_of_a_label() -> None:
    assert markdown_line("|结<br>果|3.危及“三安全一稳<br>定”|0|") == "|结果|3.危及“三安全一稳定”|0|"
    assert markdown_line("|其他<br/>结果|尚未<BR />审结|") == "|其他结果|尚未审结|"


def test_br_keeps_two_numbers_apart() -> None:
    assert markdown_line("|12<br>34|") == "|12 34|"


@pytest.mark.parametrize("name", ["example-2021", "qingshan-minzheng-2024", "qingshan-szf-2024"])
def test_pymupdf4llm_text_reads_back_whole(name: str) -> None:
    # labels broken by <br> were lost (table 3 rows null), table 4's header row of empty
    # cells was taken for its values, and 行政许可's value went to the row below
    truth = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    got = read((FIXTURES / f"{name}.pymupdf4llm.txt").read_bytes(), name=f"{name}.md").to_dict()
    for table in ("table2", "table3", "table4"):
        assert got[table] == truth[table], table


_TABLE2 = """\
# 青山市示范区民政局2023年政府信息公开工作年度报告

## 一、总体情况

本年度工作正常开展。

## 二、主动公开政府信息情况

|第二十条第（五）项||||
|---|---|---|---|
|信息内容||本年处理决定数量||
|行政许可||{licensing}||
|第二十条第（六）项||||
|信息内容||本年处理决定数量||
|行政处罚||{penalty}||
|行政强制||{coercion}||

## 三、收到和处理政府信息公开申请情况

## 四、政府信息公开行政复议、行政诉讼情况

## 五、存在的主要问题及改进情况

## 六、其他需要报告的事项
"""


def test_one_value_between_empty_cells_is_the_rows() -> None:
    text = _TABLE2.format(licensing=7, penalty=0, coercion=12)
    got = read(text.encode("utf-8"), name="t2.md").to_dict()
    t2 = got["table2"]
    assert t2["licensing"] == {"decisions": 7}
    assert t2["penalty"] == {"decisions": 0}
    assert t2["coercion"] == {"decisions": 12}
