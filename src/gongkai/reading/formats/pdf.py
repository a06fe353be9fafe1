"""Read a PDF with a text layer into a :class:`~gongkai.reading.document.Document`.

Page by page with PDFium (pypdfium2; raw calls where speed matters; each page
closed before the next is opened):

1. characters: the text page's characters and loose boxes, in display space
   (page rotation applied, y up, origin at the page box);
2. rules: thin paths, thin sub-paths and the axis-parallel edges of stroked
   paths (form XObjects included) become horizontal and vertical segments;
3. tables: segments that touch form a table. The bands between consecutive
   horizontal rules are its rows; in a band, the vertical rules crossing the
   band's middle bound its cells. A character goes to the cell holding its
   centre, so a label printed one character a line, or merged over many
   rows, lands in the left cells of some rows;
4. prose: the other characters form lines by baseline; wide gaps in a line
   become two spaces. Page numbers are dropped: ``- 4 -`` or ``第4页`` in the
   top or bottom margin (even inside a table), a bare ``4`` as the first or
   last line of the page.

Blocks come in reading order: a :class:`Para` per prose line (``Loc(page,
line)``), a :class:`TableBlock` per table part on a page (a table split over
pages gives one per page; the interpretation step joins them). A row holds one
:class:`Cell` per grid column, blank cells as ``Cell('')``, a cell spanning
k columns k times with one ``origin``. ``Cell.col`` is the 0-based index of
the cell's left boundary among the part's sorted vertical rule positions
(each part numbers its own columns); its ``Loc`` is (page, table, row, col)
with table counted through the document and row, col 1-based.
"""

from __future__ import annotations

import ctypes
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import count, pairwise
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gongkai.errors import CorruptFile, EmptyInput, EncryptedFile, NoTextLayer
from gongkai.pdfium import LOCK
from gongkai.reading import limits
from gongkai.reading.document import Cell, Document, Loc, Para, TableBlock
from gongkai.reading.furniture import is_page_line, is_page_number_in_margin

#: Most pages read from one file; later pages are skipped with a warning.
MAX_PAGES = 1000
#: Most characters read from one page.
MAX_CHARS = 200_000
#: Most page objects inspected on one page (forms included) when looking for rules.
MAX_OBJECTS = 50_000
#: Most segments on a page for which tables are looked for.
MAX_SEGMENTS = 4_000
#: Name of the machine-readable record gongkai attaches to the PDFs it writes.
EMBEDDED_NAME = "gongkai-record.json"

THIN = 3.0  # a path this thin (pt) is a rule
MIN_RULE = 6.0  # shorter segments are ignored
TOL = 2.0  # positions this close are one
MIN_BAND = 3.0  # thinner bands (double rules) are no rows
MIN_COLUMN = 3.0  # vertical rules this close are one boundary
MARGIN_TOP = 0.10  # share of the page height where running heads live
MARGIN_FOOT = 0.12  # ... and running feet

_Affine = tuple[float, float, float, float, float, float]
_IDENTITY: _Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SKIP = frozenset("\ufffe\uffff\u200b\u200c\u200d\u2060\ufeff\u00ad")


class _Ch:
    """One printed character in display space (y grows upwards)."""

    __slots__ = ("c", "cx", "cy", "h", "sp", "x0", "x1", "y0", "y1")

    def __init__(self, c: str, x0: float, y0: float, x1: float, y1: float, sp: bool) -> None:
        self.c = c
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.cx = (x0 + x1) / 2
        self.cy = (y0 + y1) / 2
        self.h = y1 - y0 if y1 - y0 > 1.0 else 1.0
        self.sp = sp  # white space came before it in the text stream


@dataclass
class _Seg:
    """A ruling line: ``pos`` is its y (horizontal) or x (vertical), ``a0..a1`` its extent."""

    pos: float
    a0: float
    a1: float


