"""The report as Markdown or plain text, in the flattened layouts sites publish.

Plain text has two table layouts, both seen on real government sites:

- ``cells`` — one cell per line, a blank line between table rows;
- ``pipe`` — one table row per line, cells separated by `` | ``.

In both a cell hidden by a merge is not repeated, and a blank value is
printed ``/`` (an empty line would end the row; an empty cell between bars
is invisible).

Markdown draws the tables as GitHub pipe tables: table 2 as one small table
per captioned block, tables 3 and 4 over the full grid with the header
rows flattened into the one header row Markdown has (see
:func:`table_markdown`). Headings are setext-style (underlined), the title
level 1 and the six parts level 2.
"""

from __future__ import annotations

import re
from typing import Literal

from gongkai.write.content import compose
from gongkai.write.data import ReportData
from gongkai.write.grid import GridTable

TextLayout = Literal["cells", "pipe"]
TEXT_LAYOUTS: tuple[TextLayout, ...] = ("cells", "pipe")

#: How the ``cells`` layout prints a blank value.
BLANK = "/"


def _shown(text: str, role: str) -> str:
    return BLANK if role == "value" and text == "" else text


def table_cells(table: GridTable) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        if lines:
            lines.append("")
        lines.extend(_shown(cell.text, cell.role) for cell in row)
    return lines


def table_pipe(table: GridTable) -> list[str]:
    return [" | ".join(_shown(cell.text, cell.role) for cell in row) for row in table.rows]


_MD_PUNCT = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)


def _line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def md_inline(text: str) -> str:
    """Text from data made inert inside a Markdown line (a table cell)."""
    s = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCT.sub(r"\\\1", s)


def md_text(text: str) -> str:
    """Text from data made inert in Markdown: HTML escaped, markup characters backslashed.

    ``<script>``, ``<!--`` and raw HTML print as text; ``*``, ``_``, ``[``, ``|``
    and the like do not format; a line cannot start a heading, a quote or a list.
    """
    return _MD_LINE_START.sub(_line_start, md_inline(text))


def _md_escape(text: str) -> str:
    return md_inline(text)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(_md_escape(c) for c in cells) + " |"


def _md_grid(table: GridTable) -> list[str]:
    """Tables 3 and 4: the full grid, header rows flattened into one.

    Each column is headed by the lowest header cell above it; a label
    spanning rows is repeated on each of them; a label spanning columns
    sits in the last of them (so values follow their label directly).
    """
    grid = table.grid()

    def row_texts(r: int) -> list[str]:
        out: list[str] = []
        for c, g in enumerate(grid[r]):
            assert g is not None
            cell = g[0]
            nxt = grid[r][c + 1] if c + 1 < table.ncols else None
            last_col = nxt is None or nxt[0] is not cell
            out.append(_shown(cell.text, cell.role) if last_col else "")
        return out

    head = max(table.header_rows, 1)
    lines = [_md_row(row_texts(head - 1)), "|" + "---|" * table.ncols]
    lines.extend(_md_row(row_texts(r)) for r in range(head, len(grid)))
    return lines


def _md_captioned(table: GridTable) -> list[str]:
    """Table 2: each captioned block as a paragraph and a table of its own."""
    lines: list[str] = []
    for row in table.rows:
        cells = [_shown(c.text, c.role) for c in row]
        if len(row) == 1 and row[0].role == "caption":
            lines.extend(["", md_text(row[0].text), ""])
        elif all(c.role == "header" for c in row):
            lines.extend([_md_row(cells), "|" + "---|" * len(cells)])
        else:
            lines.append(_md_row(cells))
    return lines[1:] if lines and lines[0] == "" else lines


def table_markdown(table: GridTable) -> list[str]:
    """The table as GitHub pipe tables (Markdown has no merged cells)."""
    if any(c.role == "caption" for c in table.cells()):
        return _md_captioned(table)
    return _md_grid(table)


#: a line that a reader would take for a Markdown heading (``# …``): in plain text there is
#: no escape, so its marks are printed full width (＃, the same character once NFKC-folded)
_PLAIN_HEADING_MARKS = re.compile(r"^( {0,3})(#{1,6})(?=[ \t])", re.MULTILINE)


def _plain_heading_marks(m: re.Match[str]) -> str:
    return m.group(1) + "＃" * len(m.group(2))


def render_text(data: ReportData, layout: TextLayout = "cells") -> str:
    """The report as plain text with tables in ``layout``."""
    if layout not in TEXT_LAYOUTS:
        raise ValueError(f"unknown text layout {layout!r}; one of {', '.join(TEXT_LAYOUTS)}")
    draw = table_cells if layout == "cells" else table_pipe
    out: list[str] = []
    for b in compose(data):
        if b.kind == "table" and b.table is not None:
            out.extend(["", *draw(b.table), ""])
        elif b.kind == "title":
            out.extend([b.text, ""])
        elif b.kind == "signature":
            out.extend(["", b.text])
        else:
            out.append(b.text)
    text = "\n".join(out).rstrip() + "\n"
    # (a report's text holding lines such as "# 本年度…" read back as Markdown, its marks
    # dropped: the text would not read back as written)
    return _PLAIN_HEADING_MARKS.sub(_plain_heading_marks, text) if "#" in text else text


def render_markdown(data: ReportData) -> str:
    """The report as Markdown: headings, paragraphs and pipe tables."""
    out: list[str] = []
    for b in compose(data):
        if b.kind == "title":
            out.append(f"{md_text(b.text)}\n{'=' * 2 * len(b.text)}")
        elif b.kind == "heading":
            out.append(f"{md_text(b.text)}\n{'-' * 2 * len(b.text)}")
        elif b.kind == "table" and b.table is not None:
            out.append("\n".join(table_markdown(b.table)))
        elif b.kind == "notice":
            out.append(f"**{md_text(b.text)}**")
        else:
            out.append(md_text(b.text))
    return "\n\n".join(out) + "\n"
