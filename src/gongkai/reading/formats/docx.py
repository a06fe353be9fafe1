"""DOCX reader: ``word/document.xml`` read with lxml, straight from the ZIP.

Reading the XML directly (not through python-docx) is faster and lets the
reader expand merged cells exactly: ``w:gridSpan`` repeats a cell across
columns, ``w:vMerge`` (``restart`` … ``continue``) down rows, so every grid
position gets a :class:`Cell` and copies share an ``origin``. Body paragraphs
become :class:`Para` blocks (``Loc.line`` is the 1-based index of the ``w:p``
in document order, counting paragraphs in tables and text boxes too); a table
holding other tables is a layout container and is read as prose, and so is a
table of one cell. Text boxes become paragraphs after the one that anchors
them; headers, footers, footnotes and comments are page furniture and skipped.

The ZIP is checked before anything is decompressed (member sizes, total size,
compression ratio: a zip bomb raises :class:`TooLarge`) and members are read
in bounded chunks; XML is parsed without DTDs, entities or network access
(see :mod:`gongkai.reading.formats.ooxml`).

Cells follow the HTML reader: ``col`` 0-based, ``Loc.row``/``Loc.col``
1-based, a paragraph or break inside a cell is a newline; a break in a body
paragraph splits it into several :class:`Para` with the same ``line``.
Deleted text (``w:del``, ``w:moveFrom``) is skipped, inserted text kept.

``Document.meta`` gets ``title`` (docProps/core.xml), ``properties``,
``embedded`` (a record gongkai stored in a custom XML part), ``crawler``/``url``
(a crawler's header converted with the page), ``paragraphs`` (how many), and
the signals ``links``, ``emails``, ``hidden_text`` (runs marked ``w:vanish``
or of 1 pt and less), ``images`` and ``active_parts`` (macros, ActiveX, OLE
objects). Unlike HTML they carry no ``in_content``.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from itertools import islice
from typing import Any

from lxml import etree

from gongkai.errors import CorruptFile, EmptyInput
from gongkai.reading.document import Cell, Document, Loc, Para, TableBlock
from gongkai.reading.formats.common import (
    collapse,
    collect_emails,
    crawler_header,
    embedded_record,
    mailto,
)
from gongkai.reading.formats.ooxml import (
    MAX_MEMBER,
    MAX_PART,
    Rels,
    main_part,
    open_package,
    parse_xml,
    read_member,
    relationships,
    try_parse_xml,
)

Element = etree._Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
RECORD_NS = "urn:gongkai:record:1"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"

#: Largest expanded table, in grid positions (guards against span bombs).
MAX_TABLE_CELLS = 200_000
_MAX_SPAN = 1000
_FIELD_LINK = re.compile(r'HYPERLINK\s+"([^"]+)"')
_HEADING_STYLE = re.compile(r"^(?:heading|标题|title)\s*\d*$", re.I)
_FALSE = frozenset({"0", "false", "off", "none"})
_CORE_PROPERTIES = (
    ("title", DC_NS),
    ("creator", DC_NS),
    ("subject", DC_NS),
    ("created", DCTERMS_NS),
    ("modified", DCTERMS_NS),
)
_ACTIVE = re.compile(r"(?:^|/)(?:vbaProject\.bin|activeX/[^/]+\.bin|embeddings/[^/]+)$", re.I)


def _w(local: str) -> str:
    return f"{{{W_NS}}}{local}"


# Clark names of the WordprocessingML elements and attributes the reader uses
# (Strict OOXML is mapped onto the transitional namespace before parsing).
_BODY, _P, _R, _T, _TAB, _PTAB, _BR, _CR = map(
    _w, ("body", "p", "r", "t", "tab", "ptab", "br", "cr")
)
_TBL, _TR, _TC, _TC_PR, _TR_PR = map(_w, ("tbl", "tr", "tc", "tcPr", "trPr"))
_GRID_SPAN, _GRID_BEFORE, _V_MERGE, _H_MERGE = map(
    _w, ("gridSpan", "gridBefore", "vMerge", "hMerge")
)
_SDT, _SDT_CONTENT, _CUSTOM_XML = map(_w, ("sdt", "sdtContent", "customXml"))
_HYPERLINK, _INS, _MOVE_TO = map(_w, ("hyperlink", "ins", "moveTo"))
_TXBX, _R_PR, _VANISH, _SPEC_VANISH, _SZ = map(
    _w, ("txbxContent", "rPr", "vanish", "specVanish", "sz")
)
_P_PR, _P_STYLE, _OUTLINE = map(_w, ("pPr", "pStyle", "outlineLvl"))
_NB_HYPHEN, _SYM, _INSTR = map(_w, ("noBreakHyphen", "sym", "instrText"))
_ALT_CHUNK, _VAL, _CHAR = map(_w, ("altChunk", "val", "char"))
_STYLE, _STYLE_ID, _NAME = map(_w, ("style", "styleId", "name"))
_MC_ALT = f"{{{MC_NS}}}AlternateContent"
_MC_CHOICE = f"{{{MC_NS}}}Choice"
_MC_FALLBACK = f"{{{MC_NS}}}Fallback"
_BLIP = f"{{{A_NS}}}blip"
_DOC_PR = f"{{{WP_NS}}}docPr"
_R_ID, _R_EMBED, _R_LINK = (f"{{{R_NS}}}{x}" for x in ("id", "embed", "link"))
#: Inline wrappers whose runs are part of the paragraph text.
_INLINE_CONTAINERS = frozenset(
    {_HYPERLINK, _INS, _MOVE_TO, _CUSTOM_XML}
    | set(map(_w, ("smartTag", "fldSimple", "dir", "bdo")))
)
#: Run children that may hold text boxes or pictures.
_OBJECTS = frozenset(set(map(_w, ("drawing", "pict", "object"))) | {_MC_ALT})
#: Block wrappers whose children are read as blocks.
_BLOCK_WRAPPERS = frozenset({_CUSTOM_XML, _INS, _MOVE_TO})


def _alternative(el: Element) -> Element | None:
    """The branch of an ``mc:AlternateContent`` to read: the first Choice, else the Fallback."""
    chosen = el.find(_MC_CHOICE)
    return chosen if chosen is not None else el.find(_MC_FALLBACK)


def _wrapped(parent: Element, tag: str) -> list[Element]:
    """Children of ``parent`` with ``tag``, looking through ``w:sdt``/``w:customXml`` wrappers."""
    out: list[Element] = []
    for child in parent:
        if child.tag == tag:
            out.append(child)
        elif child.tag == _SDT or child.tag == _CUSTOM_XML:
            holder = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if holder is not None:
                out.extend(_wrapped(holder, tag))
    return out


def _transitional(raw: bytes) -> bytes:
    """Strict OOXML namespaces mapped onto the transitional ones the reader knows."""
    if W_STRICT_NS.encode() in raw[:4096]:
        raw = raw.replace(W_STRICT_NS.encode(), W_NS.encode())
        raw = raw.replace(R_STRICT_NS.encode(), R_NS.encode())
    return raw


# -- the body -----------------------------------------------------------------


class _Reader:
    """Walks the body of one document and fills ``doc``."""

    def __init__(self, doc: Document, rels: Rels, headings: frozenset[str]) -> None:
        self.doc = doc
        self.rels = rels
        self.heading_styles = headings
        self.para_no = 0
        self.tables = 0
        self.origins = 0
        self.budget = MAX_TABLE_CELLS
        self.hidden: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []
        self.images: list[dict[str, Any]] = []

    # blocks

    def blocks(self, container: Element) -> None:
        """Emit the block-level content of ``container`` (body, cell, text box)."""
        for el in container:
            tag = el.tag
            if tag == _P:
                self.paragraph(el)
            elif tag == _TBL:
                self.table(el)
            elif tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    self.blocks(content)
            elif tag in _BLOCK_WRAPPERS:
                self.blocks(el)
            elif tag == _MC_ALT:
                chosen = _alternative(el)
                if chosen is not None:
                    self.blocks(chosen)
            elif tag == _ALT_CHUNK:
                message = (
                    "文档引入了另一个文件（altChunk），其中的文字未读取",
                    "the document imports another file (altChunk); its text is not read",
                )
                self.doc.warn("docx-altchunk", message, Loc(line=self.para_no or None))

    def paragraph(self, p: Element) -> None:
        lines, boxes, line = self._paragraph_lines(p)
        heading = self._is_heading(p)
        for text in lines:
            self.doc.blocks.append(Para(text, Loc(line=line), heading=heading))
        for box in boxes:
            self.blocks(box)

    def _is_heading(self, p: Element) -> bool:
        ppr = p.find(_P_PR)
        if ppr is None:
            return False
        style = ppr.find(_P_STYLE)
        if style is not None and style.get(_VAL) in self.heading_styles:
            return True
        level = ppr.find(_OUTLINE)
        return level is not None and _is_outline(level)

    def _paragraph_lines(self, p: Element) -> tuple[list[str], list[Element], int]:
        """Lines of a paragraph (split at breaks), its text boxes and its index."""
        self.para_no += 1
        line = self.para_no
        parts: list[str] = []
        hidden: list[str] = []
        boxes: list[Element] = []
        self._inline(p, parts, hidden, boxes, line)
        if hidden:
            text = collapse("".join(hidden))
            if len(text) >= 2:
                self.hidden.append({"text": text[:2000], "line": line})
        lines = [t for t in (collapse(x) for x in "".join(parts).split("\n")) if t]
        return lines, boxes, line

    def _inline(
        self,
        container: Element,
        parts: list[str],
        hidden: list[str],
        boxes: list[Element],
        line: int,
    ) -> None:
        for el in container:
            tag = el.tag
            if tag == _R:
                self._run(el, parts, hidden, boxes, line)
            elif tag in _INLINE_CONTAINERS:
                if tag == _HYPERLINK:
                    self._link(el, line)
                self._inline(el, parts, hidden, boxes, line)
            elif tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    self._inline(content, parts, hidden, boxes, line)
            elif tag == _MC_ALT:
                chosen = _alternative(el)
                if chosen is not None:
                    self._inline(chosen, parts, hidden, boxes, line)

    def _run(
        self, r: Element, parts: list[str], hidden: list[str], boxes: list[Element], line: int
    ) -> None:
        rpr = r.find(_R_PR)
        sink = hidden if rpr is not None and self._hidden_run(rpr) else parts
        for el in r:
            tag = el.tag
            if tag == _T:
                if el.text:
                    sink.append(el.text)
            elif tag in (_TAB, _PTAB):
                sink.append(" ")
            elif tag in (_BR, _CR):
                sink.append("\n")
            elif tag == _NB_HYPHEN:
                sink.append("-")
            elif tag == _SYM:
                code = el.get(_CHAR) or ""
                try:
                    ch = chr(int(code, 16))
                except (ValueError, OverflowError):
                    continue
                if not 0xE000 <= ord(ch) <= 0xF8FF:  # symbol-font glyphs have no meaning
                    sink.append(ch)
            elif tag == _INSTR:
                m = _FIELD_LINK.search(el.text or "")
                if m:
                    self.links.append({"href": m.group(1), "text": "", "line": line})
            elif tag in _OBJECTS:
                self._objects(el, boxes, line)

    def _hidden_run(self, rpr: Element) -> bool:
        """Whether run properties hide the run: ``w:vanish`` or a size of 1 pt or less."""
        for el in rpr:
            tag = el.tag
            if tag in (_VANISH, _SPEC_VANISH):
                if (el.get(_VAL) or "true").lower() not in _FALSE:
                    return True
            elif tag == _SZ:
                value = el.get(_VAL) or ""
                if value.isdigit() and int(value) <= 2:
                    return True
        return False

    def _objects(self, el: Element, boxes: list[Element], line: int) -> None:
        """Text boxes and pictures inside a drawing, VML shape or AlternateContent."""
        if el.tag == _MC_ALT:
            chosen = _alternative(el)
            if chosen is None:
                return
            el = chosen
        box_tag = _TXBX
        for box in el.iter(box_tag):
            up = box.getparent()
            while up is not None and up is not el and up.tag != box_tag:
                up = up.getparent()
            if up is None or up is el:
                boxes.append(box)
        for blip in el.iter(_BLIP):
            rid = blip.get(_R_EMBED) or blip.get(_R_LINK) or ""
            target = self.rels.get(rid, ("", "", False))[1]
            pr = next(el.iter(_DOC_PR), None)
            self.images.append(
                {
                    "src": target or None,
                    "alt": (pr.get("descr") or pr.get("name")) if pr is not None else None,
                    "line": line,
                }
            )

    def _link(self, el: Element, line: int) -> None:
        rid = el.get(_R_ID)
        if not rid or rid not in self.rels:
            return
        text = collapse("".join(t.text or "" for t in el.iter(_T)))
        self.links.append({"href": self.rels[rid][1], "text": text[:200], "line": line})

    # tables

    def table(self, tbl: Element) -> None:
        """Emit ``tbl`` as a grid, or read it as prose if it is a layout container."""
        rows = _wrapped(tbl, _TR)
        cells = [_wrapped(tr, _TC) for tr in rows]
        nested = next(islice(tbl.iter(_TBL), 1, None), None) is not None
        if nested or sum(map(len, cells)) <= 1:
            for row in cells:
                for tc in row:
                    self.blocks(tc)
            return
        self.tables += 1
        number = self.tables
        first = self.para_no + 1
        grid = self._grid(rows, cells, number)
        self.doc.blocks.append(TableBlock(grid, Loc(line=first, table=number), grid=True))

    def _cell_text(self, tc: Element) -> tuple[str, int]:
        first = self.para_no + 1
        lines: list[str] = []
        self._cell_lines(tc, lines)
        return "\n".join(lines), first

    def _cell_lines(self, container: Element, lines: list[str]) -> None:
        for el in container:
            tag = el.tag
            if tag == _P:
                text, boxes, _ = self._paragraph_lines(el)
                lines.extend(text)
                for box in boxes:
                    self._cell_lines(box, lines)
            elif tag == _SDT:
                content = el.find(_SDT_CONTENT)
                if content is not None:
                    self._cell_lines(content, lines)
            elif tag in (_CUSTOM_XML, _INS, _MOVE_TO):
                self._cell_lines(el, lines)

    @staticmethod
    def _span(el: Element | None) -> int:
        """A ``w:gridSpan``/``w:gridBefore`` as an int in 1.._MAX_SPAN."""
        value = el.get(_VAL) if el is not None else None
        if not value or not value.isdigit():
            return 1
        return max(1, min(int(value), _MAX_SPAN))

    @staticmethod
    def _cell_props(tc: Element) -> tuple[int, str | None, str | None]:
        """A cell's grid span and its vertical and horizontal merge (``restart``/``continue``)."""
        span, vmerge, hmerge = 1, None, None
        tcpr = tc.find(_TC_PR)
        for el in tcpr if tcpr is not None else ():
            tag = el.tag
            if tag == _GRID_SPAN:
                span = _Reader._span(el)
            elif tag == _V_MERGE:
                vmerge = "restart" if el.get(_VAL) == "restart" else "continue"
            elif tag == _H_MERGE:
                hmerge = "restart" if el.get(_VAL) == "restart" else "continue"
        return span, vmerge, hmerge

    def _grid(
        self, rows: list[Element], cells: list[list[Element]], number: int
    ) -> list[list[Cell]]:
        slots: list[dict[int, Cell]] = [{} for _ in rows]
        used = 0
        for r, tr in enumerate(rows):
            row = slots[r]
            trpr = tr.find(_TR_PR)
            before = trpr.find(_GRID_BEFORE) if trpr is not None else None
            c = self._span(before) if before is not None else 0
            for tc in cells[r]:
                span, vmerge, hmerge = self._cell_props(tc)
                if used + span > self.budget:
                    self.doc.warn(
                        "table-truncated",
                        (
                            f"第 {number} 个表格过大，其余部分未读取",
                            f"table {number} is too large; the rest is not read",
                        ),
                    )
                    return [[s[k] for k in sorted(s)] for s in slots if s]
                text, line = self._cell_text(tc)
                if vmerge == "continue" and r > 0:
                    above = slots[r - 1]
                elif hmerge == "continue" and (c - 1) in row:
                    left = row[c - 1]
                    above = {c + dc: left for dc in range(span)}
                else:
                    above = {}
                own: int | None = None
                for dc in range(span):
                    col = c + dc
                    src = above.get(col)
                    if src is not None:
                        row[col] = Cell(
                            src.text,
                            Loc(src.loc.line, None, number, r + 1, col + 1),
                            col,
                            src.origin,
                        )
                    else:
                        if own is None:
                            self.origins += 1
                            own = self.origins
                        row[col] = Cell(text, Loc(line, None, number, r + 1, col + 1), col, own)
                    used += 1
                c += span
        self.budget -= used
        return [[s[k] for k in sorted(s)] for s in slots if s]


