"""``gongkai check`` and ``gongkai rules``, called in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from check_records import clean, gt, report
from gongkai.checks import check, rules_markdown
from gongkai.cli.check import command as check_command
from gongkai.cli.rules import command as rules_command

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, name: str, data: dict[str, Any]) -> str:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(p)


def _invoke(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(check_command(), list(args), env=env or {"GONGKAI_LANG": "zh"})


def test_json_is_the_library_result(tmp_path: Path) -> None:
    d = gt("hongze-qzf-2023")
    path = _write(tmp_path, "hongze-2023.json", d)
    res = _invoke(path, "--json")
    assert res.exit_code == 1
    assert json.loads(res.output) == check(report(d)).to_dict()


def test_exit_codes_and_verdict(tmp_path: Path) -> None:
    ok = _write(tmp_path, "ok.json", clean())
    res = _invoke(ok)
    assert res.exit_code == 0 and "没有发现问题" in res.output
    bad = clean()
    bad["table4"]["review"][4] = 9
    res = _invoke(_write(tmp_path, "bad.json", bad))
    assert res.exit_code == 1 and "t4-total" in res.output and "不合格" in res.output
    assert _invoke(str(tmp_path / "absent.json")).exit_code == 2
    assert _invoke().exit_code == 2
    broken = _write(tmp_path, "broken.json", {**clean(), "year": "soon"})
    res = _invoke(broken)
    assert res.exit_code == 2 and "year" in res.output


def test_pick_skip_and_unknown_rules(tmp_path: Path) -> None:
    bad = clean(published="2024-06-01")
    bad["table4"]["review"][4] = 9
    path = _write(tmp_path, "bad.json", bad)
    res = _invoke(path, "--json", "--pick", "timeliness")
    assert res.exit_code == 0 and {f["rule"] for f in json.loads(res.output)["findings"]} == {
        "late-publication"
    }
    res = _invoke(path, "--json", "--skip", "t4-total,late-publication")
    assert res.exit_code == 0 and json.loads(res.output)["findings"] == []
    res = _invoke(path, "--pick", "no-such-rule")
    assert res.exit_code == 2 and "no-such-rule" in res.output


def test_level_and_deadline_options(tmp_path: Path) -> None:
    path = _write(tmp_path, "r.json", clean(published="2024-03-01"))
    assert "late-publication" in _invoke(path, "--json").output
    assert "late-publication" not in _invoke(path, "--json", "--level", "government").output
    assert "late-publication" not in _invoke(path, "--json", "--deadline", "2024-03-02").output


def test_english_messages(tmp_path: Path) -> None:
    bad = clean()
    bad["table4"]["review"][4] = 9
    res = _invoke(_write(tmp_path, "bad.json", bad), "--json", env={"GONGKAI_LANG": "en"})
    message = json.loads(res.output)["findings"][0]["message"]
    assert message.startswith('Table 4 "行政复议"') and "upheld 1" in message


def test_batch_pairs_and_summarises(tmp_path: Path) -> None:
    this = clean(agency="淮安市洪泽区人民政府", year=2024)
    last = clean(agency="洪泽区人民政府", year=2023)
    last["table3"]["carried_forward"] = [4, 0, 0, 0, 0, 0, 4]
    last["table2"]["normative_documents"]["in_force"] = 9
    a, b = _write(tmp_path, "a.json", this), _write(tmp_path, "b.json", last)
    res = _invoke(a, b)
    assert res.exit_code == 1 and "carry-over" in res.output and "检查汇总" in res.output
    res = _invoke(a, b, "--json")
    got = [sorted({f["rule"] for f in r["findings"]}) for r in json.loads(res.output)]
    assert got == [["carry-over"], ["t3-balance"]]


def test_previous_file_and_directory(tmp_path: Path) -> None:
    this = clean(year=2024)
    last = clean(year=2023)
    last["table3"]["carried_forward"] = [4, 0, 0, 0, 0, 0, 4]
    last["table2"]["normative_documents"]["in_force"] = 9
    a = _write(tmp_path, "this.json", this)
    (tmp_path / "old").mkdir()
    b = _write(tmp_path / "old", "last.json", last)
    (tmp_path / "old" / "junk.txt").write_text("", encoding="utf-8")
    for prev in (b, str(tmp_path / "old")):
        res = _invoke(a, "--json", "--previous", prev)
        out = json.loads(res.stdout)
        assert {f["rule"] for f in out["findings"]} == {"carry-over"}
    # what a --previous folder held that could not be used is said, not swallowed
    assert "junk.txt" in res.stderr and "文件为空" in res.stderr
    assert _invoke(a, "--previous", str(tmp_path / "none")).exit_code == 2


def test_help() -> None:
    res = CliRunner().invoke(check_command(), ["--help"], env={"GONGKAI_LANG": "en"})
    assert res.exit_code == 0 and "--previous" in res.output and "--pick" in res.output


def test_rules_command_lists_the_catalogue() -> None:
    res = CliRunner().invoke(rules_command(), ["--json"])
    ids = [r["id"] for r in json.loads(res.output)]
    for rule_id in (
        "missing-section",
        "t3-balance",
        "carry-over",
        "text-reuse",
        "tampered-content",
    ):
        assert rule_id in ids
    assert CliRunner().invoke(rules_command(), []).exit_code == 0
    assert CliRunner().invoke(rules_command(), ["--markdown"]).output == rules_markdown()


def test_example_with_mistakes_is_caught() -> None:
    """The bundled report with deliberate mistakes (what `make run` shows)."""
    from gongkai import read

    report = read(ROOT / "examples" / "with-mistakes" / "qingshan-jiaoyu-2024.txt")
    found = {(f.rule, f.severity) for f in check(report).findings}
    assert {
        ("t3-balance", "error"),
        ("t3-row-total", "error"),
        ("t3-results-total", "error"),
    } <= found
    assert ("late-publication", "warning") in found


def test_a_crashing_rule_is_an_error_check_fails_and_render_refuses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A report not wholly checked does not pass: exit 1, and nothing is written."""
    import dataclasses

    from gongkai.checks import registry
    from gongkai.write import Refused, render

    def boom(ctx: registry.Context) -> list[registry.Hit]:
        raise ZeroDivisionError("a bug in a rule")

    broken = dataclasses.replace(registry.get("t3-balance"), func=boom)
    monkeypatch.setitem(registry._RULES, "t3-balance", broken)
    example = ROOT / "examples" / "qingshan-minzheng-2024.txt"
    found = [f for f in check(report(clean())).findings if f.rule == "internal-error"]
    assert [(f.severity, "t3-balance" in f.message) for f in found] == [("error", True)]
    result = _invoke(str(example))
    assert result.exit_code == 1 and "internal-error" in result.output
    with pytest.raises(Refused):
        render(ROOT / "examples" / "qingshan-minzheng-2024.yaml", "txt", tmp_path / "r.txt")
    assert not (tmp_path / "r.txt").exists()


