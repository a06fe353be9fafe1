"""Bad input never crashes and never lies: one clear error naming the file."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from gongkai import read
from gongkai.errors import (
    CorruptFile,
    EmptyInput,
    InputError,
    NotAReport,
    NoTextLayer,
    TooLarge,
    UnknownFormat,
)


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(EmptyInput) as e:
        read(p)
    assert str(p) in e.value.message("zh") and "文件为空" in e.value.message("zh")
    assert "empty" in e.value.message("en")


def test_whitespace_only(tmp_path: Path) -> None:
    p = tmp_path / "blank.html"
    p.write_bytes(b" \n\t\n  ")
    with pytest.raises(EmptyInput):
        read(p)


def test_binary_garbage(tmp_path: Path) -> None:
    p = tmp_path / "garbage.bin"
    p.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnknownFormat) as e:
        read(p)
    assert "garbage.bin" in str(e.value)


def test_text_that_holds_replacement_characters_is_still_text(tmp_path: Path) -> None:
    """A report whose own text spells U+FFFD often (a writer showed unprintable characters
    so) is UTF-8 text, not binary; bytes that do not decode are still counted as damage."""
    example = Path(__file__).parent.parent / "examples" / "qingshan-minzheng-2024.txt"
    text = example.read_text("utf-8")
    first, rest = text.split("\n", 1)
    shown = first + "\n" + "\ufffd" * 400 + "\n" + rest[:4000]
    p = tmp_path / "shown.txt"
    p.write_text(shown, "utf-8")
    assert read(p).agency
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(shown.replace("\ufffd", "").encode("utf-8")[:3000] + b"\xff\xfe" * 400)
    with pytest.raises(UnknownFormat):
        read(damaged)


def test_garbage_named_pdf(tmp_path: Path) -> None:
    p = tmp_path / "fake.pdf"
    p.write_bytes(b"this is not a pdf at all, just words\n" * 20)
    with pytest.raises(InputError):
        read(p)


def test_broken_image_is_refused(tmp_path: Path) -> None:
    """An image is read by OCR (or refused naming the OCR extra); a broken one is neither."""
    p = tmp_path / "scan.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    with pytest.raises((CorruptFile, NoTextLayer)) as e:
        read(p)
    assert "图片" in e.value.message("zh")


def test_ole_file_that_is_not_word(tmp_path: Path) -> None:
    p = tmp_path / "sheet.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UnknownFormat) as e:
        read(p)
    assert "Word" in e.value.message("zh")


def test_old_word_doc_without_libreoffice_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongkai import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    p = tmp_path / "old.doc"
    p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    )
    with pytest.raises(UnknownFormat) as e:
        read(p)
    assert "LibreOffice" in e.value.message("zh") and ".docx" in e.value.message("zh")


def test_zip_that_is_not_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    p = tmp_path / "archive.zip"
    p.write_bytes(buf.getvalue())
    with pytest.raises(UnknownFormat):
        read(p)


def test_truncated_docx(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    import docx

    d = docx.Document()
    d.add_paragraph("青山市民政局2023年政府信息公开工作年度报告")
    buf = io.BytesIO()
    d.save(buf)
    p = tmp_path / "cut.docx"
    p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(CorruptFile) as e:
        read(p)
    assert "cut.docx" in str(e.value)


def test_huge_file_rejected_fast(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(500 * 1024 * 1024)  # sparse: no disk used
    t0 = time.perf_counter()
    with pytest.raises(TooLarge) as e:
        read(p)
    assert time.perf_counter() - t0 < 5
    assert "huge.txt" in e.value.message("zh") and "MB" in e.value.message("zh")


def test_page_that_is_not_a_report(tmp_path: Path) -> None:
    p = tmp_path / "news.html"
    p.write_text(
        "<html><head><meta charset='utf-8'><title>天气预报</title></head><body>"
        "<p>今天晴，最高气温25度。</p><p>明天多云。</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(NotAReport) as e:
        read(p)
    assert "news.html" in e.value.message("zh")


def test_plain_text_that_is_not_a_report(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("会议纪要\n一、讨论事项\n二、下一步安排\n", encoding="utf-8")
    with pytest.raises(NotAReport):
        read(p)


def test_broken_html_still_reads(tmp_path: Path) -> None:
    from layouts import render
    from records import example

    text = render(example("2021"), "cells")
    html = "<html><body><div><p>" + "</p><p>".join(text.splitlines()) + "<table><tr><td>unclosed"
    p = tmp_path / "broken.html"
    p.write_bytes(html.encode("gb18030"))
    report = read(p)
    assert report.year == 2023 and report.table3 is not None
