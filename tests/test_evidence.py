"""The reader's evidence: typed, serialised as the record's x_ keys, read back exactly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from gongkai import check, read
from gongkai.evidence import WARNINGS, Evidence, ParseWarning, register_warning
from gongkai.record import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".txt", ".html", ".md"))


def _x(report: Report) -> dict[str, Any]:
    return {k: v for k, v in (report.model_extra or {}).items() if k.startswith("x_")}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_reader_output_is_a_serialisation_of_the_model(path: Path) -> None:
    report = read(path)
    ev = report.evidence
    assert ev.unreadable == []
    extras = _x(report)
    assert ev.to_extras() == {k: v for k, v in extras.items() if k in ev.to_extras()}
    known = {str(f.alias) for f in Evidence.model_fields.values()}
    assert set(extras) <= known, f"x_ keys the model does not describe: {set(extras) - known}"
    assert all(w.code in WARNINGS for w in ev.warnings)


def test_evidence_says_how_each_value_was_decided() -> None:
    report = read(ROOT / "examples" / "qingshan-minzheng-2024.txt")
    decided = report.evidence.decided
    assert (decided.year, decided.agency, decided.edition) == ("title", "title", "table2")
    assert report.evidence.year_sources.period == 2024


def test_an_x_key_of_another_shape_reads_as_absent() -> None:
    report = read(ROOT / "examples" / "qingshan-minzheng-2024.txt")
    d = report.to_dict()
    d["x_year_sources"] = {"title": "二〇二二年"}  # another tool's shape
    d["x_warnings"] = [{"no code": 1}]
    odd = Report.model_validate(d)
    assert sorted(odd.evidence.unreadable) == ["x_warnings", "x_year_sources"]
    assert odd.evidence.year_sources.title is None and odd.evidence.warnings == []
    assert odd.evidence.provenance == report.evidence.provenance
    # the checker stays silent on what it cannot read, and does not crash
    assert "year-mismatch" not in {f.rule for f in check(odd).findings}


def test_every_warning_code_in_the_code_is_registered() -> None:
    """A code the reader may give is registered (and so documented) before it is given."""
    pattern = re.compile(r'(?:\.warn|_warn|ParseWarning\.make)\(\s*(?:t,\s*)?"([a-z][a-z0-9-]*)"')
    used = {
        m.group(1)
        for path in (ROOT / "src" / "gongkai" / "reading").rglob("*.py")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no warnings: the pattern is stale"
    assert used <= set(WARNINGS), f"not registered in gongkai.evidence: {used - set(WARNINGS)}"


def test_a_warning_code_must_be_registered_once() -> None:
    with pytest.raises(ValueError, match="not registered"):
        ParseWarning.make("no-such-code", ("中", "en"))
    with pytest.raises(ValueError, match="twice"):
        register_warning("short-row", ("", ""), ("", ""))
    w = ParseWarning.make("short-row", ("少了", "short"), table="table3", row="new")
    assert (w.text("zh"), w.text("en"), w.row) == ("少了", "short", "new")
