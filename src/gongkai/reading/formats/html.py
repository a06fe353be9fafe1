"""HTML reader: a web page (often a crawler's copy of a whole site page) to a Document.

The page is decoded with :mod:`gongkai.reading.formats.decode` and parsed with lxml's
HTML parser (libxml2; broken markup is recovered, never fatal). Where the wheel built
``_htmlwalk`` (Cython), the attributes no reader reads are cut out before the parse
(``lean``), whether a tag may be hidden is first told from the bytes (``may_hide``), and
the tree is walked on libxml2's nodes (``Walker``): each gives what the Python code here
gives (``tests/walk_worker.py``). Prose becomes
:class:`Para` blocks, one per block element or ``<br>``-separated line, with the
source line of its first text as ``Loc.line`` (``heading`` inside h1-h6).
Inline runs are joined without separators, so labels split over many
``<span>``/``<font>`` come out whole. Tables become :class:`TableBlock` grids
with ``rowspan``/``colspan`` expanded: every position gets a :class:`Cell`
(``col`` 0-based; ``Loc.row``/``Loc.col`` 1-based), copies of a spanned cell
share its ``origin``, blank cells (``&nbsp;``, ``<o:p></o:p>``) are ``''`` and
a ``<p>``/``<br>`` inside a cell is a newline. Rows are not padded: a row that
has fewer cells than the widest one stays short. A table holding other tables
is a layout container and is read as prose, and so is a table of one cell.

``Document.meta`` gets ``encoding`` (and ``declared_encoding``), ``title``,
``content`` (the element holding the report: ``found``, ``tag``, ``line`` and
the ``blocks`` range inside it), ``crawler``/``url`` (a crawler's
``标题：…/来源：…`` header, see :mod:`gongkai.reading.formats.common`), ``embedded`` (a
record gongkai wrote into the page) and the tamper signals ``scripts``,
``links``, ``emails``, ``hidden_text``, ``iframes``, ``images`` and
``meta_refresh`` (see :mod:`gongkai.reading.formats.html_signals`), each item with
``line`` and ``in_content``. Hidden text is recorded, never emitted as prose;
scripts, styles and comments are dropped from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import islice
from operator import attrgetter
from typing import Any

from lxml import etree

from gongkai.errors import CorruptFile, EmptyInput
from gongkai.reading.document import Cell, Document, Loc, Para, TableBlock
from gongkai.reading.formats.common import (
    collapse,
    collect_emails,
    crawler_header,
    warn_decoding,
)
from gongkai.reading.formats.decode import (
    Decoded,
    declared_charset,
    decode_text,
    literal_replacements,
)
from gongkai.reading.formats.html_signals import (
    collect_signals,
    find_container,
    hidden_elements,
    inside,
    line_of,
    mark_hidden,
    signal_elements,
    text_of,
)
from gongkai.reading.formats.html_tags import (
    BLOCK,
    CELL_INLINE,
    CELL_INLINE_P,
    CELLS,
    HEADINGS,
    MAX_PAGE_CELLS,
    MAX_TABLE_CELLS,
    PRE,
    ROW_GROUPS,
    SKIP,
    cell_words,
    expand_grid,
    warn_truncated,
)

try:  # the walk compiled with Cython (a wheel, setup.py); else _Reader below
    from gongkai.reading.formats import _htmlwalk

    WALK: type[_htmlwalk.Walker] | None = _htmlwalk.Walker
    # its scan that cuts the attributes no reader reads follows libxml2's HTML5 tokenizer
    # (libxml2 2.14, lxml 6)
    LEAN: Callable[[bytes], bytes | None] | None = (
        _htmlwalk.lean if etree.LIBXML_VERSION >= (2, 14) else None
    )
    # whether mark_hidden may mark a tag of a UTF-8 page, told from its bytes
    MAY_HIDE: Callable[[bytes], bool] | None = _htmlwalk.may_hide
    # whether the page is strict UTF-8 without a BOM or a control byte, from its bytes
    UTF8_CLEAN: Callable[[bytes], bool] | None = _htmlwalk.utf8_clean
except ImportError:  # an editable install has no compiled walk
    WALK = None
    LEAN = None
    MAY_HIDE = None
    UTF8_CLEAN = None

Element = etree._Element
_tostring = etree.tostring
_TAG = attrgetter("tag")

_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")
#: Bytes that are not control characters (deleted to count the ones that are).
_PLAIN_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\f\x1b")


def _own_rows(table: Element) -> list[Element]:
    rows: list[Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in ROW_GROUPS:
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _cells(tr: Element) -> list[Element]:
    return [c for c in tr if c.tag in CELLS]


class _Reader:
    """State of one read: the document, counters, the content container."""

    def __init__(self, doc: Document, hidden: set[Element], container: Element | None) -> None:
        self.doc = doc
        self.hidden = hidden
        self.container = container
        self.hidden_text: list[dict[str, Any]] = []
        self.tables = 0
        self.origins = 0
        self.budget = MAX_PAGE_CELLS
        self.content_range: list[int] = []

    # -- flow -----------------------------------------------------------------

    def flow(self, top: Element, cell: bool = False) -> list[str]:
        """Read the subtree at ``top`` in document order.

        In body mode every paragraph is appended to ``doc.blocks`` and tables
        are emitted as they come; in cell mode the lines are returned.
        """
        blocks = self.doc.blocks
        lines: list[str] = []
        parts: list[str] = []
        start: list[int | None] = [None]
        heading = [False]
        depth_h = 0
        pre = 0
        skipped: set[Element] = set()
        hidden = self.hidden
        container = self.container

        def flush() -> None:
            if parts:
                text = collapse("".join(parts))
                parts.clear()
                if text:
                    if cell:
                        lines.append(text)
                    else:
                        blocks.append(Para(text, Loc(line=start[0]), heading=heading[0]))
            heading[0] = False

        def add(text: str, line: int | None) -> None:
            if pre and "\n" in text:
                first, *rest = text.split("\n")
                add_one(first, line)
                for i, piece in enumerate(rest, 1):
                    flush()
                    add_one(piece, line + i if line else None)
            else:
                add_one(text, line)

        def add_one(text: str, line: int | None) -> None:
            if not parts:
                start[0] = line
            parts.append(text)
            if depth_h:
                heading[0] = True

        walker = etree.iterwalk(top, events=("start", "end"))
        for event, el in walker:
            tag = el.tag
            if event == "start":
                if not isinstance(tag, str):
                    walker.skip_subtree()
                    continue
                if el is container and not cell:
                    flush()
                    self.content_range = [len(blocks)]
                if tag in SKIP:
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
                if hidden and el in hidden:
                    self._record_hidden(el)
                    walker.skip_subtree()
                    skipped.add(el)
                    continue
                if tag == "br":
                    flush()
                    continue
                if tag == "table" and el is not top:
                    flush()
                    if self._table(el, cell):
                        walker.skip_subtree()
                        skipped.add(el)
                        continue
                elif tag in BLOCK:
                    if parts:
                        flush()
                    else:
                        heading[0] = False
                    if tag in HEADINGS:
                        depth_h += 1
                    elif tag in PRE:
                        pre += 1
                text = el.text
                if text:
                    if pre:
                        add(text, line_of(el))
                    else:  # add_one, the line looked up only for a paragraph's first run
                        if not parts:
                            start[0] = line_of(el)
                        parts.append(text)
                        if depth_h:
                            heading[0] = True
            else:
                if isinstance(tag, str):
                    if tag in BLOCK and el not in skipped:
                        if parts:
                            flush()
                        else:
                            heading[0] = False
                        if tag in HEADINGS:
                            depth_h -= 1
                        elif tag in PRE:
                            pre -= 1
                    if el is container and not cell:
                        flush()
                        self.content_range.append(len(blocks))
                if el is not top:
                    tail = el.tail
                    if tail:
                        if pre:
                            add(tail, line_of(el))
                        else:
                            if not parts:
                                start[0] = line_of(el)
                            parts.append(tail)
                            if depth_h:
                                heading[0] = True
        flush()
        return lines

    def _record_hidden(self, el: Element) -> None:
        text = collapse(text_of(el))
        if len(text) >= 2:
            self.hidden_text.append({"text": text[:2000], "line": line_of(el), "element": el})

    # -- tables ---------------------------------------------------------------

    def _table(self, table: Element, cell: bool) -> bool:
        """Emit ``table`` as a grid if it is one; False if it is to be read as prose."""
        if cell:
            return False
        rows = [_cells(tr) for tr in _own_rows(table)]
        if sum(map(len, rows)) <= 1:
            return False
        if next(islice(table.iter("table"), 1, None), None) is not None:
            return False
        caption = next((c for c in table if c.tag == "caption"), None)
        if caption is not None:
            text = collapse(text_of(caption))
            if text:
                self.doc.blocks.append(Para(text, Loc(line=line_of(caption))))
        self.tables += 1
        number = self.tables
        grid = self._grid(rows, number)
        block = TableBlock(grid, Loc(line=line_of(table), table=number), grid=True)
        if self.container is not None and (
            self.container is table or any(a is table for a in self.container.iterancestors())
        ):
            self.content_range = [len(self.doc.blocks), len(self.doc.blocks) + 1]
        self.doc.blocks.append(block)
        return True

    def _cell_text(self, td: Element) -> str:
        """The text of a grid cell: runs joined, one line per paragraph or ``<br>``."""
        if len(td) == 0:
            return cell_words(td.text or "")
        # the common cell, runs of inline tags in at most one paragraph, in one look
        # at the tags (what _cell_text_plain does for it, without its loop)
        # (with a hidden descendant, even a paragraph _cell_text_plain would pass, the plain path)
        hidden = self.hidden
        if hidden:
            inner = list(td.iterdescendants())
            tags = list(map(_TAG, inner))
            common = hidden.isdisjoint(inner)
        else:
            tags = list(map(_TAG, td.iterdescendants()))
            common = True
        if common and CELL_INLINE_P.issuperset(tags) and tags.count("p") <= 1:
            return cell_words(_tostring(td, method="text", encoding=str, with_tail=False))
        return self._cell_text_plain(td)

    def _cell_text_plain(self, td: Element) -> str:
        """:meth:`_cell_text` without its fast path for the common cell."""
        if len(td) == 0:
            return cell_words(td.text or "")
        hidden = self.hidden
        paras = 0
        for d in td.iterdescendants():
            tag = d.tag
            if tag == "p":
                paras += 1
            elif tag not in CELL_INLINE or (hidden and d in hidden):
                return "\n".join(self.flow(td, cell=True))
        if paras <= 1:
            return cell_words(_tostring(td, method="text", encoding=str, with_tail=False))
        if any(k.tag != "p" or (k.tail and not k.tail.isspace()) for k in td) or (
            td.text and not td.text.isspace()
        ):
            return "\n".join(self.flow(td, cell=True))
        return "\n".join(t for t in (collapse(text_of(k)) for k in td) if t)

    def _cell(self, td: object) -> tuple[str, int | None]:
        """A grid cell's text and line (the plain cell, of every page gongkai writes, read
        as _cell_text reads it)."""
        assert isinstance(td, etree._Element)
        text = self._cell_text(td) if len(td) else cell_words(td.text or "")
        line: int | None = td.sourceline  # type: ignore[assignment]  # lxml: > 0 or None
        return text, line

    def _grid(self, rows: list[list[Element]], number: int) -> list[list[Cell]]:
        spans: list[list[tuple[object, str | None, str | None]]] = [
            [(td, td.get("colspan"), td.get("rowspan")) for td in tds] for tds in rows
        ]
        room = min(self.budget, MAX_TABLE_CELLS)  # a span past either budget is cut to one cell
        grid = expand_grid(spans, self._cell, number, room, self.origins)
        self.origins = grid.origin
        self.budget -= grid.used
        if grid.truncated:
            warn_truncated(self.doc, number)
        return grid.rows


# -- the page as a whole ------------------------------------------------------


def _check_binary(data: bytes, source: str) -> None:
    """Reject binary garbage: NULs or many control bytes near the start."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    if len(head.translate(None, _PLAIN_BYTES)) > max(8, len(head) // 50):
        raise CorruptFile(source, "binary data, not an HTML page", "二进制数据，不是 HTML 网页")


