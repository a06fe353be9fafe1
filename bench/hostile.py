"""Hostile, broken and huge input, measured (issue 10).

    python bench/hostile.py [--fuzz 200] [--batch 10000 100000] [--modes jsonl,json]
                            [--jobs-files 40] [--skip fuzz,largest,batch,jobs]

1. **fuzz** — ``--fuzz`` mutated inputs a format (tests/fuzzing.py: bytes
   flipped, cut, spliced; hostile strings in lines, cells and the DOCX XML),
   each read and checked: how many read, were refused in one line, crashed
   (must be 0), and the slowest. Text, Markdown, HTML, DOCX, JSON, YAML and
   PDF (the PDF seed is made by LibreOffice; left out when it is missing).
2. **largest** — the largest input of each format the default limits let
   through (and the 60 MB text file that took 1.8 GB before), each read and
   checked in a fresh process: peak memory (must stay < 1 GiB) and time.
3. **batch** — ``gongkai check DIR --jsonl`` (and ``--json``) over N report
   records (copies of synthetic reports from ``gongkai.synth``, hard links,
   so making 100,000 costs little): peak memory must stay flat as N grows.
4. **jobs** — ``gongkai check DIR`` over synthetic text reports with
   ``--jobs 1`` and ``--jobs 2``, one after the other.

Each part prints its own lines as it goes; at the end one table sums up every
measurement (part, input, count or size, peak MB, seconds, outcome), with the
machine's load (``uptime``: other work on the cores slows the seconds).
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
sys.path.insert(0, str(ROOT / "tests"))

GONGKAI = [sys.executable, "-m", "gongkai.cli.main"]

#: every measurement, for the table at the end: (part, input, count or size, peak MB,
#: seconds, outcome)
ROWS: list[tuple[str, str, str, str, str, str]] = []


def _row(part: str, what: str, amount: str, peak: float | None, took: float, outcome: str) -> None:
    ROWS.append((part, what, amount, "" if peak is None else f"{peak:.0f}", f"{took:.1f}", outcome))


def summary() -> None:
    head = ("part", "input", "count/size", "peak MB", "s", "outcome")
    widths = [max(_width(r[i]) for r in [head, *ROWS]) for i in range(len(head))]
    print(f"\n## summary ({_load()})")
    for r in [head, tuple("-" * w for w in widths), *ROWS]:
        print(
            "  ".join(
                _pad(c, w, right=i in (2, 3, 4))
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _load() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return "load " + " ".join(f.read().split()[:3]) + f", {os.cpu_count()} cores"
    except OSError:
        return f"{os.cpu_count()} cores"


def _measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of ``cmd`` run in a fresh process (output discarded)."""
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        check=False,
    )
    took = time.monotonic() - start
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    try:
        peak_kb = int(lines[-1])
    except (IndexError, ValueError):
        peak_kb = max(0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss - before)
    return took, peak_kb / 1024, proc.returncode


def fuzz(n: int) -> None:
    import shutil

    import fuzzing

    formats = ["txt", "md", "html", "docx", "json", "yaml"]
    if shutil.which("soffice") or shutil.which("libreoffice"):
        formats.append("pdf")
    else:
        print("(pdf left out: LibreOffice, which makes its seed, is not installed)")
    print(f"\n## fuzz: {n} mutated inputs a format, read and checked")
    print(f"{'format':8} {'tried':>6} {'read':>6} {'refused':>8} {'crashes':>8} {'slowest s':>10}")
    start = time.monotonic()
    seed = int(time.time()) % 100_000
    tallies = fuzzing.campaign(n, seed=seed, formats=tuple(formats))
    for fmt, t in tallies.items():
        print(f"{fmt:8} {t.tried:6} {t.read:6} {t.refused:8} {t.crashes:8} {t.slowest:10.2f}")
        for ex in t.examples[:5]:
            print("   crash:", ex)
        _row(
            "fuzz",
            f"{fmt} (seed {seed})",
            f"{t.tried} inputs",
            None,
            t.slowest,
            f"{t.crashes} crashes, {t.refused} refused, {t.read} read; slowest input",
        )
    total = sum(t.tried for t in tallies.values())
    print(f"{total} inputs in {time.monotonic() - start:.0f} s")


