"""The HTML reader's model of a page's tags: which hold no report text, which end a
paragraph, which a table cell may hold and still be read as one run, and the limits on
spanned cells. Shared by :mod:`gongkai.reading.formats.html` and its compiled walk over
libxml2's nodes (``_htmlwalk``), so that both read a page by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gongkai.reading.document import Cell, Document, Loc
from gongkai.reading.formats.common import collapse

#: Elements whose content is never text of the report.
SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link",
        "iframe", "frame", "frameset", "object", "embed", "applet", "select", "option",
        "textarea", "button", "svg", "math", "canvas", "audio", "video", "map", "param",
        "source", "track", "base", "datalist",
    }
)  # fmt: skip
#: Elements that end the current paragraph when they open or close.
BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "table", "tr", "td", "th", "tbody", "thead", "tfoot", "caption",
        "blockquote", "pre", "section", "article", "header", "footer", "nav", "aside",
        "main", "form", "fieldset", "legend", "address", "figure", "figcaption",
        "center", "hr", "body", "html", "details", "summary", "dir", "menu", "xmp",
        "listing", "plaintext", "hgroup", "colgroup", "col",
    }
)  # fmt: skip
#: Tags a grid cell may hold for the fast path of a grid cell's text (``html._Reader._cell_text``).
CELL_INLINE = frozenset(
    {
        "td", "th", "span", "font", "b", "strong", "i", "em", "u", "o:p", "sub", "sup", "a",
        "small", "big", "s", "strike", "ins", "img", "label", "abbr", "acronym", "cite",
        "code", "q", "var", "tt", "nobr", "mark", "time", "data", "bdi", "bdo", "kbd",
        "samp", "wbr", "st1:chsdate", "st1:chmetcnv", "w:sdt",
    }
)  # fmt: skip
CELL_INLINE_P = CELL_INLINE | {"p"}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements whose line breaks end paragraphs (preformatted text).
PRE = frozenset({"pre", "xmp", "listing"})
ROW_GROUPS = frozenset({"thead", "tbody", "tfoot", "form"})
CELLS = frozenset({"td", "th"})

#: The attributes any part of the HTML reader reads (the cells' spans, ``<meta>``, the
#: tamper signals, the embedded record, hidden elements). ``_htmlwalk.lean`` cuts the
#: others out of a page before the parse where no element is marked as maybe hidden
#: (whose style is read then).
READ_ATTRIBUTES = frozenset(
    {
        "colspan", "rowspan", "http-equiv", "content", "name", "property", "charset", "id",
        "src", "type", "href", "alt", "hidden",
    }
)  # fmt: skip
#: Elements whose content libxml2's HTML5 tokenizer reads as text to their end tag (or
#: may: more is safe, the scan of ``lean`` then cuts less).
RAW_TEXT = frozenset(
    {
        "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea",
        "title",
    }
)  # fmt: skip

#: Largest expanded table, and all tables of a page, in grid positions
#: (guards against rowspan/colspan bombs).
MAX_TABLE_CELLS = 200_000
MAX_PAGE_CELLS = 4 * MAX_TABLE_CELLS
MAX_COLSPAN = 1000


_SPAN = re.compile(r"\s*(\d+)")


def span(value: str | None, cap: int) -> int:
    """A rowspan/colspan attribute as an int in 1..cap (0 for rowspan means 'to the end')."""
    if not value:
        return 1
    if value == "1":
        return 1
    m = _SPAN.match(value)
    if not m:
        return 1
    n = int(m.group(1)[:7])
    if n == 0:
        return cap
    return max(1, min(n, cap))


def cell_words(text: str) -> str:
    """A grid cell's text with its white space folded (:func:`collapse`); most cells are
    one word ("0", "行政许可"), with nothing to fold."""
    return text if text.isalnum() else collapse(text)


class Grid:
    """A table's rows of cells with its spans expanded, and what the expansion took:
    ``used`` grid positions, ``truncated`` (a span cut to one cell past the budget),
    ``origin`` (the last source cell's number)."""

    def __init__(self, rows: list[list[Cell]], used: int, truncated: bool, origin: int) -> None:
        self.rows = rows
        self.used = used
        self.truncated = truncated
        self.origin = origin


def expand_grid(
    rows: list[list[tuple[object, str | None, str | None]]],
    cell: Callable[[object], tuple[str, int | None]],
    number: int,
    room: int,
    origin: int,
) -> Grid:
    """The grid of table ``number``: ``rows`` of (source cell, its ``colspan``, its
    ``rowspan`` attribute), ``cell`` giving a source cell's text and line (asked only of
    the cells that fit), ``room`` grid positions left (a span past it is cut to one cell;
    no cell past :data:`MAX_TABLE_CELLS`), source cells numbered on from ``origin``.
    Every position gets a :class:`Cell` (copies of a spanned cell share its origin); a row
    no span reached is filled left to right, the others around the spans; rows left empty
    are dropped."""
    n = len(rows)
    # the cells that spans from rows above put in a row, by column
    slots: list[dict[int, Cell]] = [{} for _ in range(n)]
    out: list[list[Cell]] = []
    used = 0
    truncated = False
    for r, tds in enumerate(rows):
        row = slots[r]
        # a row no span from above reached is filled left to right, with no gap to look
        # for: a list in column order; the others are placed around the spans in their
        # dict and sorted
        spanned = bool(row)
        cells: list[Cell] = []
        r1 = r + 1
        c = 0
        for td, colspan_value, rowspan_value in tds:
            if spanned:
                while c in row:
                    c += 1
            colspan = 1 if colspan_value is None else span(colspan_value, MAX_COLSPAN)
            rowspan = 1 if rowspan_value is None else span(rowspan_value, n - r)
            if used + colspan * rowspan > room:
                truncated = True
                colspan = rowspan = 1
                if used >= MAX_TABLE_CELLS:
                    break
            text, line = cell(td)
            origin += 1
            if rowspan == 1 and colspan == 1:  # the common cell: no span to expand
                one = Cell(text, Loc(line, None, number, r1, c + 1), c, origin)
                if spanned:
                    row[c] = one
                else:
                    cells.append(one)
                used += 1
                c += 1
                continue
            for dr in range(rowspan):
                target = slots[r + dr]
                for dc in range(colspan):
                    col = c + dc
                    if col in target:
                        continue
                    one = Cell(text, Loc(line, None, number, r1 + dr, col + 1), col, origin)
                    if dr or spanned:
                        target[col] = one
                    else:
                        cells.append(one)
                    used += 1
            c += colspan
        out.append([row[k] for k in sorted(row)] if spanned else cells)
    return Grid([cells for cells in out if cells], used, truncated, origin)


def warn_truncated(doc: Document, number: int) -> None:
    """Say that table ``number`` had spans cut (past the budget of grid positions)."""
    doc.warn(
        "table-truncated",
        (
            f"第 {number} 个表格合并的单元格过多，已截断",
            f"table {number} has too many spanned cells; spans were cut",
        ),
    )


__all__ = [
    "BLOCK",
    "CELLS",
    "CELL_INLINE",
    "CELL_INLINE_P",
    "HEADINGS",
    "MAX_COLSPAN",
    "MAX_PAGE_CELLS",
    "MAX_TABLE_CELLS",
    "PRE",
    "RAW_TEXT",
    "READ_ATTRIBUTES",
    "ROW_GROUPS",
    "SKIP",
    "Grid",
    "cell_words",
    "expand_grid",
    "span",
    "warn_truncated",
]
