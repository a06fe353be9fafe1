"""Bench of the corpus: adds per second per core, database size, analysis time.

    .venv/bin/python bench/corpus.py [--add 200] [--analyse 100000] [--no-pg] [--workers 2]
        [--batch 500] [--pg-analyse]

1. **add**: ``--add`` synthetic reports (gongkai.synth, text/HTML/DOCX files
   rendered first), added on one core: read + check (``process``) and store
   (``store``, one transaction each) timed apart, on SQLite and on a real
   throwaway PostgreSQL (Debian's initdb/pg_ctl, as the tests start it).
2. **size**: the SQLite file and the PostgreSQL database per 1,000 reports
   (with the original bytes kept).
3. **analyse**: ``--analyse`` synthetic reports (records made by the generator
   with their slips, their prose placed as the reader places it, checked by
   the real checker on ``--workers`` processes — not rendered nor re-read:
   reading is what step 1 measures), stored through ``store`` (what ``corpus
   add`` calls after reading), ``--batch`` a transaction; then ``stats`` by
   year, level and agency, carry-over breaks, copied and reused prose (LSH),
   ``rank`` cold and from the kept answer, timed. SQLite; PostgreSQL too with
   ``--pg-analyse``.
4. **existing** (``--existing URL``): an existing corpus (e.g. the 100,000
   reports step 3 made, copied first: it is migrated in place), each step in a
   process of its own so its peak memory (RSS) is its own: the migration to
   the current schema (corpus_0004 matches the prose of every report already
   stored), ``stats``, ``rank`` cold (prose pairs read from the database),
   ``--new`` reports added one by one (prose matched as each is stored), and
   ``rank`` again (what changed only). ``--scratch`` also times the
   alternative: ``rank`` with every year's prose matched from scratch (what
   ``rank`` did before, one year at a time). Run it under ``ulimit -v``.
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
    print(f"  {label:<56} {value}")


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
    """One synthetic report, checked: the generator's record (with its slip, if
    any) and its prose placed as the reader would (parts 一…六, a paragraph a
    line, from the writer's own composition), not rendered nor re-read."""
    i, n_agencies, seed = entry_args
    return _made_entry(_ENTRIES_CACHE(n_agencies, seed)[i], str(seed))


_cache: dict[tuple[int, int], list[Any]] = {}


def _ENTRIES_CACHE(n_agencies: int, seed: int) -> list[Any]:
    key = (n_agencies, seed)
    if key not in _cache:
        _cache[key] = list(plan(n_agencies, YEARS, seed=seed))
    return _cache[key]


def synth_load(engine: sa.Engine, n: int, workers: int, batch: int) -> tuple[float, int, float]:
    """Make ``n`` checked synthetic reports on ``workers`` processes and store
    each through ``gongkai.corpus.ingest.store`` — the function ``corpus add``
    calls after reading — ``batch`` reports a transaction (as the cluster path
    does). Returns the seconds, the reports stored and the seconds storing."""
    n_agencies = max(1, n // len(YEARS))
    total = n_agencies * len(YEARS)
    t0 = time.perf_counter()
    pending: list[Ingested] = []
    stored = 0
    storing = 0.0

    def flush() -> None:
        nonlocal stored, storing
        t = time.perf_counter()
        with unit_of_work(engine) as s:
            for got in pending:
                stored += store(s, got).status in ("added", "version")
        pending.clear()
        storing += time.perf_counter() - t

    args = [(i, n_agencies, 11) for i in range(total)]
    step = max(1, total // 20)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for k, got in enumerate(pool.map(_made, args, chunksize=32), 1):
            pending.append(got)
            if len(pending) >= batch:
                flush()
            if k % step == 0:
                el = time.perf_counter() - t0
                print(f"    … {k}/{total} stored, {k / el:.0f}/s", file=sys.stderr, flush=True)
    flush()
    return time.perf_counter() - t0, stored, storing


def timed(what: str, fn: Any) -> Any:
    t = time.perf_counter()
    got = fn()
    line(what, f"{time.perf_counter() - t:8.2f} s")
    return got


def bench_analyse(url: str, label: str, n: int, workers: int, batch: int) -> None:
    engine = connect(url)
    upgrade(engine)
    if not n:  # an existing corpus: its queries only
        with engine.connect() as c:
            count = c.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0
        print(f"\n{label}: an existing corpus of {count} reports")
        queries(engine)
        return
    empty = db_size(engine)
    secs, stored, storing = synth_load(engine, n, workers, batch)
    with engine.connect() as c:
        count = c.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0
        cells = c.execute(sa.text("SELECT count(*) FROM cells")).scalar() or 0
        paras = c.execute(sa.text("SELECT count(*) FROM paragraphs")).scalar() or 0
    print(
        f"\n{label}: {count} synthetic reports, {cells} cells, {paras} paragraphs of prose\n"
        f"  (records made by gongkai.synth with their slips, checked by the real checker on"
        f" {workers} processes, stored through corpus.ingest.store — what `corpus add` calls"
        f" after reading — {batch} a transaction; not rendered nor re-read: reading is"
        f" measured above)"
    )
    line("made + checked + stored", f"{secs:8.0f} s  ({stored / secs:.0f} reports/s)")
    line(
        "  of which store (main process)",
        f"{storing:8.0f} s  ({1000 * storing / max(1, stored):.1f} ms a report)",
    )
    size = db_size(engine) - empty
    line("database size per 1,000 reports", f"{size / max(1, count) * 1000 / 2**20:8.1f} MiB")
    queries(engine)


def exact_pairs(engine: sa.Engine, year: int) -> int:
    """The method before LSH: paragraphs of two agencies of a year whose
    normalised digests are equal (exact only), by a self-join."""
    with engine.connect() as c:
        return int(
            c.execute(
                sa.text(
                    "SELECT count(*) FROM paragraphs p JOIN reports r ON r.id = p.report_id"
                    " JOIN paragraphs p2 ON p2.digest = p.digest"
                    " JOIN reports r2 ON r2.id = p2.report_id"
                    " WHERE r.year = :y AND r2.year = :y AND r.current AND r2.current"
                    " AND r.agency_key <> r2.agency_key"
                ),
                {"y": year},
            ).scalar()
            or 0
        )


#: the exact self-join (the method before LSH) is timed up to this many reports
EXACT_UP_TO = 2000


def queries(engine: sa.Engine) -> None:
    """Stats, breaks, prose and rank timed; kept answers dropped first (cold)."""
    from gongkai.corpus.cache import clear

    with engine.begin() as c:
        clear(c)
        count = c.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0
    last = analysis.Filter(years=(YEARS[-1],))
    timed("stats --by year", lambda: analysis.stats(engine, by="year"))
    timed("stats --by level", lambda: analysis.stats(engine, by="level"))
    timed("stats --by agency", lambda: analysis.stats(engine, by="agency"))
    timed("carry-over / stock-flow breaks", lambda: analysis.year_breaks(engine))
    copied = timed(
        f"copied prose, {YEARS[-1]} (LSH, cold)", lambda: analysis.copied_prose(engine, last)
    )
    reused = timed(
        f"reused prose, {YEARS[-1]} (LSH, cold)", lambda: analysis.reused_prose(engine, last)
    )
    line("  report pairs found (copied / reused)", f"{len(copied):8d} / {len(reused)}")
    if count <= EXACT_UP_TO:
        exact = timed(
            f"the alternative: exact digest self-join, {YEARS[-1]}",
            lambda: exact_pairs(engine, YEARS[-1]),
        )
        line("  paragraph pairs equal after normalising", f"{exact:8d}")
    else:
        line(
            "the alternative: exact digest self-join",
            f"skipped over {EXACT_UP_TO} reports (it grows with the square of the shared"
            " paragraphs: 152 s for one year of 2,000 reports here)",
        )
    ranked = timed("rank (one year; every year scored), cold", lambda: rank(engine, last))
    line(
        "  reports ranked",
        f"{sum(1 for e in ranked.entries if e.rank):8d} of {len(ranked.entries)}",
    )
    timed("rank again (kept answer, same generation)", lambda: rank(engine, last))
    timed("rank of every year (prose answers now kept)", lambda: rank(engine))
    engine.dispose()


def _step(name: str, url: str, arg: int, out: Any) -> None:
    """One step of :func:`bench_existing`, in a process of its own."""
    import resource

    engine = connect(url)
    t = time.perf_counter()
    note = ""
    if name == "migrate":
        upgrade(engine)
    elif name == "stats":
        analysis.stats(engine, by="year")
    elif name in ("rank", "rank-again", "rank-scratch"):
        from gongkai.corpus import prose_index
        from gongkai.corpus.cache import clear

        if name != "rank-again":  # cold: no answer kept; again: what add left kept
            with engine.begin() as c:
                clear(c)
        t = time.perf_counter()
        if name == "rank-scratch":
            prose_index.available = lambda c: False  # type: ignore[assignment]
        got = rank(engine)
        note = f"{sum(1 for e in got.entries if e.rank)} of {len(got.entries)} ranked"
    elif name == "add":
        with engine.connect() as c:
            have = int(
                c.execute(sa.text("SELECT count(DISTINCT agency_key) FROM reports")).scalar() or 0
            )
        with engine.connect() as c:
            known = set(c.execute(sa.text("SELECT DISTINCT agency FROM reports")).scalars())
        fresh = [
            e
            for e in plan(have + arg, YEARS, seed=29)
            if e.agency.name not in known and e.year == YEARS[-1]  # this February's reports
        ]
        fresh = fresh[-arg:]
        made = [_made_entry(e) for e in fresh]  # read + check: not what is timed here
        t = time.perf_counter()
        for got in made:
            with unit_of_work(engine) as s:
                store(s, got)
        note = f"{len(fresh)} reports, {1000 * (time.perf_counter() - t) / max(1, len(fresh)):.0f} ms each"
    secs = time.perf_counter() - t
    out.put((secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, note))
    engine.dispose()


def _made_entry(entry: Any, tag: str = "new") -> Ingested:
    """A synthetic report checked and its prose placed (``tag`` makes its bytes
    its own: the seed of its corpus, or ``new`` for a report added later)."""
    from gongkai.write.content import compose

    data, _slip = entry.build()
    parts: dict[int, list[str]] = {}
    for b in compose(data):
        if b.kind in ("para", "subheading", "preamble") and b.text:
            parts.setdefault(b.part or 0, []).append(b.text)
    report = data.report.model_copy(
        update={"x_sections": [{"part": k, "text": "\n".join(v)} for k, v in sorted(parts.items())]}
    )
    return from_report(report, f"{entry.name}#{tag}".encode(), name=entry.name)


def bench_existing(url: str, new: int, scratch: bool) -> None:
    """Migrate, stats, rank cold, add ``new`` reports, rank again: each step timed
    in a process of its own, with its peak RSS."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with connect(url).connect() as c:
        count = c.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0
    print(f"\nexisting corpus: {count} reports ({url})")
    steps = [
        ("migrate", "migrate to the current schema (corpus_0004 matches all prose)"),
        ("stats", "stats --by year"),
        ("rank", "rank, every year, cold (prose pairs kept)"),
        ("add", f"corpus add {new} new reports of {YEARS[-1]} (prose matched at add)"),
        ("rank-again", f"rank again after the {new} new reports"),
    ]
    if scratch:
        steps.append(("rank-scratch", "the alternative: rank with prose from scratch"))
    for name, label in steps:
        q = ctx.Queue()
        p = ctx.Process(target=_step, args=(name, url, new, q))
        p.start()
        p.join()
        if p.exitcode != 0:
            line(label, f"failed (exit {p.exitcode})")
            continue
        secs, peak, note = q.get()
        line(label, f"{secs:8.1f} s   peak RSS {peak:6.0f} MiB   {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--add", type=int, default=200, help="reports added one by one (default 200)")
    ap.add_argument(
        "--analyse", type=int, default=100_000, help="reports for stats/rank (default 100000)"
    )
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--batch", type=int, default=500, help="reports stored a transaction in the analyse step"
    )
    ap.add_argument("--no-pg", action="store_true", help="SQLite only")
    ap.add_argument(
        "--existing", metavar="URL", help="only time the queries over this existing corpus"
    )
    ap.add_argument(
        "--pg-analyse", action="store_true", help="run the analyse step on PostgreSQL too"
    )
    ap.add_argument(
        "--new", type=int, default=10, help="reports added to --existing before rank again"
    )
    ap.add_argument(
        "--scratch", action="store_true", help="--existing: also rank with prose from scratch"
    )
    args = ap.parse_args()
    if args.existing:
        bench_existing(args.existing, args.new, args.scratch)
        return
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    print(f"rendering {args.add} synthetic report files (txt, html, docx)…")
    payloads = files(args.add)
    pg = None if args.no_pg else start_postgres()
    try:
        bench_add(f"sqlite:///{tmp / 'add.db'}", "SQLite", payloads)
        if pg:
            bench_add(pg[1], "PostgreSQL", payloads)
        if args.analyse:
            bench_analyse(
                f"sqlite:///{tmp / 'analyse.db'}", "SQLite", args.analyse, args.workers, args.batch
            )
            if pg and args.pg_analyse:
                with sa.create_engine(pg[1], isolation_level="AUTOCOMMIT").connect() as c:
                    c.execute(sa.text("CREATE DATABASE bench_analysis"))
                bench_analyse(
                    pg[1].replace("/postgres?", "/bench_analysis?"),
                    "PostgreSQL",
                    args.analyse,
                    args.workers,
                    args.batch,
                )
    finally:
        if pg:
            import shutil

            pg[0].stop()
            shutil.rmtree(pg[0].root, ignore_errors=True)


if __name__ == "__main__":
    main()
