"""Tests of the PDF reader (gongkai.reading.formats.pdf).

Small PDFs are written here in raw PDF syntax: Helvetica for ASCII, the
standard CJK font STSong-Light (UniGB-UCS2-H, nothing embedded) for Chinese,
rules drawn with ``m``/``l``/``re``. The real reports under
``../shared/corpus/dev`` are checked against their ``.gt.json`` when present.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import pypdfium2
import pytest

from gongkai.errors import CorruptFile, EmptyInput, EncryptedFile, InputError, NoTextLayer
from gongkai.reading.document import Cell, Document, Para, TableBlock
from gongkai.reading.formats import pdf as pdf_reader
from gongkai.reading.formats.pdf import read

CORPUS = Path(__file__).parents[2] / "shared" / "corpus" / "dev"
CORPUS_PDFS = ["hongze-qzf-2023", "hongze-qzf-2024", "huaian-szf-2024"]

# ------------------------------------------------------------------ a tiny PDF writer

_CJK_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 "
    b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
    b"/CapHeight 880 /StemV 93 >> >>] >>"
)
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_FILE_ID = bytes(range(16))


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypt_dict(user: str, owner: str) -> bytes:
    """Standard security handler, revision 2 (40-bit RC4): the /O and /U entries."""

    def pad(password: str) -> bytes:
        return (password.encode("latin-1") + _PAD)[:32]

    o = _rc4(hashlib.md5(pad(owner), usedforsecurity=False).digest()[:5], pad(user))
    p = (-4).to_bytes(4, "little", signed=True)
    key = hashlib.md5(pad(user) + o + p + _FILE_ID, usedforsecurity=False).digest()[:5]
    u = _rc4(key, _PAD)
    return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (
        o.hex().encode(),
        u.hex().encode(),
    )


def make_pdf(
    pages: Sequence[str],
    *,
    title: str | None = None,
    files: dict[str, bytes] | None = None,
    forms: dict[str, str] | None = None,
    rotate: int = 0,
    password: str | None = None,
    image: bool = False,
    size: tuple[int, int] = (595, 842),
) -> bytes:
    """A PDF whose pages have the given content streams (fonts /F1 Helvetica, /F2 CJK)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(head: bytes, data: bytes) -> int:
        return add(b"<< %s /Length %d >>\nstream\n" % (head, len(data)) + data + b"\nendstream")

    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    f2 = add(_CJK_FONT)
    xobjects = b""
    for name, content in (forms or {}).items():
        fid = stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Matrix [1 0 0 1 10 0] "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >>" % (*size, f1, f2),
            content.encode(),
        )
        xobjects += b"/%s %d 0 R " % (name.encode(), fid)
    if image:
        iid = stream(
            b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x00\xff\xff\x00",
        )
        xobjects += b"/Im1 %d 0 R " % iid
    pages_id = len(objs) + 2 * len(pages) + 1
    kids = []
    for content in pages:
        cid = stream(b"", content.encode())
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Rotate %d /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << %s>> >> >>"
                % (pages_id, *size, rotate, cid, f1, f2, xobjects)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))) == pages_id
    names = b""
    if files:
        entries = b""
        for name, data in files.items():
            eid = stream(b"/Type /EmbeddedFile", data)
            spec = add(
                b"<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>"
                % (name.encode(), name.encode(), eid)
            )
            entries += b"(%s) %d 0 R " % (name.encode(), spec)
        names = b"/Names << /EmbeddedFiles << /Names [%s] >> >>" % entries
    root = add(b"<< /Type /Catalog /Pages %d 0 R %s >>" % (pages_id, names))
    trailer = b"/Root %d 0 R /ID [<%s> <%s>]" % (
        root,
        _FILE_ID.hex().encode(),
        _FILE_ID.hex().encode(),
    )
    if title is not None:
        trailer += b" /Info %d 0 R" % add(
            b"<< /Title <FEFF%s> >>" % title.encode("utf-16-be").hex().encode()
        )
    if password is not None:
        trailer += b" /Encrypt %d 0 R" % add(_encrypt_dict(password, password + "-owner"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, xref)
    return bytes(out)


def text(x: float, y: float, s: str, size: float = 10) -> str:
    """Show ``s`` with its baseline at (x, y)."""
    if s.isascii():
        esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"BT /F1 {size} Tf {x} {y} Td ({esc}) Tj ET\n"
    return f"BT /F2 {size} Tf {x} {y} Td <{s.encode('utf-16-be').hex()}> Tj ET\n"


def hline(x0: float, x1: float, y: float) -> str:
    return f"0.5 w {x0} {y} m {x1} {y} l S\n"


def vline(x: float, y0: float, y1: float) -> str:
    return f"0.5 w {x} {y0} m {x} {y1} l S\n"


def grid(
    x0: float,
    top: float,
    widths: Sequence[float],
    height: float,
    rows: Sequence[Sequence[str | None]],
    merged: Iterable[tuple[int, int]] = (),
) -> str:
    """A ruled table: ``rows[r][c]`` is written in cell (r, c); None leaves it out.
    ``merged`` lists (row, boundary) pairs whose vertical rule is not drawn."""
    skip = set(merged)
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ops = [hline(x0, xs[-1], top - r * height) for r in range(len(rows) + 1)]
    for r, row in enumerate(rows):
        y1, y0 = top - r * height, top - (r + 1) * height
        ops += [vline(x, y0, y1) for k, x in enumerate(xs) if (r, k) not in skip]
        ops += [text(xs[c] + 3, y0 + height / 2 - 3, s, 9) for c, s in enumerate(row) if s]
    return "".join(ops)


def distinct(row: list[Cell]) -> list[Cell]:
    """One cell per printed cell (spanned copies dropped)."""
    seen: set[int | None] = set()
    out = []
    for c in row:
        if c.origin not in seen:
            seen.add(c.origin)
            out.append(c)
    return out


def texts(table: TableBlock) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


# ------------------------------------------------------------------ tables


def test_ruled_table_rows_columns_and_blank_cells() -> None:
    rows: list[list[str | None]] = [
        ["Item", "A", "B", "Total"],
        ["apples", "1", None, "1"],
        ["pears", "20", "3", "23"],
    ]
    doc = read(
        make_pdf([text(72, 760, "Table 3") + grid(72, 740, [120, 60, 60, 60], 20, rows)]), "t.pdf"
    )
    assert doc.format == "pdf"
    assert [type(b) for b in doc.blocks] == [Para, TableBlock]
    table = doc.tables()[0]
    assert table.grid
    assert texts(table) == [
        ["Item", "A", "B", "Total"],
        ["apples", "1", "", "1"],
        ["pears", "20", "3", "23"],
    ]
    for r, row in enumerate(table.rows, 1):
        assert [c.col for c in row] == [0, 1, 2, 3]
        assert [c.loc.col for c in row] == [1, 2, 3, 4]
        assert {c.loc.row for c in row} == {r}
        assert {(c.loc.page, c.loc.table) for c in row} == {(1, 1)}
    origins = [c.origin for row in table.rows for c in row]
    assert len(set(origins)) == len(origins)


def test_merged_cells_repeat_with_one_origin() -> None:
    rows: list[list[str | None]] = [
        ["Group", "Applicants", None, None],
        [None, "people", "firms", "total"],
        ["one", "1", "2", "3"],
    ]
    # "Applicants" spans columns 1-3 (no rule at boundaries 2, 3 in row 0);
    # "Group" spans rows 0-1 (but rows are bands: it lands in row 0)
    body = grid(72, 700, [100, 60, 60, 60], 20, rows, merged=[(0, 2), (0, 3)])
    table = read(make_pdf([body]), "t.pdf").tables()[0]
    head = table.rows[0]
    assert [c.text for c in head] == ["Group", "Applicants", "Applicants", "Applicants"]
    assert [c.col for c in head] == [0, 1, 2, 3]
    assert len({c.origin for c in head[1:]}) == 1
    assert [c.text for c in distinct(head)] == ["Group", "Applicants"]
    assert texts(table)[1:] == [["", "people", "firms", "total"], ["one", "1", "2", "3"]]


def test_vertical_label_lands_in_left_cells() -> None:
    label = "三、本年度办理结果"
    rows = [
        [None, "（一）予以公开", "5"],
        [None, "（二）部分公开", "6"],
        [None, "（三）不予公开", "7"],
    ]
    body = grid(72, 700, [30, 150, 60], 36, rows, merged=[])
    body += "".join(text(80, 700 - 12 * (k + 1) + 2, ch, 9) for k, ch in enumerate(label))
    table = read(make_pdf([body]), "t.pdf").tables()[0]
    assert [row[1].text for row in table.rows] == [
        "（一）予以公开",
        "（二）部分公开",
        "（三）不予公开",
    ]
    assert [row[2].text for row in table.rows] == ["5", "6", "7"]
    assert "".join(row[0].text for row in table.rows) == label


def test_lines_inside_a_cell() -> None:
    body = grid(72, 700, [100, 30, 80], 40, [[None, None, None]])
    body += text(75, 688, "（二）部分公开（区分") + text(75, 676, "处理的）")
    body += text(175, 688, "398") + text(175, 676, "5758")  # a number wrapped in a full cell
    body += text(205, 688, "1") + text(205, 676, "2")  # two numbers stacked, no rule between
    table = read(make_pdf([body]), "t.pdf").tables()[0]
    assert texts(table) == [["（二）部分公开（区分处理的）", "3985758", "1 2"]]


def test_stroked_cell_rectangles_and_forms() -> None:
    cells = "".join(
        f"0.5 w {72 + 60 * c} {700 - 20 * r} 60 20 re S\n" for r in range(2) for c in range(3)
    )
    cells += "".join(
        text(75 + 60 * c, 706 - 20 * r, f"r{r}c{c}", 9) for r in range(2) for c in range(3)
    )
    doc = read(make_pdf([cells]), "t.pdf")
    assert texts(doc.tables()[0]) == [["r0c0", "r0c1", "r0c2"], ["r1c0", "r1c1", "r1c2"]]
    # the same table in a form XObject drawn scaled and moved: rules and text follow
    doc = read(make_pdf(["q 0.6 0 0 0.6 100 -250 cm /Fm1 Do Q"], forms={"Fm1": cells}), "t.pdf")
    assert texts(doc.tables()[0]) == [["r0c0", "r0c1", "r0c2"], ["r1c0", "r1c1", "r1c2"]]


def test_thin_filled_rectangles_are_rules_and_shading_is_not() -> None:
    shading = "0.9 g 72 660 180 40 re f 0 g\n"  # a filled box under the table: no rule
    rules = "".join(f"72 {y} 180 0.6 re f\n" for y in (700, 680, 660))
    rules += "".join(f"{x} 660 0.6 40 re f\n" for x in (72, 132, 192, 252))
    cells = text(75, 686, "a") + text(135, 686, "b") + text(195, 666, "c")
    table = read(make_pdf([shading + rules + cells]), "t.pdf").tables()[0]
    assert texts(table) == [["a", "b", ""], ["", "", "c"]]


def test_table_split_over_pages_and_page_numbers_dropped() -> None:
    head = [["Row", "x", "y"]]
    page1 = text(72, 780, "first page") + grid(
        72, 200, [100, 50, 50], 20, [*head, ["r1", "1", "2"]]
    )
    page1 += text(290, 40, "- 1 -", 12)
    # on page 2 the table runs into the foot margin and a page number sits inside it
    page2 = grid(72, 800, [100, 50, 50], 20, [["r2", "3", "4"]]) + grid(
        72, 120, [100, 50, 50], 80, [["r3", "5", "6"]]
    )
    page2 += text(200, 60, "-2-", 12) + text(300, 815, "2")
    doc = read(make_pdf([page1, page2]), "t.pdf")
    tables = doc.tables()
    assert [t.loc.page for t in tables] == [1, 2, 2]
    assert [t.loc.table for t in tables] == [1, 2, 3]
    assert texts(tables[0]) == [["Row", "x", "y"], ["r1", "1", "2"]]
    assert texts(tables[1]) == [["r2", "3", "4"]]
    assert texts(tables[2]) == [["r3", "5", "6"]]
    assert [p.text for p in doc.paras()] == ["first page"]
    assert "1 -" not in doc.text() and "-2-" not in doc.text()


def test_prose_lines_in_reading_order() -> None:
    body = text(72, 780, "一、总体情况", 16)
    body += (
        text(72, 750, "本年度共收到申请", 12)
        + text(168, 750, "2024", 12)
        + text(196, 750, "件。", 12)
    )
    body += text(72, 730, "Hello world", 12)
    body += text(72, 710, "行政许可", 12) + text(300, 710, "447228", 12)
    body += text(72, 60, "95", 12)  # a short last line in the foot margin: kept
    body += text(290, 30, "3", 10)  # a bare page number at the foot: dropped
    doc = read(make_pdf([body]), "t.pdf")
    paras = doc.paras()
    assert [p.loc.line for p in paras] == [1, 2, 3, 4, 5]
    assert paras[4].text == "95"
    assert {p.loc.page for p in paras} == {1}
    assert paras[0].text == "一、总体情况"
    assert paras[1].text.replace(" ", "") == "本年度共收到申请2024件。"
    assert paras[2].text == "Hello world"
    assert paras[3].text == "行政许可  447228"


def test_rotated_page_reads_upright() -> None:
    # /Rotate 90: the content is drawn turned a quarter anticlockwise
    body = "BT /F1 12 Tf 0 1 -1 0 180 72 Tm (first line) Tj ET\nBT /F1 12 Tf 0 1 -1 0 200 72 Tm (second line) Tj ET\n"
    doc = read(make_pdf([body], rotate=90), "t.pdf")
    assert [p.text for p in doc.paras()] == ["first line", "second line"]


# ------------------------------------------------------------------ metadata and limits


def test_meta_title_pages_and_embedded_record() -> None:
    record = {"agency": "某某局", "year": 2024}
    data = make_pdf(
        [text(72, 700, "x"), text(72, 700, "y")],
        title="政府信息公开工作年度报告",
        files={"other.txt": b"hi", "gongkai-record.json": json.dumps(record).encode()},
    )
    doc = read(data, "t.pdf")
    assert doc.meta["pages"] == 2
    assert doc.meta["title"] == "政府信息公开工作年度报告"
    assert doc.meta["embedded"] == record
    assert doc.warnings == []


def test_no_title_no_record_and_bad_record() -> None:
    doc = read(make_pdf([text(72, 700, "x")]), "t.pdf")
    assert "title" not in doc.meta and "embedded" not in doc.meta
    doc = read(make_pdf([text(72, 700, "x")], files={"gongkai-record.json": b"{not json"}), "t.pdf")
    assert "embedded" not in doc.meta
    assert [w.code for w in doc.warnings] == ["embedded-invalid"]


def test_page_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    doc = read(make_pdf([text(72, 700, f"page {i}") for i in range(1, 4)]), "t.pdf")
    assert doc.meta["pages"] == 3
    assert [p.text for p in doc.paras()] == ["page 1", "page 2"]
    assert [w.code for w in doc.warnings] == ["pages-truncated"]


# ------------------------------------------------------------------ bad input


def test_empty_input() -> None:
    with pytest.raises(EmptyInput):
        read(b"", "empty.pdf")


@pytest.mark.parametrize(
    "data", [b"garbage" * 100, b"%PDF-1.4\n" + bytes(range(256)) * 8, b"%PDF-1.7\n%%EOF\n"]
)
def test_garbage_is_corrupt(data: bytes) -> None:
    with pytest.raises(CorruptFile) as info:
        read(data, "bad.pdf")
    assert info.value.source == "bad.pdf"
    assert info.value.zh_message().startswith("文件已损坏")


def test_truncated_pdf_is_corrupt() -> None:
    data = make_pdf([text(72, 700, "hello") * 50])
    with pytest.raises(CorruptFile):
        read(data[: len(data) // 3], "cut.pdf")


def test_truncated_corpus_pdf_is_corrupt() -> None:
    path = CORPUS / "huaian-szf-2024.pdf"
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    with pytest.raises(CorruptFile):
        read(path.read_bytes()[:1000], "cut.pdf")


def test_encrypted_pdf() -> None:
    data = make_pdf([text(72, 700, "secret")], password="s3cret")
    with pytest.raises(EncryptedFile) as info:
        read(data, "locked.pdf")
    assert isinstance(info.value, InputError)
    # the security handler is genuine: the password opens it
    pypdfium2.PdfDocument(data, password="s3cret").close()


def test_image_only_pdf_has_no_text_layer() -> None:
    scan = "q 400 0 0 600 100 100 cm /Im1 Do Q\n"
    with pytest.raises(NoTextLayer):
        read(make_pdf([scan, scan], image=True), "scan.pdf")
    with pytest.raises(NoTextLayer):  # a blank page
        read(make_pdf([""]), "blank.pdf")


def test_partly_scanned_pdf_warns() -> None:
    scan = "q 400 0 0 600 100 100 cm /Im1 Do Q\n"
    words = "".join(text(72, 800 - 14 * i, "some words on a line") for i in range(20))
    doc = read(make_pdf([words, scan], image=True), "mixed.pdf")
    assert [w.code for w in doc.warnings] == ["no-text-page"]


# ------------------------------------------------------------------ the corpus


def _numeric(s: str) -> bool:
    return re.fullmatch(r"-?\d+(?:\.\d+)?", s) is not None


def _rows(doc: Document) -> list[list[Cell]]:
    return [distinct(row) for table in doc.tables() for row in table.rows]


def _value_rows(doc: Document, width: int) -> list[tuple[str, list[Cell]]]:
    """(label, values) of every row ending in exactly ``width`` numeric cells after its label."""
    out = []
    for row in _rows(doc):
        k = len(row)
        while k and _numeric(row[k - 1].text):
            k -= 1
        labels = [c.text for c in row[:k] if c.text]
        if len(row) - k == width and labels:
            out.append((labels[-1], row[k:]))
    return out


@pytest.fixture(params=CORPUS_PDFS)
def corpus_case(request: pytest.FixtureRequest) -> tuple[Document, dict[str, object]]:
    path = CORPUS / f"{request.param}.pdf"
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    truth = json.loads(path.with_suffix(".gt.json").read_text(encoding="utf-8"))
    return read(path.read_bytes(), path.name), truth


@pytest.mark.corpus
def test_corpus_table3(corpus_case: tuple[Document, dict[str, object]]) -> None:
    doc, truth = corpus_case
    table3 = truth["table3"]
    assert isinstance(table3, dict)
    rows = _value_rows(doc, 7)
    assert [[int(c.text) for c in values] for _, values in rows] == list(table3.values())
    assert "本年新收" in rows[0][0] and "结转下年度" in rows[-1][0]
    assert "（七）总计" in rows[-2][0]
    header = next(row for row in _rows(doc) if any(c.text == "自然人" for c in row))
    cols = [
        c.col
        for c in header
        if c.text
        in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
    ]
    assert len(cols) == 7
    for _, values in rows:
        assert [c.col for c in values] == cols


@pytest.mark.corpus
def test_corpus_table4(corpus_case: tuple[Document, dict[str, object]]) -> None:
    doc, truth = corpus_case
    table4 = truth["table4"]
    assert isinstance(table4, dict)
    rows = [row for row in _rows(doc) if len(row) == 15 and all(_numeric(c.text) for c in row)]
    assert len(rows) == 1
    expected = table4["review"] + table4["litigation_direct"] + table4["litigation_after_review"]
    assert [int(c.text) for c in rows[0]] == expected
    assert [c.col for c in rows[0]] == list(range(15))


@pytest.mark.corpus
def test_corpus_table2(corpus_case: tuple[Document, dict[str, object]]) -> None:
    doc, truth = corpus_case
    table2 = truth["table2"]
    assert isinstance(table2, dict)
    labels = {
        "规章": "rules",
        "行政规范性文件": "normative_documents",
        "行政许可": "licensing",
        "行政处罚": "penalty",
        "行政强制": "coercion",
        "行政事业性收费": "fees",
    }
    got: dict[str, list[str]] = {}
    for row in _rows(doc):
        if row and row[0].text in labels:
            got[labels[row[0].text]] = [c.text for c in row[1:]]
    assert got["rules"] == [str(v) for v in table2["rules"].values()]
    assert got["normative_documents"] == [str(v) for v in table2["normative_documents"].values()]
    for key in ("licensing", "penalty", "coercion"):
        assert got[key] == [str(table2[key]["decisions"])]
    assert got["fees"] == [table2["fees"]["amount"]]


@pytest.mark.corpus
def test_corpus_prose_and_page_numbers(corpus_case: tuple[Document, dict[str, object]]) -> None:
    doc, _ = corpus_case
    assert doc.meta["pages"] >= 5
    assert doc.meta["title"]
    flat = doc.text()
    for heading in (
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
    ):
        assert heading in flat
    page_number = re.compile(r"[-－—–]\s*\d{1,3}\s*[-－—–]")
    assert not any(page_number.fullmatch(p.text.strip()) for p in doc.paras())
    assert not any(page_number.search(c.text) for row in _rows(doc) for c in row)
    # blocks come page by page, and lines in order within a page
    pages = [b.loc.page or 0 for b in doc.blocks]
    assert pages == sorted(pages)
    for page in set(pages):
        lines = [p.loc.line for p in doc.paras() if p.loc.page == page]
        assert lines == list(range(1, len(lines) + 1))


@pytest.mark.corpus
def test_corpus_huaian_table3_crosses_pages() -> None:
    path = CORPUS / "huaian-szf-2024.pdf"
    if not path.exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    doc = read(path.read_bytes(), path.name)
    parts = [
        t
        for t in doc.tables()
        if any("结转下年度" in c.text or "本年新收" in c.text for row in t.rows for c in row)
    ]
    assert [t.loc.page for t in parts] == [4, 5]


@pytest.mark.slow
@pytest.mark.corpus
def test_hundred_pages_stay_small(tmp_path: Path) -> None:
    if not (CORPUS / "huaian-szf-2024.pdf").exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    script = textwrap.dedent(
        f"""
        import time, pypdfium2
        from gongkai.reading.formats.pdf import read
        src = pypdfium2.PdfDocument({str(CORPUS / "huaian-szf-2024.pdf")!r})
        big = pypdfium2.PdfDocument.new()
        for _ in range(17):
            big.import_pages(src)
        path = {str(tmp_path / "big.pdf")!r}
        big.save(path)
        big.close(); src.close()
        doc = read(open(path, "rb").read(), path)
        # VmHWM is this process's own peak: ru_maxrss keeps the peak of the process
        # that forked it (a pytest worker grown large by other tests)
        hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
        print(doc.meta["pages"], len(doc.tables()), int(hwm.split()[1]) // 1024)
        """
    )
    # a child without coverage tracing (pytest-cov would trace it and inflate memory);
    # the number itself is measured by bench/throughput.py, this only guards against a blow-up
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    pages, tables, peak_mb = map(int, out.stdout.split())
    assert pages == 102 and tables == 17 * 5
    assert peak_mb < 400


@pytest.mark.office
@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_table(tmp_path: Path) -> None:
    html = """<html><body><p>四、政府信息公开行政复议、行政诉讼情况</p>
    <table border="1" cellspacing="0"><tr><td colspan="5">行政复议</td><td colspan="2">行政诉讼</td></tr>
    <tr><td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td><td>直接起诉</td><td>复议后起诉</td></tr>
    <tr><td>1</td><td>2</td><td></td><td>0</td><td>3</td><td>14</td><td>5</td></tr></table>
    <p>五、存在的主要问题及改进情况</p></body></html>"""
    (tmp_path / "t.html").write_text(html, encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--infilter=HTML (StarWriter)",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "t.html"),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    doc = read((tmp_path / "t.pdf").read_bytes(), "t.pdf")
    table = doc.tables()[0]
    assert [c.text for c in distinct(table.rows[0])] == ["行政复议", "行政诉讼"]
    assert [c.text for c in table.rows[2]] == ["1", "2", "", "0", "3", "14", "5"]
    assert [type(b).__name__ for b in doc.blocks] == ["Para", "TableBlock", "Para"]


def test_threads_reading_pdfs_at_once_take_turns_in_pdfium() -> None:
    """PDFium is not thread-safe: concurrent reads and attachments must not corrupt it."""
    from concurrent.futures import ThreadPoolExecutor

    from gongkai.write.data import from_dict
    from gongkai.write.pdf import attach_record
    from records import example

    pdf = make_pdf([text(72, 760, "Hello 2023")] * 3)
    data = from_dict(example("2021"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        attached = list(pool.map(lambda _: attach_record(pdf, data), range(12)))
        docs = list(pool.map(lambda b: read(b, "t.pdf"), attached))
    assert all(d.meta["embedded"]["year"] == 2023 for d in docs)
    assert all(d.meta["pages"] == 3 for d in docs)
