"""Bench of the synthetic corpus generator: how fast records and files are made.

    .venv/bin/python bench/synth.py [--n 100000] [--render 200] [--seed 1]

Prints, for ``--n`` reports (agencies × 4 years): the plan (who, which year,
which format and slip: nothing made), the records as dicts (``Entry.draft``,
no validation), the validated records (``Entry.build``), and for
``--render`` reports of each format the time to render the file. PDF is
left out (LibreOffice: see bench/render.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.synth import plan  # noqa: E402

YEARS = (2021, 2022, 2023, 2024)


def _rate(label: str, n: int, seconds: float) -> None:
    print(f"{label:<34} {n:>8} in {seconds:7.2f} s   {n / seconds:10.0f} /s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20_000, help="reports (default 20000)")
    ap.add_argument("--render", type=int, default=200, help="reports rendered per format")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    agencies = max(1, args.n // len(YEARS))
    t = time.perf_counter()
    entries = list(plan(agencies, YEARS, seed=args.seed))
    _rate("plan (nothing made)", len(entries), time.perf_counter() - t)
    t = time.perf_counter()
    for e in entries:
        e.draft()
    _rate("records as dicts (draft)", len(entries), time.perf_counter() - t)
    t = time.perf_counter()
    for e in entries:
        e.build()
    _rate("validated records (build)", len(entries), time.perf_counter() - t)
    for fmt in ("txt", "html", "md", "docx"):
        some = list(plan(max(1, args.render // len(YEARS)), YEARS, formats=[fmt], seed=args.seed))
        t = time.perf_counter()
        size = sum(len(e.render()) for e in some)
        _rate(
            f"rendered {fmt} ({size / len(some) / 1024:.0f} KiB each)",
            len(some),
            time.perf_counter() - t,
        )


if __name__ == "__main__":
    main()
