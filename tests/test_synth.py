"""The synthetic corpus: fictional agencies, consistent years, slips found as recorded.

Reading and checking are the real ones: every generated report is rendered
by the writer, read back by the reader, and checked with last year's
report; the record must be the one generated and the findings (errors and
warnings) exactly those the ground truth names — none on a clean report.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gongkai import check, read
from gongkai.agencies import agency_key, split_units
from gongkai.checks.agency import level
from gongkai.cli.main import build
from gongkai.record import CheckResult, Report
from gongkai.synth import SLIPS, Entry, agencies, load_truth, plan, write_corpus
from gongkai.synth.corpus import ALWAYS
from gongkai.synth.slips import ACROSS_YEARS

LEVELS = {"state_council", "province", "city", "county", "township"}


def _read_all(root: Path, truth: list[dict[str, Any]]) -> dict[str, Report]:
    return {t["file"]: read(root / t["file"]) for t in truth}


def _verdict(t: dict[str, Any], reports: dict[str, Report]) -> tuple[list[str], CheckResult]:
    """What is wrong with one generated file against its ground truth (empty: nothing)."""
    report = reports[t["file"]]
    previous = reports.get(t["previous"]) if t["previous"] else None
    result = check(report, previous, strict=True)
    problems: list[str] = []
    slip = t["slip"]
    fields = set(slip["fields"]) if slip else set()
    got = report.to_dict(private=False)
    for key in sorted(set(got) | set(t["record"])):
        if key not in fields and got.get(key) != t["record"].get(key):
            problems.append(
                f"{t['file']}: {key} read {got.get(key)!r}, generated {t['record'].get(key)!r}"
            )
    rules = sorted({f.rule for f in result.findings if f.severity != "info"})
    want = slip["rules"] if slip else []
    if rules != want:
        problems.append(f"{t['file']} ({slip and slip['kind']}): findings {rules}, truth {want}")
    for h in slip["hits"] if slip else []:
        if not any(
            f.rule == h["rule"] and all(getattr(f.where, k) == v for k, v in h["where"].items())
            for f in result.findings
        ):
            problems.append(f"{t['file']}: no {h['rule']} at {h['where']}")
    return problems, result


# ---------------------------------------------------------------- agencies


def test_agencies_every_level_and_kind_early() -> None:
    first = agencies(8)
    assert {a.level for a in first} == LEVELS
    assert {a.kind for a in first} == {"government", "department"}


def test_agency_names_pair_uniquely_and_say_their_kind() -> None:
    every = agencies(6000)
    keys = Counter(agency_key(a.name) for a in every)
    assert [k for k, n in keys.items() if n > 1] == []
    assert all(level(a.name) == a.kind for a in every)
    names = {a.name for a in every}
    for a in every:
        if a.level == "state_council":
            assert a.region == "中央" and a.parent is None
        else:
            assert split_units(a.name)[0][0] == a.region
            assert a.parent is None or a.parent in names


# ---------------------------------------------------------------- determinism


def test_same_seed_same_corpus_other_seed_other() -> None:
    a = [e.truth() for e in plan(10, [2022, 2023], seed=5)]
    b = [e.truth() for e in plan(10, [2022, 2023], seed=5)]
    c = [e.truth() for e in plan(10, [2022, 2023], seed=6)]
    assert a == b
    assert a != c


def test_consecutive_years_carry_over() -> None:
    entries = [e for e in plan(30, range(2019, 2025), seed=2, slip_rate=0)]
    by = {(e.agency.id, e.year): e.build()[0].report for e in entries}
    for (agency, year), report in by.items():
        if (agency, year - 1) in by:
            before = by[(agency, year - 1)].t3()["carried_forward"]
            assert report.t3()["carried_over"] == before
        assert report.template == ("2019" if year <= 2020 else "2021")


def test_plan_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        list(plan(2, [2021, 2023]))
    with pytest.raises(ValueError, match="format"):
        list(plan(2, [2021], formats=["rtf"]))
    with pytest.raises(ValueError, match="slip kind"):
        list(plan(2, [2021], kinds=["typo"]))
    with pytest.raises(ValueError, match="2019"):
        list(plan(2, [2017, 2018]))


# ---------------------------------------------------------------- read back and check


def test_corpus_reads_back_and_slips_are_found(tmp_path: Path) -> None:
    """Every text-like format and layout; findings exactly the ground truth."""
    entries = list(plan(24, range(2020, 2024), formats=["txt", "html", "md", "docx"], seed=11))
    written = write_corpus(tmp_path, entries, params={"seed": 11})
    assert written.files == len(entries) == 96
    assert {"txt/cells", "txt/pipe", "html", "md", "docx"} <= set(written.formats)
    truth = load_truth(tmp_path)
    reports = _read_all(tmp_path, truth)
    problems = [p for t in truth for p in _verdict(t, reports)[0]]
    assert problems == []
    assert sum(1 for t in truth if t["slip"]) >= 10


@pytest.mark.parametrize("kind", sorted(SLIPS))
def test_every_slip_kind_is_found(kind: str) -> None:
    """One kind only: each report carries it (or a fallback where it cannot apply).

    A slip across years needs last year's report clean: half the reports get one.
    """
    rate = 0.5 if kind in ACROSS_YEARS else 1.0
    entries = list(
        plan(8, range(2021, 2024), formats=["txt"], seed=3, slip_rate=rate, kinds=[kind])
    )
    reports = {e.name: read(e.render(), "text", name=e.name) for e in entries}
    kinds: Counter[str] = Counter()
    for e in entries:
        truth = e.truth()
        problems, _ = _verdict(truth, reports)
        assert problems == []
        assert truth["slip"] is not None or rate < 1
        kinds[truth["slip"]["kind"] if truth["slip"] else "none"] += 1
    assert kinds[kind] >= 1, kinds


def test_slip_that_cannot_apply_falls_back() -> None:
    entries = list(plan(4, [2021], formats=["txt"], slip_rate=1, kinds=["carry-over"]))
    kinds = {e.truth()["slip"]["kind"] for e in entries}
    assert kinds and kinds <= set(ALWAYS)


def test_entry_pickles_small() -> None:
    import pickle

    entry = next(plan(3, [2022], seed=1))
    blob = pickle.dumps(entry)
    assert len(blob) < 2000
    again: Entry = pickle.loads(blob)
    assert again.render() == entry.render()


office = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer",
)


@pytest.mark.office
@office
def test_pdf_corpus_reads_back(tmp_path: Path) -> None:
    entries = list(plan(4, [2022, 2023], formats=["pdf"], seed=4, slip_rate=0.5))
    write_corpus(tmp_path, entries)
    truth = load_truth(tmp_path)
    assert all(t["file"].endswith(".pdf") for t in truth)
    reports = _read_all(tmp_path, truth)
    assert [p for t in truth for p in _verdict(t, reports)[0]] == []


# ---------------------------------------------------------------- CLI


def test_cli_writes_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    runner = CliRunner()
    args = [
        "synth",
        "-o",
        str(out),
        "--agencies",
        "5",
        "--years",
        "2022-2023",
        "--formats",
        "txt,md",
    ]
    res = runner.invoke(build(), args)
    assert res.exit_code == 0, res.output
    assert "生成 10 份报告" in res.output
    params = json.loads((out / "corpus.json").read_text(encoding="utf-8"))
    assert params["years"] == [2022, 2023] and params["files"] == 10
    assert len((out / "agencies.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    res = runner.invoke(build(), args)
    assert res.exit_code == 2
    assert "已有语料" in res.output
    res = runner.invoke(build(), [*args, "--overwrite"])
    assert res.exit_code == 0


@pytest.mark.parametrize(
    "extra",
    [["--years", "2021-20x"], ["--formats", "rtf"], ["--slips", "typo"], ["--years", "2017-2018"]],
)
def test_cli_usage_errors(tmp_path: Path, extra: list[str]) -> None:
    res = CliRunner().invoke(build(), ["synth", "-o", str(tmp_path / "c"), *extra])
    assert res.exit_code == 2
    assert not (tmp_path / "c" / "truth.jsonl").exists()


def test_cli_english(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        build("en"), ["synth", "-o", str(tmp_path / "c"), "--agencies", "2", "--years", "2023"]
    )
    assert res.exit_code == 0, res.output
    assert "wrote 2 reports" in res.output


def test_agencies_as_the_corpus_derives_them() -> None:
    """The corpus reads level and kind from the printed name: the fictional names say them."""
    from gongkai.corpus.agencies import derive

    for a in agencies(400):
        info = derive(a.name)
        assert (info.level, info.kind) == (a.level, a.kind), a.name


def test_housing_department_is_not_a_township() -> None:
    """乡 in 城乡 and 乡村 is no township (it once was)."""
    from gongkai.corpus.agencies import derive

    assert derive("青山省松塘市住房和城乡建设局").level == "city"
    assert derive("青山省松塘市乡村振兴局").level == "city"
    town = derive("青山省松塘市安平县金沙乡人民政府")
    assert (town.level, town.kind) == ("township", "government")
