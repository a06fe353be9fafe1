"""Reports per second on one core, per format, and peak memory.

    python bench/throughput.py [--seconds 5] [--corpus DIR] [--steady] [--split]
                               [--build python|compiled|both]

Each format is measured in a fresh process (so peak RSS is its own): the
corpus files of that format are read again and again for ``--seconds``
(after one warm-up pass), in three ways: *warm* reads them as they repeat
(every line already cached); *unseen* reads each after the caches were
emptied and the *other* reports read, as a new report in a batch of
distinct reports meets it (table labels cached, its own prose not) — the
number the targets are judged by; *cold* empties the caches before every
read (the first report of a run). Text also
uses reports generated in every
flattened layout. A 100-page PDF is made by repeating the corpus PDFs' pages
and read once for the memory measure. ``html:examples`` are the pages
gongkai writes for the bundled examples (smaller than the crawled site page
of the corpus). Targets (issue 2): text >= 1000/s, HTML >= 300/s, DOCX >= 30/s,
PDF >= 20/s; < 300 MB for a 100-page PDF. ``--steady`` (for a machine others
share) takes each input's least CPU time over the rounds instead of the mean
wall time: other work lengthens a read, never shortens one. ``--split`` shows where an
unseen read's CPU time goes per format: the format's reader (bytes to a Document), the
interpretation (Document to a record) and the rest of ``read``. ``--build``: the Python
modules of this checkout, the wheel ``pip install .`` builds (setup.py compiles the
reader's hot modules with mypyc; built into a temporary directory), or both side by side
(the default; the compiled rows are skipped, with the reason, where no wheel can be built).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = {"text": 1000, "html": 300, "html:examples": 300, "docx": 30, "pdf": 20}
EXT = {
    "text": (".txt",),
    "html": (".html", ".htm"),
    "html:examples": (".html",),
    "docx": (".docx",),
    "pdf": (".pdf",),
}


def _inputs(fmt: str, corpus: Path) -> list[tuple[bytes, str]]:
    if fmt.endswith(":examples"):
        # pages gongkai writes for the bundled examples (smaller than a crawled site page)
        corpus = ROOT / "examples"
    files = (
        sorted(p for p in corpus.rglob("*") if p.suffix.lower() in EXT[fmt])
        if corpus.is_dir()
        else []
    )
    out = [(p.read_bytes(), p.name) for p in files]
    if fmt == "text":
        sys.path.insert(0, str(ROOT / "tests"))
        from layouts import LAYOUTS, render  # type: ignore[import-not-found]
        from records import example  # type: ignore[import-not-found]

        for edition in ("2019", "2021"):
            for layout in LAYOUTS:
                out.append(
                    (render(example(edition), layout).encode("utf-8"), f"{edition}-{layout}.txt")
                )
    return out


def clear_caches() -> None:
    """Forget what gongkai cached of lines and labels seen before (a report never met)."""
    import gongkai.national.labels
    import gongkai.reading.formats.text
    import gongkai.reading.interpret.cells
    import gongkai.reading.interpret.rows
    import gongkai.reading.interpret.sections

    for mod in (
        gongkai.reading.interpret.cells,
        gongkai.reading.interpret.rows,
        gongkai.reading.interpret.sections,
        gongkai.national.labels,
        gongkai.reading.formats.text,
    ):
        for name in dir(mod):
            fn = getattr(mod, name)
            if callable(getattr(fn, "cache_clear", None)):
                fn.cache_clear()


def child(fmt: str, seconds: float, corpus: Path, mode: str, steady: bool = False) -> None:
    from gongkai import read

    inputs = _inputs(fmt, corpus)
    if not inputs:
        print(json.dumps({"format": fmt, "skipped": "no inputs"}))
        return
    for data, name in inputs:
        read(data, name=name)
    n = 0
    elapsed = 0.0
    # --steady: each input's least CPU time over the rounds (a shared machine's other
    # work lengthens some reads, never shortens one)
    clock = time.process_time if steady else time.perf_counter
    least = [float("inf")] * len(inputs)
    wall = time.perf_counter()
    while time.perf_counter() - wall < seconds:
        for i, (data, name) in enumerate(inputs):
            if mode != "warm":
                clear_caches()
            if mode == "unseen":
                # a report met for the first time in a batch: what the others taught is cached
                for j, (other, other_name) in enumerate(inputs):
                    if j != i:
                        read(other, name=other_name)
            t0 = clock()
            read(data, name=name)
            took = clock() - t0
            elapsed += took
            least[i] = min(least[i], took)
            n += 1
    if steady and all(t < float("inf") for t in least):
        n, elapsed = len(inputs), sum(least)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "format": fmt,
                "files": len(inputs),
                "reports": n,
                "per_second": n / elapsed,
                "peak_mb": rss,
            }
        )
    )


def split(fmt: str, seconds: float, corpus: Path) -> None:
    """Where a read's time goes, unseen, per format: the format's reader (bytes to a
    Document), the interpretation (Document to a record) and the rest of ``read`` (limits,
    the embedded copy compared). Each input's least CPU time over the rounds."""
    from gongkai import read
    from gongkai.reading.formats import load_document
    from gongkai.reading.interpret.assemble import build_report

    inputs = _inputs(fmt, corpus)
    if not inputs:
        print(f"{fmt:<14} skipped (no inputs)")
        return
    inf = float("inf")
    least = {"reader": [inf] * len(inputs), "interpret": [inf] * len(inputs)}
    least["read"] = [inf] * len(inputs)
    wall = time.perf_counter()
    while time.perf_counter() - wall < seconds:
        for i, (data, name) in enumerate(inputs):
            for step in ("reader", "interpret", "read"):
                clear_caches()
                for j, (other, other_name) in enumerate(inputs):
                    if j != i:
                        read(other, name=other_name)
                doc = load_document(data, None, name) if step == "interpret" else None
                t0 = time.process_time()
                if step == "reader":
                    load_document(data, None, name)
                elif doc is not None:
                    build_report(doc, name)
                else:
                    read(data, name=name)
                least[step][i] = min(least[step][i], time.process_time() - t0)
    ms = {k: 1000 * sum(v) / len(inputs) for k, v in least.items()}
    rest = max(0.0, ms["read"] - ms["reader"] - ms["interpret"])
    print(
        f"{fmt:<14} {len(inputs):>5} {ms['reader']:>9.2f} {ms['interpret']:>10.2f} {rest:>7.2f}"
        f" {ms['read']:>8.2f} {1000 / ms['read']:>8.1f}"
    )