@dataclass
class _Grid:
    """A table found on a page: its box, column positions and row bands."""

    left: float
    bottom: float
    right: float
    top: float
    xs: list[float]  # sorted x of every column boundary
    bands: list[tuple[float, float, list[int]]]  # (top, bottom, boundary indexes into xs)
    cells: list[list[list[_Ch]]] = field(default_factory=list)  # [band][cell] -> chars
    _tops: list[float] = field(default_factory=list)  # -top of each band, ascending
    _inner: list[list[float]] = field(default_factory=list)  # inner boundary x of each band

    def __post_init__(self) -> None:
        self.cells = [[[] for _ in b[2][1:]] for b in self.bands]
        self._tops = [-b[0] for b in self.bands]
        self._inner = [[self.xs[j] for j in b[2][1:-1]] for b in self.bands]

    def put(self, ch: _Ch) -> bool:
        """File ``ch`` under the band and cell holding its centre; False if it is outside."""
        if not (
            self.left - 0.5 <= ch.cx <= self.right + 0.5
            and self.bottom - 0.5 <= ch.cy <= self.top + 0.5
        ):
            return False
        i = max(bisect_right(self._tops, -ch.cy) - 1, 0)  # the lowest band whose top is above
        below = self.bands[i + 1] if i + 1 < len(self.bands) else None
        if below and self.bands[i][1] - ch.cy > ch.cy - below[0]:
            i += 1  # in a gap between bands (a double rule), nearer the lower one
        self.cells[i][bisect_right(self._inner[i], ch.cx)].append(ch)
        return True


# ------------------------------------------------------------------ geometry


