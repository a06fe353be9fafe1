"""Rank, export and the findings workbook over a corpus of the bundled
examples; the analysis functions run the same on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import EXAMPLES
from gongkai.corpus import analysis
from gongkai.corpus.browse import count_reports, page_reports
from gongkai.corpus.collect import add, items_from_paths
from gongkai.corpus.export import _csv_safe, _xlsx_bytes, export, findings_workbook
from gongkai.corpus.query import Filter, list_reports
from gongkai.corpus.rank import WEIGHTS, rank
from gongkai.db import connect
from gongkai.record import Report
from test_corpus_cli import run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "c.db")
    engine = connect(path)
    items, _ = items_from_paths([EXAMPLES])
    add(engine, items, workers=1)
    engine.dispose()
    return path


def test_rank_is_transparent(db: str) -> None:
    engine = connect(db)
    result = rank(engine, Filter(years=(2024,)), min_applications=0)
    by_name = {e.agency: e for e in result.entries}
    good, bad = by_name["青山市示范区民政局"], by_name["青山市示范区教育局"]
    assert bad.score < good.score
    assert bad.components["arithmetic"] == 0.0 or bad.components["arithmetic"] < 1
    for e in result.entries:  # the score is the documented formula of its components
        judged = {k: c for k, c in e.components.items() if c is not None}
        assert e.score == pytest.approx(
            100 * sum(WEIGHTS[k] * c for k, c in judged.items()) / sum(WEIGHTS[k] for k in judged),
            abs=0.01,
        )
    same_level = [e for e in result.entries if e.level == good.level]
    assert sorted(e.rank for e in same_level if e.rank) == list(range(1, len(same_level) + 1))
    few = rank(engine, Filter(years=(2024,)), min_applications=10**6)
    assert all(e.rank is None and "few-applications" in e.marks for e in few.entries)
    out = run("rank", "--explain", "--min-applications", "0", db=db).output
    assert "score = 100" in out and "完整性" in out
    engine.dispose()


def test_export_wide_long_json(db: str, tmp_path: Path) -> None:
    engine = connect(db)
    reports = list_reports(engine)
    n = export(engine, tmp_path / "w.csv", "csv", "wide")
    assert n == len(reports)
    with open(tmp_path / "w.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    minzheng = next(r for r in rows if r["agency"] == "青山市示范区民政局")
    assert minzheng["table2.licensing.decisions"] == "126" and minzheng["year"] == "2024"
    export(engine, tmp_path / "l.parquet", "parquet", "long")
    import pyarrow.parquet as pq

    long = pq.read_table(tmp_path / "l.parquet").to_pylist()
    assert {r["path"] for r in long if r["report_id"] == int(minzheng["report_id"])} >= {
        "table3.new.6",
        "table4.review.4",
    }
    assert all(r["value"] is None or isinstance(r["value"], int) for r in long)
    export(engine, tmp_path / "r.json", "json")
    records = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert len(records) == len(reports)
    for rec in records:
        Report.model_validate(rec)  # a report record of interchange.md
        assert len(rec["x_source"]["sha256"]) == 64 and "x_findings" in rec
    with pytest.raises(Exception, match="--force"):
        export(engine, tmp_path / "w.csv", "csv")
    export(engine, tmp_path / "w.xlsx", "xlsx", "long", Filter(years=(2020,)))
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.active is not None and wb.active.max_row > 100
    engine.dispose()


def test_text_never_becomes_a_formula(tmp_path: Path) -> None:
    assert _csv_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _csv_safe("-12") == "-12"
    data = _xlsx_bytes({"s": (["a"], [{"a": "=cmd|' /C calc'!A0"}])})
    (tmp_path / "x.xlsx").write_bytes(data)
    cell = load_workbook(tmp_path / "x.xlsx").active["A2"]  # type: ignore[index]
    assert cell.data_type == "s" and cell.value == "=cmd|' /C calc'!A0"


def test_findings_workbook(db: str, tmp_path: Path) -> None:
    engine = connect(db)
    [path] = findings_workbook(engine, tmp_path / "f.xlsx")
    wb = load_workbook(path)
    assert any("教育局" in name for name in wb.sheetnames)
    ws = wb[next(n for n in wb.sheetnames if "教育局" in n)]
    header = [c.value for c in ws[1]]
    assert "整改情况（请填写）" in header and "应为" in header
    rules = {row[header.index("规则")] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "t3-balance" in rules
    files = findings_workbook(engine, tmp_path / "split", split=True)
    assert len(files) == len(wb.sheetnames) and all(f.suffix == ".xlsx" for f in files)
    r = run("findings", "--xlsx", str(tmp_path / "f.xlsx"), db=db)
    assert r.exit_code == 2 and "--force" in r.output
    engine.dispose()


def test_analysis_is_portable(db_url: str) -> None:
    engine = connect(db_url)
    items, _ = items_from_paths([EXAMPLES])
    add(engine, items, workers=1)
    st = analysis.stats(engine, by="year")
    assert {r.group for r in st.rows} == {2020, 2024}
    assert st.total()["received"] and st.total()["received"] > 0
    assert analysis.copied_prose(engine) is not None
    assert analysis.year_breaks(engine) == []
    assert rank(engine, min_applications=0).entries
    assert analysis.stats(engine, by="level").rows
    engine.dispose()


def test_docs_say_what_the_code_does() -> None:
    from conftest import ROOT
    from gongkai.corpus.metrics import metrics_markdown
    from gongkai.corpus.rank import explain_markdown

    doc = (ROOT / "docs" / "corpus.md").read_text("utf-8")
    assert metrics_markdown() in doc
    assert explain_markdown("en").split("\n", 2)[2] in doc
    for name, weight in WEIGHTS.items():
        assert f"| {name} | {weight:g} |" in doc


@pytest.mark.parametrize(
    "flt",
    [
        Filter(),
        Filter(years=(2024,)),
        Filter(level="county"),
        Filter(agency="教育"),
        Filter(region="青山"),
        Filter(all_versions=True),
        Filter(years=(1999,)),
    ],
    ids=repr,
)
def test_a_count_and_a_page_agree_with_the_listing(db: str, flt: Filter) -> None:
    # the count reads reports alone (joined to agencies only when asked of them)
    engine = connect(db)
    listed = list_reports(engine, flt)
    assert count_reports(engine, flt) == len(listed)
    page = page_reports(engine, flt, per_page=2, sort="id")
    assert page.total == len(listed)
    assert [s.id for s in page.items] == sorted(s.id for s in listed)[:2]
    engine.dispose()
