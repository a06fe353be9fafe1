"""The corpus store: process (pure, picklable) and store (one transaction,
idempotent by sha256, versions), on SQLite and a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import EXAMPLES, corpus_files, reference
from gongkai.corpus.agencies import derive, load_overrides
from gongkai.corpus.ingest import money_in_wan, process, store
from gongkai.corpus.models import Blob, CellRow, FindingRow, ReportRow, unpack_record
from gongkai.db import DatabaseError, connect, unit_of_work, upgrade
from gongkai.record import flat_cells

MINZHENG = EXAMPLES / "qingshan-minzheng-2024.txt"


def test_process_is_pure_and_picklable() -> None:
    got = process(MINZHENG)
    assert got.ok and got.error is None
    assert got.report["year"] == 2024 and got.report["agency_key"]
    again = pickle.loads(pickle.dumps(got))
    assert again.cells == got.cells and again.sha256 == got.sha256
    cells = {c["path"]: c for c in got.cells}
    assert cells["table2.licensing.decisions"]["value"] == 126
    assert cells["table2.licensing.decisions"]["placed"] == "line"
    assert cells["table2.licensing.decisions"]["line"] == 43
    assert set(got.rows()) == {
        "sources",
        "blobs",
        "reports",
        "records",
        "cells",
        "warnings",
        "findings",
        "paragraphs",
    }


def test_bad_files_fail_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    for src in (empty, tmp_path / "missing.txt", b"\x00\x01garbage" * 50):
        got = process(src, name=None if not isinstance(src, bytes) else "junk.bin")
        assert not got.ok and got.error and "\n" not in got.error
    assert "empty.pdf" in (process(empty).error or "")


def test_money() -> None:
    assert money_in_wan("287.54万元") == pytest.approx(287.54)
    assert money_in_wan("9,600元") == pytest.approx(0.96)
    assert money_in_wan("96171.6", "万元") == pytest.approx(96171.6)
    assert money_in_wan("96171.6") is None  # no unit: never a guess
    assert money_in_wan("不详") is None


def test_store_idempotent_and_versions(db_url: str, tmp_path: Path) -> None:
    engine = connect(db_url)
    upgrade(engine)
    first = process(MINZHENG)
    with unit_of_work(engine) as s:
        assert store(s, first).status == "added"
    with unit_of_work(engine) as s:
        assert store(s, process(MINZHENG)).status == "exists"
    # the same report edited after publication: another version, the cells named
    edited = MINZHENG.read_text("utf-8").replace("行政许可\n126\n", "行政许可\n127\n")
    with unit_of_work(engine) as s:
        r = store(s, process(edited.encode(), name="edited.txt"))
    assert r.status == "version" and r.version == 2
    assert r.differs == ("table2.licensing.decisions",)
    with engine.connect() as c:
        rows = c.execute(
            sa.select(ReportRow.version, ReportRow.current).order_by(ReportRow.version)
        ).all()
        assert [tuple(x) for x in rows] == [(1, False), (2, True)]
        f = c.execute(sa.select(FindingRow).where(FindingRow.rule == "versions-differ")).one()
        assert f.scope == "corpus" and json.loads(f.detail)["cells"] == [
            "table2.licensing.decisions"
        ]
        assert c.execute(sa.select(sa.func.count()).select_from(Blob)).scalar() == 2
        assert (
            c.execute(sa.select(Blob.data).where(Blob.sha256 == first.sha256)).scalar()
            == MINZHENG.read_bytes()
        )
    engine.dispose()


def test_failed_store_leaves_nothing(tmp_path: Path) -> None:
    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    got = process(MINZHENG)
    got.cells.append(dict(got.cells[0]))  # a duplicate key: the insert fails midway
    with pytest.raises(DatabaseError), unit_of_work(engine) as s:
        store(s, got)
    with engine.connect() as c:
        for table in ("sources", "blobs", "reports", "cells", "agencies"):
            assert c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0
    engine.dispose()


@pytest.mark.corpus
def test_real_reports_stored_cell_for_cell(tmp_path: Path) -> None:
    files = corpus_files()
    if not files:
        pytest.skip("../shared/corpus is absent")
    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    for path in files:
        got = process(path)
        assert got.ok, got.error
        with unit_of_work(engine) as s:
            store(s, got)
        stored = {}
        with engine.connect() as c:
            rid = c.execute(sa.select(ReportRow.id).where(ReportRow.sha256 == got.sha256)).scalar()
            for p, v, t in c.execute(
                sa.select(CellRow.path, CellRow.value, CellRow.text).where(CellRow.report_id == rid)
            ):
                stored[p] = t if t is not None else v
        record = unpack_record(got.record_z)
        assert stored == {
            k: v
            for k, v in flat_cells(record).items()
            if k.split(".")[0] in ("table2", "table3", "table4", "legacy")
        }
        ref = reference(path)
        assert record["year"] == ref["year"]
    engine.dispose()


def test_agencies_from_names() -> None:
    a = derive("淮安市洪泽区人民政府")
    assert (a.key, a.level, a.kind, a.region, a.parent_key) == (
        "洪泽区政府",
        "county",
        "government",
        "淮安市洪泽区",
        "淮安市政府",
    )
    assert derive("洪泽区人民政府").key == a.key
    d = derive("淮安市洪泽区民政局")
    assert (d.level, d.kind, d.parent_key) == ("county", "department", "洪泽区政府")
    assert derive("淮安市人民政府").level == "city"
    assert derive("辽宁省民政厅").level == "province"
    assert derive("上海市普陀区民政局").level == "county"
    t = derive("淮安市洪泽区高良涧街道办事处")
    assert (t.level, t.kind, t.parent_key) == ("township", "government", "洪泽区政府")
    unknown = derive("某某工作办公室")
    assert unknown.level is None and unknown.parent_key is None


def test_agency_overrides(tmp_path: Path) -> None:
    f = tmp_path / "agencies.csv"
    f.write_text("名称,层级,上级,别名\n集安市民政局,县级,通化市人民政府,集安民政局\n", "utf-8")
    ov = load_overrides(f)
    got = ov.apply(derive("集安民政局"))
    assert (got.name, got.level, got.parent_key, got.origin) == (
        "集安市民政局",
        "county",
        "通化市政府",
        "override",
    )
    y = tmp_path / "a.yaml"
    y.write_text("agencies:\n  - name: 三亚市扶贫工作办公室\n    level: 市级\n", "utf-8")
    assert load_overrides(y).apply(derive("三亚市扶贫工作办公室")).level == "city"
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,层级\n甲局,宇宙级\n", "utf-8")
    with pytest.raises(Exception, match="宇宙级"):
        load_overrides(bad)


@pytest.mark.corpus
def test_record_comes_back_whole(tmp_path: Path) -> None:
    """The record kept (provenance rebuilt from the cells) is the reader's record."""
    import gongkai
    from conftest import CORPUS
    from gongkai.corpus.query import show_report

    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    for path in (MINZHENG, CORPUS / "dev" / "hongze-qzf-2024.pdf"):
        if not path.exists():
            continue
        with unit_of_work(engine) as s:
            r = store(s, process(path))
        assert r.report_id is not None
        shown = show_report(engine, r.report_id)
        assert shown is not None
        want = gongkai.read(path).to_dict()
        want.pop("x_text")
        got = shown.record
        got.pop("x_source")
        want.pop("x_source")
        assert json.loads(json.dumps(got, default=str)) == json.loads(json.dumps(want, default=str))
    engine.dispose()


