"""The intermediate document every reader produces.

A reader turns its input (text, HTML, DOCX, PDF) into a :class:`Document`: a
sequence of blocks in reading order. A :class:`Para` is a line or paragraph
of prose; a :class:`TableBlock` is a table whose rows are lists of
:class:`Cell`. Cells from a real grid (HTML, DOCX, ruled PDF) carry their
grid column and the id of the source cell they were expanded from (a cell
spanning three columns appears three times with one ``origin``). The interpretation
step (:mod:`gongkai.reading.interpret`) maps a Document onto the national format, and
every value keeps its :class:`Loc` for provenance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from gongkai.evidence import ParseWarning, Place

FormatName = Literal["text", "html", "docx", "doc", "pdf", "image"]


# (the hot classes write their __init__ out: compiled by mypyc, a written __init__ is
# native code, where the one dataclass generates stays interpreted; dataclass still
# gives them their fields, __eq__ and __repr__. Compiled, such a class unpickles by
# calling itself with its fields, so each says how: __reduce__; a document crosses
# processes in `parse --explain --jobs N`)
@dataclass(slots=True, init=False)
class Loc:
    """Where a piece of text came from: 1-based line, page, table, row, column."""

    line: int | None
    page: int | None
    table: int | None
    row: int | None
    col: int | None

    def __init__(
        self,
        line: int | None = None,
        page: int | None = None,
        table: int | None = None,
        row: int | None = None,
        col: int | None = None,
    ) -> None:
        self.line = line
        self.page = page
        self.table = table
        self.row = row
        self.col = col

    def __reduce__(self) -> tuple[type[Loc], tuple[int | None, ...]]:
        return Loc, (self.line, self.page, self.table, self.row, self.col)

    def describe(self, lang: str = "en") -> str:
        """``page 4, table 3, row 4, cell 4`` (``第4页 第3表 第4行 第4格`` in Chinese)."""
        zh = lang == "zh"
        parts = []
        for value, en, cn in (
            (self.page, "page", "页"),
            (self.line, "line", "行" if self.table is None else "行(源)"),
            (self.table, "table", "表"),
            (self.row, "row", "行"),
            (self.col, "cell", "格"),
        ):
            if value is not None:
                parts.append(f"第{value}{cn}" if zh else f"{en} {value}")
        return (" " if zh else ", ").join(parts) or "?"

    def as_dict(self) -> dict[str, int]:
        out: dict[str, int] = {}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.col is not None:
            out["col"] = self.col
        return out


@dataclass(slots=True, init=False)
class Cell:
    """One table cell. ``col`` is its grid column (0-based) when the source has a
    real grid, else None; ``origin`` identifies the source cell a spanned cell
    was expanded from (equal origins are the same printed cell)."""

    text: str
    loc: Loc
    col: int | None
    origin: int | None

    def __init__(
        self, text: str, loc: Loc, col: int | None = None, origin: int | None = None
    ) -> None:
        self.text = text
        self.loc = loc
        self.col = col
        self.origin = origin

    def __reduce__(self) -> tuple[type[Cell], tuple[str, Loc, int | None, int | None]]:
        return Cell, (self.text, self.loc, self.col, self.origin)


@dataclass(slots=True, init=False)
class Para:
    """A paragraph (or line) of prose, in reading order."""

    text: str
    loc: Loc
    heading: bool

    def __init__(self, text: str, loc: Loc, heading: bool = False) -> None:
        self.text = text
        self.loc = loc
        self.heading = heading

    def __reduce__(self) -> tuple[type[Para], tuple[str, Loc, bool]]:
        return Para, (self.text, self.loc, self.heading)


@dataclass
class TableBlock:
    """A table: rows of cells. ``grid`` is True when cells sit in known columns."""

    rows: list[list[Cell]]
    loc: Loc
    grid: bool = True
    image_only: bool = False

    @cached_property
    def printed_rows(self) -> list[list[Cell]]:
        """The rows as printed: a cell spanning several columns (or rows) once, where it
        first appears. Made once a block (the readers give a block its rows whole)."""
        out: list[list[Cell]] = []
        for row in self.rows:
            seen: set[int] = set()
            cells: list[Cell] = []
            for c in row:
                origin = c.origin
                if origin is not None:
                    if origin in seen:
                        continue
                    seen.add(origin)
                cells.append(c)
            out.append(cells)
        return out


Block = Para | TableBlock


@dataclass
class Document:
    """What a reader saw: blocks in reading order plus facts about the source.

    ``meta`` holds reader facts the interpretation step and the checker use, for example
    ``title`` (an HTML <title> or PDF title), ``published`` (a page's 公开日期),
    ``links``/``emails``/``scripts``/``hidden_text`` (tamper signals of HTML),
    ``embedded`` (a machine-readable record gongkai wrote into the file),
    ``pages`` (page count).
    """

    format: FormatName
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)

    def paras(self) -> list[Para]:
        return [b for b in self.blocks if isinstance(b, Para)]

    def tables(self) -> list[TableBlock]:
        return [b for b in self.blocks if isinstance(b, TableBlock)]

    def text(self) -> str:
        """All text, tables flattened one row a line, for searching."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Para):
                out.append(b.text)
            else:
                out.extend(" ".join(c.text for c in row) for row in b.printed_rows)
        return "\n".join(out)

    def warn(
        self,
        code: str,
        message: tuple[str, str] | str,
        loc: Loc | None = None,
        *,
        zh: str | None = None,
        **extra: Any,
    ) -> None:
        """Add a warning of a registered ``code`` with its message ``(zh, en)`` (or an
        English ``message`` and its Chinese ``zh``)."""
        pair = message if isinstance(message, tuple) else (zh or message, message)
        where = Place(**loc.as_dict()) if loc is not None else None
        self.warnings.append(ParseWarning.make(code, pair, where=where, **extra))
