"""The reference corpus: the findings are exactly the problems its notes list.

Each report is checked as read from its file and as its hand-checked record
(``.gt.json``). :data:`EXPECTED` maps the notes of each report to rule ids: a
rule that does not fire is a problem missed, any other rule a false alarm.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from check_records import CORPUS, findings, gt, run
from gongkai import read
from gongkai.batch import pair_reports
from gongkai.record import Report

#: the real problems the notes list, as rule ids, of each report as read from its file
#: (exactly these fire)
EXPECTED: dict[str, set[str]] = {
    "hongze-qzf-2023": {"t4-total", "t3-legacy-row"},
    "hongze-qzf-2024": {"t3-legacy-row", "text-table-mismatch"},
    "huaian-szf-2024": set(),
    "shuyang-fgj-2023": {"blank-cell"},
    "fushun-rsj-2020": set(),
    # the reader cannot tell which of three cells the two values of 其他对外管理服务事项 fill
    "jian-minzheng-2020": {"missing-cell", "arithmetic-unsure"},
    "liaoning-minzheng-2017": {"tampered-content"},
    "putuo-minzheng-2020": set(),
    "sanya-fupin-2020": set(),
    "pingtan-czj-2009": {"late-publication"},  # signed 2010-04-10, due 31 March
    "pingtan-haitan-2019": {"arithmetic-unsure"},  # 政府集中采购1018703元 splits many ways
    "pingtan-shsy-2018": set(),
    "pingtan-syq-2018": set(),
}

#: what only the reading of the file shows (a hand-checked record has no prose, page
#: or reader's doubts): the record's findings are EXPECTED less these, plus RECORD_ONLY
READER_ONLY: dict[str, set[str]] = {
    "hongze-qzf-2024": {"text-table-mismatch"},  # the prose says other figures
    "jian-minzheng-2020": {"missing-cell", "arithmetic-unsure"},
    "liaoning-minzheng-2017": {"tampered-content"},  # spam injected into the page
    "pingtan-haitan-2019": {"arithmetic-unsure"},
}
#: the hand-checked record of jian marks the cells printed blank; the reader leaves them unsure
RECORD_ONLY: dict[str, set[str]] = {"jian-minzheng-2020": {"blank-cell"}}

#: notes about what could not be checked, not problems of the report
NOT_PROBLEMS = {"publication-date-unknown"}

pytestmark = pytest.mark.corpus

RECORDS = sorted(CORPUS.glob("*/*.gt.json"))
FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".html", ".pdf"))


def _stem(p: Path) -> str:
    return p.name.split(".")[0]


@pytest.mark.parametrize("path", RECORDS, ids=_stem)
def test_reference_record_has_only_listed_problems(path: Path) -> None:
    rep = Report.model_validate(json.loads(path.read_text(encoding="utf-8")))
    got = {f.rule for f in run(rep).findings} - NOT_PROBLEMS
    stem = _stem(path)
    want = EXPECTED[stem] - READER_ONLY.get(stem, set()) | RECORD_ONLY.get(stem, set())
    assert got == want


def test_hongze_2023_errors_are_the_two_table4_totals() -> None:
    result = run(gt("hongze-qzf-2023"))
    assert [(f.rule, f.where.row) for f in result.errors] == [
        ("t4-total", "review"),
        ("t4-total", "litigation_after_review"),
    ]


def test_shuyang_blank_columns_do_not_break_the_sums() -> None:
    result = run(gt("shuyang-fgj-2023"))
    assert not result.errors
    assert len(findings(result, "blank-cell")) == 5


def test_jian_blank_change_is_only_info() -> None:
    result = run(gt("jian-minzheng-2020"))
    assert [(f.rule, f.severity) for f in result.findings if f.rule not in NOT_PROBLEMS] == [
        ("blank-cell", "info")
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_real_file_has_only_listed_problems(path: Path) -> None:
    rep = read(path)  # a reader that fails here fails the test
    items = [(str(p), read(p)) for p in FILES if p.suffix == ".pdf" and "hongze" in p.name]
    got = pair_reports([(str(path), rep), *items]).get(0)
    prev = got[1] if got else None
    found = {f.rule for f in run(rep, prev).findings} - NOT_PROBLEMS
    assert found == EXPECTED[_stem(path)]


def test_liaoning_file_is_tampered_but_not_legacy_format() -> None:
    path = CORPUS / "seeds" / "liaoning-minzheng-2017.txt"
    if not path.exists():
        pytest.skip("../shared/corpus is absent: no reference corpus beside the repository")
    result = run(read(path))
    assert {f.actual for f in findings(result, "tampered-content")} == {
        "即时比分",
        "mhwz@yaoyejob.com",
    }
    assert "legacy-format" not in {f.rule for f in result.findings}