def _pt(m: _Affine, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) transformed by ``m``."""
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _mul(m: _Affine, n: _Affine) -> _Affine:
    """The transform applying ``m`` first, then ``n`` (PDF matrix order)."""
    linear = (n[0], n[1], n[2], n[3], 0.0, 0.0)
    return (*_pt(linear, m[0], m[1]), *_pt(linear, m[2], m[3]), *_pt(n, m[4], m[5]))


def _box(m: _Affine, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
    """Bounding box (x0, y0, x1, y1) of a rectangle transformed by ``m``."""
    pts = [_pt(m, x, y) for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _display(page: Any) -> tuple[_Affine, float, float]:
    """Transform from PDF user space to upright display space, and the display size."""
    rect = pdfium_c.FS_RECTF()
    pdfium_c.FPDF_GetPageBoundingBox(page, ctypes.byref(rect))
    x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
    w, h = float(abs(x1 - x0)), float(abs(y1 - y0))
    shift: _Affine = (1.0, 0.0, 0.0, 1.0, -float(min(x0, x1)), -float(min(y0, y1)))
    rotation = int(pdfium_c.FPDFPage_GetRotation(page)) % 4
    turn: _Affine = (
        _IDENTITY,
        (0.0, -1.0, 1.0, 0.0, 0.0, w),
        (-1.0, 0.0, 0.0, -1.0, w, h),
        (0.0, 1.0, -1.0, 0.0, h, 0.0),
    )[rotation]
    size = (h, w) if rotation % 2 else (w, h)
    return _mul(shift, turn), size[0], size[1]


def _matrix(obj: Any) -> _Affine:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return _IDENTITY
    return (float(m.a), float(m.b), float(m.c), float(m.d), float(m.e), float(m.f))


# ------------------------------------------------------------------ characters


def _chars(textpage: Any, m: _Affine) -> list[_Ch]:
    """The page's printed characters in text-stream order (white space dropped)."""
    n = min(int(pdfium_c.FPDFText_CountChars(textpage)), MAX_CHARS)
    if n <= 0:
        return []
    buf = ctypes.create_string_buffer(2 * (n + 1))
    into = ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort))
    got = int(pdfium_c.FPDFText_GetText(textpage, 0, n, into))
    text = buf.raw[: 2 * max(got - 1, 0)].decode("utf-16-le", "replace")
    if len(text) != n:  # characters outside the BMP: fetch them one by one
        codes = (int(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(n))
        text = "".join(" " if 0xD800 <= u <= 0xDFFF or u > 0x10FFFF else chr(u) for u in codes)
    me, mf = m[4], m[5]
    upright = m[:4] == _IDENTITY[:4]
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    loose = pdfium_c.FPDFText_GetLooseCharBox
    out: list[_Ch] = []
    index: list[int] = []
    space = False
    for i, c in enumerate(text):
        if c <= " " or c.isspace() or c in _SKIP:
            space = True
            continue
        loose(textpage, i, ref)
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
        if upright:
            out.append(_Ch(c, x0 + me, y0 + mf, x1 + me, y1 + mf, space))
        else:
            xa, ya, xb, yb = _box(m, x0, y0, x1, y1)
            out.append(_Ch(c, xa, ya, xb, yb, space))
        index.append(i)
        space = False
    _fix_boxes(textpage, m, out, index)
    return out


def _fix_boxes(textpage: Any, m: _Affine, chars: list[_Ch], index: list[int]) -> None:
    """Replace implausible loose boxes (empty, or many times the usual size: PDFium
    gets some scaled fonts wrong) by the tight glyph box, at least half a line high."""
    if not chars:
        return
    heights = sorted(c.h for c in chars[:: max(len(chars) // 200, 1)])
    usual = heights[len(heights) // 2]
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    for k, ch in enumerate(chars):
        if 0.5 <= ch.y1 - ch.y0 <= min(3 * usual, 60) and 0.01 <= ch.x1 - ch.x0 <= 6 * usual:
            continue
        if not pdfium_c.FPDFText_GetCharBox(textpage, index[k], *refs):
            continue
        x0, y0, x1, y1 = _box(m, left.value, bottom.value, right.value, top.value)
        half = max((y1 - y0) / 2, usual / 4)
        cy = (y0 + y1) / 2
        chars[k] = _Ch(ch.c, x0, cy - half, max(x1, x0 + 0.01), cy + half, ch.sp)


def _page_number_chars(chars: list[_Ch], height: float) -> set[int]:
    """Ids of characters printing a page number (``-4-``, ``第4页``) in the margins."""
    foot, head = MARGIN_FOOT * height, (1 - MARGIN_TOP) * height
    found: set[int] = set()
    run: list[_Ch] = []
    for ch in [*chars, None]:
        inside = ch is not None and (ch.cy < foot or ch.cy > head)
        last = run[-1] if run else None
        if last and not (
            ch
            and inside
            and abs(ch.cy - last.cy) < last.h / 2
            and -ch.h < 2 * (ch.x0 - last.x1) < 3 * ch.h
        ):
            if is_page_number_in_margin("".join(c.c for c in run)):
                found.update(id(c) for c in run)
            run = []
        if ch and inside:
            run.append(ch)
    return found


def _lines(chars: list[_Ch]) -> list[list[_Ch]]:
    """Group characters into lines by their vertical centre, top line first, left to right."""
    lines: list[list[_Ch]] = []
    cur: list[_Ch] = []
    cy = h = 0.0
    for ch in sorted(chars, key=lambda c: -c.cy):
        if cur and abs(ch.cy - cy) <= 0.45 * max(h, ch.h):
            cur.append(ch)
            continue
        if cur:
            lines.append(cur)
        cur, cy, h = [ch], ch.cy, ch.h
    if cur:
        lines.append(cur)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _join(line: list[_Ch], columns: bool) -> str:
    """Text of one line: no space between CJK characters, one between ASCII words,
    two at a column gap (``columns``); overprinted duplicates (fake bold) dropped."""
    prev = line[0]
    parts = [prev.c]
    for ch in line[1:]:
        gap = ch.x0 - prev.x1
        if ch.c == prev.c and abs(ch.x0 - prev.x0) < 0.3 * max(prev.x1 - prev.x0, 0.5):
            continue
        h = max(prev.h, ch.h)
        if columns and gap > 2.0 * h:
            parts.append("  ")
        elif (prev.c.isascii() or ch.c.isascii()) and (gap > 0.5 * h or (ch.sp and gap > 0.1 * h)):
            parts.append(" ")
        parts.append(ch.c)
        prev = ch
    return "".join(parts)


def _cell_text(chars: list[_Ch], right: float) -> str:
    """Text of a table cell ending at x = ``right``: its lines joined top to bottom, with
    a space between ASCII words; digits join only if the upper line was full (a wrapped
    number), so numbers stacked in a cell without rules between them stay apart."""
    out, full = "", False
    for line in _lines(chars):
        text = _join(line, columns=False)
        pair = out[-1:] + text[0]
        space = len(pair) == 2 and pair.isascii() and not (pair.isdigit() and full)
        out += (" " if space else "") + text
        full = line[-1].x1 >= right - 1.5 * line[-1].h
    return out.strip()


# ------------------------------------------------------------------ ruling lines


class _Rules:
    """Collects the ruling lines (and counts the images) of one page."""

    def __init__(self) -> None:
        self.hs: list[_Seg] = []
        self.vs: list[_Seg] = []
        self.images = 0
        self.seen = 0
        self.complete = True

    def add(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Record the box as a rule if it is thin; True if nothing more is to be
        learnt from it (a rule or a dot)."""
        if y1 - y0 <= THIN and x1 - x0 >= MIN_RULE:
            self.hs.append(_Seg((y0 + y1) / 2, x0, x1))
        elif x1 - x0 <= THIN and y1 - y0 >= MIN_RULE:
            self.vs.append(_Seg((x0 + x1) / 2, y0, y1))
        else:
            return x1 - x0 < MIN_RULE and y1 - y0 < MIN_RULE
        return True

    def walk(self, container: Any, form: bool, m: _Affine, depth: int = 0) -> None:
        """Visit the objects of a page (or of a form XObject, ``form``) under transform ``m``."""
        size = pdfium_c.FPDFFormObj_CountObjects if form else pdfium_c.FPDFPage_CountObjects
        get = pdfium_c.FPDFFormObj_GetObject if form else pdfium_c.FPDFPage_GetObject
        n = int(size(container))
        for i in range(n):
            self.seen += 1
            if self.seen > MAX_OBJECTS:
                self.complete = False
                return
            obj = get(container, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                self.path(obj, m)
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                self.images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
                self.walk(obj, True, _mul(_matrix(obj), m), depth + 1)

    def path(self, obj: Any, m: _Affine) -> None:
        """Rules drawn by one path object: itself if thin, else its thin sub-paths and,
        if stroked, the axis-parallel edges of its sub-paths."""
        box = [ctypes.c_float() for _ in range(4)]
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *(ctypes.byref(v) for v in box)):
            return
        if self.add(*_box(m, *(v.value for v in box))):
            return
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        n = int(pdfium_c.FPDFPath_CountSegments(obj))
        if not (3 if stroke.value else 6) <= n <= 2000:
            return  # one filled shape (a cell's shading), or too complex
        om = _mul(_matrix(obj), m)
        x, y = ctypes.c_float(), ctypes.c_float()
        subpaths: list[list[tuple[float, float, bool]]] = []
        for i in range(n):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            px, py = _pt(om, x.value, y.value)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([(px, py, False)])
            else:
                subpaths[-1].append((px, py, kind == pdfium_c.FPDF_SEGMENT_LINETO))
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                first = subpaths[-1][0]
                subpaths[-1].append((first[0], first[1], True))
        for pts in subpaths:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            if self.add(min(xs), min(ys), max(xs), max(ys)) or not stroke.value:
                continue
            for (ax, ay, _), (bx, by, line) in pairwise(pts):
                if line:
                    self.add(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _merge(segs: list[_Seg]) -> list[_Seg]:
    """Join collinear segments that overlap or nearly touch."""
    out: list[_Seg] = []
    group: list[_Seg] = []
    for seg in [*sorted(segs, key=lambda s: s.pos), None]:
        if group and (seg is None or seg.pos - group[-1].pos > TOL):
            pos = sum(s.pos for s in group) / len(group)
            run: _Seg | None = None
            for s in sorted(group, key=lambda s: s.a0):
                if run is not None and s.a0 <= run.a1 + TOL:
                    run.a1 = max(run.a1, s.a1)
                else:
                    run = _Seg(pos, s.a0, s.a1)
                    out.append(run)
            group = []
        if seg is not None:
            group.append(seg)
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted representatives of ``values``, values within ``tol`` of each other made one."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _nearest(xs: list[float], x: float) -> int:
    i = bisect_right(xs, x)
    if i == len(xs) or (i > 0 and x - xs[i - 1] <= xs[i] - x):
        return i - 1
    return i


def _grids(rules: _Rules) -> list[_Grid]:
    """The tables drawn by the page's rules, top first."""
    hs, vs = _merge(rules.hs), _merge(rules.vs)
    if not hs or not vs or len(hs) + len(vs) > MAX_SEGMENTS:
        return []
    parent = list(range(len(hs) + len(vs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.a0 - TOL <= v.pos <= h.a1 + TOL and v.a0 - TOL <= h.pos <= v.a1 + TOL:
                parent[root(i)] = root(len(hs) + j)
    groups: dict[int, tuple[list[_Seg], list[_Seg]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(root(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(root(len(hs) + j), ([], []))[1].append(v)
    grids = [g for gh, gv in groups.values() if len(gh) >= 2 and gv for g in [_grid(gh, gv)] if g]
    return sorted(grids, key=lambda g: -g.top)


def _grid(hs: list[_Seg], vs: list[_Seg]) -> _Grid | None:
    """Rows and columns of one connected group of rules, or None if it is no table."""
    left = min(min(h.a0 for h in hs), min(v.pos for v in vs))
    right = max(max(h.a1 for h in hs), max(v.pos for v in vs))
    bottom = min(min(v.a0 for v in vs), min(h.pos for h in hs))
    top = max(max(v.a1 for v in vs), max(h.pos for h in hs))
    xs = _cluster([left, right, *(v.pos for v in vs)], MIN_COLUMN)
    ys = _cluster([bottom, top, *(h.pos for h in hs)], TOL)[::-1]
    bands: list[tuple[float, float, list[int]]] = []
    for y_top, y_bottom in pairwise(ys):
        if y_top - y_bottom < MIN_BAND:
            continue
        mid = (y_top + y_bottom) / 2
        crossing = {_nearest(xs, v.pos) for v in vs if v.a0 - TOL <= mid <= v.a1 + TOL}
        bands.append((y_top, y_bottom, sorted({0, len(xs) - 1} | crossing)))
    if not any(len(b[2]) > 2 for b in bands):
        return None  # a frame or a one-column box: prose
    return _Grid(left, bottom, right, top, xs, bands)


# ------------------------------------------------------------------ pages


@dataclass
class _Reader:
    """State carried from page to page: the document and the running numbers."""

    doc: Document
    tables: int = 0
    origins: count[int] = field(default_factory=count)
    chars: int = 0
    garbled: int = 0
    images: int = 0
    blank_pages: list[int] = field(default_factory=list)

    def page(self, page: Any, textpage: Any, number: int) -> None:
        """Append the blocks of one page."""
        m, _width, height = _display(page)
        chars = _chars(textpage, m)
        rules = _Rules()
        rules.walk(page, False, m)
        if not rules.complete:
            self.doc.warn(
                "pdf-objects",
                (
                    f"第 {number} 页对象过多，表格可能未识别",
                    f"page {number}: too many objects, tables may be missed",
                ),
            )
        self.chars += len(chars)
        self.garbled += sum(1 for c in chars if c.c == "\ufffd" or "\ue000" <= c.c <= "\uf8ff")
        self.images += rules.images
        if not chars:
            self.blank_pages.append(number)
            return
        drop = _page_number_chars(chars, height)
        grids = _grids(rules)
        prose: list[_Ch] = []
        for ch in chars:
            if id(ch) not in drop and not any(g.put(ch) for g in grids):
                prose.append(ch)
        items: list[tuple[float, float, str | _Grid]] = [(g.top, g.bottom, g) for g in grids]
        for line in _lines(prose):
            items.append((max(c.y1 for c in line), min(c.y0 for c in line), _join(line, True)))
        items.sort(key=lambda item: -item[0])
        # a running head or foot that is only a page number ("3", "第3页", "3/12")
        for k in (0, -1) if items else ():
            top, bottom, item = items[k]
            margin = top < MARGIN_FOOT * height if k else bottom > (1 - MARGIN_TOP) * height
            if isinstance(item, str) and margin and is_page_line(item.replace(" ", "")):
                items[k] = (top, bottom, "")
        line_no = 0
        for _, _, item in items:
            if isinstance(item, _Grid):
                self.table(item, number)
            elif item:
                line_no += 1
                self.doc.blocks.append(Para(item, Loc(page=number, line=line_no)))

    def table(self, grid: _Grid, number: int) -> None:
        """Append one table part as a :class:`TableBlock`."""
        self.tables += 1
        rows: list[list[Cell]] = []
        for (_, _, bounds), cells in zip(grid.bands, grid.cells, strict=True):
            texts = [_cell_text(c, grid.xs[r]) for c, r in zip(cells, bounds[1:], strict=True)]
            if not any(texts):
                continue
            row: list[Cell] = []
            row_no = len(rows) + 1
            for k, text in enumerate(texts):
                origin = next(self.origins)
                for col in range(bounds[k], bounds[k + 1]):
                    where = Loc(page=number, table=self.tables, row=row_no, col=col + 1)
                    row.append(Cell(text, where, col, origin))
            rows.append(row)
        if rows:
            self.doc.blocks.append(TableBlock(rows, Loc(page=number, table=self.tables), grid=True))
        else:
            self.tables -= 1


def _open(data: bytes, source: str) -> Any:
    """Open ``data`` with PDFium, turning its failures into gongkai errors."""
    handle = pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)
    code = int(pdfium_c.FPDF_GetLastError()) if not handle else 0
    if handle and pdfium_c.FPDF_GetPageCount(handle) < 1:
        pdfium_c.FPDF_CloseDocument(handle)
        handle = None
    if not handle:
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedFile(source)
        cut = b"%%EOF" not in data[-2048:]
        raise CorruptFile(
            source,
            "not a readable PDF" + (" (it looks truncated)" if cut else ""),
            "无法作为 PDF 读取" + ("（文件似乎不完整）" if cut else ""),
        )
    return pdfium.PdfDocument(handle)


def _meta(pdf: Any, doc: Document) -> None:
    """Title and the embedded gongkai record, if any."""
    try:
        title = pdf.get_metadata_value("Title")
        if title:
            doc.meta["title"] = title
        for i in range(pdf.count_attachments()):
            attachment = pdf.get_attachment(i)
            if attachment.get_name() != EMBEDDED_NAME:
                continue
            record = json.loads(bytes(attachment.get_data()).decode("utf-8"))
            if isinstance(record, dict):
                doc.meta["embedded"] = record
            else:
                doc.warn(
                    "embedded-invalid",
                    (f"{EMBEDDED_NAME} 不是 JSON 对象", f"{EMBEDDED_NAME} is not a JSON object"),
                )
            break
    except (pdfium.PdfiumError, ValueError) as exc:
        doc.warn(
            "embedded-invalid",
            (f"无法读取 {EMBEDDED_NAME}：{exc}", f"cannot read {EMBEDDED_NAME}: {exc}"),
        )


def read(data: bytes, source: str) -> Document:
    """Read a PDF (bytes) into a :class:`Document`; ``source`` names it in errors.

    Raises EmptyInput, CorruptFile, EncryptedFile or NoTextLayer (a scan).
    PDFium is not thread-safe: the whole read holds :data:`gongkai.pdfium.LOCK`.
    """
    if not data.strip():
        raise EmptyInput(source)
    try:
        with LOCK:
            return _read(data, source)
    except NoTextLayer:
        return _read_scan(data, source)


#: Pages of a scan read by OCR at the most (a page takes seconds).
OCR_MAX_PAGES = 40


def _read_scan(data: bytes, source: str) -> Document:
    """A scan: its pages rasterised and read by OCR, when the extra is installed."""
    from gongkai.reading import ocr

    if not ocr.available():
        raise NoTextLayer(
            source,
            f"a scan; to read it by OCR: {ocr.EXTRA}",
            f"扫描件；如需 OCR 识别，请安装：{ocr.EXTRA}",
        )
    with LOCK:
        pdf = _open(data, source)
        try:
            total = len(pdf)
            images = []
            for i in range(min(total, OCR_MAX_PAGES)):
                page = pdf[i]
                bitmap = page.render(scale=ocr.PDF_DPI / 72, grayscale=True)
                images.append(bitmap.to_numpy().copy())
                bitmap.close()
                page.close()
        finally:
            pdf.close()
    doc = ocr.read_pages(images, "pdf", source)
    if not doc.text().strip():
        raise NoTextLayer(source, "a scan on which OCR found no text", "扫描件，OCR 未识别出文字")
    if total > OCR_MAX_PAGES:
        doc.warn(
            "pages-truncated",
            (
                f"扫描件共 {total} 页，只识别了前 {OCR_MAX_PAGES} 页",
                f"only the first {OCR_MAX_PAGES} of {total} scanned pages were read",
            ),
        )
    return doc


def _read(data: bytes, source: str) -> Document:
    pdf = _open(data, source)
    doc = Document(format="pdf")
    reader = _Reader(doc)
    try:
        pages = len(pdf)
        doc.meta["pages"] = pages
        _meta(pdf, doc)
        limits.check("pages", source, pages)
        if pages > MAX_PAGES:
            doc.warn(
                "pages-truncated",
                (
                    f"共 {pages} 页，只读取了前 {MAX_PAGES} 页",
                    f"only the first {MAX_PAGES} of {pages} pages were read",
                ),
            )
        failed = []
        for i in range(min(pages, MAX_PAGES)):
            page = pdfium_c.FPDF_LoadPage(pdf.raw, i)
            if not page:
                failed.append(i + 1)
                continue
            textpage = pdfium_c.FPDFText_LoadPage(page)
            try:
                if textpage:
                    reader.page(page, textpage, i + 1)
                else:
                    failed.append(i + 1)
            finally:
                if textpage:
                    pdfium_c.FPDFText_ClosePage(textpage)
                pdfium_c.FPDF_ClosePage(page)
    finally:
        pdf.close()
    if failed:
        listed = ", ".join(map(str, failed))
        doc.warn(
            "pdf-pages", (f"无法读取的页：{listed}", f"pages that could not be read: {listed}")
        )
    if reader.chars == 0 or (reader.images and reader.chars < 20 * min(pages, MAX_PAGES)):
        if reader.chars == 0 and (failed or b"%%EOF" not in data[-2048:]):
            raise CorruptFile(source, "no page could be read", "没有可读取的页面")
        raise NoTextLayer(source)
    if reader.garbled > reader.chars / 5:
        doc.warn(
            "pdf-garbled",
            (
                "文字层的大部分字形没有对应的文字（缺少 ToUnicode）",
                "much of the text layer is unmapped glyphs (no ToUnicode)",
            ),
        )
    if reader.blank_pages and reader.images:
        pages_list = ", ".join(map(str, reader.blank_pages))
        doc.warn(
            "no-text-page",
            (
                f"没有文字层的页（扫描件？）：{pages_list}",
                f"pages without text (scanned?): {pages_list}",
            ),
        )
    return doc
