"""Placing a row's printed values into its cells, with the report's own arithmetic as judge.

A row of the format has ``n`` cells; the page shows ``k`` value tokens for it,
some of them perhaps *fused* (cells run together with no separator, as a
crawler's text of an HTML table prints them: ``0000000``, ``291000030``).
:func:`placements` lists every way the printed tokens can fill the cells
without changing a printed digit:

* ``k == n``, nothing fused: the one placement in order;
* ``k > n``: leave out ``k - n`` tokens (a footnote number, a stray value);
* ``k < n``: leave ``n - k`` cells blank (blank cells that vanished);
* fused tokens: every cut of their digits into numbers without a leading
  zero (``033`` is 0/3/3, never 03/3), the unit staying on the last piece.

The printed 勾稽关系 then choose (:func:`row_rule`): a table-3 row's six
columns add up to its 总计, a table-4 group's four results to its 总计. The
checks of a whole table (column balance, results total) choose between the
placements left for one row when every other row they involve is settled
(:mod:`.resolve`). What several placements still share is certain; every other
cell is null, and the warning names the candidates. A row with exactly as
many values as cells is placed in order even when its arithmetic is broken:
constraints choose between placements, they never change a printed number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import combinations

# a placement: for each cell, None (blank, or left out) or (token index, piece of its text)
Slot = tuple[int, str] | None
Placement = tuple[Slot, ...]
RowRule = Callable[[list[int | None]], bool]

#: enumerations stop here; a row with more ways to read it is left null
LIMIT = 5000


@dataclass(frozen=True)
class Printed:
    """One value token as printed: its text and whether it is a fused run of digits."""

    text: str
    fused: bool = False


def _cuts(digits: str, parts: int) -> Iterator[tuple[str, ...]]:
    """Every cut of ``digits`` into ``parts`` numbers without leading zeros."""
    if parts == 1:
        if len(digits) == 1 or digits[0] != "0":
            yield (digits,)
        return
    if parts == len(digits):  # one digit a number: the only cut (``0000000`` of a blank row)
        yield tuple(digits)
        return
    # the first number: one digit if it is 0, else up to what leaves one digit a part
    top = 1 if digits[0] == "0" else len(digits) - parts + 1
    for i in range(1, top + 1):
        head = digits[:i]
        for rest in _cuts(digits[i:], parts - 1):
            yield (head, *rest)


def _split_unit(text: str) -> tuple[str, str]:
    i = len(text)
    while i > 0 and not text[i - 1].isdigit():
        i -= 1
    return text[:i], text[i:]


def _fused_options(tok: Printed, parts: int) -> list[tuple[str, ...]]:
    digits, unit = _split_unit(tok.text)
    if not digits.isdigit() or parts > len(digits):
        return []
    out = []
    for cut in _cuts(digits, parts):
        out.append((*cut[:-1], cut[-1] + unit))
        if len(out) > LIMIT:
            break
    return out


def placements(tokens: list[Printed], n: int) -> list[Placement] | None:
    """Every placement of ``tokens`` into ``n`` cells; None when there are too many to list."""
    k = len(tokens)
    if not any(t.fused for t in tokens):
        if k == n:
            return [tuple((i, t.text) for i, t in enumerate(tokens))]
        if k > n:
            if k - n > 3:
                return None
            return [tuple((i, tokens[i].text) for i in keep) for keep in combinations(range(k), n)]
        if k == 0:
            return []
        out: list[Placement] = []
        for cells in combinations(range(n), k):
            slots: list[Slot] = [None] * n
            for i, c in enumerate(cells):
                slots[c] = (i, tokens[i].text)
            out.append(tuple(slots))
            if len(out) > LIMIT:
                return None
        return out
    # fused runs: each token takes one or more cells, all cells filled
    if k == 1:  # one run fills every cell: its cuts (a statistics table's row, a blank row)
        return [tuple((0, piece) for piece in cut) for cut in _fused_options(tokens[0], n)]
    res: list[Placement] = []
    # the most cells the tokens after each can fill (a fused run one a digit at most): a
    # token taking fewer cells leaves some unfilled, a walk that could append nothing
    room = [0] * (k + 1)
    for i in range(k - 1, -1, -1):
        room[i] = room[i + 1] + (len(tokens[i].text) if tokens[i].fused else 1)
    options: dict[tuple[int, int], list[tuple[str, ...]]] = {}

    def walk(i: int, left: int, acc: tuple[Slot, ...]) -> bool:
        if len(res) > LIMIT:
            return False
        if i == k:
            if left == 0:
                res.append(acc)
            return True
        tok = tokens[i]
        remaining = k - i - 1
        if not tok.fused:
            return walk(i + 1, left - 1, (*acc, (i, tok.text))) if left >= 1 else True
        for parts in range(max(1, left - room[i + 1]), left - remaining + 1):
            cuts = options.get((i, parts))
            if cuts is None:
                cuts = options[i, parts] = _fused_options(tok, parts)
            for cut in cuts:
                if not walk(i + 1, left - parts, (*acc, *((i, p) for p in cut))):
                    return False
        return True

    if not walk(0, n, ()):
        return None
    return res


def sum_rule(total_at: int, groups: int = 1, width: int | None = None) -> RowRule:
    """Each group of ``width`` cells: the cells before ``total_at`` add up to it (blank = 0)."""

    def check(cells: list[int | None]) -> bool:
        w = width or len(cells)
        for g in range(groups):
            part = cells[g * w : g * w + w]
            if len(part) <= total_at:
                return False
            parts = sum(c or 0 for c in part[:total_at])
            if parts != (part[total_at] or 0):
                return False
        return True

    return check


def row_rule(table: str, key: str) -> RowRule | None:
    """The arithmetic a single row of the format must satisfy, if any."""
    if table == "table3":
        return sum_rule(6)
    if table == "table4":
        return sum_rule(4, groups=3, width=5) if key == "*" else sum_rule(4)
    return None


def consensus(cands: list[list[int | str | None]]) -> tuple[list[int | str | None], list[int]]:
    """Cells all candidates agree on, and the indices where they differ (left null)."""
    if not cands:
        return [], []
    if len(cands) == 1:
        return list(cands[0]), []
    n = len(cands[0])
    out: list[int | str | None] = []
    unsure: list[int] = []
    for i in range(n):
        vals = {repr(c[i]) for c in cands}
        if len(vals) == 1:
            out.append(cands[0][i])
        else:
            out.append(None)
            unsure.append(i)
    return out, unsure


def describe(cands: list[list[int | str | None]], limit: int = 4) -> str:
    """``1/0/…/1 或 10/…`` — the candidates, for a warning."""
    shown = [" ".join("空" if v is None else str(v) for v in c) for c in cands[:limit]]
    more = f" …（共 {len(cands)} 种）" if len(cands) > limit else ""
    return " | ".join(shown) + more
