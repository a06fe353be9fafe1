"""HTML reader: a web page (often a crawler's copy of a whole site page) to a Document.

The page is decoded with :mod:`gongkai.readers.decode` and parsed with lxml's
HTML parser (libxml2; broken markup is recovered, never fatal). Prose becomes
:class:`Para` blocks, one per block element or ``<br>``-separated line, with the
source line as ``Loc.line``. Tables become :class:`TableBlock` grids with
``rowspan``/``colspan`` expanded; a table holding other tables is a layout
container and is read as prose, and so is a table of one cell.

Besides the text, the reader records facts for the layout and the checker in
``Document.meta``: ``encoding``, ``title``, ``crawler``/``url`` (a crawler's
``标题：…/来源：…`` header), ``embedded`` (a record gongkai wrote into the page)
and the tamper signals ``scripts``, ``links``, ``emails``, ``hidden_text``,
``iframes``, ``images`` and ``meta_refresh``. Each signal says whether it lies
``in_content``: inside the element that holds the report (``meta['content']``).
Hidden text is recorded, never emitted as prose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any

from lxml import etree

from gongkai.document import Block, Cell, Document, Loc, Para, TableBlock
from gongkai.errors import CorruptFile, EmptyInput
from gongkai.readers.decode import declared_charset, decode

Element = etree._Element

#: Elements whose content is never text of the report.
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link",
        "iframe", "frame", "frameset", "object", "embed", "applet", "select", "option",
        "textarea", "button", "svg", "math", "canvas", "audio", "video", "map", "param",
        "source", "track", "base", "datalist",
    }
)  # fmt: skip
#: Elements that end the current paragraph when they open or close.
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
        "blockquote", "pre", "section", "article", "header", "footer", "nav", "aside",
        "main", "form", "fieldset", "legend", "address", "figure", "figcaption",
        "center", "hr", "body", "html", "details", "summary", "dir", "menu", "xmp",
        "listing", "plaintext", "hgroup", "colgroup", "col",
    }
)  # fmt: skip
#: Tags a grid cell may hold for the fast path of :meth:`_Reader._cell_text`.
_CELL_INLINE = frozenset(
    {
        "td", "th", "span", "font", "b", "strong", "i", "em", "u", "o:p", "sub", "sup", "a",
        "small", "big", "s", "strike", "ins", "img", "label", "abbr", "acronym", "cite",
        "code", "q", "var", "tt", "nobr", "mark", "time", "data", "bdi", "bdo", "kbd",
        "samp", "wbr", "st1:chsdate", "st1:chmetcnv", "w:sdt",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot", "form"})
_CELLS = frozenset({"td", "th"})

_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_XML_DECL = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")
_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
_CRAWLER = re.compile(r"^(标题|单位|来源|采集时间|抓取时间|链接|网址|URL|url)\s*[：:]\s*(.*)$")

# Inline styles that hide an element.
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0*)?\s*(?:;|!|$)"
    r"|font-size\s*:\s*(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|%)?\s*(?:;|!|$)"
)
_OFFSCREEN = re.compile(r"(?<![\w-])(?:left|top|right|text-indent|margin-left)\s*:\s*-\s*(\d+)")
_ZERO_BOX = re.compile(r"(?<![\w-])(?:height|width|max-height|max-width)\s*:\s*0(?:px)?\s*(?:;|!|$)")
_OVERFLOW_HIDDEN = re.compile(r"overflow(?:-[xy])?\s*:\s*hidden")
#: A CSS value that may hide an element (or a ``hidden`` attribute), searched in
#: the raw page; the property before the colon is checked in Python. Tags that
#: hold one get a marker attribute before parsing, found again by XPath.
_MAYBE_HIDDEN = re.compile(r":\s*(?:none|hidden|collapse|0|\.0|-\s*\d{3})", re.I)
_PROPERTY_BEFORE = re.compile(r"([a-z-]+)\s*$", re.I)
_HIDING_PROPERTIES = frozenset(
    {
        "display", "visibility", "opacity", "font-size", "height", "width", "max-height",
        "max-width", "left", "top", "right", "text-indent", "margin-left", "margin-top",
    }
)  # fmt: skip
_TAG_NAME = re.compile(r"<[A-Za-z][\w:.-]*")
_MARK = "data-gongkai-hide"
_MARKED = etree.XPath(f"//body//*[@{_MARK}]")

#: Words that mark a table as one of the report's tables.
_REPORT_TABLE_WORDS = ("第二十条", "申请人情况", "予以公开", "行政复议", "信息内容", "本年新收")
_PART_HEADS = ("一、", "二、", "三、", "四、", "五、", "六、")

#: Largest expanded table, in grid positions (guards against colspan bombs).
MAX_TABLE_CELLS = 200_000
_MAX_COLSPAN = 1000


def collapse(text: str) -> str:
    """White space folded to single spaces, zero-width characters removed, stripped."""
    return " ".join(_ZERO_WIDTH.sub("", text).split())


def _string(el: Element) -> str:
    """The text content of ``el`` (its tail excluded)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _line(el: Element) -> int | None:
    n = el.sourceline
    return int(n) if n else None


