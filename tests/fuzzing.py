"""The fuzz harness: mutated reports of every format, read and checked; anything but a
report or a one-line refusal is a crash.

:func:`campaign` makes ``n`` inputs a format from seed reports (the bundled
examples, rendered by the writer), mutates them — bytes flipped, cut,
spliced, zeroed; hostile strings (markup, comments, scripts, dashes before
numbers, huge numbers, NUL, bad UTF-8, deep nesting) put between lines, in
cells and inside the DOCX's XML; lines repeated, dropped and swapped — and
runs each through :func:`gongkai.read` and :func:`gongkai.check` under a
time limit. Deterministic from ``seed``. ``make test`` runs a short campaign
(``tests/test_hostile.py``); ``bench/hostile.py`` a long one.
"""

from __future__ import annotations

import io
import random
import re
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

HOSTILE: tuple[str, ...] = (
    "[bold red]",
    "[/]",
    "[/bold]",
    "[link=http://evil.example]x[/link]",
    "<!--",
    "-->",
    "<script>alert(1)</script>",
    "<div>" * 300,
    "</table></tr></td>",
    "—5",
    "－5",
    "-0",
    "9" * 400,
    "1e309",
    "\x00",
    "\ufeff",
    "\u202e",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    '=HYPERLINK("http://x")',
    "一、本年新收政府信息公开申请数量",
    "（七）总计",
    "表三",
    "2024-02-30",
    "二○二五年二月三十日",
    "|" * 200,
    "\t" * 100,
    "百家乐",
    "{{ 7*7 }}",
    "%s%s%s%n",
)


@dataclass
class Tally:
    """What a format's inputs gave."""

    tried: int = 0
    read: int = 0
    refused: int = 0
    crashes: int = 0
    slowest: float = 0.0
    examples: list[str] = field(default_factory=list)


def seeds(formats: tuple[str, ...] = ("txt", "md", "html", "docx", "json")) -> dict[str, bytes]:
    """One seed report a format (txt, md, html, docx, json, yaml, pdf), from the examples;
    the PDF is made by LibreOffice, only when asked for."""
    from gongkai.write.data import load_data
    from gongkai.write.render import render_bytes

    data = load_data(EXAMPLES / "qingshan-minzheng-2024.yaml")
    out = {
        "txt": (EXAMPLES / "qingshan-minzheng-2024.txt").read_bytes(),
        "md": (EXAMPLES / "qingshan-rsj-2020.md").read_bytes(),
        "html": (EXAMPLES / "qingshan-szf-2024.html").read_bytes(),
        "docx": render_bytes(data, "docx"),
        "json": data.report.model_dump_json().encode("utf-8"),
        "yaml": (EXAMPLES / "qingshan-szf-2024.yaml").read_bytes(),
    }
    if "pdf" in formats:
        out["pdf"] = render_bytes(data, "pdf")
    return out