def _largest(folder: Path) -> list[tuple[str, Path, list[str]]]:
    """The largest inputs of each format under the default limits, and the old 60 MB case."""
    from gongkai.reading.limits import Limits
    from gongkai.structured import MAX_CHARS
    from gongkai.write.data import load_data
    from gongkai.write.render import render_bytes

    lim = Limits()
    text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")
    filler = "本机关持续推进政府信息公开工作，规章 5 件，规范性文件 12 件，行政许可 300 件。\n"
    out: list[tuple[str, Path, list[str]]] = []

    def text_file(name: str, chars: int) -> Path:
        p = folder / name
        with p.open("w", encoding="utf-8") as f:
            f.write(text)
            n = len(text)
            while n + len(filler) < chars:
                f.write(filler)
                n += len(filler)
        return p

    out.append(("text, 60 MB (the old 1.8 GB case)", text_file("big60.txt", 25_000_000), []))
    out.append(("text, at the character limit", text_file("limit.txt", lim.chars - 1000), []))
    html = (ROOT / "examples" / "qingshan-minzheng-2024.html").read_text(encoding="utf-8")
    para = "<p>" + filler.strip() + "</p>\n"
    p = folder / "limit.html"
    p.write_text(
        html.replace("</body>", para * ((lim.chars - 60_000) // len(filler)) + "</body>"),
        encoding="utf-8",
    )
    out.append(("html, at the character limit", p, []))
    p = folder / "size.html"
    pad = "<!-- " + "x" * 1_000_000 + " -->\n"
    p.write_text(
        html.replace("</body>", pad * int(lim.size / 1_000_001 - 2) + "</body>"), encoding="utf-8"
    )
    out.append(("html, at the size limit (comments)", p, []))
    p = folder / "styles.html"  # 104 s before mark_hidden looked at the page once
    p.write_text(
        html.replace("</body>", '<p style="' + "left:0;" * 600_000 + '">x</p></body>'),
        encoding="utf-8",
    )
    out.append(("html, one tag of 600,000 style values", p, []))
    cells = "<tr>" + "<td>1</td>" * 100 + "</tr>"
    p = folder / "cells.html"
    p.write_text(html.replace("</body>", f"<table>{cells * 990}</table></body>"), encoding="utf-8")
    out.append(("html, 99,000 table cells", p, []))
    data = load_data(ROOT / "examples" / "qingshan-minzheng-2024.yaml")
    big = data.narrative.model_copy(
        update={"parts": {k: (v + filler.strip()) * 1 for k, v in data.narrative.parts.items()}}
    )
    long_part = "".join(
        f"第{i}项：本机关推进政府信息公开工作，规章 {i * 7919 % 997} 件，文件 {i * 104729 % 9973} 件。"
        for i in range((lim.chars - 100_000) // 40)
    )
    big.parts[1] = long_part
    docx = render_bytes(data.model_copy(update={"narrative": big}), "docx")
    p = folder / "limit.docx"
    p.write_bytes(docx)
    out.append(("docx, at the character limit", p, []))
    import zoo

    specimens = {s.path.name: s.path for s in zoo.make_zoo(folder / "zoo")}
    out.append(("docx, zip bomb (200 MB inflated)", specimens["bomb.docx"], []))
    out.append(("pdf, 600 pages (over the page limit)", specimens["many-pages.pdf"], []))
    real = ROOT.parent / "shared" / "corpus" / "dev" / "huaian-szf-2024.pdf"
    if real.exists():
        import pypdfium2

        src = pypdfium2.PdfDocument(str(real))
        big = pypdfium2.PdfDocument.new()
        while len(big) + len(src) <= lim.pages:
            big.import_pages(src)
        p = folder / "pages.pdf"
        big.save(str(p))
        label = f"pdf, {len(big)} pages of a real report"
        big.close()
        src.close()
        out.append((label, p, []))
    else:
        print(f"(the real PDF {real} is missing: the PDF at the page limit is left out)")
    record = data.report.to_dict()
    record["x_text"] = filler * ((MAX_CHARS - 500_000) // len(filler))
    p = folder / "record.json"
    p.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out.append(("json record, at the character limit", p, []))
    import yaml

    p = folder / "data.yaml"
    d = data.to_dict()
    d["x_narrative"]["parts"] = {1: long_part}
    p.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    out.append(("yaml data, at the character limit", p, []))
    return out


def largest() -> None:
    print("\n## largest inputs: `gongkai check FILE` in a fresh process")
    print(f"{'input':42} {'MB':>7} {'peak MB':>8} {'s':>7} {'exit':>5}")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        for label, path, extra in _largest(Path(tmp)):
            size = path.stat().st_size / 1048576
            took, peak, code = _measure([*GONGKAI, "check", str(path), *extra])
            print(f"{label:42} {size:7.1f} {peak:8.0f} {took:7.1f} {code:5}")
            said = {0: "read, no error", 1: "read, findings", 2: "refused in one line"}
            _row("largest", label, f"{size:.1f} MB", peak, took, said.get(code, f"exit {code}"))


def _records(folder: Path, n: int, unique: int = 400) -> None:
    """``n`` report records in ``folder``: ``unique`` synthetic ones, then hard links."""
    from gongkai.synth import plan

    src = folder.parent / "unique"
    if not src.exists():
        src.mkdir()
        for i, entry in enumerate(plan(unique // 4, range(2021, 2025), formats=["txt"], seed=7)):
            data, _ = entry.build()
            (src / f"r{i:05}.json").write_text(data.report.model_dump_json(), encoding="utf-8")
    files = sorted(src.iterdir())
    folder.mkdir()
    for i in range(n):
        os.link(files[i % len(files)], folder / f"{i:07}.json")


def batch(sizes: list[int], modes: list[str]) -> None:
    print("\n## batch memory: `gongkai check DIR --jsonl` / `--json` over N report records")
    print(f"{'N':>8} {'mode':>6} {'peak MB':>8} {'s':>8} {'exit':>5} {'lines':>8}")
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        for n in sizes:
            folder = Path(tmp) / f"n{n}"
            _records(folder, n)
            for mode in (f"--{m}" for m in modes):
                out = Path(tmp) / "out.json"
                cmd = ["sh", "-c", f"{' '.join(GONGKAI)} check {folder} {mode} > {out}"]
                took, peak, code = _measure(cmd)
                with out.open(encoding="utf-8") as f:
                    lines = sum(1 for _ in f) if mode == "--jsonl" else len(json.load(f))
                print(f"{n:8} {mode[2:]:>6} {peak:8.0f} {took:8.1f} {code:5} {lines:8}")
                _row(
                    "batch",
                    f"check DIR {mode}",
                    f"{n} files",
                    peak,
                    took,
                    f"{lines} entries, {n / took:.0f} files/s",
                )
                out.unlink()
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()


def jobs(n_files: int) -> None:
    from gongkai.synth import plan

    print(
        f"\n## --jobs: `gongkai check DIR` over {n_files} synthetic text reports (cores: {os.cpu_count()})"
    )
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = Path(tmp)
        entries = plan(max(1, n_files // 4), range(2021, 2025), formats=["txt"], seed=3)
        for i, entry in enumerate(entries):
            if i >= n_files:
                break
            (folder / f"{i:05}.txt").write_bytes(entry.render())
        for j in (1, 2):
            took, peak, code = _measure([*GONGKAI, "check", str(folder), "--jobs", str(j)])
            print(
                f"--jobs {j}: {took:6.1f} s, {n_files / took:6.1f} reports/s, peak {peak:.0f} MB (parent), exit {code}"
            )
            _row(
                "jobs",
                f"check DIR --jobs {j}",
                f"{n_files} files",
                peak,
                took,
                f"{n_files / took:.1f} reports/s (peak: the parent)",
            )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--fuzz", type=int, default=200, help="mutated inputs a format")
    ap.add_argument("--batch", type=int, nargs="+", default=[10_000, 100_000], help="batch sizes")
    ap.add_argument(
        "--modes", default="jsonl,json", help="batch outputs to measure: jsonl, json or both"
    )
    ap.add_argument("--jobs-files", type=int, default=40, help="reports for the --jobs run")
    ap.add_argument("--skip", default="", help="parts to skip: fuzz,largest,batch,jobs")
    args = ap.parse_args()
    skip = set(args.skip.split(","))
    if "fuzz" not in skip:
        fuzz(args.fuzz)
    if "largest" not in skip:
        largest()
    if "batch" not in skip:
        batch(args.batch, [m for m in args.modes.split(",") if m])
    if "jobs" not in skip:
        jobs(args.jobs_files)
    summary()


if __name__ == "__main__":
    main()