def _is_hidden(el: Element) -> bool:
    if el.get("hidden") is not None:
        return True
    style = (el.get("style") or "").lower()
    if not style:
        return False
    if _HIDDEN_STYLE.search(style):
        return True
    for m in _OFFSCREEN.finditer(style):
        if int(m.group(1)) >= 500:
            return True
    return bool(_ZERO_BOX.search(style) and _OVERFLOW_HIDDEN.search(style))


def _span(value: str | None, cap: int) -> int:
    """A rowspan/colspan attribute as an int in 1..cap (0 for rowspan means 'to the end')."""
    if not value:
        return 1
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return 1
    n = int(m.group(1)[:7])
    if n == 0:
        return cap
    return max(1, min(n, cap))


def _own_rows(table: Element) -> list[Element]:
    rows: list[Element] = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            rows.append(child)
        elif tag in _ROW_GROUPS:
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def _cells(tr: Element) -> list[Element]:
    return [c for c in tr if c.tag in _CELLS]


class _Reader:
    """State of one read: the document, counters, the content container."""

    def __init__(self, doc: Document, hidden: set[Element], container: Element | None) -> None:
        self.doc = doc
        self.hidden = hidden
        self.container = container
        self.hidden_text: list[dict[str, Any]] = []
        self.tables = 0
        self.origins = 0
        self.budget = MAX_TABLE_CELLS * 4
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
                if tag in _SKIP:
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
                elif tag in _BLOCK:
                    flush()
                    if tag in _HEADINGS:
                        depth_h += 1
                    elif tag == "pre" or tag == "xmp" or tag == "listing":
                        pre += 1
                text = el.text
                if text:
                    add(text, _line(el))
            else:
                if isinstance(tag, str):
                    if tag in _BLOCK and el not in skipped:
                        flush()
                        if tag in _HEADINGS:
                            depth_h -= 1
                        elif tag == "pre" or tag == "xmp" or tag == "listing":
                            pre -= 1
                    if el is container and not cell:
                        flush()
                        self.content_range.append(len(blocks))
                if el is not top:
                    tail = el.tail
                    if tail:
                        add(tail, _line(el))
        flush()
        return lines

    def _record_hidden(self, el: Element) -> None:
        text = collapse(_string(el))
        if len(text) >= 2:
            self.hidden_text.append({"text": text[:2000], "line": _line(el), "element": el})

    # -- tables ---------------------------------------------------------------

    def _table(self, table: Element, cell: bool) -> bool:
        """Emit ``table`` as a grid if it is one; False if it is to be read as prose."""
        rows = _own_rows(table)
        n_cells = sum(len(_cells(tr)) for tr in rows)
        if n_cells <= 1 or cell:
            return False
        if next(islice(table.iter("table"), 1, None), None) is not None:
            return False
        caption = next((c for c in table if c.tag == "caption"), None)
        if caption is not None:
            text = collapse(_string(caption))
            if text:
                self.doc.blocks.append(Para(text, Loc(line=_line(caption))))
        self.tables += 1
        number = self.tables
        grid = self._grid(rows, number)
        block = TableBlock(grid, Loc(line=_line(table), table=number), grid=True)
        if self.container is not None and (
            self.container is table or any(a is table for a in self.container.iterancestors())
        ):
            self.content_range = [len(self.doc.blocks), len(self.doc.blocks) + 1]
        self.doc.blocks.append(block)
        return True

    def _cell_text(self, td: Element) -> str:
        """The text of a grid cell: runs joined, one line per paragraph or ``<br>``."""
        if len(td) == 0:
            return collapse(td.text or "")
        hidden = self.hidden
        paras = 0
        for d in td.iter():
            tag = d.tag
            if tag == "p":
                paras += 1
            elif tag not in _CELL_INLINE or (hidden and d in hidden):
                return "\n".join(self.flow(td, cell=True))
        if paras <= 1:
            return collapse(_string(td))
        if any(k.tag != "p" or (k.tail and not k.tail.isspace()) for k in td) or (
            td.text and not td.text.isspace()
        ):
            return "\n".join(self.flow(td, cell=True))
        return "\n".join(t for t in (collapse(_string(k)) for k in td) if t)

    def _grid(self, rows: list[Element], number: int) -> list[list[Cell]]:
        n = len(rows)
        slots: list[dict[int, Cell]] = [{} for _ in range(n)]
        used = 0
        truncated = False
        for r, tr in enumerate(rows):
            row = slots[r]
            c = 0
            for td in _cells(tr):
                while c in row:
                    c += 1
                value = td.get("colspan")
                colspan = 1 if value is None else _span(value, _MAX_COLSPAN)
                value = td.get("rowspan")
                rowspan = 1 if value is None else _span(value, n - r)
                if used + colspan * rowspan > self.budget or used + colspan * rowspan > MAX_TABLE_CELLS:
                    truncated = True
                    colspan = rowspan = 1
                    if used >= MAX_TABLE_CELLS:
                        break
                text = self._cell_text(td)
                self.origins += 1
                origin = self.origins
                line = _line(td)
                for dr in range(rowspan):
                    target = slots[r + dr]
                    for dc in range(colspan):
                        col = c + dc
                        if col in target:
                            continue
                        target[col] = Cell(text, Loc(line, None, number, r + dr + 1, col + 1), col, origin)
                        used += 1
                c += colspan
        self.budget -= used
        if truncated:
            self.doc.warn("table-truncated", f"table {number} has too many spanned cells; spans were cut")
        return [[row[k] for k in sorted(row)] for row in slots if row]


