"""The report as a Word document typeset like a Chinese official document.

GB/T 9704-2012 (党政机关公文格式): A4, margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; title in 2号 方正小标宋 (bold, so its fallback Noto Serif CJK SC
Bold has the weight of 小标宋), body in 3号 仿宋 at a fixed
28 pt line pitch, part headings in 黑体, sub-headings in 楷体; page numbers
``— N —`` in 4号 宋体 in the footer, right on odd pages and left on even ones.

Fonts are named as official documents name them (``仿宋_GB2312`` …) with
``Noto Serif CJK SC`` / ``Noto Sans CJK SC`` as the alternate in the font
table; :mod:`gongkai.write.pdf` maps them for LibreOffice, so the PDF renders
on a machine with only fonts-noto-cjk.

Tables are fixed-layout (``w:tblLayout fixed``) with an explicit grid
(``w:gridCol``) and a width on every cell, so Word and LibreOffice lay them
out alike; merged headers are ``w:gridSpan`` and ``w:vMerge``. The record
travels in a custom XML part whose root is ``<record xmlns="urn:gongkai:record:1">``.
"""

from __future__ import annotations

import functools
import io
import uuid
import zipfile
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt
from lxml import etree

from gongkai.write.content import compose
from gongkai.write.data import ReportData, visible
from gongkai.write.grid import GridCell, GridTable

RECORD_NS = "urn:gongkai:record:1"


def escape(text: str) -> str:
    """Text as XML character data: markup escaped, and what XML cannot hold (a NUL, a
    control character) shown as its picture rather than ending in a broken file."""
    return _xml_escape(visible(text))


# Fonts: (official name, alternate on machines without it)
FONT_TITLE = ("方正小标宋简体", "Noto Serif CJK SC")
FONT_BODY = ("仿宋_GB2312", "Noto Serif CJK SC")
FONT_HEADING = ("黑体", "Noto Sans CJK SC")
FONT_SUB = ("楷体_GB2312", "Noto Serif CJK SC")
FONT_PAGE = ("宋体", "Noto Serif CJK SC")
FONT_LATIN = "Times New Roman"
#: Every font the document names and the fallback used where it is missing.
FONT_FALLBACKS: dict[str, str] = dict((FONT_TITLE, FONT_BODY, FONT_HEADING, FONT_SUB, FONT_PAGE))

PAGE_W, PAGE_H = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 37, 35, 28, 26
TEXT_WIDTH_MM = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT
_TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH_TWIPS = round(TEXT_WIDTH_MM * _TWIPS_PER_MM)
_CELL_MARGIN = 57  # twips, 1 mm each side
#: Tables of at most this many rows are kept on one page (table 4); longer ones split
#: only between their captioned blocks (table 2) or after their header rows (table 3).
KEEP_TOGETHER_ROWS = 8

# style id -> (font, size pt, alignment, first-line indent chars, line pitch pt or None)
_STYLES: dict[str, tuple[tuple[str, str], float, str, int, float | None]] = {
    "GkTitle": (FONT_TITLE, 22, "center", 0, 36),
    "GkBody": (FONT_BODY, 16, "both", 200, 28),
    "GkHeading": (FONT_HEADING, 16, "both", 200, 28),
    "GkSub": (FONT_SUB, 16, "both", 200, 28),
    "GkSign": (FONT_BODY, 16, "right", 0, 28),
    "GkNotice": (FONT_HEADING, 14, "center", 0, None),
    "GkCell": (FONT_BODY, 10.5, "center", 0, None),
    "GkFooter": (FONT_PAGE, 14, "right", 0, None),
}
_STYLE_NAMES = {
    "GkTitle": "gongkai 标题",
    "GkBody": "gongkai 正文",
    "GkHeading": "gongkai 一级标题",
    "GkSub": "gongkai 二级标题",
    "GkSign": "gongkai 落款",
    "GkNotice": "gongkai 强制生成提示",
    "GkCell": "gongkai 表格",
    "GkFooter": "gongkai 页码",
}


