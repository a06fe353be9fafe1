"""Text other tools extracted from PDFs: every layout reads back exactly or leaves nulls
with warnings — never a wrong number.

The fixtures are our own reports through real converters, made by
``tests/fixtures/converters/make.py``; the corpus's dev PDFs are converted here,
into a temporary directory, by the same functions (bench/converters.py measures
both).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import CORPUS
from gongkai import read
from gongkai.record import flat_cells

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "converters"
sys.path.insert(0, str(FIXTURES))

from make import available, convert  # noqa: E402

#: converters whose text of our reports reads back exactly (no null either)
EXACT = {"libreoffice", "pymupdf", "chromium"}


def _cells(d: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in flat_cells(d).items() if k.startswith(("table", "legacy"))}


def _check(text: str, truth: dict[str, object], exact: bool) -> None:
    report = read(text.encode("utf-8"), name="converted.txt")
    got, want = _cells(report.to_dict(private=False)), _cells(truth)
    wrong = {k: (v, want.get(k)) for k, v in got.items() if v is not None and v != want.get(k)}
    assert not wrong, wrong
    nulls = [k for k, v in want.items() if v is not None and got.get(k) is None]
    if exact:
        assert not nulls, nulls
    elif nulls:
        # every cell left null is accounted for: a warning or an unsure cell says why
        assert report.extra("x_warnings") or report.extra("x_unsure"), nulls


FILES = sorted(FIXTURES.glob("*.*.txt"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fixture_reads_back_or_null(path: Path) -> None:
    name, conv = path.name[: -len(".txt")].split(".", 1)
    truth = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    _check(path.read_text("utf-8"), truth, conv in EXACT)


def test_every_converter_has_fixtures() -> None:
    convs = {p.name.split(".")[1] for p in FILES}
    assert convs == {
        "chromium",
        "libreoffice",
        "pdfminer",
        "pdftotext",
        "pdftotext-layout",
        "pdftotext-raw",
        "pymupdf",
        "pymupdf4llm",
    }


DEV_PDFS = sorted(CORPUS.glob("dev/*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.skipif(not DEV_PDFS, reason="../shared/corpus is absent")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("conv", ["pdftotext", "pdftotext-raw", "pdftotext-layout", "pymupdf"])
@pytest.mark.parametrize("pdf", DEV_PDFS, ids=lambda p: p.name)
def test_corpus_pdf_through_a_converter(pdf: Path, conv: str) -> None:
    why = available(conv)
    if why:
        pytest.skip(why)
    truth = json.loads(pdf.with_name(pdf.stem + ".gt.json").read_text("utf-8"))
    truth.pop("notes", None)
    _check(convert(pdf, conv), truth, exact=conv in ("pdftotext-raw", "pdftotext-layout"))


DEV_PAGES = sorted(CORPUS.glob("dev/*.html")) if CORPUS.is_dir() else []


@pytest.mark.corpus
@pytest.mark.browser
@pytest.mark.skipif(not DEV_PAGES, reason="../shared/corpus is absent")
@pytest.mark.parametrize("page", DEV_PAGES, ids=lambda p: p.name)
def test_corpus_page_printed_then_copied_by_chromium(page: Path) -> None:
    """A real crawled page printed by Chromium and copied out of its PDF viewer."""
    why = available("chromium")
    if why:
        pytest.skip(why)
    truth = json.loads(page.with_name(page.stem + ".gt.json").read_text("utf-8"))
    truth.pop("notes", None)
    _check(convert(page, "chromium"), truth, exact=False)
