"""The CLI, in-process: --json equals the library's result, errors are one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai import read
from gongkai.cli.main import COMMANDS, build, main
from layouts import render
from records import example


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    p = tmp_path / "qingshan-2023.txt"
    p.write_text(render(example("2021"), "pipe"), encoding="utf-8")
    return p


def run(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    lang = None
    if "--lang" in args:
        lang = args[args.index("--lang") + 1]
    result = runner.invoke(build(lang), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_command_is_registered() -> None:
    assert set(build().commands) == set(COMMANDS)


def test_parse_json_equals_library(report_file: Path) -> None:
    code, out, _ = run("parse", str(report_file), "--json")
    assert code == 0
    assert json.loads(out) == read(report_file).to_dict()


def test_parse_private_leaves_out_x_keys(report_file: Path) -> None:
    code, out, _ = run("parse", str(report_file), "--json", "--private")
    assert code == 0
    assert not [k for k in json.loads(out) if k.startswith("x_")]


def test_parse_human_chinese_and_english(report_file: Path) -> None:
    code, out, _ = run("parse", str(report_file))
    assert code == 0 and "机关" in out and "青山市示范区民政局" in out
    code, out, _ = run("--lang", "en", "parse", str(report_file))
    assert code == 0 and "agency" in out


def test_parse_explain_names_lines(report_file: Path) -> None:
    code, out, _ = run("parse", str(report_file), "--explain")
    assert code == 0
    # every value names the line it was read from, in the user's language
    assert re.search(r"table3\.new\.6 +=.*第\d+行", out), out
    code, out, _ = run("--lang", "en", "parse", str(report_file), "--explain")
    assert re.search(r"table3\.new\.6 +=.*line \d+", out), out


def test_parse_outdir(report_file: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    code, _, _ = run("parse", str(report_file), "-o", str(outdir))
    assert code == 0
    written = json.loads((outdir / (report_file.name + ".json")).read_text("utf-8"))
    assert written == read(report_file).to_dict()


def test_batch_goes_on_past_bad_files(report_file: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(
        "parse", str(empty), str(tmp_path / "missing.pdf"), str(report_file), "--json"
    )
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert any("empty.txt" in ln and "文件为空" in ln for ln in lines)
    assert any("missing.pdf" in ln for ln in lines)
    assert "Traceback" not in err
    assert "成功 1 个，跳过 0 个，失败 2 个" in err
    records = json.loads(out)
    assert len(records) == 1 and records[0]["agency"] == "青山市示范区民政局"


def test_no_files_is_usage_error() -> None:
    code, _, err = run("parse")
    assert code == 2 and "用法" in err


def test_schema_is_valid_json_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "gongkai report record"
    assert "table3" in schema["properties"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_in_both_languages(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and out.strip()
    code_en, out_en, _ = run("--lang", "en", command, "--help")
    assert code_en == 0 and out_en != out


def test_main_accepts_lang_after_subcommand(
    report_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as e:
        main(["parse", str(report_file), "--lang", "en"])
    assert e.value.code == 0
    assert "agency" in capsys.readouterr().out


def test_read_accepts_text_bytes_and_path(report_file: Path) -> None:
    text = report_file.read_text("utf-8")
    by_path = read(report_file).to_dict(private=False)
    assert read(text).to_dict(private=False) == by_path
    assert read(report_file.read_bytes()).to_dict(private=False) == by_path
    assert read(str(report_file)).to_dict(private=False) == by_path


def test_a_directory_stands_for_the_reports_in_it(tmp_path: Path) -> None:
    for name, layout in (("a.txt", "pipe"), ("sub/b.md", "markdown")):
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(render(example("2021"), layout), encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    code, out, _ = run("parse", str(tmp_path), "--json")
    assert code == 0
    records = json.loads(out)
    assert isinstance(records, list) and len(records) == 2
    code, out, _ = run("check", str(tmp_path))
    assert code == 0 and "a.txt" in out and "b.md" in out


def test_usage_errors_in_the_users_language(report_file: Path) -> None:
    """click's own words (Usage, Options, errors) are Chinese by default."""
    code, out, err = run("parse", "--bogus")
    assert code == 2 and "没有选项" in err and "用法" in err
    code, out, _ = run("parse", "--help")
    assert "选项" in out and "Options" not in out
    code, out, err = run("--lang", "en", "parse", "--bogus")
    assert code == 2 and "No such option" in err and "Usage" in err


def test_chinese_help_has_no_english_placeholders_and_lines_up() -> None:
    """[OPTIONS], [1<=x<=64] and a half-width colon were click's own; columns after a
    Chinese placeholder (--previous 路径) did not line up, as click counts a CJK character
    as one column."""
    from gongkai.cli.clickzh import display_width

    code, out, _ = run("check", "--help")
    assert code == 0
    assert "[OPTIONS]" not in out and "[选项]" in out and "[文件]..." in out
    assert "选项：" in out and "[1–64]" in out and "<=x<=" not in out
    starts = {
        display_width(line[: line.index(text)])
        for line in out.splitlines()
        for text in ("上一年度报告", "输出 JSON 检查结果")
        if text in line
    }
    assert len(starts) == 1, starts
    code, out, _ = run("--lang", "en", "check", "--help")
    assert "[OPTIONS]" in out and "Options:" in out


@pytest.mark.parametrize(
    "command", [("synth",), ("template",), ("ledger", "add"), ("corpus", "add"), ("serve",)]
)
def test_chinese_help_names_value_types_in_chinese(command: tuple[str, ...]) -> None:
    """click's type names (TEXT, INTEGER RANGE, DATE), [required] and [x>=1] were English."""
    import re

    code, out, _ = run(*command, "--help")
    assert code == 0
    options = out.split("选项：", 1)[1]
    found = re.findall(r"\b(TEXT|INTEGER|FLOAT|RANGE|DATE|DIRECTORY|FILENAME|CHOICE)\b", options)
    assert found == [], found
    assert "[required]" not in out and "x>=" not in out and "<=x" not in out
    code, out, _ = run("--lang", "en", *command, "--help")
    assert code == 0 and "Options:" in out
