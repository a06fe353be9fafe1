"""Reports written per second: DOCX and HTML on one core, PDF in batch mode.

    python bench/render.py [--seconds 5] [--batch 20] [--no-pdf]

DOCX, HTML, Markdown and text are rendered again and again from the example
data (examples/*.yaml) for ``--seconds`` after one warm-up, with and
without the checker run first (``render`` checks before it writes). PDF is
measured as gongkai converts many reports: ``--batch`` documents in one
LibreOffice run (start-up paid once), and a single document alone for the
latency of one conversion. Prints one JSON line per measure.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _examples() -> list[object]:
    from gongkai.write.data import load_data

    return [load_data(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]


def _rate(name: str, fn: Callable[[object], object], items: list[object], seconds: float) -> None:
    for item in items:
        fn(item)
    n = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        fn(items[n % len(items)])
        n += 1
    dt = time.perf_counter() - t0
    print(
        json.dumps(
            {"measure": name, "reports": n, "seconds": round(dt, 2), "per_second": round(n / dt, 1)}
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--batch", type=int, default=20)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()

    from gongkai.write.docx import render_docx
    from gongkai.write.html import render_html
    from gongkai.write.render import findings
    from gongkai.write.text import render_markdown, render_text

    items = _examples()
    _rate("docx", lambda d: render_docx(d), items, args.seconds)  # type: ignore[arg-type]
    _rate("html", lambda d: render_html(d), items, args.seconds)  # type: ignore[arg-type]
    _rate("md", lambda d: render_markdown(d), items, args.seconds)  # type: ignore[arg-type]
    _rate("txt", lambda d: render_text(d), items, args.seconds)  # type: ignore[arg-type]
    _rate(
        "docx+check",
        lambda d: (findings(d), render_docx(d)),  # type: ignore[arg-type]
        items,
        args.seconds,
    )
    _rate(
        "html+check",
        lambda d: (findings(d), render_html(d)),  # type: ignore[arg-type]
        items,
        args.seconds,
    )
    if args.no_pdf:
        return
    from gongkai.write.pdf import render_pdf, render_pdfs

    t0 = time.perf_counter()
    render_pdf(items[0])  # type: ignore[arg-type]
    single = time.perf_counter() - t0
    print(json.dumps({"measure": "pdf-single", "reports": 1, "seconds": round(single, 2)}))
    batch = [items[i % len(items)] for i in range(args.batch)]
    t0 = time.perf_counter()
    pdfs = render_pdfs(batch)  # type: ignore[arg-type]
    dt = time.perf_counter() - t0
    assert len(pdfs) == len(batch)
    print(
        json.dumps(
            {
                "measure": "pdf-batch",
                "reports": len(batch),
                "seconds": round(dt, 2),
                "per_second": round(len(batch) / dt, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
