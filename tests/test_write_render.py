"""render and template, library and CLI: refusal on errors, --force, data files, examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from gongkai.cli.main import build
from gongkai.errors import DataError
from gongkai.write.data import dump_yaml, from_dict, load_data
from gongkai.write.render import Refused, render, render_many, visible_record
from gongkai.write.xlsx import read_workbook
from records import example

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(*args: str, lang: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(build(lang), list(args))
    return result.exit_code, result.stdout, result.stderr


def _bad() -> dict[str, Any]:
    raw = example("2021")
    raw["table3"]["new"][6] += 1  # breaks t3-row-total and t3-balance
    return raw


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    p = tmp_path / "good.yaml"
    p.write_text(dump_yaml(from_dict(example("2021"))), encoding="utf-8")
    return p


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(_bad(), ensure_ascii=False), encoding="utf-8")
    return p


def test_render_refuses_errors_unless_forced(tmp_path: Path) -> None:
    data = from_dict(_bad())
    out = tmp_path / "r.html"
    with pytest.raises(Refused) as info:
        render(data, "html", out)
    assert {f.rule for f in info.value.findings} >= {"t3-row-total", "t3-balance"}
    assert not out.exists()
    result = render(data, "html", out, force=True)
    assert result.forced and out.exists() and result.errors


def test_render_accepts_good_data(tmp_path: Path, good_file: Path) -> None:
    result = render(good_file, "txt", tmp_path / "r.txt")
    assert not result.errors and not result.forced
    assert (tmp_path / "r.txt").read_text("utf-8").startswith(result.data.title)


def test_visible_record_has_what_the_parser_would_give() -> None:
    data = from_dict(example("2021"))
    r = visible_record(data)
    sections = r.extra("x_sections")
    assert [s["part"] for s in sections] == [1, 2, 3, 4, 5, 6]
    assert r.extra("x_title") == data.title
    assert r.to_dict(private=False) == data.report.to_dict(private=False)


def test_cli_refuses_with_findings_and_exit_1(bad_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "bad.docx"
    code, _, stderr = run("render", str(bad_file), "-o", str(out))
    assert code == 1
    assert "t3-row-total" in stderr and "--force" in stderr and "未生成" in stderr
    assert not out.exists()
    code, _, stderr = run("render", str(bad_file), "-o", str(out), "--force")
    assert code == 0 and out.exists()
    assert "强制" in stderr


def test_cli_english(bad_file: Path, tmp_path: Path) -> None:
    code, _, stderr = run(
        "render", str(bad_file), "--to", "md", "-o", str(tmp_path / "x.md"), lang="en"
    )
    assert code == 1 and "no report written" in stderr


def test_cli_render_formats_and_layouts(good_file: Path, tmp_path: Path) -> None:
    for fmt in ("html", "md", "txt", "docx"):
        out = tmp_path / f"r.{fmt}"
        code, stdout, _ = run("render", str(good_file), "-o", str(out))
        assert code == 0, fmt
        assert out.stat().st_size > 1000
        assert "已生成" in stdout
    code, _, _ = run(
        "render", str(good_file), "--to", "txt", "--layout", "pipe", "-o", str(tmp_path / "p.txt")
    )
    assert code == 0
    assert " | " in (tmp_path / "p.txt").read_text("utf-8")


def test_cli_usage_errors(good_file: Path, tmp_path: Path) -> None:
    code, _, stderr = run("render", str(good_file), "-o", str(tmp_path / "r.xyz"))
    assert code == 2 and "--to" in stderr
    code, _, stderr = run("render", str(tmp_path / "missing.yaml"), "--to", "html")
    assert code == 2 and "missing.yaml" in stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("agency: [unclosed", encoding="utf-8")
    code, _, stderr = run("render", str(broken), "--to", "html")
    assert code == 2 and len(stderr.strip().splitlines()) == 1 and "broken.yaml" in stderr


def test_cli_many_files_to_a_directory(good_file: Path, bad_file: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    code, _, _ = run("render", str(good_file), str(bad_file), "--to", "html", "-o", str(outdir))
    assert code == 1  # one refused, the batch went on
    assert (outdir / "good.html").exists() and not (outdir / "bad.html").exists()


def test_render_many_reports_each(good_file: Path, bad_file: Path, tmp_path: Path) -> None:
    results = render_many([(good_file, tmp_path / "a.md"), (bad_file, tmp_path / "b.md")], "md")
    assert not isinstance(results[0], Exception)
    assert isinstance(results[1], Refused)


def test_cli_template_xlsx_and_yaml(tmp_path: Path, good_file: Path) -> None:
    xlsx = tmp_path / "t.xlsx"
    code, stdout, _ = run("template", "--xlsx", str(xlsx), "--from", str(good_file))
    assert code == 0 and "2021" in stdout
    data = read_workbook(xlsx)
    assert data.report.year == 2024 and data.report.agency == "青山市示范区民政局"
    assert (
        data.report.t3()["carried_over"]
        == from_dict(example("2021")).report.t3()["carried_forward"]
    )
    y = tmp_path / "t.yaml"
    code, _, _ = run("template", "--yaml", str(y), "--year", "2020", "--agency", "乙局")
    assert code == 0
    raw = yaml.safe_load(y.read_text("utf-8"))
    assert raw["template"] == "2019" and raw["agency"] == "乙局"
    assert load_data(y).report.year == 2020
    code, _, stderr = run("template")
    assert code == 2 and "--xlsx" in stderr


def test_cli_template_from_a_published_report(tmp_path: Path) -> None:
    last = tmp_path / "last.txt"
    render(from_dict(example("2021", year=2023)), "txt", last)
    xlsx = tmp_path / "t.xlsx"
    code, _, _ = run("template", "--xlsx", str(xlsx), "--from", str(last))
    assert code == 0
    assert read_workbook(xlsx).report.year == 2024


def test_data_errors_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "d.json"
    p.write_text(json.dumps({"agency": "甲", "year": 2024, "table3": {"new": [1, 2]}}), "utf-8")
    with pytest.raises(DataError, match=r"d.json: table3.new"):
        load_data(p)
    p.write_text(json.dumps({"year": 2024}), "utf-8")
    with pytest.raises(DataError, match="agency"):
        load_data(p)
    p.write_text(json.dumps({"agency": "甲", "year": 2010}), "utf-8")
    with pytest.raises(DataError, match="legacy"):
        load_data(p)


def test_embedded_copy_is_valid_input(tmp_path: Path) -> None:
    data = from_dict(example("2019"))
    p = tmp_path / "copy.json"
    p.write_text(data.to_json(), encoding="utf-8")
    assert load_data(p).to_dict() == data.to_dict()


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_examples_are_clean_and_their_renderings_current(name: str) -> None:
    data = load_data(EXAMPLES / f"{name}.yaml")
    result = render(data, "txt")  # checks, writes nothing
    assert not [f for f in result.findings if f.severity in ("error", "warning")]
    for path in EXAMPLES.glob(f"{name}.*"):
        if path.suffix == ".yaml":
            continue
        fmt = {".txt": "txt", ".html": "html", ".md": "md"}[path.suffix]
        from gongkai.write.render import render_bytes

        assert render_bytes(data, fmt).decode("utf-8") == path.read_text("utf-8"), (
            f"{path.name} is stale: regenerate with gongkai render examples/{name}.yaml -o {path}"
        )


def test_missing_soffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai import office
    from gongkai.errors import MissingDependency

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(MissingDependency, match="LibreOffice"):
        office.soffice()
    good = from_dict(example("2021"))
    with pytest.raises(MissingDependency):
        render(good, "pdf", Path("never-written.pdf"))
    assert not Path("never-written.pdf").exists()


def test_outputs_go_into_new_directories_and_bad_targets_are_one_line(tmp_path: Path) -> None:
    """Regression: `template --xlsx out/x.xlsx` crashed when out/ did not exist."""
    from click.testing import CliRunner

    from gongkai.cli.main import build

    runner = CliRunner()
    target = tmp_path / "new" / "dir" / "2025.xlsx"
    res = runner.invoke(build(), ["template", "--xlsx", str(target)])
    assert res.exit_code == 0 and target.exists()
    res = runner.invoke(build(), ["template", "--xlsx", "/proc/no-such-dir/2025.xlsx"])
    assert (
        res.exit_code == 2 and "Traceback" not in res.stderr and "/proc/no-such-dir" in res.stderr
    )
    res = runner.invoke(
        build(),
        [
            "render",
            str(EXAMPLES / "qingshan-szf-2024.yaml"),
            "--to",
            "txt",
            "-o",
            "/proc/no-such-dir/r.txt",
        ],
    )
    assert res.exit_code == 2 and "Traceback" not in res.stderr
