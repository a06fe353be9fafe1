"""A page image → blocks of a :class:`~gongkai.reading.document.Document`.

The page is turned straight, its ruled tables found (:mod:`.grid`) and read
cell by cell: each text line inside a cell is cut out and recognised alone,
which reads lone digits that a whole-page detector misses. The prose outside
the tables is found and read line by line. Every cell keeps the engine's
confidence in :class:`OcrCell`, which :mod:`.verify` uses to decide which
values the report may state as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from gongkai.reading.document import Block, Cell, Loc, Para, TableBlock
from gongkai.reading.ocr import engine
from gongkai.reading.ocr.grid import Grid, binarise, deskew, find_grids

#: Ink pixels a cell needs before it is read (fewer: an empty cell).
MIN_INK = 12
#: Characters an engine confuses with digits, and the digit each stands for.
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "!": "1",
        "Z": "2",
        "S": "5",
        "s": "5",
        "B": "8",
        "g": "9",
        "q": "9",
    }
)
_NUMBERISH = re.compile(r"^[0-9OoDIl|!ZSsBgq,.，。]{1,12}$")
_CLEAN_NUMBER = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class OcrCell:
    """What the engine read in one cell: the text given to the reader, the
    text as recognised, and the lowest confidence of its lines."""

    text: str
    raw: str
    score: float

    @property
    def number_like(self) -> bool:
        return bool(_CLEAN_NUMBER.match(self.text))

    @property
    def guessed(self) -> bool:
        """The text was changed from what the engine read (O → 0)."""
        return self.text != self.raw


@dataclass
class PageResult:
    blocks: list[Block] = field(default_factory=list)
    cells: dict[tuple[int, int, int, int], OcrCell] = field(default_factory=dict)
    angle: float = 0.0
    seconds: float = 0.0


def _line_spans(ink: np.ndarray, min_height: int = 4) -> list[tuple[int, int]]:
    rows = (ink > 0).sum(axis=1)
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, v in enumerate(rows):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if i - start >= min_height:
                spans.append((start, i))
            start = None
    if start is not None and len(rows) - start >= min_height:
        spans.append((start, len(rows)))
    return spans


def _cell_crops(
    gray: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]
) -> list[np.ndarray]:
    x0, y0, x1, y1 = box
    pad = 4
    sub = ink[y0 + pad : y1 - pad, x0 + pad : x1 - pad]
    if sub.size == 0 or int((sub > 0).sum()) < MIN_INK:
        return []
    crops = []
    for a, b in _line_spans(sub):
        cols = np.flatnonzero((sub[a:b] > 0).any(axis=0))
        if cols.size == 0:
            continue
        ya, yb = y0 + pad + max(0, a - 3), y0 + pad + b + 3
        xa, xb = x0 + pad + max(0, int(cols[0]) - 4), x0 + pad + int(cols[-1]) + 5
        crops.append(gray[ya:yb, xa:xb])
    return crops


def _normalise(raw: str) -> str:
    text = raw.strip()
    compact = text.replace(" ", "")
    if (_NUMBERISH.match(compact) and any(ch.isdigit() for ch in compact)) or compact in {"O", "o"}:
        return compact.translate(_DIGIT_LOOKALIKES).rstrip(".。，,")
    return text


def _table(
    gray: np.ndarray, ink: np.ndarray, grid: Grid, page: int, index: int, result: PageResult
) -> TableBlock:
    crops: list[np.ndarray] = []
    owner: list[int] = []
    for k, c in enumerate(grid.cells):
        for crop in _cell_crops(gray, ink, c.box):
            crops.append(crop)
            owner.append(k)
    lines: dict[int, list[tuple[str, float]]] = {}
    for k, read in zip(owner, engine.recognise(crops), strict=True):
        lines.setdefault(k, []).append(read)
    rows: list[list[Cell]] = [[] for _ in range(grid.rows)]
    placed: dict[tuple[int, int], Cell] = {}
    for k, c in enumerate(grid.cells):
        got = lines.get(k, [])
        raw = "".join(t for t, _ in got)
        text = _normalise(raw) if got else ""
        score = min((s for _, s in got), default=1.0)
        loc = Loc(page=page, table=index, row=c.row + 1, col=c.col + 1)
        result.cells[(page, index, c.row + 1, c.col + 1)] = OcrCell(text, raw, score)
        for r in range(c.row, c.row + c.rowspan):
            for col in range(c.col, c.col + c.colspan):
                placed[(r, col)] = Cell(text, loc, col=col, origin=k)
    for (r, _col), cell in sorted(placed.items()):
        rows[r].append(cell)
    return TableBlock(rows=[r for r in rows if r], loc=Loc(page=page, table=index))


def _segments(ink: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Runs of inked columns of a text line, split where blank for ``gap`` or more."""
    cols = np.flatnonzero(ink.any(axis=0))
    if cols.size == 0:
        return []
    out: list[tuple[int, int]] = []
    start = prev = int(cols[0])
    for c in cols[1:]:
        c = int(c)
        if c - prev > gap:
            out.append((start, prev + 1))
            start = c
        prev = c
    out.append((start, prev + 1))
    return out


def _prose(
    gray: np.ndarray, ink: np.ndarray, grids: list[Grid], page: int
) -> list[tuple[int, Para]]:
    """The lines of prose outside the tables, found by the page's ink profile.

    Reports are set in one column, so a text line is a band of rows with ink,
    and a wide blank inside it (a signature pushed to the right) splits it
    into pieces read one by one and joined with a space.
    """
    import cv2

    clean = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    for g in grids:
        x0, y0, x1, y1 = g.box
        clean[max(0, y0 - 3) : y1 + 4, max(0, x0 - 3) : x1 + 4] = 0
    h, w = clean.shape
    band_min = max(6, h // 250)
    spans = [(a, b) for a, b in _line_spans(clean, min_height=band_min)]
    crops: list[np.ndarray] = []
    owner: list[int] = []
    for n, (a, b) in enumerate(spans):
        height = b - a
        for xa, xb in _segments(clean[a:b] > 0, gap=3 * height):
            if xb - xa < 3:
                continue
            crops.append(gray[max(0, a - 3) : b + 3, max(0, xa - 4) : min(w, xb + 4)])
            owner.append(n)
    pieces: dict[int, list[str]] = {}
    for n, (text, score) in zip(owner, engine.recognise(crops), strict=True):
        if text.strip() and score >= 0.5:
            pieces.setdefault(n, []).append(text.strip())
    out: list[tuple[int, Para]] = []
    for n, (a, _b) in enumerate(spans):
        if n in pieces:
            out.append((a, Para(" ".join(pieces[n]), Loc(page=page, line=len(out) + 1))))
    return out


def read_page(gray: np.ndarray, page: int, first_table: int, result: PageResult) -> int:
    """Append the blocks of one page image to ``result``; the next table index."""
    straight, angle = deskew(gray)
    result.angle = max(result.angle, abs(angle), key=abs)
    ink = binarise(straight)
    grids = find_grids(straight, ink)
    placed: list[tuple[int, Block]] = list(_prose(straight, ink, grids, page))
    index = first_table
    for g in grids:
        placed.append((g.box[1], _table(straight, ink, g, page, index, result)))
        index += 1
    placed.sort(key=lambda p: p[0])
    result.blocks.extend(b for _, b in placed)
    return index
