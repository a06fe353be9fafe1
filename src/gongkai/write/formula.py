"""A tiny evaluator for the formulas a filled-in workbook may hold.

openpyxl does not compute formulas and a workbook it wrote has no cached
values, so the reader evaluates the simple arithmetic staff (and gongkai's
own pre-filled cells) write: numbers, cell references (``B5``, ``$B$5``),
``+ - * /``, parentheses and ``SUM(range, …)`` on the same sheet. Anything
else raises :class:`FormulaError`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)|(?P<func>SUM)\s*\(|(?P<op>[-+*/(),]))",
    re.IGNORECASE,
)
_CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)", re.IGNORECASE)


#: Bounds on one workbook's formulas: no crafted formula hangs, recurses or fills memory.
MAX_FORMULA_CHARS = 2000
MAX_NESTING = 40  # parentheses and references followed, each
MAX_RANGE_CELLS = 10_000
MAX_CELLS = 200_000  # cell reads per evaluator
MAX_SECONDS = 2.0


class FormulaError(ValueError):
    """A formula the workbook reader cannot (or will not) evaluate; ``zh`` in Chinese."""

    def __init__(self, en: str, zh: str | None = None) -> None:
        self.en = en
        self.zh = zh if zh is not None else en
        super().__init__(en)


Getter = Callable[[str], Any]


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(
            f"formula of {len(text)} characters (at most {MAX_FORMULA_CHARS})",
            f"公式长达 {len(text)} 个字符（最多 {MAX_FORMULA_CHARS} 个）",
        )
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"cannot evaluate formula ={text}", f"无法计算公式 ={text}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _cells(rng: str) -> list[str]:
    a, b = rng.split(":")
    ma, mb = _CELL.fullmatch(a), _CELL.fullmatch(b)
    assert ma and mb
    c1, c2 = sorted(
        (column_index_from_string(ma[1].upper()), column_index_from_string(mb[1].upper()))
    )
    r1, r2 = sorted((int(ma[2]), int(mb[2])))
    n = (c2 - c1 + 1) * (r2 - r1 + 1)
    if n > MAX_RANGE_CELLS:
        raise FormulaError(
            f"range {rng} holds {n} cells (at most {MAX_RANGE_CELLS})",
            f"区域 {rng} 含 {n} 个单元格（最多 {MAX_RANGE_CELLS} 个）",
        )
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


class Evaluator:
    """Evaluates the formulas of one sheet: each cell once, within the bounds above.

    A cell that refers back to itself (directly or through others), a chain
    of references deeper than :data:`MAX_NESTING`, a range of more than
    :data:`MAX_RANGE_CELLS` cells, more than :data:`MAX_CELLS` cell reads
    or :data:`MAX_SECONDS` of work raise :class:`FormulaError`.
    """

    def __init__(self, get: Getter) -> None:
        self.get = get
        self.values: dict[str, Decimal] = {}
        self.active: list[str] = []
        self.reads = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def cell(self, coord: str) -> Decimal:
        coord = coord.replace("$", "").upper()
        if coord in self.values:
            return self.values[coord]
        self.reads += 1
        if self.reads > MAX_CELLS:
            raise FormulaError(
                f"the formulas read more than {MAX_CELLS} cells",
                f"公式读取的单元格超过 {MAX_CELLS} 个",
            )
        if self.reads % 1000 == 0 and time.monotonic() > self.deadline:
            raise FormulaError(
                f"the formulas take more than {MAX_SECONDS:g} s to compute",
                f"公式计算超过 {MAX_SECONDS:g} 秒",
            )
        v = self.get(coord)
        if isinstance(v, str) and v.startswith("="):
            if coord in self.active:
                chain = " → ".join([*self.active[self.active.index(coord) :], coord])
                raise FormulaError(
                    f"formulas refer to themselves ({chain})", f"公式循环引用（{chain}）"
                )
            if len(self.active) >= MAX_NESTING:
                raise FormulaError(
                    f"formulas refer to each other more than {MAX_NESTING} levels deep",
                    f"公式相互引用超过 {MAX_NESTING} 层",
                )
            self.active.append(coord)
            try:
                result = self.formula(v)
            finally:
                self.active.pop()
        else:
            result = _number(coord, v)
        self.values[coord] = result
        return result

    def formula(self, formula: str) -> Decimal:
        text = formula[1:] if formula.startswith("=") else formula
        p = _Parser(_tokens(text), self)
        v = p.expr()
        if p.peek() is not None:
            raise FormulaError(f"cannot evaluate formula ={text}", f"无法计算公式 ={text}")
        return v


def _number(ref: str, v: Any) -> Decimal:
    if v is None or v == "":
        return Decimal(0)
    if isinstance(v, bool):
        raise FormulaError(f"{ref} is not a number", f"{ref} 不是数字")
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise FormulaError(f"{ref} is not a number: {v!r}", f"{ref} 不是数字：{v!r}") from None
    if not d.is_finite():
        raise FormulaError(f"{ref} is not a number: {v!r}", f"{ref} 不是数字：{v!r}")
    return d


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], ev: Evaluator) -> None:
        self.t = tokens
        self.i = 0
        self.ev = ev
        self.nesting = 0

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise FormulaError("formula ends too early", "公式不完整")
        self.i += 1
        return tok

    def expr(self) -> Decimal:
        acc = self.term()
        while (tok := self.peek()) is not None and tok[1] in "+-":
            self.take()
            acc = acc + self.term() if tok[1] == "+" else acc - self.term()
        return acc

    def term(self) -> Decimal:
        acc = self.factor()
        while (tok := self.peek()) is not None and tok[1] in ("*", "/"):
            self.take()
            rhs = self.factor()
            if tok[1] == "/":
                if rhs == 0:
                    raise FormulaError("division by zero", "除数为 0")
                acc = acc / rhs
            else:
                acc = acc * rhs
            if abs(acc) > _HUGE:
                raise FormulaError("a number too large", "数字过大")
        return acc

    def nested(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise FormulaError(
                f"formula nested more than {MAX_NESTING} levels deep",
                f"公式嵌套超过 {MAX_NESTING} 层",
            )

    def factor(self) -> Decimal:
        kind, text = self.take()
        if kind == "num":
            if len(text) > 30:
                raise FormulaError("a number too large", "数字过大")
            return Decimal(text)
        if kind == "ref":
            return self.ev.cell(text)
        if kind == "op" and text in "+-":
            self.nested()
            v = self.factor()
            self.nesting -= 1
            return -v if text == "-" else v
        if kind == "op" and text == "(":
            self.nested()
            v = self.expr()
            if self.take()[1] != ")":
                raise FormulaError("unbalanced parentheses", "括号不配对")
            self.nesting -= 1
            return v
        if kind == "func":
            self.nested()
            total = Decimal(0)
            while True:
                tok = self.peek()
                if tok is not None and tok[0] == "range":
                    self.take()
                    total += sum((self.ev.cell(c) for c in _cells(tok[1])), Decimal(0))
                else:
                    total += self.expr()
                sep = self.take()[1]
                if sep == ")":
                    self.nesting -= 1
                    return total
                if sep != ",":
                    raise FormulaError("bad SUM arguments", "SUM 的参数有误")
        raise FormulaError(f"unexpected {text!r}", f"公式中有无法理解的 {text!r}")


_HUGE = Decimal(10) ** 30


def evaluate(formula: str, get: Getter, evaluator: Evaluator | None = None) -> int | float:
    """Value of ``formula`` (``=…``); ``get(coordinate)`` returns a cell's content.

    Pass one ``evaluator`` for every formula of a sheet, so each cell is
    computed once and the bounds hold for the sheet as a whole.
    """
    ev = evaluator or Evaluator(get)
    v = ev.formula(formula)
    return int(v) if v == v.to_integral_value() else float(v)
