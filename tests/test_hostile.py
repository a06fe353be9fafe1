"""Hostile input through the command line: the zoo, a short fuzz campaign, markup.

Every specimen of the zoo (tests/zoo.py) gives a report or one line naming
the file, never a traceback or a hang; a short fuzz campaign
(tests/fuzzing.py) finds no crash; console markup in names and paths is
printed as text by every command (before, ``[bold]`` vanished and ``[/]``
crashed the batch table).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import fuzzing
from gongkai.cli.main import build
from zoo import MARKUP_AGENCY, make_zoo

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> Any:
    return CliRunner().invoke(build("zh"), list(args), env={"GONGKAI_LANG": "zh"})


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    return make_zoo(tmp_path_factory.mktemp("zoo"))


def test_every_specimen_gives_a_report_or_one_line(zoo: list[Any]) -> None:
    for spec in zoo:
        for cmd in (["check"], ["parse", "--json"]):
            res = _run(*cmd, str(spec.path))
            where = f"{cmd[0]} {spec.path.name!r} ({spec.why})"
            assert res.exception is None or isinstance(res.exception, SystemExit), where
            assert "Traceback" not in res.output, where
            errors = [ln for ln in res.stderr.splitlines() if ln.startswith("错误：")]
            if spec.expect == "record":
                assert res.exit_code in (0, 1) and not errors, (where, res.stderr)
            elif spec.expect == "refused":
                assert res.exit_code == 2, (where, res.output)
                assert errors and all(str(spec.path) in ln for ln in errors[:1]), (where, errors)
            else:
                assert res.exit_code in (0, 1, 2), where
                assert res.exit_code != 2 or str(spec.path) in res.stderr, where


def test_the_zoo_as_one_batch_accounts_for_every_specimen(zoo: list[Any]) -> None:
    folder = zoo[0].path.parent
    res = _run("check", str(folder), "--jsonl", "--jobs", "2")
    entries = [json.loads(x) for x in res.stdout.splitlines()]
    assert res.exit_code == 2
    names = {Path(e["file"]).name for e in entries}
    for spec in zoo:
        assert spec.path.name in names or spec.path.is_dir(), spec.path.name


def test_a_short_fuzz_campaign_finds_no_crash(tmp_path: Path) -> None:
    tallies = fuzzing.campaign(25, seed=20261206, workdir=tmp_path)
    crashes = {fmt: t.examples for fmt, t in tallies.items() if t.crashes}
    assert crashes == {}
    assert all(t.tried == 25 for t in tallies.values())
    assert sum(t.read for t in tallies.values()) > 0  # the mutations leave readable reports too


def test_markup_prints_as_text_in_every_command(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")
    folder = tmp_path / "[red]in"
    folder.mkdir()
    a = folder / "[bold]a[i].txt"
    a.write_text(text.replace("青山市示范区民政局", MARKUP_AGENCY), encoding="utf-8")
    shutil.copy(ROOT / "examples" / "qingshan-szf-2024.txt", folder / "b.txt")
    (folder / "[b]bad.txt").write_bytes(b"")
    res = _run("parse", str(a))
    assert MARKUP_AGENCY in res.stdout and "[bold]a[i].txt" in res.stdout
    res = _run("check", str(a))
    assert MARKUP_AGENCY in res.stdout and "[bold]a[i].txt" in res.stdout
    res = _run("check", str(folder))
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert MARKUP_AGENCY in res.stdout and "[b]bad.txt" in res.stdout
    res = _run("parse", str(a), "--explain")
    assert MARKUP_AGENCY in res.stdout
    out = tmp_path / "t.xlsx"
    res = _run("template", "--xlsx", str(out), "--from", str(a))
    assert res.exit_code == 0 and "[bold]a[i].txt" in res.stdout
