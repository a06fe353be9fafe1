"""The report as Markdown or plain text, in the flattened layouts sites publish.

Plain text has two table layouts, both seen on real government sites:

- ``cells`` — one cell per line, a blank line between table rows; a cell
  hidden by a merge is not repeated. A blank value is printed ``/`` (an
  empty line would end the row).
- ``pipe`` — one table row per line, cells separated by `` | ``; a blank
  value is an empty cell between two bars.

Markdown draws each table as a pipe table over the full grid: merged cells
are written once and the positions they cover are left empty; the first
header row is the Markdown header.
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


def table_cells(table: LayoutTable) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        if lines:
            lines.append("")
        for cell in row:
            text = cell.text
            if cell.role == "value" and text == "":
                text = BLANK
            lines.append(text)
    return lines


def table_pipe(table: LayoutTable) -> list[str]:
    return [" | ".join(cell.text for cell in row) for row in table.rows]


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def table_markdown(table: LayoutTable) -> list[str]:
    lines: list[str] = []
    for r, grow in enumerate(table.grid()):
        cells = []
        for g in grow:
            assert g is not None
            cell, origin = g
            cells.append(_md_escape(cell.text) if origin else "")
        lines.append("| " + " | ".join(cells) + " |")
        if r == 0:
            lines.append("|" + "---|" * table.ncols)
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