def _rfonts(font: tuple[str, str]) -> str:
    return (
        f'<w:rFonts w:ascii="{FONT_LATIN}" w:hAnsi="{FONT_LATIN}" '
        f'w:eastAsia="{font[0]}" w:cs="{FONT_LATIN}" w:hint="eastAsia"/>'
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _style_xml(sid: str) -> str:
    font, size, align, indent, pitch = _STYLES[sid]
    spacing = (
        f'<w:spacing w:before="0" w:after="0" w:line="{round(pitch * 20)}" w:lineRule="exact"/>'
        if pitch
        else '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    )
    ind = (
        f'<w:ind w:firstLineChars="{indent}" w:firstLine="{round(size * 20 * indent / 100)}"/>'
        if indent
        else ""
    )
    outline = '<w:outlineLvl w:val="0"/>' if sid == "GkHeading" else ""
    keep = "<w:keepNext/>" if sid in ("GkHeading", "GkSub", "GkTitle") else ""
    if sid == "GkHeading":
        spacing = spacing.replace('w:before="0"', 'w:before="160"')
    sz = round(size * 2)
    # the title: bold, the weight of 小标宋 (its Noto fallback is otherwise a light regular)
    bold = "<w:b/><w:bCs/>" if sid in ("GkTitle", "GkNotice") else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{_STYLE_NAMES[sid]}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        f'<w:pPr>{keep}<w:snapToGrid w:val="0"/>{spacing}{ind}<w:jc w:val="{align}"/>{outline}</w:pPr>'
        f'<w:rPr>{_rfonts(font)}{bold}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr></w:style>'
    )


def _styles_xml() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{_W}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_rfonts(FONT_BODY)}"
        '<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/></w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>"
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" '
        'w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        "</w:style>"
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
        '<w:basedOn w:val="Normal"/></w:style>'
        + "".join(_style_xml(sid) for sid in _STYLES)
        + "</w:styles>"
    )


def _fonts_xml() -> str:
    """The font table: each official font with its fallback as ``w:altName``."""
    fonts = [
        f'<w:font w:name="{FONT_LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/>'
        '<w:pitch w:val="variable"/></w:font>'
    ]
    for name, alt in FONT_FALLBACKS.items():
        family = "swiss" if "Sans" in alt else "roman"
        fonts.append(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">'
        + "".join(fonts)
        + "</w:fonts>"
    )


_SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{_W}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    "<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>"
    "<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>'
)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
)

_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
    'metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
)

_DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/fontTable" Target="fontTable.xml"/></Relationships>'
)

_DOCUMENT = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" '
    f'xmlns:r="{_R}"><w:body><w:sectPr/></w:body></w:document>'
)

_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)


