"""The reviewer's February: roster, one agency over the years, charts and
整改通知, on a corpus of the bundled examples and the real reports."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from docx import Document

from conftest import CORPUS, EXAMPLES
from gongkai.corpus.chart import chart
from gongkai.corpus.collect import add, items_from_paths
from gongkai.corpus.notices import write_notices
from gongkai.corpus.review import agency_view, load_roster, roster_status
from gongkai.db import connect
from test_corpus_cli import run


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("corpus") / "c.db")
    engine = connect(path)
    paths = [EXAMPLES]
    if CORPUS.is_dir():
        paths += [CORPUS / "dev" / "hongze-qzf-2023.pdf", CORPUS / "dev" / "hongze-qzf-2024.pdf"]
    items, _ = items_from_paths(paths)
    add(engine, items, workers=1)
    engine.dispose()
    return path


def test_roster(db: str, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "名称,层级,上级\n青山市示范区民政局,县级,青山市示范区人民政府\n青山市示范区教育局,县级,\n青山市示范区财政局,县级,\n",
        "utf-8",
    )
    rows = {r.name: r for r in roster_status(connect(db), load_roster(roster), 2024)}
    assert rows["青山市示范区财政局"].status == "missing"
    assert rows["青山市示范区民政局"].status == "twice"  # the same report as a page and as text
    assert "late" in rows["青山市示范区教育局"].flags
    assert rows["青山市人民政府"].status == "not-on-roster"
    out = run(
        "roster", "--roster", str(roster), "--year", "2024", "-o", str(tmp_path / "r.xlsx"), db=db
    )
    assert out.exit_code == 0 and "未发布" in out.output and (tmp_path / "r.xlsx").exists()


@pytest.mark.corpus
def test_agency_over_the_years(db: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent")
    view = agency_view(connect(db), "洪泽区人民政府")
    assert [y.year for y in view.years] == [2023, 2024]
    assert view.years[1].figures["received"] == 95
    assert view.level == "county" and view.parent_key == "淮安市政府"
    out = run("agency", "淮安市洪泽区人民政府", "--json", db=db)
    assert json.loads(out.output)["years"][0]["year"] == 2023
    assert run("agency", "没有这个机关", db=db).exit_code == 2


@pytest.mark.parametrize("kind", ["trend", "outcomes", "ranking"])
def test_charts(db: str, tmp_path: Path, kind: str) -> None:
    png = chart(connect(db), kind, tmp_path / f"{kind}.png")  # type: ignore[arg-type]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = chart(connect(db), kind, tmp_path / f"{kind}.svg")  # type: ignore[arg-type]
    assert b"<svg" in svg.read_bytes()[:400]
    with pytest.raises(Exception, match="--force"):
        chart(connect(db), kind, png)  # type: ignore[arg-type]


def test_notices(db: str, tmp_path: Path) -> None:
    import datetime as dt

    files = write_notices(
        connect(db), tmp_path, reviewer="青山市示范区政务公开办", deadline=dt.date(2025, 3, 1)
    )
    jiaoyu = next(f for f in files if "教育局" in f.name)
    text = "\n".join(p.text for p in Document(str(jiaoyu)).paragraphs)
    assert "整改通知" in text and "青山市示范区政务公开办" in text and "2025年3月1日" in text
    assert "t3-balance" in text and "应为" in text
    with zipfile.ZipFile(jiaoyu) as z:
        assert "word/document.xml" in z.namelist()
    r = run("notices", "-o", str(tmp_path), db=db)
    assert r.exit_code == 2  # files exist: not overwritten without --force


def test_agencies_override(db: str, tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("名称,层级,别名\n青山市示范区人民政府,县级,\n青山市示范区教育局,县级,\n", "utf-8")
    out = run("--agencies", str(f), "agencies", "--json", db=db)
    rows = {r["key"]: r for r in json.loads(out.stdout)}
    assert rows["示范区教育局"]["origin"] == "override"
