"""Text extracted from real PDFs, read as text: the layouts PDF extraction gives.

pdfium's text (labels centred on two-line cells come after their numbers)
and ``pdftotext -layout`` (space-aligned columns) must both read into the
reference record.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, reference_diff
from gongkai import read

PDFS = sorted(CORPUS.glob("*/*.pdf")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not PDFS, reason="../shared/corpus is absent: no reference PDFs")


def _compare(text: str, pdf: Path) -> None:
    got = read(text.encode("utf-8"), name=pdf.name + ".txt").to_dict(private=False)
    assert reference_diff(got, pdf, agency_by_key=True) == {}


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("pdf", PDFS, ids=[p.name for p in PDFS])
def test_pdfium_text_reads_as_text(pdf: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    _compare(text, pdf)


@needs_corpus
@pytest.mark.corpus
@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
@pytest.mark.parametrize("pdf", PDFS, ids=[p.name for p in PDFS])
def test_pdftotext_layout_reads_as_text(pdf: Path) -> None:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    _compare(out.stdout.decode("utf-8"), pdf)