# -- parts around the body ----------------------------------------------------


def _heading_styles(zf: zipfile.ZipFile, rels: Rels, source: str) -> frozenset[str]:
    """Ids of the paragraph styles that are headings (by name or outline level)."""
    ids = {"Heading1", "Heading2", "Heading3", "Heading4", "Title"}
    styles = [t for ty, t, ext in rels.values() if ty.endswith("/styles") and not ext]
    raw = read_member(zf, styles[0] if styles else "word/styles.xml", MAX_PART, source)
    root = try_parse_xml(raw) if raw else None
    for style in root.iter(_STYLE) if root is not None else ():
        sid = style.get(_STYLE_ID)
        label = style.find(_NAME)
        name = (label.get(_VAL) or "").strip() if label is not None else ""
        ppr = style.find(_P_PR)
        level = ppr.find(_OUTLINE) if ppr is not None else None
        if sid and (_HEADING_STYLE.match(name) or (level is not None and _is_outline(level))):
            ids.add(sid)
    return frozenset(ids)


def _is_outline(level: Element) -> bool:
    """Whether a ``w:outlineLvl`` makes a heading (levels 0-8; 9 is body text)."""
    value = level.get(_VAL) or "9"
    return value.isdigit() and int(value) < 9


def _core(zf: zipfile.ZipFile, doc: Document, source: str) -> None:
    """``title`` and ``properties`` from docProps/core.xml."""
    raw = read_member(zf, "docProps/core.xml", MAX_PART, source)
    root = try_parse_xml(raw) if raw else None
    if root is None:
        return
    props: dict[str, str] = {}
    for key, ns in _CORE_PROPERTIES:
        el = root.find(f"{{{ns}}}{key}")
        if el is not None and el.text and el.text.strip():
            props[key] = collapse(el.text)
    if "title" in props:
        doc.meta["title"] = props["title"]
    doc.meta["properties"] = props


