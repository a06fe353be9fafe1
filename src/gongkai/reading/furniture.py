"""Page furniture: lines that are no content (page numbers, Markdown rule lines).

Both the format readers (which drop such lines early) and the interpretation
step (which skips them between rows) ask the same questions here.
"""

from __future__ import annotations

import re
from functools import lru_cache

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－]*[-—–－]\s*\d{1,3}\s*[-—–－][\s\-—–－]*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$"
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