def big_pdf(corpus: Path, pages: int, out: Path) -> bool:
    import pypdfium2 as pdfium

    sources = sorted(corpus.rglob("*.pdf")) if corpus.is_dir() else []
    if not sources:
        return False
    dest = pdfium.PdfDocument.new()
    while len(dest) < pages:
        for s in sources:
            src = pdfium.PdfDocument(str(s))
            dest.import_pages(src)
            src.close()
            if len(dest) >= pages:
                break
    while len(dest) > pages:
        dest.del_page(len(dest) - 1)
    dest.save(str(out))
    dest.close()
    return True


def child_big(path: Path) -> None:
    from gongkai import read
    from gongkai.errors import GongkaiError

    t0 = time.perf_counter()
    try:
        read(path)
        status = "read"
    except GongkaiError as e:
        status = f"error: {e}"
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": rss, "status": status}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--child", choices=list(TARGETS))
    ap.add_argument("--child-big", type=Path)
    ap.add_argument("--mode", choices=["warm", "unseen", "cold"], default="warm")
    ap.add_argument(
        "--steady",
        action="store_true",
        help="on a shared machine: each input's least CPU time over the rounds, not the mean wall time",
    )
    ap.add_argument(
        "--split",
        action="store_true",
        help="unseen, CPU time: ms per report in the format's reader, the interpretation and the rest",
    )
    ap.add_argument(
        "--build",
        choices=["python", "compiled", "both"],
        default="both",
        help="the Python modules, the compiled wheel, or both side by side",
    )
    ap.add_argument("--split-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.split_child:
        for fmt in TARGETS:
            split(fmt, args.seconds, args.corpus)
        return 0
    if args.child:
        child(args.child, args.seconds, args.corpus, args.mode, args.steady)
        return 0
    if args.child_big:
        child_big(args.child_big)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        builds = _builds(args.build, Path(tmp))
        if args.split:
            _measure_split(builds, args)
        else:
            _measure(builds, args)
            _measure_big(builds, args, Path(tmp))
    return 0


def _builds(which: str, tmp: Path) -> list[tuple[str, dict[str, str]]]:
    """(name, environment) of each build measured: the children import gongkai from the
    PYTHONPATH given (this checkout's src, or the unpacked compiled wheel)."""
    out: list[tuple[str, dict[str, str]]] = []
    if which in ("python", "both"):
        out.append(("python", {**os.environ, "PYTHONPATH": str(ROOT / "src")}))
    if which in ("compiled", "both"):
        print("building the compiled wheel (about a minute) …", file=sys.stderr, flush=True)
        res = subprocess.run(
            [sys.executable, str(HERE / "compiled.py"), str(tmp)],
            capture_output=True,
            text=True,
            check=False,
        )
        printed = res.stdout.strip().splitlines()
        got = json.loads(printed[-1]) if printed else {}
        if not got.get("site"):
            print(f"compiled: not measured ({got.get('why') or res.stderr.strip()[-300:]})")
        else:
            out.append(("compiled", {**os.environ, "PYTHONPATH": got["site"]}))
    return out


def _measure(builds: list[tuple[str, dict[str, str]]], args: argparse.Namespace) -> None:
    print(
        f"{'format':<14} {'build':<9} {'files':>5} {'warm /s':>9} {'unseen /s':>9} {'cold /s':>9}"
        f" {'target':>7} {'peak MB':>8}"
    )
    for fmt, target in TARGETS.items():
        for name, env in builds:
            rates: list[float] = []
            r: dict[str, float | int | str] = {}
            for mode in ("warm", "unseen", "cold"):
                cmd = [sys.executable, __file__, "--child", fmt, "--seconds", str(args.seconds)]
                cmd += ["--corpus", str(args.corpus), "--mode", mode] + (
                    ["--steady"] if args.steady else []
                )
                res = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
                if res.returncode != 0:
                    err = res.stderr.strip().splitlines()
                    print(f"{fmt:<14} {name:<9} failed: {err[-1] if err else res.returncode}")
                    break
                r = json.loads(res.stdout.strip().splitlines()[-1])
                if "skipped" in r:
                    print(f"{fmt:<14} {name:<9} skipped ({r['skipped']})")
                    break
                rates.append(float(r["per_second"]))
            if len(rates) != 3:
                continue
            ok = "ok" if rates[1] >= target else "BELOW"
            print(
                f"{fmt:<14} {name:<9} {r['files']:>5} {rates[0]:>9.1f} {rates[1]:>9.1f}"
                f" {rates[2]:>9.1f} {target:>7} {float(r['peak_mb']):>8.0f}  {ok}"
            )


def _measure_split(builds: list[tuple[str, dict[str, str]]], args: argparse.Namespace) -> None:
    for name, env in builds:
        print(f"{name}:")
        print(
            f"{'format':<14} {'files':>5} {'reader ms':>9} {'interpret':>10} {'rest':>7}"
            f" {'read ms':>8} {'read /s':>8}",
            flush=True,
        )
        cmd = [sys.executable, __file__, "--split-child", "--seconds", str(args.seconds)]
        subprocess.run([*cmd, "--corpus", str(args.corpus)], check=False, env=env)


def _measure_big(
    builds: list[tuple[str, dict[str, str]]], args: argparse.Namespace, tmp: Path
) -> None:
    path = tmp / "hundred-pages.pdf"
    if not builds or not big_pdf(args.corpus, 100, path):
        return
    for name, env in builds:
        res = subprocess.run(
            [sys.executable, __file__, "--child-big", str(path)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if res.returncode == 0:
            r = json.loads(res.stdout.strip().splitlines()[-1])
            ok = "ok" if r["peak_mb"] < 300 else "ABOVE"
            print(
                f"100-page PDF, {name}: {r['seconds']:.2f}s, peak {r['peak_mb']:.0f} MB (target < 300 MB) {ok} [{r['status']}]"
            )
        else:
            print(f"100-page PDF, {name}: failed: {res.stderr.strip()[-300:]}")


if __name__ == "__main__":
    raise SystemExit(main())
