"""``gongkai corpus``: in-process CLI runs over a real database; figures equal
to those computed from the reference records."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, corpus_files, reference
from gongkai.agencies import agency_key
from gongkai.cli.main import main
from gongkai.corpus.metrics import METRICS
from gongkai.record import flat_cells


def run(*args: str, db: str) -> Any:
    """``gongkai corpus --db DB ARGS…`` in-process, through the real entry point."""
    runner = CliRunner()
    return runner.invoke(_entry, ["corpus", "--db", db, *args], catch_exceptions=False)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def _entry(args: tuple[str, ...]) -> None:
    main(list(args))


def test_add_ls_show_rm(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    r = run("add", str(EXAMPLES), "-j", "1", db=db)
    assert r.exit_code == 0, r.output
    assert "新存入" in r.output
    again = run("add", str(EXAMPLES), "-j", "2", db=db)
    assert again.exit_code == 0 and "新存入 0 个" in again.output
    rows = json.loads(run("ls", "--json", db=db).output)
    assert {row["year"] for row in rows} == {2020, 2024}
    assert all(row["current"] for row in rows)
    every = json.loads(run("ls", "--json", "--all-versions", db=db).output)
    assert len(every) > len(rows)
    one = rows[0]["id"]
    shown = json.loads(run("show", str(one), "--json", db=db).output)
    assert shown["report"]["x_source"]["sha256"] == rows[0]["sha256"]
    assert "findings" in shown
    assert run("show", "9999", db=db).exit_code == 2
    mistakes = json.loads(run("ls", "--json", "--rule", "t3-balance", db=db).output)
    assert mistakes and all("jiaoyu" in m["name"] for m in mistakes)
    assert run("rm", db=db).exit_code == 2  # nothing named: nothing removed
    r = run("rm", "--year", "2020", db=db)
    assert r.exit_code == 0
    left = json.loads(run("ls", "--json", "--all-versions", db=db).output)
    assert {row["year"] for row in left} == {2024}


def test_bad_file_named_and_skipped(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    r = run(
        "add", str(bad), str(EXAMPLES / "qingshan-szf-2024.txt"), str(tmp_path / "nope.docx"), db=db
    )
    assert r.exit_code == 2
    assert "broken.pdf" in r.output and "nope.docx" in r.output
    assert "新存入 1 个" in r.output and "失败 2 个" in r.output


def test_database_that_cannot_be_opened(tmp_path: Path) -> None:
    r = run("ls", db=str(tmp_path / "missing" / "x.db"))
    assert r.exit_code == 2 and "x.db" in r.output and "Traceback" not in r.output


def reference_sums(files: list[Path]) -> dict[int, dict[str, int]]:
    """Every metric a year, summed from the reference records (one an agency and
    year: the same report in two formats counts once)."""
    seen: dict[tuple[str, int], dict[str, Any]] = {}
    for p in files:
        ref = reference(p)
        seen[(agency_key(ref["agency"] or ""), ref["year"])] = flat_cells(ref)
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for (_k, year), cells in seen.items():
        for m in METRICS:
            vals = [cells[path] for path in m.paths if isinstance(cells.get(path), int)]
            if vals:
                out[year][m.key] = out[year].get(m.key, 0) + sum(vals)
    return out


@pytest.mark.corpus
def test_stats_equal_the_reference_records(tmp_path: Path) -> None:
    """Over the real reports the reader reads exactly (the golden tests measure
    the reader), the corpus adds no error of its own: stats == the sums of the
    reference records."""
    import gongkai
    from conftest import reference_diff

    files = [
        p
        for p in corpus_files()
        if not reference_diff(gongkai.read(p).to_dict(private=False), p, agency_by_key=True)
    ]
    if not files:
        pytest.skip("../shared/corpus is absent")
    assert len(files) >= 5
    db = str(tmp_path / "c.db")
    assert run("add", *map(str, files), db=db).exit_code == 0
    got = json.loads(run("stats", "--json", db=db).output)
    expected = reference_sums(files)
    assert set(expected) == {row["group"] for row in got["rows"]}
    for row in got["rows"]:
        sums = {k: v for k, v in row["sums"].items() if v is not None}
        assert sums == expected[row["group"]], row["group"]