def test_full_disk_leaves_nothing_half_written(tmp_path: Path) -> None:
    """A disk that fills up mid-report: one line saying so, the report not stored
    at all, the database intact (SQLite's max_page_count stands for the disk)."""
    from sqlalchemy import event

    engine = connect(tmp_path / "full.db")
    upgrade(engine)
    with unit_of_work(engine) as s:
        store(s, process(MINZHENG))
    with engine.connect() as c:
        pages = c.exec_driver_sql("PRAGMA page_count").scalar() or 0
    engine.dispose()

    full = connect(tmp_path / "full.db", check=False)

    @event.listens_for(full, "connect")
    def _cap(dbapi_conn: object, _rec: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 3}")  # type: ignore[attr-defined]

    with pytest.raises(DatabaseError) as e, unit_of_work(full) as s:
        store(s, process(EXAMPLES / "qingshan-szf-2024.txt"))
    assert e.value.kind == "full" and "\n" not in str(e.value)
    full.dispose()
    engine = connect(tmp_path / "full.db")
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM reports")).scalar() == 1
        assert c.execute(sa.text("SELECT count(*) FROM sources")).scalar() == 1
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


def test_records_moved_apart_and_the_file_compacted(tmp_path: Path) -> None:
    """corpus_0006 moves each record out of ``reports``; SQLite keeps the pages of
    rows that shrank until VACUUM, so upgrade compacts the file (else it would be
    about twice its size and every scan of ``reports`` as slow as before)."""
    path = tmp_path / "old.db"
    engine = connect(path)
    upgrade(engine, "corpus_0005")
    records = [os.urandom(4000) for _ in range(300)]  # incompressible, like zlib output
    now = dt.datetime(2025, 1, 1)
    with engine.begin() as c:
        for i, rec in enumerate(records, 1):
            sha = f"{i:064x}"
            c.execute(
                sa.text(
                    "INSERT INTO sources (sha256, size, name, added_at) VALUES (:s, 1, 'f', :t)"
                ),
                {"s": sha, "t": now},
            )
            c.execute(
                sa.text(
                    "INSERT INTO reports (id, sha256, template, version, current, n_errors, "
                    "n_warnings, n_infos, n_cells, n_blank, added_at, record_z) "
                    "VALUES (:i, :s, '2021', 1, 1, 0, 0, 0, 0, 0, :t, :r)"
                ),
                {"i": i, "s": sha, "t": now, "r": rec},
            )
    with engine.connect() as c:
        pages_before = c.execute(sa.text("PRAGMA page_count")).scalar_one()
    upgrade(engine)
    with engine.connect() as c:
        moved = dict(c.execute(sa.text("SELECT report_id, record_z FROM report_records")).all())
        pages_after = c.execute(sa.text("PRAGMA page_count")).scalar_one()
        free = c.execute(sa.text("PRAGMA freelist_count")).scalar_one()
    assert moved == {i: rec for i, rec in enumerate(records, 1)}
    assert pages_after < pages_before * 1.2 and free == 0
    engine.dispose()