# -- the page as a whole ------------------------------------------------------


#: Bytes that are not control characters (deleted to count the ones that are).
_PLAIN_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r\f\x1b")


def _check_binary(data: bytes, source: str) -> None:
    """Reject binary garbage: NULs or many control bytes near the start."""
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    if len(head.translate(None, _PLAIN_BYTES)) > max(8, len(head) // 50):
        raise CorruptFile(source, "binary data, not an HTML page", "二进制数据，不是 HTML 网页")


def _check_text(text: str, source: str) -> None:
    """Reject text that decoded to mostly replacement characters."""
    bad = text.count("\ufffd", 0, 65536)
    if bad > max(8, min(len(text), 65536) // 50):
        raise CorruptFile(source, "binary data, not an HTML page", "二进制数据，不是 HTML 网页")


def _condensed(el: Element) -> str:
    return "".join(_string(el).split())


def _looks_like_report(text: str) -> bool:
    return "信息公开" in text and sum(h in text for h in _PART_HEADS) >= 2


def _find_container(body: Element) -> Element | None:
    """The deepest element holding the report: title words, part headings, report tables."""
    report_tables = [
        t for t in body.iter("table") if any(w in _condensed(t) for w in _REPORT_TABLE_WORDS)
    ]
    if report_tables:
        chain = [report_tables[0], *report_tables[0].iterancestors()]
        index = {id(a): i for i, a in enumerate(chain)}
        deepest = 0
        for t in report_tables[1:]:
            for a in (t, *t.iterancestors()):
                i = index.get(id(a))
                if i is not None:
                    deepest = max(deepest, i)
                    break
        for el in chain[deepest:]:
            if _looks_like_report(_condensed(el)):
                return el
            if el is body:
                break
        return None
    if not _looks_like_report(_condensed(body)):
        return None
    el = body
    while True:
        fits = [c for c in el if isinstance(c.tag, str) and _looks_like_report(_condensed(c))]
        if len(fits) != 1:
            return el
        el = fits[0]


def _inside(el: Element, container: Element | None) -> bool:
    if container is None:
        return False
    if el is container:
        return True
    return any(a is container for a in el.iterancestors())


def _signals(root: Element, doc: Document, container: Element | None) -> None:
    """Record scripts, links, iframes, images, meta refresh and the embedded record."""
    scripts: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    iframes: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    emails: list[dict[str, Any]] = []
    for el in root.iter("script", "a", "iframe", "frame", "img", "meta", "area"):
        tag = el.tag
        line = _line(el)
        if tag == "script":
            code = el.text or ""
            if el.get("id") == "gongkai-record":
                _embedded(code, doc, line)
                continue
            scripts.append(
                {
                    "src": el.get("src"),
                    "type": el.get("type"),
                    "inline": code.strip()[:500],
                    "line": line,
                    "in_content": _inside(el, container),
                }
            )
        elif tag in ("a", "area"):
            href = (el.get("href") or "").strip()
            if not href:
                continue
            inside = _inside(el, container)
            links.append(
                {"href": href, "text": collapse(_string(el))[:200], "line": line, "in_content": inside}
            )
            if href.lower().startswith("mailto:"):
                address = href[7:].split("?", 1)[0].strip()
                if address:
                    emails.append({"email": address, "line": line, "in_content": inside})
        elif tag in ("iframe", "frame"):
            iframes.append({"src": el.get("src"), "line": line, "in_content": _inside(el, container)})
        elif tag == "img":
            images.append(
                {
                    "src": el.get("src"),
                    "alt": el.get("alt"),
                    "line": line,
                    "in_content": _inside(el, container),
                }
            )
        elif (el.get("http-equiv") or "").strip().lower() == "refresh":
            m = _REFRESH_URL.search(el.get("content") or "")
            if m and "meta_refresh" not in doc.meta:
                doc.meta["meta_refresh"] = m.group(1).strip()
    doc.meta["scripts"] = scripts
    doc.meta["links"] = links
    doc.meta["iframes"] = iframes
    doc.meta["images"] = images
    doc.meta["emails"] = emails


def _embedded(code: str, doc: Document, line: int | None) -> None:
    try:
        value = json.loads(code)
    except ValueError as exc:
        doc.warn("embedded-invalid", f"the embedded gongkai record is not valid JSON: {exc}", Loc(line=line))
        return
    if isinstance(value, dict):
        doc.meta["embedded"] = value
    else:
        doc.warn("embedded-invalid", "the embedded gongkai record is not a JSON object", Loc(line=line))


def _text_emails(doc: Document, content: list[int], extra: list[dict[str, Any]]) -> None:
    found: list[dict[str, Any]] = doc.meta["emails"]
    seen = {(e["email"].lower(), e["line"]) for e in found}
    lo, hi = (content[0], content[1]) if len(content) == 2 else (-1, -1)

    def scan(text: str, line: int | None, inside: bool) -> None:
        if "@" not in text:
            return
        for m in _EMAIL.finditer(text):
            key = (m.group(0).lower(), line)
            if key not in seen:
                seen.add(key)
                found.append({"email": m.group(0), "line": line, "in_content": inside})

    for i, block in enumerate(doc.blocks):
        inside = lo <= i < hi
        if isinstance(block, Para):
            scan(block.text, block.loc.line, inside)
        else:
            for row in block.rows:
                for c in row:
                    scan(c.text, c.loc.line, inside)
    for h in extra:
        scan(h["text"], h["line"], h["in_content"])


def _crawler_header(doc: Document) -> None:
    crawler: dict[str, str] = {}
    for block in doc.blocks[:12]:
        if not isinstance(block, Para):
            continue
        m = _CRAWLER.match(block.text)
        if m and m.group(1) not in crawler:
            crawler[m.group(1)] = m.group(2).strip()
    if len(crawler) >= 2 and ("来源" in crawler or "采集时间" in crawler or "链接" in crawler):
        doc.meta["crawler"] = crawler
        for key in ("来源", "链接", "网址", "URL", "url"):
            url = crawler.get(key, "")
            if url.lower().startswith(("http://", "https://")):
                doc.meta["url"] = url
                break


def _parse(text: str, source: str) -> tuple[Element, bool]:
    m = _XML_DECL.match(text)
    if m:
        text = "\n" * m.group(0).count("\n") + text[m.end() :]
    text, marked = _mark_hidden(text)
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(source, f"cannot parse the HTML: {exc}", "无法解析该 HTML 文件") from None
    if root is None:
        raise EmptyInput(source, "no content in the HTML page", "HTML 网页没有内容")
    return root, marked


def _mark_hidden(text: str) -> tuple[str, bool]:
    """Mark tags whose style (or ``hidden`` attribute) may hide them; line numbers are kept."""
    marks: list[int] = []
    last_tag = -1
    found = [m.start() for m in _MAYBE_HIDDEN.finditer(text)]
    for word in ("hidden", "HIDDEN"):
        at = text.find(word)
        while at >= 0:
            if text[at + 6 : at + 7] in (" ", "\t", "\n", "\r", ">", "/", "="):
                found.append(at)
            at = text.find(word, at + 6)
    for at in sorted(found):
        if text[at] == ":":
            prop = _PROPERTY_BEFORE.search(text, max(0, at - 40), at)
            if not prop or prop.group(1).lower() not in _HIDING_PROPERTIES:
                continue
        elif at == 0 or not text[at - 1].isspace():
            continue
        lt = text.rfind("<", 0, at)
        if lt < 0 or lt == last_tag or text.find(">", lt, at) >= 0:
            continue
        name = _TAG_NAME.match(text, lt)
        if name:
            last_tag = lt
            marks.append(lt + name.end())
    if not marks:
        return text, False
    pieces: list[str] = []
    prev = 0
    for at in marks:
        pieces.append(text[prev:at])
        pieces.append(f" {_MARK}")
        prev = at
    pieces.append(text[prev:])
    return "".join(pieces), True


def iter_hidden(root: Element) -> Iterator[Element]:
    """Elements of the body that an inline style or ``hidden`` hides (after marking)."""
    found = _MARKED(root)
    assert isinstance(found, list)
    for el in found:
        if isinstance(el, etree._Element) and _is_hidden(el):
            yield el


def read(data: bytes, source: str) -> Document:
    """Read an HTML page into a :class:`Document`."""
    if not data or data.isspace():
        raise EmptyInput(source)
    _check_binary(data, source)
    declared = declared_charset(data)
    text, encoding = decode(data, declared)
    _check_text(text, source)
    root, marked = _parse(text, source)
    doc = Document(format="html")
    doc.meta["encoding"] = encoding
    if declared:
        doc.meta["declared_encoding"] = declared
    title = root.find(".//title")
    if title is not None:
        doc.meta["title"] = collapse(_string(title))
    body = root.find("body")
    if body is None:
        body = root
    found = _find_container(body)
    container = found if found is not None else body
    reader = _Reader(doc, set(iter_hidden(root)) if marked else set(), container)
    reader.flow(body)
    content = reader.content_range if len(reader.content_range) == 2 else []
    doc.meta["content"] = {
        "found": found is not None,
        "tag": container.tag,
        "line": _line(container),
        "blocks": content or [0, len(doc.blocks)],
    }
    _signals(root, doc, container)
    hidden = [
        {"text": h["text"], "line": h["line"], "in_content": _inside(h["element"], container)}
        for h in reader.hidden_text
    ]
    doc.meta["hidden_text"] = hidden
    _text_emails(doc, content, hidden)
    _crawler_header(doc)
    if not doc.blocks and not doc.meta["images"]:
        raise EmptyInput(source, "no text in the HTML page", "HTML 网页中没有文字")
    return doc


__all__ = ["MAX_TABLE_CELLS", "collapse", "iter_hidden", "read"]