def _check_text(text: str, source: str, data: bytes, codec: str) -> None:
    """Reject text that decoded to mostly replacement characters (not counting those the
    file spells itself in ``codec``: a page that shows U+FFFD is text, not damage)."""
    most = max(8, min(len(text), 65536) // 50)
    bad = text.count("\ufffd", 0, 65536)
    if bad > most and bad - literal_replacements(data, codec) > most:
        raise CorruptFile(source, "binary data, not an HTML page", "二进制数据，不是 HTML 网页")


def _parse(
    text: str | None, source: str, utf8: bytes | None = None
) -> tuple[Element, bool, str | None]:
    """The parsed page, whether tags were marked as maybe hidden, and a fatal parser error.

    ``utf8`` is the page's own bytes when they are ``text`` in UTF-8: libxml2 then
    reads them as they are, instead of converting the str lxml hands it (``text`` is
    None where it was not decoded: from ``utf8`` where it is needed).
    """
    if text is None:
        if utf8 is None:
            raise ValueError("no text and no bytes")
        if b"<?xml" in utf8:
            text = utf8.decode("utf-8")
    m = _XML_DECL.match(text) if text is not None else None
    if m and text is not None:
        text = "\n" * m.group(0).count("\n") + text[m.end() :]
        utf8 = None
    if utf8 is not None and MAY_HIDE is not None and not MAY_HIDE(utf8):
        marked = False  # mark_hidden would give the page back as it is
    else:
        if text is None:
            assert utf8 is not None
            text = utf8.decode("utf-8")
        text, marked = mark_hidden(text)
    # huge_tree lifts libxml2's nesting limit from 256 to 2048 (unclosed <font>
    # tags nest deeply); the parser stops at the limit and says so.
    source_text: str | bytes
    if utf8 is not None and not marked:
        # no element is marked as maybe hidden, so no style is read: the attributes no
        # reader reads can go before the parse (half of libxml2's time on a Word page)
        lean = LEAN(utf8) if LEAN is not None else None
        source_text = utf8 = utf8 if lean is None else lean
    else:
        assert text is not None  # decoded above wherever the bytes are not parsed
        source_text = text
    parser = etree.HTMLParser(
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
        encoding="utf-8" if source_text is utf8 else None,
    )
    try:
        root = etree.fromstring(source_text, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(source, f"cannot parse the HTML: {exc}", "无法解析该 HTML 文件") from None
    if root is None:
        raise EmptyInput(source, "no content in the HTML page", "HTML 网页没有内容")
    fatal = parser.error_log.filter_from_fatals()
    return root, marked, (str(fatal[0].message) if fatal else None)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
#: the bytes _CONTROL matches, one by one (each looked for with memchr: twice as
#: fast as one pass of bytes.translate over the page)
_CONTROL_BYTES = tuple(bytes([b]) for b in range(256) if _CONTROL.match(chr(b)))
_ASCII_SAFE = frozenset(
    {"utf-8", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp936", "ascii", "iso8859-1"}
)

#: ``<meta name=…>`` naming when a page was published (government CMSs, Open Graph, Dublin Core).
PUBLISHED_META = frozenset(
    {
        "pubdate",
        "publishdate",
        "firstpublishedtime",
        "article:published_time",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
    }
)


def meta_date(elements: Iterable[Element]) -> str | None:
    """The publication date a page declares in its ``<meta>`` tags (``PubDate``…), from
    the page's elements in document order (others than ``<meta>`` are passed over)."""
    for el in elements:
        if el.tag != "meta":
            continue
        name = (el.get("name") or el.get("property") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if name in PUBLISHED_META and content:
            return content[:40]
    return None


def read(data: bytes, source: str) -> Document:
    """Read an HTML page into a :class:`Document`."""
    if not data or data.isspace():
        raise EmptyInput(source)
    # strict UTF-8 without a BOM or a control byte (the compiled check: one pass)
    utf8_clean = UTF8_CLEAN is not None and UTF8_CLEAN(data)
    # bytes without a control byte hold none of those _check_binary counts (a subset)
    no_control_byte = utf8_clean or not any(b in data for b in _CONTROL_BYTES)
    if not no_control_byte:
        _check_binary(data, source)
    declared = declared_charset(data)
    text: str | None
    decoded: Decoded | None
    controls: list[int]
    if utf8_clean:
        # strict UTF-8 without a BOM: what decode_text, the control scan and _check_text
        # would find (UTF-8, nothing to remove, nothing replaced), the text decoded only
        # where it is needed
        text, encoding, decoded, controls, same = None, "utf-8", None, [], True
    else:
        decoded = decode_text(data, declared)
        text, encoding = decoded.text, decoded.codec
        # in these encodings a control character is its own byte, never part of another
        # character's: bytes without one decode to text without one (a fast test first)
        clean = encoding in _ASCII_SAFE and no_control_byte
        controls = [] if clean else [m.start() for m in _CONTROL.finditer(text)]
        if controls:
            # a NUL or other control byte inside a cell would hide the label it precedes
            text = _CONTROL.sub("", text)
        _check_text(text, source, data, encoding)
        # the bytes are the text itself when they were strict UTF-8 and nothing was removed
        same = encoding == "utf-8" and not controls and not decoded.bad_count
    root, marked, fatal = _parse(text, source, data if same else None)
    doc = Document(format="html")
    if fatal:
        doc.warn(
            "html-parse-stopped",
            (
                f"HTML 解析提前停止，其后的文字丢失：{fatal}",
                f"the HTML parser stopped early, later text is lost: {fatal}",
            ),
        )
    doc.meta["encoding"] = encoding
    if decoded is not None:
        warn_decoding(doc, decoded)
    if controls and decoded is not None:
        lines = sorted({decoded.text.count("\n", 0, at) + 1 for at in controls[:10]})
        shown = "、".join(str(n) for n in lines)
        doc.warn(
            "control-characters",
            f"{len(controls)} control character(s) (NUL …) removed, on line(s) {shown}",
            Loc(lines[0]),
            zh=f"已删除 {len(controls)} 个控制字符（NUL 等），在第 {shown} 行",
            lines=lines,
        )
    if declared:
        doc.meta["declared_encoding"] = declared
    # one pass over the page for <title>, <meta> and the tamper signals
    elements = signal_elements(root)
    title = next((el for el in elements if el.tag == "title" and el is not root), None)
    if title is not None:
        doc.meta["title"] = collapse(text_of(title))
    pub = meta_date(elements)
    if pub:
        doc.meta["page_date"] = pub
    body = root.find("body")
    if body is None:
        body = root
    found = find_container(body)
    container = found if found is not None else body
    hidden = hidden_elements(root) if marked else set()
    reader = _Reader(doc, hidden, container) if WALK is None else WALK(doc, hidden, container)
    reader.flow(body)
    content = reader.content_range if len(reader.content_range) == 2 else [0, len(doc.blocks)]
    doc.meta["content"] = {
        "found": found is not None,
        "tag": container.tag,
        "line": line_of(container),
        "blocks": content,
    }
    collect_signals(root, doc, container, elements)
    hidden_text = [
        {"text": h["text"], "line": h["line"], "in_content": inside(h["element"], container)}
        for h in reader.hidden_text
    ]
    doc.meta["hidden_text"] = hidden_text
    collect_emails(doc, doc.meta["emails"], hidden_text, (content[0], content[1]))
    crawler_header(doc)
    if doc.meta["images"]:
        from gongkai.reading.ocr.images import read_page_images

        read_page_images(doc, source)
    if not doc.blocks and not doc.meta["images"]:
        raise EmptyInput(source, "no text in the HTML page", "HTML 网页中没有文字")
    return doc


__all__ = ["MAX_TABLE_CELLS", "read"]
