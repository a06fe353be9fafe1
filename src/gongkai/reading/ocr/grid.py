"""Ruled tables in a page image: the lines, the cells between them, their spans.

Lines are found by morphological opening of the binarised page with long thin
kernels; each connected set of lines large enough to be a table gives a
:class:`Grid`. Its cells are the elementary rectangles between the line
positions, merged where no printed line separates two of them (a spanned
cell), so the result has the shape every other reader gives a table.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class GridCell:
    """A printed cell: its first row and column, its spans and its box (x0, y0, x1, y1)."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box


@dataclass(frozen=True, slots=True)
class Grid:
    box: Box
    rows: int
    cols: int
    cells: tuple[GridCell, ...]


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink as 255, paper as 0; adaptive, so uneven scans and grey paper work."""
    out: np.ndarray = cv2.adaptiveThreshold(
        cv2.bitwise_not(gray), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -5
    )
    return out


def _line_masks(bw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, w = bw.shape
    hor = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 40), 1))
    )
    ver = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 60)))
    )
    # bridge the small gaps of broken or blurred lines
    hor = cv2.dilate(hor, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    ver = cv2.dilate(ver, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    return hor, ver


def deskew(gray: np.ndarray, limit: float = 4.0, step: float = 0.2) -> tuple[np.ndarray, float]:
    """The page turned straight, and the angle it was turned by (degrees).

    The angle is the one, within ±``limit``, at which the rows of ink line up
    best (the sharpest horizontal projection), measured on a reduced copy.
    """
    h, w = gray.shape
    scale = min(1.0, 800 / max(h, w))
    small = cv2.resize(gray, (int(w * scale), int(h * scale)), interpolation=cv2.INTER_AREA)
    ink = binarise(small)
    centre = (small.shape[1] / 2, small.shape[0] / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        m = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rot = cv2.warpAffine(ink, m, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        profile = rot.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    if abs(best) < step / 2:
        return gray, 0.0
    m = cv2.getRotationMatrix2D((w / 2, h / 2), best, 1.0)
    turned = cv2.warpAffine(
        gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return turned, best


def _positions(profile: np.ndarray, min_len: int) -> list[int]:
    """Centres of the runs of ``profile`` at or above ``min_len``."""
    idx = np.flatnonzero(profile >= min_len)
    out: list[int] = []
    if idx.size == 0:
        return out
    start = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev > 2:
            out.append((start + prev) // 2)
            start = i
        prev = i
    out.append((start + prev) // 2)
    return out


def _covered(mask: np.ndarray, horizontal: bool, at: int, a: int, b: int) -> bool:
    """Whether a printed line runs along ``at`` from ``a`` to ``b``."""
    if b - a < 3:
        return True
    pad = 3
    if horizontal:
        seg = mask[max(0, at - pad) : at + pad + 1, a:b]
        cover = float((seg > 0).any(axis=0).mean())
    else:
        seg = mask[a:b, max(0, at - pad) : at + pad + 1]
        cover = float((seg > 0).any(axis=1).mean())
    return cover > 0.6


def _cells(hor: np.ndarray, ver: np.ndarray, ys: list[int], xs: list[int]) -> list[GridCell]:
    nrows, ncols = len(ys) - 1, len(xs) - 1
    parent = list(range(nrows * ncols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in range(nrows):
        for c in range(ncols):
            here = r * ncols + c
            if c + 1 < ncols and not _covered(ver, False, xs[c + 1], ys[r] + 2, ys[r + 1] - 2):
                parent[find(here)] = find(here + 1)
            if r + 1 < nrows and not _covered(hor, True, ys[r + 1], xs[c] + 2, xs[c + 1] - 2):
                parent[find(here)] = find(here + ncols)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nrows):
        for c in range(ncols):
            groups.setdefault(find(r * ncols + c), []).append((r, c))
    out = []
    for members in groups.values():
        r0, r1 = min(m[0] for m in members), max(m[0] for m in members)
        c0, c1 = min(m[1] for m in members), max(m[1] for m in members)
        box = (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])
        out.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, box))
    out.sort(key=lambda g: (g.row, g.col))
    return out


def find_grids(gray: np.ndarray, ink: np.ndarray | None = None) -> list[Grid]:
    """The ruled tables of a (straight) page, top to bottom."""
    bw = binarise(gray) if ink is None else ink
    hor, ver = _line_masks(bw)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.bitwise_or(hor, ver), connectivity=8
    )
    h, w = gray.shape
    grids = []
    for i in range(1, n):
        x, y, gw, gh = (int(v) for v in stats[i][:4])
        if gw < w // 5 or gh < h // 40:
            continue
        sub_h, sub_v = hor[y : y + gh, x : x + gw], ver[y : y + gh, x : x + gw]
        ys = _positions((sub_h > 0).sum(axis=1), max(10, gw // 8))
        xs = _positions((sub_v > 0).sum(axis=0), max(10, gh // 12))
        if len(ys) < 2 or len(xs) < 2:
            continue
        cells = tuple(
            GridCell(
                c.row,
                c.col,
                c.rowspan,
                c.colspan,
                (c.box[0] + x, c.box[1] + y, c.box[2] + x, c.box[3] + y),
            )
            for c in _cells(sub_h, sub_v, ys, xs)
        )
        grids.append(Grid((x, y, x + gw, y + gh), len(ys) - 1, len(xs) - 1, cells))
    grids.sort(key=lambda g: g.box[1])
    return grids
