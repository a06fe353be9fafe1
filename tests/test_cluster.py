"""The cluster path: a real Dask LocalCluster of 2 worker processes.

Serial and cluster give the same records and findings (database and
Parquet); a worker process killed mid-run loses nothing and stores nothing
twice; a run interrupted and started again reads only what is left; a bad
file is named and the batch goes on; the CLI prints the dashboard (or why
not) and the Parquet dataset answers stats, rank, ls and export.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select

from gongkai.cli.main import build
from gongkai.cluster import parquet
from gongkai.cluster.connect import Cluster, parse, start
from gongkai.cluster.dataset import open_dataset
from gongkai.cluster.run import DatabaseSink, ParquetSink, ingest
from gongkai.corpus.analysis import stats, year_breaks
from gongkai.corpus.collect import Item, add, items_from_paths
from gongkai.corpus.models import CellRow, FindingRow, ReportRow
from gongkai.corpus.query import record_of
from gongkai.corpus.rank import rank
from gongkai.db import connect
from gongkai.synth import plan, write_corpus

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:distributed.*")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synth")
    write_corpus(root, plan(8, [2022, 2023], formats=["txt", "html", "md"], seed=21))
    (root / "2023" / "broken.html").write_bytes(b"\x00\x01 not a report \xff" * 50)
    (root / "2023" / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def items(corpus: Path) -> list[Item]:
    got, _skipped = items_from_paths([corpus])
    # names unique across years (the same agency's file in two years has one basename)
    return [Item(i.source, str(Path(i.source).relative_to(corpus))) for i in got]  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with start("local:2") as c:
        yield c


def _db(path: Path) -> Engine:
    path.mkdir(parents=True, exist_ok=True)
    return connect(path / "corpus.db")


def _content(engine: Engine) -> dict[str, Any]:
    """Everything stored about each file, keyed by sha256 (ids and times left out)."""
    out: dict[str, Any] = {}
    with engine.connect() as c:
        ids = dict(c.execute(select(ReportRow.id, ReportRow.sha256)).all())
        for rid, sha in ids.items():
            rec = record_of(c, rid)
            cells = sorted(
                c.execute(
                    select(CellRow.path, CellRow.value, CellRow.text, CellRow.placed).where(
                        CellRow.report_id == rid
                    )
                ).all()
            )
            findings = sorted(
                c.execute(
                    select(
                        FindingRow.rule,
                        FindingRow.severity,
                        FindingRow.message,
                        FindingRow.tbl,
                        FindingRow.row_key,
                        FindingRow.col_key,
                        FindingRow.section,
                    ).where(FindingRow.report_id == rid)
                ).all(),
                key=str,
            )
            out[sha] = (rec, [tuple(x) for x in cells], [tuple(x) for x in findings])
    return out


# ---------------------------------------------------------------- serial = cluster


def test_cluster_gives_what_the_serial_path_gives(
    tmp_path: Path, items: list[Item], cluster: Cluster
) -> None:
    serial = _db(tmp_path / "s")
    summary = add(serial, items, workers=1)
    assert summary.counts()["failed"] == 2  # broken.html, empty.txt

    on_db = _db(tmp_path / "c")
    run = ingest(items, DatabaseSink(on_db), cluster=cluster, batch=5)
    counts = run.counts()
    assert counts["added"] == len(items) - 2 and counts["failed"] == 2
    assert {r.name for r in run.failed} == {"2023/broken.html", "2023/empty.txt"}
    assert all(r.error for r in run.failed)
    assert run.batches >= 2 and run.workers == 2
    want = _content(serial)
    assert _content(on_db) == want

    ds = tmp_path / "ds"
    run = ingest(items, ParquetSink(ds), cluster=cluster, batch=7)
    assert run.counts()["added"] == len(items) - 2
    pq = open_dataset(ds)
    assert _content(pq) == want
    for by in ("year", "level", "region", "agency"):
        a, b = stats(serial, by=by), stats(pq, by=by)  # type: ignore[arg-type]
        assert [(r.group, r.reports, r.sums) for r in a.rows] == [
            (r.group, r.reports, r.sums) for r in b.rows
        ]
    assert [(x.agency_key, x.year, x.path) for x in year_breaks(serial)] == [
        (x.agency_key, x.year, x.path) for x in year_breaks(pq)
    ]
    ra, rb = rank(serial), rank(pq)
    assert [(e.agency, e.year, e.score) for e in ra.entries] == [
        (e.agency, e.year, e.score) for e in rb.entries
    ]
    # partitioned hive-style by year and region
    parts = {p.relative_to(ds / "reports").parts[:2] for p in (ds / "reports").rglob("*.parquet")}
    assert ("year=2022", "region=中央") in parts
    assert any(
        y == "year=2023" and r.startswith("region=") and r != "region=中央" for y, r in parts
    )


# ---------------------------------------------------------------- faults


@pytest.mark.parametrize("where", ["db", "parquet"])
def test_worker_killed_mid_run_loses_nothing(
    tmp_path: Path, items: list[Item], cluster: Cluster, where: str
) -> None:
    pids = cluster.worker_pids()
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    def kill_once(_name: str) -> None:
        if not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    engine = _db(tmp_path)
    sink: Any = DatabaseSink(engine) if where == "db" else ParquetSink(tmp_path / "ds")
    run = ingest(items, sink, cluster=cluster, batch=4, chunk=1, on_done=kill_once)
    assert killed
    counts = run.counts()
    assert counts["added"] == len(items) - 2 and counts["failed"] == 2
    if where == "parquet":
        engine = open_dataset(tmp_path / "ds")
    with engine.connect() as c:
        shas = list(c.execute(select(ReportRow.sha256)).scalars())
        cells = c.execute(select(CellRow.report_id, CellRow.path)).all()
    assert len(shas) == len(set(shas)) == len(items) - 2
    assert len(cells) == len(set(cells))
    assert victim not in cluster.worker_pids().values()


class _Stop(Exception):
    pass


@pytest.mark.parametrize("where", ["parquet", "db"])
def test_restart_does_only_what_is_left(
    tmp_path: Path, items: list[Item], cluster: Cluster, where: str
) -> None:
    def sink() -> Any:
        return ParquetSink(tmp_path / "ds") if where == "parquet" else DatabaseSink(_db(tmp_path))

    seen: list[str] = []

    def stop_after_ten(name: str) -> None:
        seen.append(name)
        if len(seen) == 11:
            raise _Stop

    with pytest.raises(_Stop):
        ingest(items, sink(), cluster=cluster, batch=5, chunk=1, on_done=stop_after_ten)
    first = sink().known()
    if where == "db":
        assert len(first) == 10  # two batches of 5 written, the 11th never stored
    else:  # the workers commit each task's files: at least the ten the driver heard of
        assert 10 <= len(first) < len(items) - 2
    run = ingest(items, sink(), cluster=cluster, batch=5)
    counts = run.counts()
    assert counts["exists"] == len(first)
    assert run.read == len(items) - len(first)
    assert counts["added"] == len(items) - 2 - len(first)
    again = ingest(items, sink(), cluster=None)
    assert again.read == 2  # only the two bad files are read again
    assert again.counts()["exists"] == len(items) - 2
    if where == "parquet":
        with open_dataset(tmp_path / "ds").connect() as c:
            shas = list(c.execute(select(ReportRow.sha256)).scalars())
        assert len(shas) == len(set(shas)) == len(items) - 2


def test_interrupted_parquet_batch_is_cleaned(tmp_path: Path, items: list[Item]) -> None:
    ds = tmp_path / "ds"
    ingest(items[:6], ParquetSink(ds))
    before = len(parquet.known_sha256(ds))
    # a batch that died before its sources were written: rows with nothing committing them
    run = ingest(items[6:9], ParquetSink(tmp_path / "other"))
    assert run.counts()["added"] == 3
    for f in (tmp_path / "other").rglob("*.parquet"):
        rel = f.relative_to(tmp_path / "other")
        if rel.parts[0] not in ("sources", "agencies"):
            (ds / rel).parent.mkdir(parents=True, exist_ok=True)
            (ds / rel).write_bytes(f.read_bytes())
    (ds / "reports" / ".half.parquet.tmp").write_bytes(b"PAR1")
    sink = ParquetSink(ds)
    assert sink.cleaned >= 3
    assert len(sink.known()) == before
    engine = open_dataset(ds)
    with engine.connect() as c:
        assert c.execute(select(ReportRow.id)).all().__len__() == before


def test_versions_in_a_dataset(tmp_path: Path, items: list[Item]) -> None:
    """The same agency and year in another file: the newer is current, as in the database."""
    src = Path(items[0].source)  # type: ignore[arg-type]
    changed = tmp_path / "again.txt"
    changed.write_bytes(src.read_bytes() + b"\n")
    ds = tmp_path / "ds"
    ingest([items[0]], ParquetSink(ds))
    ingest([Item(changed, "again.txt")], ParquetSink(ds))
    with open_dataset(ds).connect() as c:
        rows = c.execute(select(ReportRow.version, ReportRow.current).order_by(ReportRow.version))
        assert [tuple(r) for r in rows] == [(1, False), (2, True)]


def test_not_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(parquet.DatasetError, match="not a gongkai Parquet dataset"):
        parquet.init(tmp_path)
    with pytest.raises(parquet.DatasetError):
        open_dataset(tmp_path)
    empty = open_dataset(parquet.init(tmp_path / "new"))
    assert stats(empty).rows == []


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("local:3", ("local", 3)),
        ("local", ("local", 1)),
        ("tcp://10.0.0.1:8786", ("remote", "tcp://10.0.0.1:8786")),
    ],
)
def test_cluster_spec(spec: str, want: tuple[str, Any]) -> None:
    assert parse(spec) == want


@pytest.mark.parametrize("spec", ["lokal:2", "local:x", "8786", "local:100000"])
def test_bad_cluster_spec(spec: str) -> None:
    with pytest.raises(ValueError):
        parse(spec)


# ---------------------------------------------------------------- CLI


def test_cli_add_on_cluster_to_parquet_then_analyse(
    tmp_path: Path, corpus: Path, cluster: Cluster
) -> None:
    """``--cluster`` with the running scheduler's address; stats/rank/ls/export on the dataset."""
    address = cluster.client.scheduler.address
    ds = tmp_path / "ds"
    runner = CliRunner()
    db = str(tmp_path / "unused.db")
    args = [
        "corpus",
        "--db",
        db,
        "add",
        str(corpus),
        "--cluster",
        address,
        "--to",
        "parquet",
        str(ds),
    ]
    res = runner.invoke(build(), args)
    assert res.exit_code == 2, res.output  # two bad files
    out = res.output
    assert "2 个工作进程" in out
    assert ("Dask 仪表盘" in out) or ("未安装 bokeh" in out)
    assert "新存入 16 个" in out and "失败 2 个" in out
    assert "broken.html" in out
    assert "工作进程写入 Parquet" in out
    res = runner.invoke(build(), ["corpus", "--db", str(ds), "stats", "--json"])
    assert res.exit_code == 0, res.output
    assert sum(r["reports"] for r in json.loads(res.output)["rows"]) == 16
    res = runner.invoke(build(), ["corpus", "--db", f"parquet:{ds}", "rank"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(build(), ["corpus", "--db", str(ds), "ls", "--year", "2022"])
    assert res.exit_code == 0 and "2022" in res.output
    out_csv = tmp_path / "all.csv"
    res = runner.invoke(build(), ["corpus", "--db", str(ds), "export", "-o", str(out_csv)])
    assert res.exit_code == 0, res.output
    assert len(out_csv.read_text(encoding="utf-8-sig").splitlines()) == 17
    # started again: nothing left to do
    res = runner.invoke(build(), args)
    assert "已存在 16 个" in res.output


def test_cli_bad_cluster(tmp_path: Path, corpus: Path) -> None:
    res = CliRunner().invoke(
        build(),
        ["corpus", "--db", str(tmp_path / "x.db"), "add", str(corpus), "--cluster", "lokal"],
    )
    assert res.exit_code == 2
    assert "--cluster" in res.output


# ---------------------------------------------------------------- versions, ids, duplicates


def _versions(engine: Engine) -> tuple[list[Any], list[Any]]:
    """Reports (version, current, warnings) and corpus findings, by sha256 (ids left out)."""
    with engine.connect() as c:
        sha = dict(c.execute(select(ReportRow.id, ReportRow.sha256)).all())
        reps = sorted(
            (r.sha256, r.version, r.current, r.n_warnings)
            for r in c.execute(
                select(ReportRow.sha256, ReportRow.version, ReportRow.current, ReportRow.n_warnings)
            )
        )
        cols = (FindingRow.report_id, FindingRow.other_report_id, FindingRow.seq)
        found = sorted(
            (sha[f[0]], sha.get(f[1]), *f[2:])
            for f in c.execute(
                select(
                    *cols,
                    FindingRow.rule,
                    FindingRow.severity,
                    FindingRow.scope,
                    FindingRow.message,
                    FindingRow.actual,
                    FindingRow.actual_num,
                    FindingRow.detail,
                ).where(FindingRow.scope == "corpus")
            )
        )
    return reps, found


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory: pytest.TempPathFactory) -> list[list[Item]]:
    """The same agencies' 2023 reports twice, with other figures (another seed)."""
    out = []
    for seed in (3, 4):
        root = tmp_path_factory.mktemp(f"ed{seed}")
        write_corpus(root, plan(3, [2023], formats=["txt"], seed=seed, slip_rate=0))
        got, _ = items_from_paths([root])
        out.append([Item(i.source, f"{seed}/{i.name}") for i in got])
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_versions_differ_in_a_dataset_as_in_the_database(
    tmp_path: Path, two_editions: list[list[Item]], lang: Any
) -> None:
    first, second = two_editions
    db = _db(tmp_path)
    for edition in (first, second):
        add(db, edition, lang=lang)
    ds = tmp_path / "ds"
    for edition in (first, second):
        run = ingest(edition, ParquetSink(ds, lang=lang), lang=lang)
        if edition is second:
            assert {r.status for r in run.results} == {"version"}
    reps, found = _versions(open_dataset(ds, lang=lang))
    assert (reps, found) == _versions(db)
    assert len(found) == len(second)  # every second edition differs from the first
    assert all(f[3] == "versions-differ" for f in found)
    assert [(v, cur) for _s, v, cur, _w in reps].count((2, True)) == len(second)
    word = "differs in" if lang == "en" else "个单元格不同"
    assert all(word in f[6] for f in found)


def test_report_id_is_63_bits_of_sha256() -> None:
    sha = "f" * 64
    assert parquet.report_id(sha) == 2**63 - 1
    assert parquet.report_id("0" * 15 + "2" + "f" * 48) == 1


def test_an_id_collision_is_refused_not_mixed(
    tmp_path: Path, items: list[Item], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet, "report_id", lambda _sha: 7)
    ds = tmp_path / "ds"
    run = ingest(items[:3], ParquetSink(ds), chunk=1)
    assert [r.status for r in run.results] == ["added", "failed", "failed"]
    assert "前 63 位" in (run.results[1].error or "")
    with open_dataset(ds).connect() as c:
        assert c.execute(select(ReportRow.sha256)).scalars().all() == [run.results[0].sha256]
        ids = set(c.execute(select(CellRow.report_id)).scalars())
        assert ids == {7}
        n = c.execute(select(CellRow.path)).all()
    assert len(n) == len({p for (p,) in n})  # the first report's cells, once


def test_same_bytes_at_two_paths_are_stored_once(tmp_path: Path, items: list[Item]) -> None:
    src = Path(items[0].source)  # type: ignore[arg-type]
    twin = tmp_path / "twin.txt"
    twin.write_bytes(src.read_bytes())
    ds = tmp_path / "ds"
    todo = [items[0], items[1], Item(twin, "twin.txt")]
    run = ingest(todo, ParquetSink(ds), chunk=1)
    assert [r.status for r in run.results] == ["added", "added", "exists"]
    with open_dataset(ds).connect() as c:
        shas = c.execute(select(ReportRow.sha256)).scalars().all()
        cells = c.execute(select(CellRow.report_id, CellRow.path)).all()
    assert sorted(shas) == sorted({r.sha256 for r in run.results})
    assert len(cells) == len(set(cells))


def test_a_retried_task_replaces_its_files(tmp_path: Path, items: list[Item]) -> None:
    from gongkai.cluster.run import ingest_many

    ds = parquet.init(tmp_path / "ds")
    step = parquet.WriteOnWorker(str(ds))
    once = ingest_many(items[:3], frozenset(), None, step)
    files = sorted(ds.rglob("*.parquet"))
    twice = ingest_many(items[:3], frozenset(), None, step)  # the worker died; run again
    assert sorted(ds.rglob("*.parquet")) == files
    assert [d.result for d in once] == [d.result for d in twice]
    assert len(parquet.sources(ds)) == 3


def test_clean_folds_a_file_committed_in_two_batches(tmp_path: Path, items: list[Item]) -> None:
    """A run that died between a worker's commit and the driver's check leaves a twin."""
    from gongkai.corpus.ingest import process

    ds = parquet.init(tmp_path / "ds")
    a, b = (process(Path(i.source), name=i.name) for i in items[:2])  # type: ignore[arg-type]
    parquet.write_batch(ds, [a, b])
    parquet.write_batch(ds, [a])
    assert len(parquet.sources(ds)) == 3
    assert parquet.clean(ds) >= 1
    assert sorted(s for s, _, _ in parquet.sources(ds)) == sorted([a.sha256, b.sha256])
    with open_dataset(ds).connect() as c:
        cells = c.execute(select(CellRow.report_id, CellRow.path)).all()
    assert len(cells) == len(set(cells)) > 0


def test_a_dataset_shows_only_committed_batches(tmp_path: Path, items: list[Item]) -> None:
    from gongkai.corpus.ingest import process

    ds = parquet.init(tmp_path / "ds")
    a = process(Path(items[0].source), name=items[0].name)  # type: ignore[arg-type]
    bid = parquet.write_batch(ds, [a])
    for f in (ds / "sources").rglob(f"{bid}.parquet"):
        f.unlink()  # died before the commit
    with open_dataset(ds).connect() as c:
        assert c.execute(select(ReportRow.id)).all() == []
        assert c.execute(select(CellRow.path)).all() == []


def test_one_file_named_twice_is_kept(tmp_path: Path, items: list[Item]) -> None:
    ds = tmp_path / "ds"
    run = ingest([items[0], items[1], items[0]], ParquetSink(ds), chunk=1)
    assert [r.status for r in run.results] == ["added", "added", "exists"]
    with open_dataset(ds).connect() as c:
        assert len(c.execute(select(ReportRow.sha256)).all()) == 2


def _everything(engine: Engine) -> dict[str, list[Any]]:
    """Every row of the corpus tables but the times they were added."""
    from gongkai.corpus.models import COLUMNS

    out = {}
    with engine.connect() as c:
        for table, cols in COLUMNS.items():
            keep = ", ".join(x for x in cols if x not in ("added_at", "data"))
            rows = c.exec_driver_sql(f"SELECT {keep} FROM {table}")
            # SQLite gives booleans as 0 and 1, dates as text
            out[table] = sorted((tuple(map(_plain, r)) for r in rows), key=str)
    return out


def _plain(v: Any) -> Any:
    import datetime as dt

    return int(v) if isinstance(v, bool) else v.isoformat() if isinstance(v, dt.date) else v


def test_batched_inserts_store_what_store_stores(
    tmp_path: Path, items: list[Item], two_editions: list[list[Item]], db_url: str
) -> None:
    """New files, another version in the same batch, the same bytes twice, bad files;
    batched into SQLite and into PostgreSQL (``db_url``)."""
    first, second = two_editions
    twin = tmp_path / "twin.txt"
    twin.write_bytes(Path(first[0].source).read_bytes())  # type: ignore[arg-type]
    todo = [*items, *first, Item(twin, "twin.txt"), *second]
    one_by_one = _db(tmp_path / "a")
    want = add(one_by_one, todo)
    batched = connect(db_url)
    try:
        _check_batched(batched, one_by_one, todo, want)
    finally:
        batched.dispose()


def _check_batched(batched: Engine, one_by_one: Engine, todo: list[Item], want: Any) -> None:
    got = ingest(todo, DatabaseSink(batched), batch=500)
    assert got.batches == 1
    key = [(r.status, r.name, r.sha256, r.report_id, r.version, r.differs) for r in want.results]
    assert [
        (r.status, r.name, r.sha256, r.report_id, r.version, r.differs) for r in got.results
    ] == key
    assert _everything(batched) == _everything(one_by_one)
    assert {r.status for r in got.results} == {"added", "version", "exists", "failed"}


def test_a_batch_of_new_files_makes_kept_answers_stale(tmp_path: Path, items: list[Item]) -> None:
    from gongkai.corpus.cache import generation

    engine = _db(tmp_path)
    ingest(items[:3], DatabaseSink(engine))  # all new: no file goes through store()
    with engine.connect() as c:
        assert generation(c) > 0


def test_a_failing_write_stops_the_run_with_its_error(tmp_path: Path, items: list[Item]) -> None:
    """The sink writes beside the reading (a thread): its error still reaches the caller,
    after what was stored before it is counted."""

    class FullDisk(DatabaseSink):
        calls = 0

        def write(self, batch: list[Any]) -> Any:
            FullDisk.calls += 1
            if FullDisk.calls == 2:
                raise OSError(28, "No space left on device")
            return super().write(batch)

    stored: list[str] = []
    with pytest.raises(OSError, match="No space left"):
        ingest(items, FullDisk(_db(tmp_path)), batch=4, on_result=lambda r: stored.append(r.name))
    assert len(stored) == 4
    assert len(DatabaseSink(_db(tmp_path)).known()) == 4
