"""A tiny evaluator for the formulas a filled-in workbook may hold.

openpyxl does not compute formulas and a workbook it wrote has no cached
values, so the reader evaluates the simple arithmetic staff (and gongkai's
own pre-filled cells) write: numbers, cell references (``B5``, ``$B$5``),
``+ - * /``, parentheses and ``SUM(range, …)`` on the same sheet. Anything
else raises :class:`FormulaError`.
"""

from __future__ import annotations

import re
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


class FormulaError(ValueError):
    """A formula the workbook reader cannot evaluate."""


Getter = Callable[[str], Any]


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"cannot evaluate formula ={text}")
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
    return [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], get: Getter, depth: int) -> None:
        self.t = tokens
        self.i = 0
        self.get = get
        self.depth = depth

    def peek(self) -> tuple[str, str] | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        if tok is None:
            raise FormulaError("formula ends too early")
        self.i += 1
        return tok

    def value(self, ref: str) -> Decimal:
        m = _CELL.fullmatch(ref)
        assert m
        v = self.get(f"{m[1].upper()}{m[2]}")
        if isinstance(v, str) and v.startswith("="):
            if self.depth > 20:
                raise FormulaError("formulas refer to each other too deeply")
            v = evaluate(v, self.get, self.depth + 1)
        if v is None or v == "":
            return Decimal(0)
        if isinstance(v, bool):
            raise FormulaError(f"{ref} is not a number")
        try:
            return Decimal(str(v))
        except InvalidOperation:
            raise FormulaError(f"{ref} is not a number: {v!r}") from None

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
                    raise FormulaError("division by zero")
                acc = acc / rhs
            else:
                acc = acc * rhs
        return acc

    def factor(self) -> Decimal:
        kind, text = self.take()
        if kind == "num":
            return Decimal(text)
        if kind == "ref":
            return self.value(text)
        if kind == "op" and text == "-":
            return -self.factor()
        if kind == "op" and text == "+":
            return self.factor()
        if kind == "op" and text == "(":
            v = self.expr()
            if self.take()[1] != ")":
                raise FormulaError("unbalanced parentheses")
            return v
        if kind == "func":
            total = Decimal(0)
            while True:
                tok = self.peek()
                if tok is not None and tok[0] == "range":
                    self.take()
                    total += sum((self.value(c) for c in _cells(tok[1])), Decimal(0))
                else:
                    total += self.expr()
                sep = self.take()[1]
                if sep == ")":
                    return total
                if sep != ",":
                    raise FormulaError("bad SUM arguments")
        raise FormulaError(f"unexpected {text!r}")


def evaluate(formula: str, get: Getter, depth: int = 0) -> int | float:
    """Value of ``formula`` (``=…``); ``get(coordinate)`` returns a cell's content."""
    text = formula[1:] if formula.startswith("=") else formula
    p = _Parser(_tokens(text), get, depth)
    v = p.expr()
    if p.peek() is not None:
        raise FormulaError(f"cannot evaluate formula ={text}")
    return int(v) if v == v.to_integral_value() else float(v)
