"""The report as Markdown or plain text, in the flattened layouts sites publish.

Plain text has two table layouts, both seen on real government sites:

- ``cells`` — one cell per line, a blank line between table rows;
- ``pipe`` — one table row per line, cells separated by `` | ``.

In both a cell hidden by a merge is not repeated, and a blank value is
printed ``/`` (an empty line would end the row; an empty cell between bars
is invisible).

Markdown draws each table as a GitHub pipe table over the full grid, its
header rows flattened into the one header row Markdown has (see
:func:`table_markdown`).
"""

from __future__ import annotations

from typing import Literal

from gongkai.write.content import compose
from gongkai.write.data import ReportData
from gongkai.write.layout import LayoutTable

TextLayout = Literal["cells", "pipe"]
TEXT_LAYOUTS: tuple[TextLayout, ...] = ("cells", "pipe")

#: How the ``cells`` layout prints a blank value.
BLANK = "/"


def _shown(text: str, role: str) -> str:
    return BLANK if role == "value" and text == "" else text


def table_cells(table: LayoutTable) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        if lines:
            lines.append("")
        lines.extend(_shown(cell.text, cell.role) for cell in row)
    return lines


def table_pipe(table: LayoutTable) -> list[str]:
    return [" | ".join(_shown(cell.text, cell.role) for cell in row) for row in table.rows]


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def table_markdown(table: LayoutTable) -> list[str]:
    """A pipe table over the full grid.

    The header rows are flattened into one: each column is headed by the
    lowest header cell above it. A label spanning rows is repeated on each
    row it spans; a cell spanning columns is written in its first column.
    """
    grid = table.grid()

    def row_texts(r: int, fill_down: bool) -> list[str]:
        out: list[str] = []
        for c, g in enumerate(grid[r]):
            assert g is not None
            cell, origin = g
            left = grid[r][c - 1] if c else None
            first_col = left is None or left[0] is not cell
            above = grid[r - 1][c] if r else None
            continued = above is not None and above[0] is cell
            if not first_col or (continued and not fill_down):
                out.append("")
            else:
                out.append(_md_escape(cell.text))
        return out

    head = max(table.header_rows, 1)
    lines = ["| " + " | ".join(row_texts(head - 1, True)) + " |", "|" + "---|" * table.ncols]
    for r in range(head, len(grid)):
        lines.append("| " + " | ".join(row_texts(r, True)) + " |")
    return lines


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
    return "\n".join(out).rstrip() + "\n"


def render_markdown(data: ReportData) -> str:
    """The report as Markdown: headings, paragraphs and pipe tables."""
    out: list[str] = []
    for b in compose(data):
        if b.kind == "title":
            out.append(f"# {b.text}")
        elif b.kind == "heading":
            out.append(f"## {b.text}")
        elif b.kind == "table" and b.table is not None:
            out.append("\n".join(table_markdown(b.table)))
        else:
            out.append(b.text)
    return "\n\n".join(out) + "\n"
