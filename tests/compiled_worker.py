"""Read a fixed, deterministic set of inputs and print one line per input: its name and
the sha256 of what reading and checking it gave (the whole record with its ``x_``
provenance, the findings; or the refusal), once its document was seen to pickle back
the same. ``tests/test_compiled.py`` runs this once
with the Python modules and once with the modules mypyc compiled, and compares.

    python tests/compiled_worker.py [--fuzz N] [--mutations N]

The first line names the file the text reader was loaded from (``.so`` when compiled).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "bench"))

SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".json"}


def inputs(fuzz: int, mutations: int) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every input, in the same order on every run."""
    from fuzzing import mutate as fuzz_mutate
    from fuzzing import seeds
    from layouts import LAYOUTS, render
    from records import example

    trees = [SHARED / "corpus", ROOT / "examples", HERE / "fixtures" / "converters"]
    for tree in trees:
        if not tree.is_dir():
            continue
        for path in sorted(tree.rglob("*")):
            if path.suffix.lower() in SUFFIXES and not path.name.endswith(".gt.json"):
                yield str(path.relative_to(tree.parent)), path.read_bytes()
    for edition in ("2019", "2021"):
        for layout in LAYOUTS:
            yield f"layout/{edition}-{layout}.txt", render(example(edition), layout).encode()
    if mutations:
        import mutations as bench_mutations  # bench/mutations.py

        rng = random.Random(7)
        records = [bench_mutations.generated(rng) for _ in range(mutations)]
        if (SHARED / "corpus").is_dir():
            records += bench_mutations.corpus_records(SHARED / "corpus")
        for i, record in enumerate(records):
            base = bench_mutations.table_rows(record)
            for layout in LAYOUTS:
                for kind in bench_mutations.MUTATIONS:
                    rows = bench_mutations.mutate(base, kind, rng)
                    if rows is not None:
                        text = bench_mutations.render_rows(record, rows, layout)
                        yield f"mutation/{i}-{layout}-{kind}.txt", text.encode()
    rng = random.Random(11)
    for fmt, data in seeds().items():
        if fmt == "docx":
            continue  # the writer stamps its DOCX with the time: not the same input twice
        for i in range(fuzz):
            yield f"fuzz/{i}.{fmt}", fuzz_mutate(rng, fmt, data)


def outcome(name: str, data: bytes) -> str:
    """What reading and checking gave, as one digest."""
    from gongkai import check
    from gongkai.errors import GongkaiError
    from gongkai.reading import read_with_document

    try:
        report, document = read_with_document(data, name=name.rsplit("/", 1)[-1])
    except GongkaiError as exc:
        return "refused " + hashlib.sha256(str(exc).encode()).hexdigest()
    # a document crosses processes (parse --explain --jobs N): it pickles back the same
    try:
        if pickle.loads(pickle.dumps(document)) != document:
            return "document pickles back changed"
    except Exception as exc:
        return f"document does not pickle: {exc}"
    body = json.dumps(
        [report.to_dict(private=True), check(report).to_dict()["findings"]],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fuzz", type=int, default=200)
    ap.add_argument("--mutations", type=int, default=100)
    args = ap.parse_args(argv[1:])
    import gongkai.reading.formats.text

    print(gongkai.reading.formats.text.__file__, flush=True)
    for name, data in inputs(args.fuzz, args.mutations):
        print(name, outcome(name, data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
