"""Plain text: one paragraph per line, whatever the flattened layout.

Real text copies of reports come one cell per line (blank lines between),
pipe-separated (``规章 |``, ``||||``), tab-indented from Word, as Markdown
tables, or as space-aligned PDF extractions. The reader keeps every
non-empty line as a :class:`Para` with its line number; the interpretation step splits
lines into cells (:func:`gongkai.reading.interpret.cells.split_line`). Page numbers
(``- 3 -``) and Markdown rule lines are dropped here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from gongkai.errors import EmptyInput, UnknownFormat
from gongkai.reading.document import Document, Loc, Para
from gongkai.reading.formats.decode import decode
from gongkai.reading.furniture import is_md_separator, is_page_number

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def read(data: bytes, source: str) -> Document:
    text, codec = decode(data)
    if not text.strip():
        raise EmptyInput(source)
    bad = text.count("\ufffd") + len(_CONTROL.findall(text, 0, 20000))
    if bad > max(20, len(text[:20000]) // 20):
        raise UnknownFormat(source, "binary data, not text", "二进制数据，不是文本")
    doc = Document(format="text", meta={"encoding": codec})
    blocks = doc.blocks
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.rstrip()
        if s and (len(s) > 40 or not _furniture(s)):
            blocks.append(Para(s, Loc(n)))
    return doc


@lru_cache(maxsize=32768)
def _furniture(line: str) -> bool:
    """A short line that is no content: blank, a page number, a Markdown rule."""
    return not line.strip() or is_md_separator(line) or is_page_number(line)
