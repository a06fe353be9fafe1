"""Importing an agency's messy 台账: headers found by name, dates as staff type them,
every bad row named, nothing imported unless the file is clean."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from gongkai.ledger.importer import (
    ImportFileError,
    applicant_type,
    channel,
    outcome,
    parse_date,
    parse_rows,
    read_table,
)

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", D(2024, 3, 5)),
        ("2024/3/5", D(2024, 3, 5)),
        ("2024.3.5", D(2024, 3, 5)),
        ("2024年3月5日", D(2024, 3, 5)),
        ("2024 年 3 月 5 号", D(2024, 3, 5)),
        ("２０２４／３／５", D(2024, 3, 5)),
        ("20240305", D(2024, 3, 5)),
        ("2024-03-05 14:30", D(2024, 3, 5)),
        (45356, D(2024, 3, 5)),  # Excel's date number
        (45356.5, D(2024, 3, 5)),
        ("45356", D(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 9, 0), D(2024, 3, 5)),
        ("2024-02-30", None),
        ("三月五日", None),
        (12, None),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_staff_type_them(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_values_matched_against_the_format() -> None:
    assert applicant_type("自然人") == "natural_person"
    assert applicant_type(" 商业企业 ") == "commercial"
    assert applicant_type("公益组织") == "public_interest"
    assert applicant_type("外星人") is None
    assert channel("EMS挂号信") == "post_registered"
    assert channel("网上申请") == "online"
    assert channel("") == "in_person"
    assert channel("信鸽") is None
    assert outcome("予以公开", D(2024, 5, 1))[0] == "granted"
    assert outcome("（二）部分公开", D(2024, 5, 1))[0] == "partially_granted"
    assert outcome("1.本机关不掌握相关政府信息", D(2024, 5, 1))[0] == "unavailable_not_held"
    assert outcome("重复申请", D(2024, 5, 1))[0] == "rejected_duplicate"
    assert outcome("其他处理", D(2020, 5, 1))[0] == "other"
    key, candidates = outcome("公开", D(2024, 5, 1))
    assert key is None and len(candidates) > 1


def messy_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年台账"
    ws.append(["青山区民政局政府信息公开申请登记台账"])  # a title row first
    ws.append([])
    ws.append(
        [
            "序号",
            " 申请编号 ",
            "收到日期",
            "申请人类型",
            "申请人姓名",
            "联系电话",
            "申请方式",
            "申请内容",
            "答复日期",
            "办理结果",
            "备注",
        ]
    )
    ws.append(
        [
            1,
            "QS-001",
            "2024-03-05",
            "自然人",
            "张三",
            "13800000000",
            "当面",
            "低保名单",
            "2024/3/20",
            "予以公开",
            "",
        ]
    )
    ws.append(
        [
            2,
            "QS-002",
            dt.datetime(2024, 3, 6),
            "商业企业",
            "某公司",
            "010-1",
            "网上",
            "招标文件",
            45380,
            "部分公开",
            "",
        ]
    )
    ws.append(
        [3, "QS-003", 45358, "法律服务机构", "某律所", "", "EMS", "处罚决定", None, None, "办理中"]
    )
    ws.append(
        [4, "QS-004", "2024年3月8日", "自然人", "李四", "", "传真", "", "2024年3月9日", "撤回", ""]
    )
    ws.append([None, None, None, None, None, None, None, None, None, None, None])  # blank row
    ws.append([5, "QS-005", "2024-13-01", "自然人", "王五", "", "", "", "", "", ""])  # bad date
    ws.append([6, "QS-006", "2024-03-10", "个人", "赵六", "", "", "", "", "", ""])  # not a column
    ws.append([7, "QS-001", "2024-03-11", "自然人", "重复", "", "", "", "", "", ""])  # duplicate
    ws.append(
        [8, "QS-008", "2024-03-12", "自然人", "", "", "", "", "2024-03-01", "予以公开", ""]
    )  # answer before receipt
    ws.append(
        [9, "QS-009", "2024-03-12", "自然人", "", "", "", "", "", "予以公开", ""]
    )  # outcome, no date
    ws.append([10, "QS-010", "2024-03-12", "自然人", "", "", "信鸽", "", "", "", ""])  # channel
    ws.append(
        [11, "QS-011", "2024-03-12", "自然人", "", "", "", "", "2024-03-15", "同意", ""]
    )  # outcome
    ws.append([12, "", "2024-03-12", "自然人", "", "", "", "", "", "", ""])  # no number
    wb.save(path)


def test_messy_workbook_names_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    messy_workbook(path)
    parsed = parse_rows(read_table(path), source=str(path))
    assert [n for n, _, _ in parsed.rows] == [4, 5, 6, 7]
    assert {b.row for b in parsed.bad} == {9, 10, 11, 12, 13, 14, 15, 16}
    messages = {b.row: b.message("zh") for b in parsed.bad}
    assert messages[9] == "第 9 行：收到日期「2024-13-01」不是日期"
    assert "个人" in messages[10] and "自然人" in messages[10]
    assert "与第 4 行重复" in messages[11]
    assert "早于收到申请之日" in messages[12]
    assert "没有答复日期" in messages[13]
    assert "信鸽" in messages[14]
    assert "同意" in messages[15]
    assert "缺少编号" in messages[16]
    assert parsed.bad[0].message("en") == "row 9: the date of receipt '2024-13-01' is not a date"
    apps = {a.number: (a, ev) for _, a, ev in parsed.rows}
    a1, ev1 = apps["QS-001"]
    assert a1.received == D(2024, 3, 5) and a1.applicant_name == "张三"
    assert (
        ev1[0].kind == "answered" and ev1[0].outcome == "granted" and ev1[0].date == D(2024, 3, 20)
    )
    a2, ev2 = apps["QS-002"]
    assert a2.channel == "online" and ev2[0].date == D(2024, 3, 29)
    a3, ev3 = apps["QS-003"]
    assert a3.received == D(2024, 3, 7) and a3.channel == "post_registered" and ev3 == []
    assert apps["QS-004"][1][0].kind == "withdrawn"
    assert parsed.columns["number"].strip() == "申请编号"


def test_csv_in_gbk_with_a_mapped_column(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    text = "登记号,收件时间,主体\nX1,2024/1/2,自然人\nX2,2024年1月3日,科研机构\n"
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(ImportFileError) as err:
        parse_rows(read_table(path), source=str(path))
    assert "number" in err.value.message("zh") and "--map" in err.value.message("zh")
    mapping = {"登记号": "number", "收件时间": "received", "主体": "applicant_type"}
    parsed = parse_rows(read_table(path), mapping, str(path))
    assert parsed.clean and [a.number for _, a, _ in parsed.rows] == ["X1", "X2"]
    with pytest.raises(ImportFileError) as err:
        parse_rows(read_table(path), {"登记号": "nonsense"}, str(path))
    assert err.value.code == "bad_map"


def test_numbers_already_in_the_ledger_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.csv"
    path.write_text("编号,收到日期,申请人类型\nA,2024-01-02,自然人\n", encoding="utf-8")
    parsed = parse_rows(read_table(path), source=str(path), existing={"A"})
    assert parsed.bad[0].message("zh") == "第 2 行：编号 A 已在台账中"


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ImportFileError) as err:
        read_table(broken)
    assert err.value.code == "unreadable" and "broken.xlsx" in err.value.message("zh")
    empty = tmp_path / "empty.csv"
    empty.write_text("编号,收到日期,申请人类型\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        parse_rows(read_table(empty), source=str(empty))
    assert err.value.code == "empty"
    with pytest.raises(ImportFileError):
        parse_rows([], source="x")