def test_parts_are_named_with_their_numerals_and_a_given_deadline_is_not_statutory() -> None:
    """「第三部分」, not 「第3部分」; a deadline the user gives is 指定期限, not 法定期限."""
    import datetime as dt

    import gongkai
    from gongkai.checks.console import describe_where
    from gongkai.record import Where

    assert "第三部分" in describe_where(Where(section=3), "zh")
    examples = Path(__file__).resolve().parents[1] / "examples"
    report = gongkai.read(examples / "qingshan-minzheng-2024.txt")
    late = gongkai.check(report, deadline=dt.date(2025, 1, 2), lang="zh")
    (finding,) = [f for f in late.findings if f.rule == "late-publication"]
    assert "指定期限" in finding.message and "法定期限" not in finding.message


def test_an_old_format_report_is_named_in_the_reader_s_language() -> None:
    # it printed "legacy 版" (an identifier in a Chinese sentence) and "template legacy"
    path = str(ROOT.parent / "shared" / "corpus" / "seeds" / "liaoning-minzheng-2017.txt")
    zh = _invoke(path)
    assert "旧式文字报告（无统一统计表）" in zh.output and "legacy" not in zh.output
    en = _invoke(path, env={"GONGKAI_LANG": "en"})
    assert (
        "old prose format (no fixed tables)" in en.output and "版" not in en.output.split("\n")[0]
    )


def test_a_recent_report_without_tables_is_not_dated_2008_2018(tmp_path: Path) -> None:
    # a 2025 fragment (a title, one paragraph) is a prose report without the fixed tables;
    # its form was shown as 旧式报告（2008–2018） beside the year 2025
    page = tmp_path / "fragment.txt"
    page.write_text(
        "某某县民政局2025年政府信息公开工作年度报告\n\n"
        "本报告根据《中华人民共和国政府信息公开条例》编制。\n",
        encoding="utf-8",
    )
    zh = _invoke(str(page))
    assert "2025" in zh.output and "旧式文字报告（无统一统计表）" in zh.output
    assert "2008" not in zh.output and "2018" not in zh.output
    # nor by its id in the finding's comparison (「实为 legacy」)
    assert "实为 旧式文字报告（无统一统计表）" in zh.output and "实为 legacy" not in zh.output
