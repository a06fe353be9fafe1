"""The DOCX: GB/T 9704 page, fonts with fallbacks, fixed tables, merged headers, embedded record."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document
from lxml import etree

from gongkai.write.data import ReportData, from_dict
from gongkai.write.docx import FONT_FALLBACKS, RECORD_NS, TEXT_WIDTH_TWIPS, render_docx
from records import example

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module", params=["2019", "2021"])
def data(request: pytest.FixtureRequest) -> ReportData:
    raw = example(request.param)
    raw["x_narrative"] = {"parts": {1: "（一）主动公开\n公开若干。", 5: "问题。", 6: "无。"}}
    return from_dict(raw)


@pytest.fixture(scope="module")
def package(data: ReportData) -> dict[str, bytes]:
    blob = render_docx(data)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _xml(package: dict[str, bytes], name: str) -> etree._Element:
    return etree.fromstring(package[name])


def test_a4_and_gbt9704_margins(data: ReportData) -> None:
    doc = Document(io.BytesIO(render_docx(data)))
    s = doc.sections[0]
    mm = 36000  # EMU per mm
    assert (round(s.page_width / mm), round(s.page_height / mm)) == (210, 297)
    margins = (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
    assert tuple(round(m / mm) for m in margins) == (37, 35, 28, 26)


def test_styles_name_official_fonts(package: dict[str, bytes]) -> None:
    styles = _xml(package, "word/styles.xml")

    def east_asia(style_id: str) -> str:
        el = styles.find(f".//w:style[@w:styleId='{style_id}']/w:rPr/w:rFonts", NS)
        assert el is not None
        return str(el.get(_w("eastAsia")))

    assert east_asia("GkTitle") == "方正小标宋简体"
    assert east_asia("GkBody") == "仿宋_GB2312"
    assert east_asia("GkHeading") == "黑体"
    size = styles.find(".//w:style[@w:styleId='GkTitle']/w:rPr/w:sz", NS)
    assert size is not None and size.get(_w("val")) == "44"  # 2号 = 22 pt
    lang = styles.find(".//w:docDefaults//w:lang", NS)
    assert lang is not None and lang.get(_w("eastAsia")) == "zh-CN"


def test_font_table_gives_fallbacks(package: dict[str, bytes]) -> None:
    fonts = _xml(package, "word/fontTable.xml")
    alts = {
        f.get(_w("name")): f.find("w:altName", NS).get(_w("val"))  # type: ignore[union-attr]
        for f in fonts.findall("w:font", NS)
        if f.find("w:altName", NS) is not None
    }
    assert alts == FONT_FALLBACKS
    assert set(alts.values()) <= {"Noto Serif CJK SC", "Noto Sans CJK SC"}


def test_tables_are_fixed_with_a_grid_and_cell_widths(package: dict[str, bytes]) -> None:
    doc = _xml(package, "word/document.xml")
    tables = doc.findall(".//w:tbl", NS)
    assert len(tables) == 3
    for tbl in tables:
        layout = tbl.find("w:tblPr/w:tblLayout", NS)
        assert layout is not None and layout.get(_w("type")) == "fixed"
        cols = [int(c.get(_w("w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]  # type: ignore[arg-type]
        assert sum(cols) == TEXT_WIDTH_TWIPS
        for tr in tbl.findall("w:tr", NS):
            spans = 0
            for tc in tr.findall("w:tc", NS):
                width = tc.find("w:tcPr/w:tcW", NS)
                assert width is not None and width.get(_w("type")) == "dxa"
                span = tc.find("w:tcPr/w:gridSpan", NS)
                n = int(span.get(_w("val"))) if span is not None else 1  # type: ignore[arg-type]
                assert int(width.get(_w("w"))) == sum(cols[spans : spans + n])  # type: ignore[arg-type]
                spans += n
            assert spans == len(cols)  # every row fills the grid


def test_table3_and_table4_have_merged_headers(package: dict[str, bytes]) -> None:
    doc = _xml(package, "word/document.xml")
    t2, t3, t4 = doc.findall(".//w:tbl", NS)
    first = t3.find("w:tr/w:tc", NS)
    assert first is not None
    assert first.find("w:tcPr/w:gridSpan", NS).get(_w("val")) == "3"  # type: ignore[union-attr]
    assert first.find("w:tcPr/w:vMerge", NS).get(_w("val")) == "restart"  # type: ignore[union-attr]
    assert "勾稽关系" in "".join(first.itertext())
    continued = t3.findall("w:tr", NS)[1].find("w:tc/w:tcPr/w:vMerge", NS)
    assert continued is not None and continued.get(_w("val")) is None  # continue
    heads = t3.findall("w:tr/w:trPr/w:tblHeader", NS)
    assert len(heads) == 3  # header rows repeat on every page
    top = t4.find("w:tr", NS)
    assert top is not None
    assert [tc.find("w:tcPr/w:gridSpan", NS).get(_w("val")) for tc in top.findall("w:tc", NS)] == [  # type: ignore[union-attr]
        "5",
        "10",
    ]
    caption = t2.find("w:tr/w:tc", NS)
    assert caption is not None and "第二十条第（一）项" in "".join(caption.itertext())


def test_page_numbers_in_the_footers(package: dict[str, bytes]) -> None:
    footers = [n for n in package if n.startswith("word/footer")]
    assert len(footers) == 2  # odd (right) and even (left)
    for name in footers:
        xml = package[name].decode()
        assert 'w:instr=" PAGE "' in xml and "— " in xml and " —" in xml
    settings = package["word/settings.xml"].decode()
    assert "evenAndOddHeaders" in settings


def test_record_travels_in_a_custom_xml_part(package: dict[str, bytes], data: ReportData) -> None:
    items = [n for n in package if n.startswith("customXml/item") and "Props" not in n]
    assert len(items) == 1
    root = etree.fromstring(package[items[0]])
    assert etree.QName(root).namespace == RECORD_NS
    embedded = json.loads(root.text or "")
    assert embedded == data.to_dict()
    assert embedded["x_narrative"]["parts"]["5"] == "问题。"
    rels = package["word/_rels/document.xml.rels"].decode()
    assert "relationships/customXml" in rels
    props = package[items[0].replace("item", "itemProps")].decode()
    assert RECORD_NS in props


def test_body_text_is_the_report(data: ReportData) -> None:
    doc = Document(io.BytesIO(render_docx(data)))
    text = "\n".join(p.text for p in doc.paragraphs)
    for part in data.edition.parts:
        assert part.heading in text
    assert data.agency in text
    assert doc.core_properties.title == data.title
    styles = {p.style.name for p in doc.paragraphs if p.style is not None}
    assert {"gongkai 标题", "gongkai 正文", "gongkai 一级标题", "gongkai 二级标题"} <= styles


def test_without_embed_there_is_no_custom_xml(data: ReportData) -> None:
    with zipfile.ZipFile(io.BytesIO(render_docx(data, embed=False))) as z:
        assert not [n for n in z.namelist() if n.startswith("customXml/")]


def test_big_numbers_shrink_to_fit_narrow_cells() -> None:
    raw = example("2021")
    raw["table4"]["review"] = [123456789, 0, 0, 0, 123456789]
    package = render_docx(from_dict(raw))
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    t4 = doc.findall(".//w:tbl", NS)[2]
    cell = next(tc for tc in t4.iter(_w("tc")) if "".join(tc.itertext()) == "123456789")
    size = cell.find(".//w:r/w:rPr/w:sz", NS)
    assert size is not None and int(size.get(_w("val"))) < 18  # type: ignore[arg-type]
