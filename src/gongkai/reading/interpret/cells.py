"""Values and cells: what a printed cell means, and how a flattened line splits.

A value cell holds a count (``26``, ``-10``, ``1,234``), an amount of money
(``287.54万元``, ``96171.6``) or a blank marker (``/``, ``-``, ``—``, empty).
:func:`split_line` cuts one line of flattened text into cells: pipes, tabs,
or a label followed by numbers separated by spaces (PDF text extraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from gongkai.national.labels import nfkc

_VALUE = re.compile(
    r"^(?P<num>[+\-−–—﹣]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+\-−–—﹣]?\d+(?:\.\d+)?)\s*(?P<unit>万元|亿元|元|万|件|条|个|项|次|份)?$"
)
_BLANKS = frozenset({"", "/", "／", "-", "—", "－", "——", "–", "\\", "、", "…", "×", "x"})
_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]")
_CELL_SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_THREE_CJK = re.compile("[\u4e00-\u9fff].*?[\u4e00-\u9fff].*?[\u4e00-\u9fff]", re.DOTALL)
ValueKind = Literal["int", "decimal", "blank", "fused"]


@dataclass(frozen=True)
class Value:
    """A parsed value cell: ``kind`` int/decimal/blank, the number, the text as printed."""

    kind: ValueKind
    number: int | float | None
    text: str
    unit: str | None = None

    @property
    def blank(self) -> bool:
        return self.kind == "blank"


def clean_cell(text: str) -> str:
    s = _ARTEFACT.sub("", text)
    s = nfkc(s)
    return _CELL_SPACE.sub(" ", s).strip()


@lru_cache(maxsize=32768)
def parse_value(text: str) -> Value | None:
    """The value a cell holds, or None if it holds text (a label)."""
    if text.isascii() and text.isdigit():
        return Value("int", int(text), text)  # the common cell, as read_value reads it
    if not text:
        return Value("blank", None, "")
    if "\u4e00" <= text[0] <= "\u9fff" or text[0] in "(（":
        # a label: a Chinese character or a bracket ((一)…) stays first through the
        # cleaning (as ( ), and neither a number nor a blank marker begins with one
        return None
    if "[" not in text and _THREE_CJK.search(text) is not None:
        # a label: a value holds two Chinese characters at most (万元), none of which
        # the cleaning removes (only an artefact in brackets would)
        return None
    if text.isascii() and text.isprintable() and " " not in text and "[" not in text:
        # no white space, no artefact, already NFKC: clean_cell would give it back
        return _read_clean(text)
    return read_value(text)


def read_value(text: str) -> Value | None:
    """:func:`parse_value` without its shortcuts (and its cache)."""
    return _read_clean(clean_cell(text))


def _read_clean(s: str) -> Value | None:
    """The value of a cell already cleaned (:func:`clean_cell`)."""
    if s in _BLANKS:
        return Value("blank", None, s)
    compact = s.replace(" ", "")
    m = _VALUE.match(compact)
    if not m:
        return None
    num = m.group("num").replace(",", "")
    if num[0] in "−–—﹣":
        num = "-" + num[1:]
    unit = m.group("unit")
    if "." in num:
        f = float(num)
        return Value("decimal", f, compact, unit)
    return Value("int", int(num), compact, unit)


def split_line(text: str) -> tuple[str, ...]:
    """Cells of one flattened line.

    ``规章 | 0 | 0 |`` → ``['规章', '0', '0']``; a Markdown row keeps its empty
    cells (``''``); ``\\t规章\\t0`` splits at tabs; ``规章 1 0 11`` splits a
    label from the run of numbers that ends the line.
    """
    # (not cached: its one caller, rows._line_cells, is)
    s = _ARTEFACT.sub("", text).strip("\r\n")
    if "|" in s or "｜" in s:
        s = s.replace("｜", "|")
        stripped = s.strip()
        markdown = stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3
        parts = (
            [p.strip() for p in stripped.strip("|").split("|")]
            if markdown
            else [p.strip() for p in s.split("|")]
        )
        if markdown:
            return tuple(parts) if any(parts) else ()
        return tuple(p for p in parts if p)
    if "\t" in s.strip():
        return tuple(p.strip() for p in s.split("\t") if p.strip())
    s = s.strip()
    if not s:
        return ()
    if len(s) > 80 and not s[-1].isdigit():
        return (s,)
    words = s.split()
    if len(words) == 1:
        return (s,)
    if (
        len(words) > 2
        and words[-1] in ("万元", "元", "亿元")
        and parse_value(words[-2]) is not None
    ):
        words[-2:] = [words[-2] + words[-1]]  # 287.54 万元: the unit cut off by a converter
    # the trailing run of value tokens, the rest is the label
    i = _values_start(words)
    if i == len(words):
        return (s,)
    label = " ".join(words[:i])
    return ((label,) if label else ()) + tuple(words[i:])


def _values_start(words: list[str]) -> int:
    """Where the trailing run of value words begins (``len(words)``: none ends them); a
    word that cleans to 、 or … ends the run."""
    i = len(words)
    while i > 0:
        w = words[i - 1]
        # (an ASCII word cleans to ASCII: to neither mark, told without cleaning it)
        if parse_value(w) is None or (not w.isascii() and clean_cell(w) in ("、", "…")):
            break
        i -= 1
    return i
