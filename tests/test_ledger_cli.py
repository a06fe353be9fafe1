"""``gongkai ledger …`` in-process: JSON equals the library, one-line errors,
tables that ``gongkai render`` takes as they are, reconcile, import and export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from gongkai.cli.main import build
from gongkai.ledger import clock, fees
from gongkai.ledger.calendar import WorkCalendar
from records import example

D = dt.date


def run(*args: str) -> tuple[int, str, str]:
    lang = args[args.index("--lang") + 1] if "--lang" in args else None
    result = CliRunner().invoke(build(lang), list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "ledger.db")


def test_deadline_json_equals_library() -> None:
    code, out, _ = run("ledger", "deadline", "--received", "2024/9/20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["due"] == "2024-10-23"
    assert data == clock.deadline(WorkCalendar.default(), D(2024, 9, 20)).to_dict("zh")
    code, out, _ = run(
        "ledger", "deadline", "--received", "2024-09-20", "--corrected", "2024年11月4日",
        "--extended", "--json",
    )  # fmt: skip
    assert json.loads(out)["due"] == "2024-12-30"
    code, out, _ = run("ledger", "deadline", "--received", "2024-09-20")
    assert code == 0 and "调休上班日（国庆节）" in out and "答复期限：2024-10-23" in out


def test_deadline_in_an_unknown_year_exits_non_zero_naming_it(tmp_path: Path) -> None:
    code, out, err = run("ledger", "deadline", "--received", "2027-03-01")
    assert code == 2 and out == "" and "2027" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("--lang", "en", "ledger", "deadline", "--received", "2027-03-01")
    assert "2027" in err and "--holidays" in err
    f = tmp_path / "2027.yaml"
    f.write_text("year: 2027\nholidays: [2027-01-01]\n", encoding="utf-8")
    code, out, _ = run(
        "ledger", "deadline", "--received", "2027-03-01", "--holidays", str(f), "--json"
    )
    assert code == 0 and json.loads(out)["due"] == "2027-03-29"
    code, _, err = run("ledger", "deadline", "--received", "someday")
    assert code == 2 and "someday" in err


def test_fee_json_equals_library() -> None:
    code, out, _ = run("ledger", "fee", "--per-application", "45", "--json")
    assert code == 0 and json.loads(out) == fees.per_application(45).to_dict("zh")
    assert json.loads(out)["fee"] == 5500
    code, out, _ = run("ledger", "fee", "--pages", "250")
    assert code == 0 and "合计 4700 元" in out
    code, _, err = run("ledger", "fee", "--pages", "3", "--per-application", "2")
    assert code == 2 and "一种收费方式" in err
    code, _, err = run("ledger", "fee", "--pages", "-3")
    assert code == 2


def fill(db: str) -> None:
    """A small ledger of 2024, as an agency would keep it."""
    assert run("ledger", "init", "--agency", "青山区民政局", "--db", db)[0] == 0
    adds = [
        ("2024-01-08", "natural_person"),
        ("2024-03-04", "natural_person"),
        ("2024-05-06", "commercial"),
        ("2024-12-27", "legal_services"),
    ]
    for day, kind in adds:
        code, _out, err = run(
            "ledger", "add", "--received", day, "--type", kind, "--name", "张三", "--db", db
        )
        assert code == 0, err
    steps = [
        ("2024-0001", "answered", "--date", "2024-01-20", "--outcome", "granted"),
        ("2024-0002", "third_party_consulted", "--date", "2024-03-05"),
        ("2024-0002", "third_party_answered", "--date", "2024-03-25"),
        ("2024-0002", "answered", "--date", "2024-04-10", "--outcome", "denied_third_party"),
        ("2024-0002", "case_filed", "--date", "2024-05-10", "--case", "review"),
        (
            "2024-0002",
            "case_decided",
            "--date",
            "2024-08-01",
            "--case",
            "review",
            "--result",
            "upheld",
        ),
        ("2024-0003", "withdrawn", "--date", "2024-05-07"),
    ]
    for number, kind, *rest in steps:
        code, _, err = run("ledger", "event", number, kind, *rest, "--db", db, "--by", "王")
        assert code == 0, err


def test_register_events_and_refusals(db: str) -> None:
    fill(db)
    code, _, err = run(
        "ledger",
        "event",
        "2024-0001",
        "answered",
        "--date",
        "2024-01-21",
        "--outcome",
        "granted",
        "--db",
        db,
    )
    assert code == 1 and "已办结" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(
        "ledger",
        "event",
        "2024-0004",
        "answered",
        "--date",
        "2024-12-28",
        "--outcome",
        "yes",
        "--db",
        db,
    )
    assert code == 1 and "yes" in err
    code, _, err = run("ledger", "event", "2099-1", "withdrawn", "--date", "2024-12-28", "--db", db)
    assert code == 2 and "2099-1" in err
    code, out, _ = run("ledger", "show", "2024-0002", "--db", db, "--json")
    data = json.loads(out)
    assert data["status"] == "closed" and data["outcome"] == "denied_third_party"
    assert [e["kind"] for e in data["events"]] == [
        "third_party_consulted", "third_party_answered", "answered", "case_filed", "case_decided",
    ]  # fmt: skip
    assert data["events"][0]["actor"] == "王"
    code, out, _ = run("ledger", "show", "2024-0002", "--db", db)
    assert "征求第三方意见" in out and "记录" in out
    code, out, _ = run("ledger", "explain", "2024-0002", "--db", db)
    assert code == 0 and "暂停计算" in out and "答复期限" in out.splitlines()[-1]


def test_fee_notice_from_the_ledger(db: str) -> None:
    fill(db)
    code, out, err = run(
        "ledger", "event", "2024-0004", "fee_noticed", "--date", "2024-12-30",
        "--fee-method", "per_volume", "--quantity", "120", "--db", db, "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["fee"] == {"method": "per_volume", "quantity": 120, "yuan": 1100}
    code, out, _ = run("ledger", "due", "--today", "2024-12-31", "--db", db, "--json")
    assert [(i["number"], i["flag"]) for i in json.loads(out)] == [("2024-0004", "paused")]


def test_due_lists_overdue_and_due_soon(db: str) -> None:
    run("ledger", "init", "--db", db)
    for day in ("2024-09-20", "2024-10-21", "2024-12-01"):
        run("ledger", "add", "--received", day, "--type", "other", "--db", db)
    code, out, _ = run(
        "ledger", "due", "--today", "2024-11-14", "--within", "5", "--db", db, "--json"
    )
    items = json.loads(out)
    # 2024-0001 was due 23 Oct: overdue; 2024-0002 (21 Oct) is due 18 Nov: 2 working days left
    assert [(i["number"], i["flag"], i["due"]) for i in items] == [
        ("2024-0001", "overdue", "2024-10-23"),
        ("2024-0002", "due_soon", "2024-11-18"),
    ]
    assert items[1]["working_days_left"] == 2
    code, out, _ = run("ledger", "due", "--today", "2024-11-14", "--all", "--db", db)
    assert code == 0 and "已逾期" in out and "即将到期" in out and "2024-0003" in out
    _code, out, _ = run("--lang", "en", "ledger", "due", "--today", "2024-01-01", "--db", db)
    assert "nothing due" in out


def test_tables_go_straight_into_render_and_check_clean(db: str, tmp_path: Path) -> None:
    fill(db)
    code, out, _ = run("ledger", "tables", "--year", "2024", "--db", db)
    record = json.loads(out)
    assert record["agency"] == "青山区民政局" and record["template"] == "2021"
    t3 = record["table3"]
    assert t3["new"] == [2, 1, 0, 0, 1, 0, 4]
    assert t3["granted"][6] == 1 and t3["denied_third_party"][6] == 1 and t3["other_misc"][6] == 1
    assert t3["carried_forward"] == [0, 0, 0, 0, 1, 0, 1]
    assert record["table4"]["review"] == [1, 0, 0, 0, 1]
    assert "张三" not in out
    bare = tmp_path / "tables.yaml"
    code, out, _ = run("ledger", "tables", "--year", "2024", "--db", db, "-o", str(bare))
    assert code == 0 and bare.exists()
    xlsx = tmp_path / "2025.xlsx"
    code, _, err = run("template", "--xlsx", str(xlsx), "--from", str(bare), "--year", "2025")
    assert code == 0, err
    # the agency's own data (table 2, text) with the ledger's tables 3 and 4
    own = {**example("2021", 2024), "agency": "青山区民政局"}
    own["table3"]["new"] = [99, 0, 0, 0, 0, 0, 99]  # a slip the ledger replaces
    data = tmp_path / "data.json"
    data.write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    out_file = tmp_path / "full.yaml"
    code, out, err = run(
        "ledger", "tables", "--year", "2024", "--db", db, "--into", str(data), "-o", str(out_file)
    )  # fmt: skip
    assert code == 0, err
    html = tmp_path / "report.html"
    code, out, err = run("render", str(out_file), "--to", "html", "-o", str(html))
    assert code == 0, err
    code, out, err = run("check", str(html), "--json")
    result = json.loads(out)
    assert [f for f in result["findings"] if f["severity"] == "error"] == []
    assert result["report"]["table3"] == t3 and result["report"]["table4"] == record["table4"]
    assert result["report"]["table2"] == own["table2"]
    code, _, err = run("ledger", "tables", "--year", "2023", "--db", db, "--into", str(data))
    assert code == 2 and "2024" in err


def test_reconcile_names_the_cells_and_the_applications(db: str, tmp_path: Path) -> None:
    fill(db)
    _, out, _ = run("ledger", "tables", "--year", "2024", "--db", db)
    record = json.loads(out)
    same = tmp_path / "same.json"
    same.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("ledger", "reconcile", str(same), "--db", db)
    assert code == 0 and "一致" in out
    # the published report counted the withdrawn application as granted, and
    # left the review's result blank
    record["table3"]["granted"] = [1, 1, 0, 0, 0, 0, 2]
    record["table3"]["other_misc"] = [0, 0, 0, 0, 0, 0, 0]
    record["table4"]["review"] = [None, 0, 0, 0, 1]
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("ledger", "reconcile", str(wrong), "--db", db, "--json")
    assert code == 1
    diffs = {(d["table"], d["row"], d["column"]): d for d in json.loads(out)["differences"]}
    assert set(diffs) == {
        ("table3", "granted", "commercial"),
        ("table3", "granted", "total"),
        ("table3", "other_misc", "commercial"),
        ("table3", "other_misc", "total"),
        ("table4", "review", "upheld"),
    }
    assert diffs[("table3", "other_misc", "commercial")]["applications"] == ["2024-0003"]
    assert diffs[("table3", "granted", "total")]["applications"] == ["2024-0001"]
    assert diffs[("table4", "review", "upheld")]["report"] is None
    assert diffs[("table4", "review", "upheld")]["applications"] == ["2024-0002"]
    code, out, _ = run("ledger", "reconcile", str(wrong), "--db", db)
    assert "（六）其他处理 3.其他" in out and "2024-0003" in out and "空白" in out
    code, _, _err = run("ledger", "reconcile", str(tmp_path / "none.json"), "--db", db)
    assert code == 2


def test_import_all_or_nothing_then_skip_bad(db: str, tmp_path: Path) -> None:
    run("ledger", "init", "--agency", "青山区民政局", "--db", db)
    f = tmp_path / "old.csv"
    rows = [
        ["编号", "收到日期", "申请人类型", "申请人", "答复日期", "办理结果"],
        ["Q1", "2024/3/5", "自然人", "张三", "2024年3月20日", "予以公开"],
        ["Q2", "45358", "科研机构", "某所", "", ""],
        ["Q3", "2024-02-30", "自然人", "李四", "", ""],
    ]
    with f.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    code, out, err = run("ledger", "import", str(f), "--db", db)
    assert code == 1 and "第 4 行" in err and "2024-02-30" in err and "未导入任何数据" in err
    code, out, _ = run("ledger", "tables", "--year", "2024", "--db", db)
    assert json.loads(out)["table3"]["new"][6] == 0
    code, out, err = run("ledger", "import", str(f), "--db", db, "--skip-bad")
    assert code == 1 and "已导入 2 件申请" in out and "跳过 1 行" in out
    code, out, _ = run("ledger", "tables", "--year", "2024", "--db", db)
    assert json.loads(out)["table3"]["new"][6] == 2
    code, out, err = run("ledger", "import", str(f), "--db", db, "--skip-bad", "--json")
    assert json.loads(out)["imported"] == 0  # every number is already there
    code, _, err = run("ledger", "import", str(f), "--db", db, "--map", "nonsense")
    assert code == 2


def test_export_redacts_personal_data(db: str, tmp_path: Path) -> None:
    fill(db)
    run(
        "ledger",
        "add",
        "--received",
        "2024-06-03",
        "--type",
        "other",
        "--name",
        '=HYPERLINK("x")',
        "--db",
        db,
    )
    full, red = tmp_path / "full.xlsx", tmp_path / "red.xlsx"
    assert run("ledger", "export", str(full), "--db", db)[0] == 0
    code, out, _ = run("ledger", "export", str(red), "--redact", "--db", db)
    assert code == 0 and "已去除个人信息" in out
    wb = openpyxl.load_workbook(full)
    values = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "张三" in values and '\'=HYPERLINK("x")' in values
    assert len(list(wb.worksheets[1].iter_rows())) == 1 + 7  # the audit trail
    wb = openpyxl.load_workbook(red)
    text = json.dumps([list(r) for r in wb.worksheets[0].iter_rows(values_only=True)], default=str)
    assert (
        "张三" not in text
        and "HYPERLINK" not in text
        and "申请人" not in wb.worksheets[0]["E1"].value
    )
    csv_file = tmp_path / "red.csv"
    assert run("ledger", "export", str(csv_file), "--redact", "--db", db)[0] == 0
    assert "张三" not in csv_file.read_text(encoding="utf-8-sig")
    code, _, _err = run("ledger", "export", str(tmp_path / "x.pdf"), "--db", db)
    assert code == 2


def test_calendar_change_lists_moved_deadlines(db: str, tmp_path: Path) -> None:
    run("ledger", "init", "--db", db)
    run("ledger", "add", "--received", "2026-12-10", "--type", "other", "--db", db)
    f = tmp_path / "2027.yaml"
    f.write_text(
        "year: 2027\nnotice: 测试通知\nholidays:\n  元旦: ['2027-01-01..2027-01-03']\n",
        encoding="utf-8",
    )
    code, out, err = run("ledger", "calendar", str(f), "--db", db)
    assert code == 0, err
    assert "2027" in out and "2026-0001：— → 2027-01-08" in out
    code, out, _ = run("ledger", "calendar", str(f), "--db", db, "--json")
    assert json.loads(out) == {"year": 2027, "changes": []}
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2027\n", encoding="utf-8")
    code, _, err = run("ledger", "calendar", str(bad), "--db", db)
    assert code == 2 and "bad.yaml" in err


def test_tables_need_an_agency(db: str) -> None:
    run("ledger", "init", "--db", db)
    code, _, err = run("ledger", "tables", "--year", "2024", "--db", db)
    assert code == 2 and "--agency" in err
    code, out, _ = run("ledger", "tables", "--year", "2024", "--db", db, "--agency", "某局")
    assert code == 0 and json.loads(out)["agency"] == "某局"


@pytest.mark.parametrize(
    "sub",
    [
        "deadline",
        "fee",
        "init",
        "add",
        "event",
        "show",
        "explain",
        "due",
        "tables",
        "reconcile",
        "import",
        "export",
        "calendar",
    ],
)
def test_help_in_both_languages(sub: str) -> None:
    code, out, _ = run("ledger", sub, "--help")
    assert code == 0 and "用法" in out
    code, out, _ = run("--lang", "en", "ledger", sub, "--help")
    assert code == 0 and "Usage" in out
