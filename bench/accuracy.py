"""Cell accuracy and whole-report exactness against every reference record.

    python bench/accuracy.py [CORPUS_DIR]      (default: ../shared/corpus)

For each report with a ``NAME.gt.json`` beside it: every table cell of the
reference compared with what gongkai reads (a cell gongkai adds that the
reference does not have counts as wrong too); agency, year, template and
published date compared separately. Prints one line per report and totals.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from gongkai import read
from gongkai.agencies import agency_key
from gongkai.errors import GongkaiError
from gongkai.record import flat_cells

HEAD = ("agency", "year", "template", "published")


def main(argv: list[str]) -> int:
    root = (
        Path(argv[1])
        if len(argv) > 1
        else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    if not root.is_dir():
        print(f"no corpus at {root}", file=sys.stderr)
        return 2
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not p.name.endswith(".gt.json") and p.suffix != ".md"
    )
    total = right = exact = reports = 0
    head_right = {k: 0 for k in HEAD}
    rows = []
    t0 = time.perf_counter()
    for path in files:
        gt_path = path.with_name(path.name.rsplit(".", 1)[0] + ".gt.json")
        if not gt_path.exists():
            continue
        reports += 1
        expected = json.loads(gt_path.read_text("utf-8"))
        expected.pop("notes", None)
        try:
            got = read(path).to_dict(private=False)
        except GongkaiError as e:
            got = {"agency": None, "year": None, "template": None, "published": None}
            rows.append((path.name, 0, 0, f"FAILED: {e}"))
        for k in HEAD:
            g, x = got.get(k), expected.get(k)
            ok = g == x or (k == "agency" and g and x and agency_key(g) == agency_key(x))
            head_right[k] += bool(ok)
        exp_cells = {
            k: v for k, v in flat_cells(expected).items() if k.startswith(("table", "legacy"))
        }
        got_cells = {k: v for k, v in flat_cells(got).items() if k.startswith(("table", "legacy"))}
        keys = set(exp_cells) | set(got_cells)
        ok_cells = sum(
            1 for k in keys if k in exp_cells and k in got_cells and exp_cells[k] == got_cells[k]
        )
        wrong = sorted(
            k
            for k in keys
            if not (k in exp_cells and k in got_cells and exp_cells[k] == got_cells[k])
        )
        total += len(keys)
        right += ok_cells
        same_head = all(
            got.get(k) == expected.get(k)
            or (
                k == "agency"
                and got.get(k)
                and agency_key(str(got.get(k))) == agency_key(str(expected.get(k)))
            )
            for k in HEAD
        )
        exact += not wrong and same_head
        rows.append(
            (
                path.name,
                ok_cells,
                len(keys),
                ", ".join(wrong[:6]) + (" …" if len(wrong) > 6 else ""),
            )
        )
    elapsed = time.perf_counter() - t0
    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"{'report':<{width}}  cells right        wrong cells")
    for name, ok_cells, n, wrong_s in rows:
        pct = f"{100 * ok_cells / n:6.2f}%" if n else "   —  "
        print(f"{name:<{width}}  {ok_cells:4d}/{n:<4d} {pct}  {wrong_s}")
    print()
    print(
        f"reports: {reports}   exact: {exact}/{reports}   cells: {right}/{total} = {100 * right / max(total, 1):.2f}%"
    )
    print("fields:  " + "   ".join(f"{k} {head_right[k]}/{reports}" for k in HEAD))
    print(f"time: {elapsed:.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
