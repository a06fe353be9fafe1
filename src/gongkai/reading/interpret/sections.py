"""The six parts of a report: recognising their headings and cutting the prose.

A heading is a line ``二、主动公开政府信息情况`` whose numeral and title name
one of the parts of the format (any title variant, or the keywords of the
part). Table-3 row labels such as ``二、上年结转政府信息公开申请数量`` look like
headings but name no part, so they are not taken.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from gongkai.national.editions import PARTS
from gongkai.national.labels import norm
from gongkai.national.model import Part
from gongkai.reading.document import Loc

_HEADING = re.compile(r"^([一二三四五六七八九十]+)[,.:]?(.{2,44})$")
_NUMERALS = {p.numeral: p for p in PARTS}
_TITLES = {p.number: [norm(t) for t in p.titles] for p in PARTS}
#: each title with the count of each of its characters (for quick_ratios_reach)
_TITLE_COUNTS = {n: [(t, dict(Counter(t))) for t in ts] for n, ts in _TITLES.items()}


def quick_ratios_reach(a: str, b: str, b_counts: dict[str, int], least: float) -> bool:
    """``SequenceMatcher(None, a, b).real_quick_ratio() >= least`` and its ``quick_ratio()``
    too, computed as difflib computes them (``b_counts``: ``b``'s ``Counter``) without making
    the matcher (which indexes ``b`` first: five times the cost)."""
    size = len(a) + len(b)
    if _ratio(min(len(a), len(b)), size) < least:
        return False
    avail: dict[str, int] = {}
    matches = 0
    for ch in a:
        n = avail[ch] if ch in avail else b_counts.get(ch, 0)
        avail[ch] = n - 1
        if n > 0:
            matches += 1
    return _ratio(matches, size) >= least


def _ratio(matches: int, length: int) -> float:
    """difflib's ratio of ``matches`` in sequences of total ``length``."""
    return 2.0 * matches / length if length else 1.0


_FIRST = frozenset("一二三四五六七八九十")
_HEADING_PAD = " \t\u3000\u00a0"  # (left of a heading)
#: the first character of a line that may be a heading
_HEADING_START = _FIRST | frozenset(_HEADING_PAD)


@lru_cache(maxsize=32768)
def match_part_heading(text: str) -> Part | None:
    """The part a heading line names, or None."""
    head = text.lstrip(_HEADING_PAD)
    if not head or head[0] not in _FIRST or len(head) > 80:
        return None
    s = norm(text).rstrip("。:：")
    if len(s) > 48:
        # a heading run into its first sentence: 「一、总体情况。2023年，…」
        cut = min((i for i in (s.find("。"), s.find(":")) if i > 0), default=-1)
        if not 0 < cut <= 30:
            return None
        s = s[:cut]
    m = _HEADING.match(s)
    if not m:
        return None
    part = _NUMERALS.get(m.group(1))
    if part is None:
        return None
    title = m.group(2).strip(",.:")
    titles = _TITLES[part.number]
    if title in titles:
        return part
    for t in titles:
        if len(t) >= 4 and (title.startswith(t) or (t.startswith(title) and len(title) >= 4)):
            return part
    for t, counts in _TITLE_COUNTS[part.number]:
        # the quick ratios are upper bounds of the ratio: most titles fail them
        if (
            quick_ratios_reach(title, t, counts, 0.72)
            and SequenceMatcher(None, title, t, autojunk=False).ratio() >= 0.72
        ):
            return part
    if part.keywords and all(any(k in title for k in group) for group in part.keywords):
        # keywords alone only for short titles (long lines are prose)
        return part if len(title) <= 24 else None
    return None


@dataclass
class Section:
    part: int
    title: str
    loc: Loc
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def is_prose(text: str) -> bool:
    """A line of prose (not a table cell): long, or a sentence."""
    return len(text) > 40 or _short_prose(text)


@lru_cache(maxsize=32768)
def _short_prose(text: str) -> bool:
    s = norm(text)
    return len(s) > 30 or any(p in s for p in ("。", ";", "；")) or (len(s) > 12 and "," in s)


def cut_sections(lines: list[tuple[str, Loc, bool]]) -> tuple[list[Section], list[str]]:
    """Split (text, loc, is_cell_of_a_grid) lines into the preamble and the parts.

    A part printed twice keeps its first heading; its second heading is
    taken as text of the part.
    """
    sections: list[Section] = []
    preamble: list[str] = []
    seen: set[int] = set()
    current: Section | None = None
    for text, loc, in_grid in lines:
        if in_grid:
            continue
        part, prose = _section_line(text)
        # parts come in order; a heading of an earlier part is text
        if (
            part is not None
            and part.number not in seen
            and (current is None or part.number > current.part)
        ):
            current = Section(part.number, text.strip(), loc, [])
            if len(text.strip()) > 48:  # the heading runs into its first sentence
                current.lines.append(text.strip())
            sections.append(current)
            seen.add(part.number)
        elif current is None:
            preamble.append(text)
        elif prose:
            current.lines.append(text.strip())
    return sections, preamble


@lru_cache(maxsize=32768)
def _section_line(text: str) -> tuple[Part | None, bool]:
    """What :func:`cut_sections` asks of a line: the part it heads (or None), and whether
    it is prose (:func:`is_prose`). One cached call a line (table lines repeat across
    reports), not two."""
    # (match_part_heading's first test before calling it: most lines begin otherwise)
    part = match_part_heading(text) if text[:1] in _HEADING_START else None
    return part, len(text) > 40 or _short_prose(text)


_INLINE = re.compile(r"([一二三四五六])[、.．]")
#: the first characters of each part's titles (normalised)
_TITLE_FIRSTS = {p.number: frozenset(norm(t)[:1] for t in p.titles) for p in PARTS}
#: each part's titles as printed with their normal forms
_TITLE_FORMS = {p.number: tuple((t, norm(t)) for t in p.titles) for p in PARTS}
_RUN_ON = 300


def split_run_on(text: str) -> list[str]:
    """A whole report saved as one line (a crawler's text): cut before and after each
    part heading printed inside it (``…如下：一、总体情况2019年…`` → ``一、总体情况``
    on a line of its own). Other lines come back as they are."""
    if len(text) < _RUN_ON or "、" not in text:
        return [text]
    out: list[str] = []
    last = 0
    for m in _INLINE.finditer(text):
        part = _NUMERALS.get(m.group(1))
        if part is None or m.start() < last:
            continue
        rest = text[m.end() : m.end() + 48]
        first = rest[:1]
        if "\u4e00" <= first <= "\u9fff" and first not in _TITLE_FIRSTS[part.number]:
            continue  # (a Chinese character is the first of its normal form too)
        nrest = norm(rest)
        found = [f for f in _TITLE_FORMS[part.number] if nrest.startswith(f[1])]
        if not found:
            continue
        nlen = len(max(found, key=lambda f: len(f[0]))[1])  # (the first of the longest titles)
        # the printed length of the title (spaces and brackets may differ)
        end = _printed_end(text, m.end(), nlen)
        if text[last : m.start()].strip():
            out.append(text[last : m.start()])
        out.append(text[m.start() : end])
        last = end
    if not out:
        return [text]
    if text[last:].strip():
        out.append(text[last:])
    return out


def _printed_end(text: str, start: int, nlen: int) -> int:
    """Where the characters of ``text`` from ``start`` whose normal forms (one character
    at a time) add up to ``nlen`` characters end."""
    end = start
    count = 0
    while end < len(text) and count < nlen:
        ch = text[end]
        # (a Chinese character is its own normal form)
        count += 1 if "\u4e00" <= ch <= "\u9fff" else len(norm(ch))
        end += 1
    return end