@functools.cache
def template_bytes() -> bytes:
    """A minimal DOCX package holding gongkai's styles, font table and settings."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", _DOCUMENT)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/styles.xml", _styles_xml())
        z.writestr("word/settings.xml", _SETTINGS)
        z.writestr("word/fontTable.xml", _fonts_xml())
        z.writestr("docProps/core.xml", _CORE)
    return buf.getvalue()


def _setup_page(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles[_STYLE_NAMES["GkFooter"]]
        for r in list(p.runs):
            p._p.remove(r._r)
        side = "right" if align == "right" else "left"
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:ind {nsdecls("w")} w:{side}Chars="100" w:{side}="280"/>'))
        ppr.append(parse_xml(f'<w:jc {nsdecls("w")} w:val="{align}"/>'))
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">— </w:t></w:r>'))
        p._p.append(
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            )
        )
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> —</w:t></w:r>'))


# ---------------------------------------------------------------- tables


def fit_pt(text: str, width_twips: int, pt: float, floor: float = 5.0) -> float:
    """A font size at which ``text`` (digits, half an em wide) fits ``width_twips``."""
    room = (width_twips - 2 * _CELL_MARGIN) / 20  # points
    need = 0.52 * pt * len(text)
    if need <= room or not text.isascii():
        return pt
    return max(floor, round(room / (0.52 * len(text)) * 2) / 2)


def _para(text: str, pt: float, align: str, keep: bool = False) -> str:
    size = round(pt * 2)
    keep_next = "<w:keepNext/>" if keep else ""
    run = (
        f'<w:r><w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if text
        else f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr></w:r>'
    )
    return (
        f'<w:p><w:pPr><w:pStyle w:val="GkCell"/>{keep_next}<w:jc w:val="{align}"/>'
        f'<w:rPr><w:sz w:val="{size}"/></w:rPr></w:pPr>{run}</w:p>'
    )


def _align(cell: GridCell) -> str:
    if cell.role == "label" or cell.role == "caption":
        return "left"
    return "center"


def keep_with_next(table: GridTable) -> list[bool]:
    """For each row, whether it stays on the page of the next row.

    A short table (table 4) is kept whole. A long one (tables 2 and 3) may
    break between any two rows (a row itself never splits; table 3's header
    rows repeat on the next page): LibreOffice, which makes the PDF, drops
    rows outright when a page break meets a run of rows kept together inside a
    long table (table 2 lost its blocks (五), (六) and (八) for a report whose
    first page ended just after 行政规范性文件), and a page with a caption
    at its foot is better than a table without its rows.
    """
    n = len(table.rows)
    if n <= KEEP_TOGETHER_ROWS:
        return [r < n - 1 for r in range(n)]
    return [False] * n


def table_xml(table: GridTable) -> str:
    """``w:tbl`` of an official grid: fixed widths, gridSpan/vMerge merges, repeated header rows."""
    widths = [round(w * TEXT_WIDTH_TWIPS) for w in table.widths]
    widths[-1] += TEXT_WIDTH_TWIPS - sum(widths)
    keep = keep_with_next(table)
    grid = table.grid()
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    out = [
        "<w:tbl><w:tblPr>"
        f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:jc w:val="center"/>'
        f"<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/>"
        f"<w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="28" w:type="dxa"/><w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for r, grow in enumerate(grid):
        head = "<w:tblHeader/>" if r < table.header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{head}</w:trPr>")
        c = 0
        while c < table.ncols:
            g = grow[c]
            assert g is not None
            cell = g[0]
            span = cell.colspan
            width = sum(widths[c : c + span])
            above = grid[r - 1][c] if r else None
            continues = above is not None and above[0] is cell
            merge = ""
            if continues:
                merge = "<w:vMerge/>"
            elif cell.rowspan > 1:
                merge = '<w:vMerge w:val="restart"/>'
            gspan = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{gspan}{merge}'
                '<w:vAlign w:val="center"/></w:tcPr>'
            )
            text = "" if continues else cell.text
            pt = fit_pt(text, width, table.font_pt) if cell.role == "value" else table.font_pt
            out.append(_para(text, pt, _align(cell), keep[r]))
            out.append("</w:tc>")
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# ---------------------------------------------------------------- record


def _attach_record(doc: Any, data: ReportData) -> None:
    package = doc.part.package
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<record xmlns="{RECORD_NS}">{escape(data.to_json())}</record>'
    ).encode()
    props = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{str(uuid.uuid4()).upper()}}}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{RECORD_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    item_name = package.next_partname("/customXml/item%d.xml")
    number = item_name.idx
    item = Part(item_name, "application/xml", xml, package)
    item_props = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        props,
        package,
    )
    item.relate_to(item_props, RT.CUSTOM_XML_PROPS)
    doc.part.relate_to(item, RT.CUSTOM_XML)


# ---------------------------------------------------------------- document

_KIND_STYLE = {
    "title": "GkTitle",
    "preamble": "GkBody",
    "heading": "GkHeading",
    "subheading": "GkSub",
    "para": "GkBody",
    "signature": "GkSign",
    "date": "GkSign",
    "notice": "GkNotice",
}


def _title_runs(title: str, agency: str) -> str:
    """The title, broken after the agency's name when it is too long for one line."""
    if agency and title.startswith(agency) and len(title) > 20 and len(title) > len(agency):
        first, rest = escape(agency), escape(title[len(agency) :])
        return (
            f'<w:r><w:t xml:space="preserve">{first}</w:t></w:r><w:r><w:br/>'
            f'<w:t xml:space="preserve">{rest}</w:t></w:r>'
        )
    return f'<w:r><w:t xml:space="preserve">{escape(title)}</w:t></w:r>'


