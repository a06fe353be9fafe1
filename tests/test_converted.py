"""Real reports converted by real tools still read into their reference record.

People meet the same report as a web page, as the PDF a browser prints of it,
as the PDF LibreOffice makes of its Word copy, and as text copied out of the
page. Each conversion here is made by the real tool (Chromium, LibreOffice,
lxml) from the reference corpus and read back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, reference_diff
from gongkai import read

HTML = CORPUS / "dev" / "shuyang-fgj-2023.html"
DOCX = CORPUS / "dev" / "shuyang-fgj-2023.docx"
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None)
needs_corpus = pytest.mark.skipif(not HTML.exists(), reason="../shared/corpus is absent")


@needs_corpus
@pytest.mark.corpus
def test_page_copied_as_text() -> None:
    import lxml.html

    tree = lxml.html.fromstring(HTML.read_bytes())
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    text = re.sub(r"\n\s*\n+", "\n", re.sub(r"[ \t\xa0\u3000]+", " ", tree.text_content()))
    # blank cells vanish from the copy: rows show two values (自然人 and 总计 on
    # the page) and nothing says which of the six applicant columns the first
    # one was: those cells are null, never a guess; no cell is wrong
    report = read(text)
    diff = reference_diff(report.to_dict(private=False), HTML)
    assert diff and all(got is None for got, _ in diff.values()), diff
    assert report.t3()["new"][6] == 26 and report.t3()["total"][6] == 26
    unsure = {(u["table"], u["row"], u["column"]) for u in report.extra("x_unsure")}
    assert {(*k.split(".")[:2], int(k.split(".")[2])) for k in diff} <= unsure
    warned = [w for w in report.extra("x_warnings") if w["row"] == "new"]
    assert warned and [26, None, None, None, None, None, 26] in warned[0]["candidates"]


@needs_corpus
@pytest.mark.corpus
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_page_printed_to_pdf_by_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    pdf = tmp_path / "printed.pdf"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(HTML.as_uri())
        page.pdf(path=str(pdf), format="A4")
        browser.close()
    assert reference_diff(read(pdf).to_dict(private=False), HTML) == {}


@needs_corpus
@pytest.mark.corpus
@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_word_copy_converted_to_pdf_by_libreoffice(tmp_path: Path) -> None:
    """Rows split over page breaks (``3. 补正后申请`` | ``内容仍不明确``) still read.

    Table 4 of this Word copy is wider than the page and LibreOffice clips
    three of its columns: the reader leaves it null with a warning.
    """
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(DOCX),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = read(tmp_path / (DOCX.stem + ".pdf"))
    assert reference_diff(report.to_dict(private=False), DOCX, skip=("table4",)) == {}
    # 12 values for 15 cells: every placement that keeps the group totals agrees on
    # 行政复议; the two groups of suits stay null
    assert report.t4()["review"] == [0, 0, 0, 1, 1]
    assert report.extra("x_provenance")["table4.review.4"]["by"] == "arithmetic"
    assert report.t4()["litigation_direct"] == [None] * 5
    assert any(
        w["code"] == "short-row" and w["table"] == "table4" for w in report.extra("x_warnings")
    )


@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_old_word_doc_reads_through_libreoffice(tmp_path: Path) -> None:
    """A report saved as Word 97–2003 .doc (as many agencies publish) reads into its record."""
    from gongkai.write.data import from_dict
    from gongkai.write.render import render_bytes
    from records import example

    record = example("2021")
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(render_bytes(from_dict(record), "docx", embed=False))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc:MS Word 97",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    report = read(tmp_path / "report.doc")
    assert (report.extra("x_source") or {})["format"] == "doc"
    got = report.to_dict(private=False)
    assert {k: got[k] for k in ("agency", "year", "template", "table2", "table3", "table4")} == {
        k: record[k] for k in ("agency", "year", "template", "table2", "table3", "table4")
    }


def test_corrupt_old_word_doc_is_one_clear_error(tmp_path: Path) -> None:
    from gongkai.errors import InputError

    p = tmp_path / "broken.doc"
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 4000
    )
    with pytest.raises(InputError) as e:
        read(p)
    assert "broken.doc" in str(e.value)
