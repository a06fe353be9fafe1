"""PDF through LibreOffice headless, with the record attached.

Each call to :func:`convert` is one isolated LibreOffice run
(:mod:`gongkai.office`: a profile of its own, many documents in one batch).
The profile maps the official
fonts the DOCX names (仿宋_GB2312, 方正小标宋简体, 黑体 …) to Noto CJK, so the
PDF renders the same on a machine with only fonts-noto-cjk.

After conversion the record is attached to the PDF as ``gongkai-record.json``
(pypdfium2).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from gongkai.office import convert_files
from gongkai.write.data import ReportData
from gongkai.write.docx import FONT_FALLBACKS, render_docx

ATTACHMENT_NAME = "gongkai-record.json"

#: Replacements for the PDF only: Latin digits in the CJK serif, like the body text.
PDF_ONLY_FALLBACKS = {"Times New Roman": "Noto Serif CJK SC"}

_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def _registry() -> str:
    """``registrymodifications.xcu`` with the font replacement table."""
    pairs = []
    table = {**FONT_FALLBACKS, **PDF_ONLY_FALLBACKS}
    for i, (font, fallback) in enumerate(table.items()):
        pairs.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{i}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(font)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(fallback)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>\n'
        + "\n".join(pairs)
        + '\n<item oor:path="/org.openoffice.Office.Common/Misc">'
        '<prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>\n'
        "</oor:items>\n"
    )


def convert(docx_files: Sequence[Path], outdir: Path, timeout: float | None = None) -> list[Path]:
    """Convert DOCX files to PDF in ``outdir`` with one LibreOffice run; returns the PDFs.

    Input file names must have distinct stems (the PDF takes the stem).
    """
    return convert_files(docx_files, outdir, _FILTER, ".pdf", registry=_registry(), timeout=timeout)


def attach_record(pdf: bytes, data: ReportData) -> bytes:
    """``pdf`` with the record attached as ``gongkai-record.json``."""
    import pypdfium2 as pdfium

    from gongkai.pdfium import LOCK

    with LOCK:
        doc = pdfium.PdfDocument(pdf)
        try:
            att = doc.new_attachment(ATTACHMENT_NAME)
            att.set_data(data.to_json().encode("utf-8"))
            out = _save(doc)
        finally:
            doc.close()
    return out


def _save(doc: object) -> bytes:
    import io

    buf = io.BytesIO()
    doc.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def render_pdfs(
    items: Sequence[ReportData], *, embed: bool = True, timeout: float | None = None
) -> list[bytes]:
    """Many reports as PDF with one LibreOffice run (batch mode)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        src = Path(tmp, "docx")
        src.mkdir()
        files = []
        for i, data in enumerate(items):
            f = src / f"report{i:05d}.docx"
            f.write_bytes(render_docx(data, embed=embed))
            files.append(f)
        pdfs = convert(files, Path(tmp, "pdf"), timeout)
        out = []
        for data, path in zip(items, pdfs, strict=True):
            raw = path.read_bytes()
            out.append(attach_record(raw, data) if embed else raw)
    return out


def render_pdf(data: ReportData, *, embed: bool = True, timeout: float | None = None) -> bytes:
    """One report as PDF."""
    return render_pdfs([data], embed=embed, timeout=timeout)[0]
