"""Bench of ``gongkai serve`` on loopback: requests/s and latency per page.

    .venv/bin/python bench/web.py --n 10000          # the corpus of the issue
    .venv/bin/python bench/web.py --n 400 --seconds 5  # a quick run

1. A corpus of ``--n`` synthetic reports (``gongkai.synth``, text format,
   four consecutive years per agency) is read, checked and stored in a
   SQLite file (kept in ``--db``; reused when it already holds them); with
   ``--records`` the generator's records are checked and stored without
   being rendered and read (bench/corpus.py's way: faster).
2. A real ``gongkai serve --db`` (uvicorn, sandboxed reading workers) is
   started on 127.0.0.1.
3. ``--clients`` concurrent clients hit each of: a report page (random
   report), its JSON twin, the dashboard, its JSON twin, ``/api/reports``
   (a random page), and a check upload (``POST /api/check``), for
   ``--seconds`` each (at most ``--max`` requests each).
4. Requests/s, p50 and p95 per endpoint, errors, and the memory (RSS) of the
   server and of its reading workers afterwards.

Traffic goes to 127.0.0.1 only; every loop is bounded in time and count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _ingest(args: tuple[str, bytes]) -> Any:
    from gongkai.corpus.ingest import process

    name, data = args
    return process(data, name=name, lang="zh")


def build(db: Path, n: int, jobs: int, records: bool = False) -> int:
    """A corpus of ``n`` synthetic reports at ``db`` (kept if it already has them);
    ``records``: the generator's records checked and stored, not rendered and read."""
    from gongkai.corpus.browse import page_reports
    from gongkai.corpus.ingest import store
    from gongkai.corpus.query import ALL
    from gongkai.db import connect, unit_of_work, upgrade
    from gongkai.synth import plan

    engine = connect(str(db))
    upgrade(engine)
    have = page_reports(engine, ALL, per_page=1).total
    if have >= n:
        engine.dispose()
        return have
    if records:
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import synth_load

        secs, stored, _storing = synth_load(engine, n, jobs, 500)
        print(f"corpus: {stored} synthetic records in {secs:.0f} s", file=sys.stderr)
        engine.dispose()
        return stored
    agencies = max(1, -(-n // 4))
    entries = list(plan(agencies, range(2021, 2025), formats=["txt"], seed=7))[:n]
    started = time.perf_counter()
    done = 0

    def payloads() -> Any:
        for e in entries:
            yield e.name, e.render()

    with Pool(jobs) as pool:
        batch: list[Any] = []
        for got in pool.imap(_ingest, payloads(), chunksize=8):
            batch.append(got)
            if len(batch) >= 200:
                with unit_of_work(engine) as session:
                    for g in batch:
                        store(session, g, lang="zh")
                done += len(batch)
                batch.clear()
                rate = done / (time.perf_counter() - started)
                print(f"  stored {done}/{len(entries)} ({rate:.0f}/s)", file=sys.stderr)
        if batch:
            with unit_of_work(engine) as session:
                for g in batch:
                    store(session, g, lang="zh")
    total = page_reports(engine, ALL, per_page=1).total
    engine.dispose()
    print(f"corpus: {total} reports in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return total


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            stat = (p / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(p.name))
    return out


async def _run(
    base: str,
    make: Callable[[httpx.AsyncClient], Any],
    clients: int,
    seconds: float,
    cap: int,
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.monotonic() + seconds

    async def one() -> None:
        nonlocal errors, sent
        async with httpx.AsyncClient(base_url=base, timeout=120) as c:
            while time.monotonic() < deadline and sent < cap:
                sent += 1
                t = time.perf_counter()
                r = await make(c)
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    latencies.append(-(time.perf_counter() - started))  # the wall time, taken out below
    return latencies, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="synthetic reports in the corpus")
    ap.add_argument("--db", type=Path, default=Path("out/bench-web.db"), help="SQLite file")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="processes to build")
    ap.add_argument(
        "--records",
        action="store_true",
        help="build from the generator's records (checked, stored by corpus.ingest.store),\n"
        "not rendered and read: faster; report pages then have no provenance",
    )
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients")
    ap.add_argument("--seconds", type=float, default=10.0, help="seconds per endpoint")
    ap.add_argument("--max", type=int, default=5000, help="requests per endpoint at most")
    args = ap.parse_args()

    args.db.parent.mkdir(parents=True, exist_ok=True)
    total = build(args.db, args.n, args.jobs, args.records)
    from gongkai.corpus.cache import clear
    from gongkai.db import connect

    kept = connect(str(args.db))
    with kept.begin() as c:  # the first dashboard is timed cold: no kept answer
        clear(c)
    kept.dispose()
    port = _port()
    base = f"http://127.0.0.1:{port}"
    log = args.db.with_suffix(".serve.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gongkai.cli.main",
            "serve",
            "--db",
            str(args.db),
            "--port",
            str(port),
            "--checks-per-minute",
            "0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("gongkai serve did not start")
        rss_idle = _rss_kb(server.pid)
        ids = [
            i["id"] for i in httpx.get(f"{base}/api/reports?per_page=1000&sort=id").json()["items"]
        ]
        pages = max(1, -(-total // 50))
        upload = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_bytes()
        rnd = random.Random(1)
        t0 = time.perf_counter()
        httpx.get(f"{base}/corpus", timeout=600)
        first_dashboard = time.perf_counter() - t0
        httpx.post(f"{base}/api/check", files={"file": ("w.txt", upload)}, timeout=120)
        cases: list[tuple[str, Callable[[httpx.AsyncClient], Any]]] = [
            ("report page", lambda c: c.get(f"/corpus/report/{rnd.choice(ids)}")),
            ("report page .json", lambda c: c.get(f"/corpus/report/{rnd.choice(ids)}.json")),
            ("dashboard", lambda c: c.get("/corpus")),
            ("dashboard .json", lambda c: c.get("/corpus.json")),
            ("/api/reports", lambda c: c.get(f"/api/reports?page={rnd.randint(1, pages)}")),
            (
                "check upload",
                lambda c: c.post("/api/check", files={"file": ("r.txt", upload)}),
            ),
        ]
        print(
            f"\ngongkai serve over {total} synthetic reports · {args.clients} clients · "
            f"{args.seconds:g} s per endpoint (loopback)"
        )
        print(
            "corpus built from "
            + (
                "the generator's records, checked and stored (not read)"
                if args.records
                else "rendered text files, read, checked and stored"
            )
        )
        print(f"first dashboard (cold: ranking, charts' data): {first_dashboard:.2f} s")
        t0 = time.perf_counter()
        httpx.get(f"{base}/corpus?year=2024", timeout=600)
        print(f"first dashboard of one year (cold): {time.perf_counter() - t0:.2f} s")
        print(f"{'endpoint':<20}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
        for name, make in cases:
            lat, errors = asyncio.run(_run(base, make, args.clients, args.seconds, args.max))
            wall = -lat.pop()
            p50 = statistics.median(lat) * 1000
            p95 = statistics.quantiles(lat, n=20)[18] * 1000 if len(lat) >= 20 else max(lat) * 1000
            print(
                f"{name:<20}{len(lat):>9}{len(lat) / wall:>9.1f}{p50:>9.0f}{p95:>9.0f}{errors:>8}"
            )
        workers = _children(server.pid)
        rss = _rss_kb(server.pid)
        wrss = sum(_rss_kb(p) for p in workers)
        print(
            f"memory: server {rss_idle / 1024:.0f} MiB at start, {rss / 1024:.0f} MiB after; "
            f"{len(workers)} reading workers {wrss / 1024:.0f} MiB"
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


if __name__ == "__main__":
    main()