def _embedded(zf: zipfile.ZipFile, doc: Document, source: str) -> None:
    """A gongkai record stored as JSON in a custom XML part (namespace urn:gongkai:record:1)."""
    for name in zf.namelist():
        folder, base = posixpath.split(name)
        if folder != "customXml" or not base.endswith(".xml") or base.startswith("itemProps"):
            continue
        raw = read_member(zf, name, MAX_PART, source)
        if not raw or RECORD_NS.encode() not in raw:
            continue
        root = try_parse_xml(raw)
        if root is None:
            doc.warn(
                "embedded-invalid",
                (
                    f"{name} 中的 gongkai 记录格式不正确",
                    f"{name} holds a gongkai record but is not well-formed",
                ),
            )
            return
        for el in root.iter(f"{{{RECORD_NS}}}*"):
            text = etree.tostring(el, method="text", encoding=str, with_tail=False).strip()
            if text:
                embedded_record(text, doc, name)
                return


def read(data: bytes, source: str) -> Document:
    """Read a DOCX file into a :class:`Document`."""
    if not data or data.isspace():
        raise EmptyInput(source)
    with open_package(data, source) as zf:
        part = main_part(zf, source)
        raw = read_member(zf, part, MAX_MEMBER, source)
        if raw is None:
            raise CorruptFile(
                source,
                f"a ZIP archive without {part}: not a Word document",
                f"ZIP 压缩包中没有 {part}，不是 Word 文档",
            )
        root = parse_xml(_transitional(raw), part, source)
        if root.tag != _w("document"):
            raise CorruptFile(
                source, f"{part} is not a WordprocessingML document", f"{part} 不是 Word 文档正文"
            )
        rels = relationships(zf, part, source)
        doc = Document(format="docx")
        reader = _Reader(doc, rels, _heading_styles(zf, rels, source))
        body = root.find(_BODY)
        if body is not None:
            reader.blocks(body)
        _core(zf, doc, source)
        _embedded(zf, doc, source)
        doc.meta["active_parts"] = [n for n in zf.namelist() if _ACTIVE.search(n)]
    emails = [
        {"email": address, "line": link["line"]}
        for link in reader.links
        if (address := mailto(str(link["href"])))
    ]
    collect_emails(doc, emails, reader.hidden)
    doc.meta.update(
        links=reader.links,
        hidden_text=reader.hidden,
        images=reader.images,
        emails=emails,
        paragraphs=reader.para_no,
    )
    crawler_header(doc)
    if not doc.blocks and not reader.images:
        raise EmptyInput(source, "no text in the DOCX", "DOCX 中没有文字")
    return doc


__all__ = ["MAX_TABLE_CELLS", "read"]
