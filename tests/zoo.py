"""The hostile-file zoo: files that once crashed, hung or fooled a reader.

:func:`make_zoo` writes them into a folder and says what each must give:
``record`` (read as a report), ``refused`` (one line naming the file, exit
2), or ``either``. ``scale`` grows the big ones (the bench uses it; the
tests keep it small). Run ``python tests/zoo.py DIR`` to write a zoo by hand.
"""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

Expect = Literal["record", "refused", "either"]

#: console markup and HTML in an agency name: printed as text everywhere
MARKUP_AGENCY = "[bold]青山[/]市[red]示范区[/red]民政局"


@dataclass(frozen=True)
class Specimen:
    path: Path
    expect: Expect
    why: str


def _text() -> str:
    return (EXAMPLES / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")


def _html() -> str:
    return (EXAMPLES / "qingshan-minzheng-2024.html").read_text(encoding="utf-8")


def _docx_bytes() -> bytes:
    from gongkai.write.data import load_data
    from gongkai.write.render import render_bytes

    return render_bytes(load_data(EXAMPLES / "qingshan-minzheng-2024.yaml"), "docx")


def _zip_bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"<w:p>" + b"0" * 1_048_576
            for _ in range(max(1, size // len(chunk))):
                f.write(chunk)
    return buf.getvalue()


def _pdf_pages(n: int) -> bytes:
    import pypdfium2 as pdfium

    from gongkai.pdfium import LOCK

    with LOCK:
        pdf = pdfium.PdfDocument.new()
        for _ in range(n):
            pdf.new_page(595, 842)
        buf = io.BytesIO()
        pdf.save(buf)
        pdf.close()
    return buf.getvalue()


def make_zoo(folder: str | os.PathLike[str], scale: int = 1) -> list[Specimen]:
    """Write the zoo into ``folder``; ``scale`` multiplies the big specimens."""
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    out: list[Specimen] = []

    def put(name: str, data: bytes | str, expect: Expect, why: str) -> None:
        p = d / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out.append(Specimen(p, expect, why))

    text, html = _text(), _html()
    put("empty.txt", b"", "refused", "empty file")
    put("blank.html", " \n\t\n" * 100, "refused", "white space only")
    put("bom-only.txt", b"\xef\xbb\xbf", "refused", "a BOM and nothing else")
    put("garbage.pdf", os.urandom(4096), "refused", "random bytes named .pdf")
    put("garbage.docx", os.urandom(4096), "refused", "random bytes named .docx")
    put("garbage.txt", bytes(range(256)) * 64, "refused", "binary named .txt")
    put("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<<", "refused", "a PDF cut short")
    docx = _docx_bytes()
    put("truncated.docx", docx[: len(docx) // 2], "refused", "a DOCX cut short")
    put("bomb.docx", _zip_bomb(200 * 1_048_576 * scale), "refused", "a zip bomb")
    put("many-pages.pdf", _pdf_pages(600), "refused", "more pages than the limit")
    put("one-line.txt", "政府信息公开" * (400_000 * scale), "refused", "characters over the limit")
    put(
        "nested.html",
        "<html><body>" + "<div>" * (200_000 * scale) + "x" + "</div>" * 1000,
        "refused",
        "200,000 nested elements",
    )
    cells = "<tr>" + "<td>1</td>" * 100 + "</tr>"
    put(
        "cells.html",
        "<html><body><table>" + cells * (1_200 * scale) + "</table></body></html>",
        "refused",
        "more table cells than the limit",
    )
    put("comment.html", html.replace("<body>", "<body><!--", 1), "either", "an unclosed comment")
    put(
        "script-agency.html",
        html.replace("青山市示范区民政局", "<script>alert(1)</script>青山市示范区民政局"),
        "either",
        "a script inside the agency name",
    )
    put("markup-agency.txt", text.replace("青山市示范区民政局", MARKUP_AGENCY), "record", "markup")
    put("nul-bytes.txt", text.replace("\n", "\n\x00", 3), "either", "NUL bytes in text")
    put(
        "bad-utf8.txt",
        text.encode("utf-8")[:2000] + b"\xff\xfe" + text.encode("utf-8")[2000:],
        "either",
        "one bad byte",
    )
    put("crlf-only.txt", "\r" * 100_000, "refused", "line breaks only")
    huge = {"template": "2021", "table3": {"new": list(range(3_000_000 * scale))}}
    put(
        "huge-embedded.html",
        html.replace(
            "</body>",
            f'<script type="application/json" id="gongkai-record">{json.dumps(huge)}</script></body>',
        ),
        "either",
        "an embedded record of 20 MB",
    )
    put("deep.json", "[" * 200_000 + "]" * 200_000, "refused", "deeply nested JSON")
    put("deep.yaml", "- " * 50_000 + "x\n", "refused", "deeply nested YAML")
    put(
        "huge-int.json", '{"template": "2021", "year": ' + "9" * 5000 + "}", "refused", "a huge int"
    )
    put(
        "bad-date.json",
        '{"template": "2021", "year": 2024, "published": "2024-02-30"}',
        "refused",
        "Feb 30",
    )
    (d / "folder-named.pdf").mkdir(exist_ok=True)
    out.append(Specimen(d / "folder-named.pdf", "refused", "a folder named like a report"))
    fifo = d / "pipe.html"
    if not fifo.exists():
        os.mkfifo(fifo)
    out.append(Specimen(fifo, "refused", "a FIFO (reading it would hang)"))
    odd = d / "一、总体情况\n二、主动公开.txt"
    odd.write_text(text, encoding="utf-8")
    out.append(Specimen(odd, "record", "a file name with a line break"))
    loop = d / "loop.txt"
    if not loop.is_symlink():
        loop.symlink_to(loop)
    out.append(Specimen(loop, "refused", "a symlink to itself"))
    return out


if __name__ == "__main__":  # pragma: no cover
    for s in make_zoo(sys.argv[1] if len(sys.argv) > 1 else "zoo"):
        print(f"{s.expect:8} {s.path.name!r}: {s.why}")
