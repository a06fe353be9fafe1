"""OCR accuracy and speed: rendered reports rasterised at 100–200 dpi, with
skew, blur and JPEG noise, read back as scanned PDFs.

For each resolution and noise level it prints the cells of tables 2–4 read
right, left null, and read WRONG (a value stated that differs from the
record the report was rendered from: must be 0), and seconds per page.

    .venv/bin/python bench/ocr.py                      # the three example agencies
    .venv/bin/python bench/ocr.py --dpi 150 --noise clean --reports 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import gongkai  # noqa: E402
from gongkai.reading.limits import Limits  # noqa: E402
from gongkai.record import flat_cells  # noqa: E402
from scans import NOISE, scan_pdf  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
#: the bench measures what OCR reads, not where the default time limit cuts it
NO_TIME_LIMIT = Limits().replace(seconds=24 * 3600)


def score(truth: dict[str, object], got: dict[str, object]) -> tuple[int, int, int]:
    right = null = wrong = 0
    for key, value in truth.items():
        if not key.startswith(("table2.", "table3.", "table4.")) or value is None:
            continue
        g = got.get(key)
        if g is None:
            null += 1
        elif g == value:
            right += 1
        else:
            wrong += 1
            print(f"    WRONG {key}: read {g!r}, printed {value!r}")
    return right, null, wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dpi", type=int, nargs="*", default=[100, 150, 200])
    ap.add_argument("--noise", nargs="*", default=list(NOISE), choices=list(NOISE))
    ap.add_argument("--reports", type=int, default=len(EXAMPLES))
    args = ap.parse_args()
    from gongkai.write import render  # noqa: F401  (fails early without the writer)

    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'dpi':>4} {'noise':<8} {'right':>6} {'null':>5} {'wrong':>5} {'s/page':>7}")
        for dpi in args.dpi:
            for noise in args.noise:
                totals = [0, 0, 0]
                pages = 0
                seconds = 0.0
                for data in EXAMPLES[: args.reports]:
                    pdf, truth, n = scan_pdf(data, Path(tmp), dpi=dpi, noise=noise)
                    t = time.perf_counter()
                    got = gongkai.read(pdf, limits=NO_TIME_LIMIT)
                    seconds += time.perf_counter() - t
                    pages += n
                    r = score(flat_cells(truth), flat_cells(got.to_dict(private=False)))
                    totals = [a + b for a, b in zip(totals, r, strict=True)]
                print(
                    f"{dpi:>4} {noise:<8} {totals[0]:>6} {totals[1]:>5} {totals[2]:>5} {seconds / max(pages, 1):>7.1f}"
                )


if __name__ == "__main__":
    main()
