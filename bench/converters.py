"""Text other tools extract from PDFs: cells right / null / wrong per converter.

    python bench/converters.py [--corpus DIR] [--no-corpus]

The fixtures of ``tests/fixtures/converters/`` (our own reports through
pdftotext, pdfminer.six, PyMuPDF, pymupdf4llm, LibreOffice and Chromium's
print then copy; made by ``make.py`` there) are read back and compared cell
by cell with the records they were made from. The corpus's dev PDFs (and its
dev web pages, printed and copied by Chromium) are converted here and now
(the text is never kept) and compared with their reference records.
A cell is right, null (the reader was not sure: a warning names why), or
wrong. Wrong must be 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "converters"
sys.path.insert(0, str(FIXTURES))

from make import CONVERTERS, available, convert  # noqa: E402

from gongkai import read  # noqa: E402
from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.record import flat_cells  # noqa: E402


def score(truth: dict[str, Any], text: str) -> Counter[str]:
    """right / null / wrong cells of ``text`` read against ``truth`` (and unreadable)."""
    c: Counter[str] = Counter()
    try:
        got = read(text.encode("utf-8"), name="converted.txt").to_dict(private=False)
    except GongkaiError:
        c["unreadable"] += 1
        got = {}
    want = {k: v for k, v in flat_cells(truth).items() if k.startswith(("table", "legacy"))}
    have = {k: v for k, v in flat_cells(got).items() if k.startswith(("table", "legacy"))}
    for k in set(want) | set(have):
        g = have.get(k)
        if g is None:
            c["null" if want.get(k) is not None else "right"] += 1
        elif g == want.get(k):
            c["right"] += 1
        else:
            c["wrong"] += 1
    return c


def fixtures() -> list[tuple[str, str, dict[str, Any], str]]:
    """(report, converter, truth, text) of every committed fixture."""
    out = []
    for truth_path in sorted(FIXTURES.glob("*.json")):
        truth = json.loads(truth_path.read_text("utf-8"))
        for text_path in sorted(FIXTURES.glob(truth_path.stem + ".*.txt")):
            conv = text_path.name[len(truth_path.stem) + 1 : -len(".txt")]
            out.append((truth_path.stem, conv, truth, text_path.read_text("utf-8")))
    return out


def corpus(root: Path) -> list[tuple[str, str, dict[str, Any], str]]:
    """The corpus's dev PDFs through every PDF converter here, and its dev web pages
    through Chromium's print then copy (the text is not kept)."""
    out = []
    for path in sorted([*root.glob("dev/*.pdf"), *root.glob("dev/*.html")]):
        gt = path.with_name(path.stem + ".gt.json")
        if not gt.exists():
            continue
        truth = json.loads(gt.read_text("utf-8"))
        truth.pop("notes", None)
        for conv, (kind, _, _) in CONVERTERS.items():
            if kind != path.suffix[1:] or available(conv):
                continue
            out.append((path.stem, conv, truth, convert(path, conv)))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--no-corpus", action="store_true", help="only the committed fixtures")
    args = ap.parse_args(argv[1:])
    t0 = time.perf_counter()
    sets = {"fixtures (our reports)": fixtures()}
    if not args.no_corpus and args.corpus.is_dir():
        sets["corpus dev PDFs (and web pages: chromium)"] = corpus(args.corpus)
    for title, items in sets.items():
        by_conv: dict[str, Counter[str]] = {}
        for _, conv, truth, text in items:
            by_conv.setdefault(conv, Counter()).update(score(truth, text))
            by_conv[conv]["reports"] += 1
        print(f"\n{title}")
        print(
            f"{'converter':<18} {'reports':>7} {'right':>7} {'null':>7} {'wrong':>7} {'unreadable':>10}"
        )
        total: Counter[str] = Counter()
        for conv, c in sorted(by_conv.items()):
            total.update(c)
            print(
                f"{conv:<18} {c['reports']:>7} {c['right']:>7} {c['null']:>7} {c['wrong']:>7} {c['unreadable']:>10}"
            )
        print(
            f"{'all':<18} {total['reports']:>7} {total['right']:>7} {total['null']:>7} {total['wrong']:>7} {total['unreadable']:>10}"
        )
    print(f"\ntime: {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
