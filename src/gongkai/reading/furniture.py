"""Page furniture: lines that are no content (page numbers, Markdown rule lines).

Every test of a page number lives here: the format readers (which drop such
lines early, the PDF reader from the characters printed in a page's margins)
and the interpretation step (which skips them between rows) ask the same
questions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－]*[-—–－]\s*\d{1,3}\s*[-—–－][\s\-—–－]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
)
_DASHES = "-－—–─‐‑~～·•"
#: a page number printed in a PDF page's margin: ``-4-``, ``第4页``, ``第4页共9页``
_DASHED_PAGE = re.compile(rf"[{_DASHES}]+\d{{1,4}}[{_DASHES}]+|第\d{{1,4}}页(?:共\d{{1,4}}页)?")
#: a running head or foot that is only a page number: ``3``, ``第3页``, ``3/12``, ``Page 3``
_PAGE_LINE = re.compile(
    rf"[{_DASHES}]*(?:第)?\d{{1,4}}(?:页)?(?:[/／]\d{{1,4}}|共\d{{1,4}}页)?[{_DASHES}]*"
    r"|(?i:page\d{1,4}(?:of\d{1,4})?)"
)
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


@lru_cache(maxsize=32768)
def is_page_number(line: str) -> bool:
    """``- 4 -``, ``—4—``, ``第3页``, ``3/12``: page furniture, not content."""
    s = line.strip()
    return len(s) <= 14 and bool(_PAGE_NUMBER.match(s))


@lru_cache(maxsize=32768)
def is_md_separator(line: str) -> bool:
    """``|---|:---:|``: the rule under a Markdown table header."""
    if "---" not in line:
        return False
    return bool(_MD_SEPARATOR.match(line.strip()))


def is_page_number_in_margin(chars: str) -> bool:
    """A run of characters in a page's margin that prints its number (``-4-``, ``第4页``)."""
    return _DASHED_PAGE.fullmatch(chars) is not None


def is_page_line(compact: str) -> bool:
    """A running head or foot (spaces removed) that is only a page number."""
    return _PAGE_LINE.fullmatch(compact) is not None
