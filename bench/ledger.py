"""The ledger's speed: events appended per second, ``tables`` for a large ledger,
deadline computations per second. Prints numbers; asserts nothing.

    .venv/bin/python bench/ledger.py                        # modest sizes
    .venv/bin/python bench/ledger.py --apps 100000          # tables for 100,000 applications
    .venv/bin/python bench/ledger.py --db postgresql://…    # on PostgreSQL

Side by side: one transaction per event (what the CLI and the pages do)
against one transaction for a whole import; tables from the database
against tables from states already in memory; deadlines with the
calendar's day cache cold and warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gongkai.ledger import clock
from gongkai.ledger.calendar import WorkCalendar
from gongkai.ledger.model import APPLICANT_TYPES, Application, Event, edition_of, outcome_rows
from gongkai.ledger.store import Ledger
from gongkai.ledger.tables import tally


def history(rng: random.Random, i: int) -> tuple[Application, list[Event]]:
    received = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(700))
    app = Application(f"B{i:07d}", received, "online", rng.choice(APPLICANT_TYPES), "某", "1")
    events: list[Event] = []
    r = rng.random()
    if r < 0.85:
        day = received + dt.timedelta(days=rng.randrange(1, 30))
        if rng.random() < 0.1:
            events.append(Event("extended", day, reason="bench"))
            day += dt.timedelta(days=5)
        events.append(Event("answered", day, outcome=rng.choice(outcome_rows(edition_of(day)))))
        if rng.random() < 0.05:
            events.append(Event("case_filed", day + dt.timedelta(days=20), case="review"))
    elif r < 0.9:
        events.append(Event("withdrawn", received + dt.timedelta(days=2)))
    return app, events


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "∞"


def bench_append(url: str, n: int) -> None:
    with Ledger.open(url) as ledger:
        for i in range(n):
            ledger.add(Application(f"E{i:06d}", dt.date(2024, 3, 4), "online", "natural_person"))
        kinds = [("third_party_consulted", "third_party_answered")] * n
        t0 = time.perf_counter()
        for i, (a, b) in enumerate(kinds):
            ledger.append(f"E{i:06d}", Event(a, dt.date(2024, 3, 5)))
            ledger.append(f"E{i:06d}", Event(b, dt.date(2024, 3, 8)))
        one = time.perf_counter() - t0
        rng = random.Random(1)
        items = [history(rng, 10_000_000 + i) for i in range(n)]
        events = sum(len(e) for _, e in items)
        t0 = time.perf_counter()
        ledger.add_many(items)
        batch = time.perf_counter() - t0
    print(f"events appended, one transaction each (checked against history): {rate(2 * n, one)}")
    print(f"applications+events imported in one transaction: {rate(n + events, batch)} rows")


def bench_tables(url: str, n: int) -> None:
    rng = random.Random(2)
    with Ledger.open(url) as ledger:
        t0 = time.perf_counter()
        batch = 5000
        for start in range(0, n, batch):
            ledger.add_many([history(rng, i) for i in range(start, min(n, start + batch))])
        fill = time.perf_counter() - t0
        t0 = time.perf_counter()
        states = list(ledger.states(received_by=dt.date(2024, 12, 31)))
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        t = tally(states, 2024)
        record = t.record("bench")
        count = time.perf_counter() - t0
    total = record["table3"]["new"][6] + record["table3"]["carried_over"][6]
    print(f"ledger of {n:,} applications filled in {fill:.1f} s")
    print(
        f"tables --year 2024 for {n:,} applications: {load + count:.2f} s "
        f"(load and replay from the database {load:.2f} s, count {count:.3f} s; "
        f"{total:,} applications in the year)"
    )


def bench_deadlines(n: int) -> None:
    rng = random.Random(3)
    days = [dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500)) for _ in range(n)]
    cal = WorkCalendar.default()

    def timed(fn: Callable[[dt.date], object], count: int = n) -> float:
        t0 = time.perf_counter()
        for d in days[:count]:
            fn(d)
        return count / (time.perf_counter() - t0)

    cold = timed(lambda d: clock.deadline(WorkCalendar.default(), d), max(1, n // 10))
    warm = timed(lambda d: clock.deadline(cal, d))
    bare = timed(lambda d: clock.deadline(cal, d, explain=False))
    pause = timed(
        lambda d: clock.deadline(
            cal, d, extended=True, pauses=[clock.Pause(d, d + dt.timedelta(days=9), "fee")]
        )
    )
    print(
        f"deadline computations: {warm:,.0f}/s with the day-by-day explanation, "
        f"{bare:,.0f}/s the date alone (lists), {cold:,.0f}/s with a new calendar each "
        f"(no day cache), {pause:,.0f}/s extended with a fee pause"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--db", default=None, help="database URL (default: a SQLite file in a temp dir)"
    )
    ap.add_argument("--events", type=int, default=500, help="applications for the append bench")
    ap.add_argument("--apps", type=int, default=20_000, help="applications for the tables bench")
    ap.add_argument("--deadlines", type=int, default=20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or str(Path(tmp) / "bench.db")
        bench_append(url, args.events)
        url2 = args.db or str(Path(tmp) / "bench-tables.db")
        if args.db:
            print("(tables bench on the same database: give an empty one)")
        bench_tables(url2, args.apps)
    bench_deadlines(args.deadlines)


if __name__ == "__main__":
    main()