def build_docx(data: ReportData, *, embed: bool = True) -> Any:
    """The report as a python-docx ``Document``."""
    doc = Document(io.BytesIO(template_bytes()))
    _setup_page(doc)
    sect = doc.element.body[-1]
    parts: list[str] = []
    blocks = compose(data)
    for i, b in enumerate(blocks):
        if b.kind == "table" and b.table is not None:
            parts.append(table_xml(b.table))
            continue
        style = _KIND_STYLE[b.kind]
        extra = ""
        if i + 1 < len(blocks) and blocks[i + 1].kind in ("signature", "table"):
            extra = "<w:keepNext/>"  # no page holding the signature alone; a table's lead-in
        elif b.kind == "title":
            extra = '<w:spacing w:before="0" w:after="560"/>'
        elif b.kind == "signature":
            extra = (
                '<w:keepNext/><w:spacing w:before="560"/><w:ind w:right="640" w:rightChars="200"/>'
            )
        elif b.kind == "date":
            extra = '<w:ind w:right="640" w:rightChars="200"/>'
        runs = f'<w:r><w:t xml:space="preserve">{escape(b.text)}</w:t></w:r>'
        if b.kind == "notice":  # a forced report: red, bold, boxed
            extra = (
                '<w:pBdr><w:top w:val="single" w:sz="12" w:space="4" w:color="C00000"/>'
                '<w:left w:val="single" w:sz="12" w:space="4" w:color="C00000"/>'
                '<w:bottom w:val="single" w:sz="12" w:space="4" w:color="C00000"/>'
                '<w:right w:val="single" w:sz="12" w:space="4" w:color="C00000"/></w:pBdr>'
                '<w:spacing w:before="0" w:after="240"/>'
            )
            runs = (
                '<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
                f'<w:t xml:space="preserve">{escape(b.text)}</w:t></w:r>'
            )
        if b.kind == "title":
            runs = _title_runs(b.text, data.agency)
        parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra}</w:pPr>{runs}</w:p>')
    # One parse of the whole body (moving parsed trees between documents is slow).
    sect_xml = etree.tostring(sect, encoding="unicode")
    part = doc.part
    part._element = parse_xml(
        f"<w:document {nsdecls('w', 'r')}><w:body>{''.join(parts)}{sect_xml}</w:body></w:document>"
    )
    doc = part.document
    props = doc.core_properties
    # the file's properties hold at most 255 characters (the page shows the whole title)
    props.title = _property(data.title)
    props.author = _property(data.agency)
    props.subject = "政府信息公开工作年度报告"
    props.keywords = f"gongkai; {data.report.template}"
    props.comments = "written by gongkai"
    if embed:
        _attach_record(doc, data)
    return doc


def _property(text: str, limit: int = 255) -> str:
    """``text`` for a core property of the file: cut to ``limit`` characters, with ``…``."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_docx(data: ReportData, *, embed: bool = True) -> bytes:
    """The report as DOCX bytes."""
    buf = io.BytesIO()
    build_docx(data, embed=embed).save(buf)
    return buf.getvalue()


__all__ = ["FONT_FALLBACKS", "RECORD_NS", "Pt", "build_docx", "render_docx", "table_xml"]


def official_document() -> Any:
    """An empty document on the official page (GB/T 9704: A4, margins, page
    numbers) with gongkai's styles: for other official texts (the corpus's
    整改通知). Add paragraphs with :func:`official_paragraph`."""
    doc = Document(io.BytesIO(template_bytes()))
    _setup_page(doc)
    return doc


def official_paragraph(doc: Any, text: str, style: str = "GkBody") -> Any:
    """A paragraph in one of gongkai's styles (``GkTitle``, ``GkBody``,
    ``GkHeading``, ``GkSub``, ``GkSign``)."""
    return doc.add_paragraph(text, style=doc.styles[_STYLE_NAMES[style]])
