"""Bench of the corpus: adds per second per core, database size, analysis time.

    .venv/bin/python bench/corpus.py [--add 200] [--analyse 100000] [--no-pg] [--workers 2]

1. **add**: ``--add`` synthetic reports (gongkai.synth, text/HTML/DOCX files
   rendered first), added on one core: read + check (``process``) and store
   (``store``, one transaction each) timed apart, on SQLite and on a real
   throwaway PostgreSQL (Debian's initdb/pg_ctl, as the tests start it).
2. **size**: the SQLite file and the PostgreSQL database per 1,000 reports
   (with the original bytes kept).
3. **analyse**: ``--analyse`` synthetic reports (records made by the generator
   and checked on ``--workers`` processes, not rendered nor re-read: reading
   is what step 1 measures), loaded in bulk; then ``stats`` by year and by
   level, ``rank`` of one year, carry-over breaks and copied prose, timed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import sqlalchemy as sa  # noqa: E402

from gongkai.corpus import analysis  # noqa: E402
from gongkai.corpus.ingest import Ingested, from_report, process, store  # noqa: E402
from gongkai.corpus.rank import rank  # noqa: E402
from gongkai.db import connect, unit_of_work, upgrade  # noqa: E402
from gongkai.synth import plan  # noqa: E402

YEARS = (2021, 2022, 2023, 2024)
TABLES = ("cells", "warnings", "findings", "paragraphs")


def line(label: str, value: str) -> None:
    print(f"  {label:<46} {value}")


def start_postgres() -> tuple[Any, str] | None:
    import shutil

    from pg import PG_BINDIRS, Cluster, _unprivileged_user

    bindir = next((d for d in PG_BINDIRS if (d / "initdb").exists()), None)
    if bindir is None:
        print("  PostgreSQL: not installed (apt-get install postgresql); skipped")
        return None
    user = _unprivileged_user() if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="gongkai-bench-pg-"))
    root.chmod(0o755)
    cluster = Cluster(bindir, root, user)
    why = cluster.start()
    if why:
        shutil.rmtree(root, ignore_errors=True)
        print(f"  PostgreSQL cannot start: {why}; skipped")
        return None
    return cluster, cluster.url()


def files(n: int) -> list[tuple[str, bytes]]:
    entries = list(plan(max(1, n // len(YEARS)), YEARS, formats=["txt", "html", "docx"], seed=7))[
        :n
    ]
    return [(e.name.replace("/", "-"), e.render()) for e in entries]


def bench_add(url: str, label: str, payloads: list[tuple[str, bytes]]) -> None:
    engine = connect(url)
    upgrade(engine)
    empty = db_size(engine)
    t_proc = t_store = 0.0
    ok = 0
    for name, data in payloads:
        t0 = time.perf_counter()
        got = process(data, name=name)
        t1 = time.perf_counter()
        with unit_of_work(engine) as s:
            r = store(s, got)
        t_store += time.perf_counter() - t1
        t_proc += t1 - t0
        ok += r.status in ("added", "version")
    n = len(payloads)
    print(f"\n{label}: {n} reports added ({ok} stored), one core")
    line(
        "read + check (process)", f"{n / t_proc:8.1f} reports/s   {1000 * t_proc / n:7.1f} ms each"
    )
    line(
        "store (one transaction each)",
        f"{n / t_store:8.1f} reports/s   {1000 * t_store / n:7.1f} ms each",
    )
    line("add = read + check + store", f"{n / (t_proc + t_store):8.1f} reports/s per core")
    size = db_size(engine) - empty
    with engine.connect() as c:
        blobs = c.execute(sa.text("SELECT sum(length(data)) FROM blobs")).scalar() or 0
    line(
        "database size per 1,000 reports",
        f"{size / n * 1000 / 2**20:8.1f} MiB (the original files {blobs / n * 1000 / 2**20:.1f} MiB of it;"
        f" the empty database, {empty / 2**20:.1f} MiB, not counted)",
    )
    engine.dispose()


def db_size(engine: sa.Engine) -> int:
    with engine.connect() as c:
        if engine.dialect.name == "sqlite":
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            return Path(engine.url.database or "").stat().st_size
        return int(c.execute(sa.text("SELECT pg_database_size(current_database())")).scalar() or 0)


def _made(entry_args: tuple[int, int, int]) -> Ingested:
    i, n_agencies, seed = entry_args
    entry = _ENTRIES_CACHE(n_agencies, seed)[i]
    data, _slip = entry.build()
    report = data.report
    return from_report(report, f"{entry.name}#{seed}".encode(), name=entry.name)


_cache: dict[tuple[int, int], list[Any]] = {}


def _ENTRIES_CACHE(n_agencies: int, seed: int) -> list[Any]:
    key = (n_agencies, seed)
    if key not in _cache:
        _cache[key] = list(plan(n_agencies, YEARS, seed=seed))
    return _cache[key]


def bulk_load(engine: sa.Engine, n: int, workers: int) -> float:
    """Make ``n`` checked synthetic reports and insert them in batches (a fresh
    database: no versions to resolve)."""
    n_agencies = max(1, n // len(YEARS))
    total = n_agencies * len(YEARS)
    t0 = time.perf_counter()
    md = sa.MetaData()
    md.reflect(engine)
    next_id = 1
    agencies: set[str] = set()
    batch: list[Ingested] = []

    def flush() -> None:
        nonlocal next_id
        rows: dict[str, list[dict[str, Any]]] = {
            t: [] for t in ("agencies", "sources", "blobs", "reports", *TABLES)
        }
        for got in batch:
            if not got.ok:
                continue
            for table, rs in got.rows(next_id).items():
                rows[table] += rs
            if got.agency and got.agency.key not in agencies:
                agencies.add(got.agency.key)
                a = got.agency
                rows["agencies"].append(
                    {
                        "key": a.key,
                        "name": a.name,
                        "level": a.level,
                        "kind": a.kind,
                        "region": a.region,
                        "parent_key": a.parent_key,
                        "origin": a.origin,
                    }
                )
            next_id += 1
        with engine.begin() as c:
            for table in ("agencies", "sources", "blobs", "reports", *TABLES):
                if rows[table]:
                    c.execute(md.tables[table].insert(), rows[table])
        batch.clear()

    args = [(i, n_agencies, 11) for i in range(total)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for got in pool.map(_made, args, chunksize=64):
            batch.append(got)
            if len(batch) >= 1000:
                flush()
    flush()
    return time.perf_counter() - t0


def bench_analyse(url: str, label: str, n: int, workers: int) -> None:
    engine = connect(url)
    upgrade(engine)
    secs = bulk_load(engine, n, workers)
    with engine.connect() as c:
        count = c.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0
        cells = c.execute(sa.text("SELECT count(*) FROM cells")).scalar() or 0
    print(
        f"\n{label}: {count} synthetic reports, {cells} cells (made, checked and loaded in {secs:.0f} s on {workers} processes)"
    )
    for what, fn in (
        ("stats --by year", lambda: analysis.stats(engine, by="year")),
        ("stats --by level", lambda: analysis.stats(engine, by="level")),
        ("stats --by agency", lambda: analysis.stats(engine, by="agency")),
        ("carry-over / stock-flow breaks", lambda: analysis.year_breaks(engine)),
        (
            "rank (one year; every year scored)",
            lambda: rank(engine, analysis.Filter(years=(YEARS[-1],))),
        ),
    ):
        t = time.perf_counter()
        fn()
        line(what, f"{time.perf_counter() - t:8.2f} s")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--add", type=int, default=200, help="reports added one by one (default 200)")
    ap.add_argument(
        "--analyse", type=int, default=100_000, help="reports for stats/rank (default 100000)"
    )
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    print(f"rendering {args.add} synthetic report files (txt, html, docx)…")
    payloads = files(args.add)
    pg = None if args.no_pg else start_postgres()
    try:
        bench_add(f"sqlite:///{tmp / 'add.db'}", "SQLite", payloads)
        if pg:
            bench_add(pg[1], "PostgreSQL", payloads)
        if args.analyse:
            bench_analyse(f"sqlite:///{tmp / 'analyse.db'}", "SQLite", args.analyse, args.workers)
            if pg:
                with sa.create_engine(pg[1], isolation_level="AUTOCOMMIT").connect() as c:
                    c.execute(sa.text("CREATE DATABASE bench_analysis"))
                bench_analyse(
                    pg[1].replace("/postgres?", "/bench_analysis?"),
                    "PostgreSQL",
                    args.analyse,
                    args.workers,
                )
    finally:
        if pg:
            import shutil

            pg[0].stop()
            shutil.rmtree(pg[0].root, ignore_errors=True)


if __name__ == "__main__":
    main()
