"""Mutation bench: damaged tables must read as printed or as null, never as a third number.

    python bench/mutations.py [--n 200] [--seed 1] [--layouts spaces,cells] [--corpus DIR]

Reports come from the reference records of the shared corpus (those with
tables) and from generated records (random, consistent with the format's
arithmetic), laid out as flattened text the way sites and converters print
them (``spaces``: ``label 0 0 0`` a row, as PDF text extraction gives;
``cells``: one cell a line, as a copied web page gives). Each report gets
one mutation of its tables:

* ``extra``  — an extra value in a row (a footnote number, a stray figure);
* ``drop``   — a value dropped from a row;
* ``move``   — a row's last value moved to the start of the next row;
* ``swap``   — two neighbouring rows printed in the other order;
* ``break``  — a row label broken over two lines.

The printed truth is the record the report was made from: every cell read
is compared with it. A cell is *right* (equal), *null* (the reader was not
sure), or *wrong* (a number that is not the truth). Wrong cells must be 0.
The checker is run too: an arithmetic error on a report whose arithmetic is
sound (the mutation touched the layout, not the figures) blames the agency
for a mistake it did not make.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from gongkai import check, read  # noqa: E402
from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.national.editions import EDITIONS, TABLE4  # noqa: E402
from gongkai.record import flat_cells  # noqa: E402
from layouts import RENDER, _is_heading, _prose, table_rows  # noqa: E402
from records import consistent_t3  # noqa: E402

MUTATIONS = ("extra", "drop", "move", "swap", "break")
ARITHMETIC = {"t3-balance", "t3-row-total", "t3-results-total", "t4-total"}


def generated(rng: random.Random) -> dict[str, Any]:
    """A random record of either edition whose arithmetic holds."""
    edition = rng.choice(["2019", "2021"])
    ed = EDITIONS[edition]
    t2: dict[str, Any] = {}
    for row in ed.table("table2").rows:
        t2[row.key] = {
            c.key: (
                rng.choice(["0", "12.5", "287.54万元"])
                if c.kind == "money"
                else rng.randint(-5, 5)
                if c.kind == "signed"
                else rng.choice([0, 0, rng.randint(0, 99), rng.randint(0, 9999)])
            )
            for c in ed.table("table2").row_columns(row.key)
        }
    new = [rng.choice([0, 0, rng.randint(0, 40)]) for _ in range(6)]
    carried = [rng.choice([0, 0, rng.randint(0, 3)]) for _ in range(6)]
    remaining = [n + c for n, c in zip(new, carried, strict=True)]
    outcomes: dict[str, list[int]] = {}
    for key in [r.key for r in ed.table("table3").rows if r.outcome]:
        take = [rng.randint(0, r) if rng.random() < 0.3 else 0 for r in remaining]
        remaining = [r - t for r, t in zip(remaining, take, strict=True)]
        outcomes[key] = take
    t4 = {}
    for r in TABLE4.rows:
        parts = [rng.choice([0, 0, rng.randint(0, 5)]) for _ in range(4)]
        t4[r.key] = [*parts, sum(parts)]
    year = rng.randint(2019, 2020) if edition == "2019" else rng.randint(2021, 2024)
    return {
        "agency": "青山市示范区民政局",
        "year": year,
        "template": edition,
        "published": f"{year + 1}-01-20",
        "table2": t2,
        "table3": consistent_t3(new, carried, outcomes, edition),
        "table4": t4,
    }


def corpus_records(root: Path) -> list[dict[str, Any]]:
    out = []
    for p in sorted(root.glob("*/*.gt.json")):
        rec = json.loads(p.read_text("utf-8"))
        if rec.get("template") in ("2019", "2021") and rec.get("table3") and rec.get("table2"):
            rec.pop("notes", None)
            t3 = EDITIONS[rec["template"]].table("table3").row_keys
            if all(k in rec["table3"] for k in t3) and len(rec.get("table4", {})) == 3:
                out.append(rec)
    return out


def mutate(
    rows: list[tuple[str, list[str] | None]], kind: str, rng: random.Random
) -> list[tuple[str, list[str] | None]] | None:
    """``rows`` with one mutation, or None when the report offers no place for it."""
    data = [i for i, (label, v) in enumerate(rows) if v is not None and label]
    rows = [(label, list(v) if v is not None else None) for label, v in rows]
    i = rng.choice(data)
    label, values = rows[i]
    assert values is not None
    if kind == "extra":
        values.insert(rng.randint(0, len(values)), str(rng.choice([0, 1, 2, 7, 12, 35])))
    elif kind == "drop":
        if len(values) < 2:
            return None
        values.pop(rng.randrange(len(values)))
    elif kind == "move":
        nxt = i + 1
        if nxt >= len(rows) or rows[nxt][1] is None or len(values) < 2:
            return None
        rows[nxt] = (rows[nxt][0], [values.pop(), *(rows[nxt][1] or [])])
    elif kind == "swap":
        nxt = i + 1
        if nxt >= len(rows) or rows[nxt][1] is None or not rows[nxt][0]:
            return None
        rows[i], rows[nxt] = rows[nxt], rows[i]
        return rows
    elif kind == "break":
        if len(label) < 6:
            return None
        cut = rng.randint(2, len(label) - 2)
        rows[i] = (label[:cut], None)
        rows.insert(i + 1, (label[cut:], values))
        return rows
    rows[i] = (label, values)
    return rows


def render_rows(
    record: dict[str, Any], rows: list[tuple[str, list[str] | None]], layout: str
) -> str:
    head, _, tail = _prose(record)
    out: list[str] = [*head]
    for label, values in rows:
        if _is_heading(label):
            out += ["", label, ""]
            continue
        if values is None and layout == "spaces":
            out.append(label)  # a label broken over lines, or a caption: a line of its own
            continue
        out.extend(RENDER[layout](label, values))
    out += ["", *tail, ""]
    return "\n".join(out)


def score(truth: dict[str, Any], got: dict[str, Any]) -> Counter[str]:
    c: Counter[str] = Counter()
    want = {k: v for k, v in flat_cells(truth).items() if k.startswith("table")}
    have = {k: v for k, v in flat_cells(got).items() if k.startswith("table")}
    for k in set(want) | set(have):
        g = have.get(k)
        if g is None:
            c["null" if want.get(k) is not None else "right"] += 1
        elif g == want.get(k):
            c["right"] += 1
        else:
            c["wrong"] += 1
    return c


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200, help="generated reports (default 200)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layouts", default="spaces,cells")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = ap.parse_args(argv[1:])
    rng = random.Random(args.seed)
    sources = [("corpus", r) for r in corpus_records(args.corpus)] if args.corpus.is_dir() else []
    sources += [("generated", generated(rng)) for _ in range(args.n)]
    stats: dict[tuple[str, str], Counter[str]] = {}
    wrong_examples: list[str] = []
    t0 = time.perf_counter()
    for layout in args.layouts.split(","):
        for origin, record in sources:
            base = table_rows(record)
            for kind in MUTATIONS:
                rows = mutate(base, kind, rng)
                if rows is None:
                    continue
                text = render_rows(record, rows, layout)
                key = (layout, kind)
                st = stats.setdefault(key, Counter())
                st["reports"] += 1
                try:
                    report = read(text)
                except GongkaiError:
                    st["unreadable"] += 1
                    continue
                c = score(record, report.to_dict(private=False))
                st.update(c)
                if c["wrong"]:
                    st["reports wrong"] += 1
                    warned = bool(report.extra("x_warnings"))
                    st["wrong, no warning"] += not warned
                    if len(wrong_examples) < 5:
                        wrong_examples.append(f"{layout}/{kind}/{origin}")
                blamed = {f.rule for f in check(report).findings if f.severity == "error"}
                st["false arithmetic errors"] += bool(blamed & ARITHMETIC)
    elapsed = time.perf_counter() - t0
    cols = (
        "reports",
        "right",
        "null",
        "wrong",
        "reports wrong",
        "wrong, no warning",
        "false arithmetic errors",
    )
    print(f"{'layout':<8} {'mutation':<8} " + " ".join(f"{c:>12}" for c in cols))
    total: Counter[str] = Counter()
    for (layout, kind), st in sorted(stats.items()):
        total.update(st)
        print(f"{layout:<8} {kind:<8} " + " ".join(f"{st[c]:>12}" for c in cols))
    print(f"{'all':<17} " + " ".join(f"{total[c]:>12}" for c in cols))
    print(
        f"\ncells wrong: {total['wrong']} of {total['right'] + total['null'] + total['wrong']}"
        f"   cells null: {total['null']}   mutated reports: {total['reports']}"
        f"   reports read with a wrong number: {total['reports wrong']}"
        f"   time: {elapsed:.1f}s"
    )
    if wrong_examples:
        print("first reports with a wrong cell: " + ", ".join(wrong_examples))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