def _bytes_mutation(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    how = rng.choice(["truncate", "flip", "splice", "zero-run", "repeat"])
    if how == "truncate":
        return bytes(b[: rng.randrange(0, len(b) + 1)])
    if how == "flip":
        for _ in range(rng.randint(1, 40)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif how == "splice":
        i = rng.randrange(len(b) + 1)
        b[i:i] = rng.randbytes(rng.randint(1, 300))
    elif how == "zero-run":
        i = rng.randrange(len(b))
        b[i : i + rng.randint(1, 5000)] = b"\x00" * 64
    else:
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.randint(1, 4000))
        b[j:j] = b[i:j] * rng.randint(2, 20)
    return bytes(b)


def _text_mutation(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        how = rng.choice(["insert", "inline", "drop", "swap", "repeat", "number"])
        i = rng.randrange(len(lines))
        if how == "insert":
            lines.insert(i, rng.choice(HOSTILE))
        elif how == "inline":
            line = lines[i]
            j = rng.randrange(len(line) + 1)
            lines[i] = line[:j] + rng.choice(HOSTILE) + line[j:]
        elif how == "drop" and len(lines) > 1:
            del lines[i]
        elif how == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "repeat":
            lines[i:i] = lines[i : i + rng.randint(1, 60)] * rng.randint(2, 5)
        else:
            lines[i] = "".join(
                rng.choice(["—", "－", "-", ""]) + str(rng.choice([0, 7, 10**12, 10**40]))
                if ch.isdigit() and rng.random() < 0.3
                else ch
                for ch in lines[i]
            )
    return "\n".join(lines)


def _docx_mutation(rng: random.Random, data: bytes) -> bytes:
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        xml = src.read("word/document.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return _bytes_mutation(rng, data)
    cut = re.split(r"(?<=<w:t>)|(?<=<w:t xml:space=\"preserve\">)", xml)
    if len(cut) < 2:
        return _bytes_mutation(rng, data)
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(1, len(cut))
        payload = "".join(ch for ch in rng.choice(HOSTILE) if ch >= " " and ch != "\ufffe")
        payload = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # the text of a run: hostile strings, numbers replaced, or the run emptied
        head, sep, tail = cut[i].partition("</w:t>")
        how = rng.random()
        if how < 0.5:
            head = payload + head
        elif how < 0.8:
            head = "".join(
                rng.choice(["—5", "-1", "9" * 30, ""]) if c.isdigit() else c for c in head
            )
        else:
            head = ""
        cut[i] = head + sep + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = "".join(cut).encode() if item.filename == "word/document.xml" else src.read(item)
            dst.writestr(item, body)
    return out.getvalue()


def mutate(rng: random.Random, fmt: str, data: bytes) -> bytes:
    """One mutation of ``data`` (a report of format ``fmt``)."""
    if fmt == "docx" and rng.random() < 0.7:
        return _docx_mutation(rng, data)
    if fmt in ("txt", "md", "html", "json", "yaml") and rng.random() < 0.6:
        return _text_mutation(rng, data.decode("utf-8", "replace")).encode("utf-8", "replace")
    return _bytes_mutation(rng, data)


def attempt(fmt: str, data: bytes, workdir: Path, seconds: float = 20.0) -> tuple[str, float, str]:
    """Read and check one input: ``("read" | "refused" | "crash", seconds, detail)``."""
    from gongkai import check
    from gongkai.batch import load_report
    from gongkai.errors import InputError
    from gongkai.reading.limits import Limits

    path = workdir / f"fuzz.{fmt}"
    path.write_bytes(data)
    start = time.monotonic()
    try:
        report = load_report(path, limits=Limits(seconds=seconds))
        check(report)
        outcome, detail = "read", ""
    except InputError as exc:
        msg = exc.message("zh")
        outcome, detail = ("refused", msg) if str(path) in msg else ("crash", f"unnamed: {msg}")
    except Exception:
        outcome, detail = "crash", traceback.format_exc(limit=6)
    return outcome, time.monotonic() - start, detail


def campaign(
    n: int,
    seed: int = 0,
    workdir: Path | None = None,
    formats: tuple[str, ...] = ("txt", "md", "html", "docx", "json", "yaml"),
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Tally]:
    """``n`` mutated inputs a format; what they gave."""
    import tempfile

    rng = random.Random(seed)
    base = seeds(formats)
    out: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        work = workdir or Path(tmp)
        for fmt in formats:
            tally = out.setdefault(fmt, Tally())
            data = base[fmt]
            for i in range(n):
                sample = mutate(rng, fmt, data)
                outcome, took, detail = attempt(fmt, sample, work)
                tally.tried += 1
                tally.slowest = max(tally.slowest, took)
                if outcome == "read":
                    tally.read += 1
                elif outcome == "refused":
                    tally.refused += 1
                else:
                    tally.crashes += 1
                    keep = work / f"crash-{fmt}-{i}.{fmt}"
                    keep.write_bytes(sample)
                    tally.examples.append(f"{keep}: {detail.strip().splitlines()[-1]}")
                if progress is not None:
                    progress(fmt, i + 1)
    return out
