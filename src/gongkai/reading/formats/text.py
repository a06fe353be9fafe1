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
from gongkai.reading import limits
from gongkai.reading.document import Document, Loc, Para
from gongkai.reading.formats.common import warn_decoding
from gongkai.reading.formats.decode import decode_text, literal_replacements
from gongkai.reading.furniture import is_md_separator, is_page_number

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_MD_HEADINGS = re.compile(r"(?m)^ {0,3}#{1,6}[ \t]+\S")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_STRONG = re.compile(r"^(\s*)(\*\*|__)(.+?)\2\s*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>=<])")
_MD_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"', "&#39;": "'"}
_MD_ENTITIES = re.compile("|".join(_MD_ENTITY))
#: a line break inside a Markdown table cell (pymupdf4llm: ``3.危及“三安全一稳<br>定”``)
_MD_BREAK = re.compile(r"(\d?)<br\s*/?>(\d?)", re.I)


def _md_break(m: re.Match[str]) -> str:
    # the two lines of a label are one label; two numbers stay two
    before, after = m.group(1), m.group(2)
    return f"{before} {after}" if before and after else before + after


def is_markdown(text: str, source: str) -> bool:
    """Named ``.md``, or holding ATX headings (``## 一、总体情况``) on two lines or more."""
    if source.lower().endswith((".md", ".markdown")):
        return True
    head = text[:200_000]
    # (a text without # has no heading: str finds that faster than re's scan of every line)
    return "#" in head and len(_MD_HEADINGS.findall(head)) >= 2


def markdown_line(line: str) -> str:
    """A Markdown line as the text it shows: no ``#`` of a heading, no ``**`` around a
    whole line, no backslash escapes, no entities, no ``<br>`` (the lines of a cell
    joined: a label's two lines are one label, two numbers stay two)."""
    m = _MD_HEADING.match(line)
    if m:
        line = m.group(1)
    m = _MD_STRONG.match(line)
    if m:
        line = m.group(1) + m.group(3)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    if "&" in line:
        line = _MD_ENTITIES.sub(lambda e: _MD_ENTITY[e.group(0)], line)
    if "<" in line:
        line = _MD_BREAK.sub(_md_break, line)
    return line


def read(data: bytes, source: str) -> Document:
    decoded = decode_text(data)
    text = decoded.text
    limits.check("chars", source, len(text))
    if not text.strip():
        raise EmptyInput(source)
    head = text[:20000]
    # characters the decoding replaced (a U+FFFD the file itself holds is text, not damage)
    replaced = max(0, head.count("\ufffd") - literal_replacements(data, decoded.codec))
    # (one search of the whole text: most have no control character to count in the head)
    any_control = _CONTROL.search(text) is not None
    bad = replaced + (len(_CONTROL.findall(text, 0, 20000)) if any_control else 0)
    if bad > max(20, len(head) // 20):
        raise UnknownFormat(source, "binary data, not text", "二进制数据，不是文本")
    doc = Document(format="text", meta={"encoding": decoded.codec})
    warn_decoding(doc, decoded)
    blocks = doc.blocks
    controls: list[int] = []
    markdown = is_markdown(text, source)
    if markdown:
        doc.meta["markdown"] = True
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.rstrip()
        if markdown and s:
            s = markdown_line(s)
        if any_control and _CONTROL.search(s):
            # a NUL or other control byte would hide the label it precedes
            controls.append(n)
            s = _CONTROL.sub("", s).rstrip()
        if s and (len(s) > 40 or not _furniture(s)):
            blocks.append(Para(s, Loc(n)))
    if controls:
        shown = "、".join(str(n) for n in controls[:10])
        doc.warn(
            "control-characters",
            (
                f"已删除 {len(controls)} 行中的控制字符（NUL 等）：第 {shown} 行",
                f"control characters (NUL …) removed from {len(controls)} line(s): {shown}",
            ),
            Loc(controls[0]),
            lines=controls[:50],
        )
    return doc


#: the first characters a page number may begin with (past white space), but a digit
_PAGE_NUMBER_START = frozenset("-—–－第")


@lru_cache(maxsize=32768)
def _furniture(line: str) -> bool:
    """A short line that is no content: blank, a page number, a Markdown rule."""
    if "---" not in line:
        # no Markdown rule; a line that past its white space begins as no page number may
        # (a dash, 第, a digit), or holds digits only (a page number has a dash, 第 or a
        # slash), is none: told without the patterns
        s = line.lstrip()
        if s and (s.isdecimal() or (s[0] not in _PAGE_NUMBER_START and not s[0].isdecimal())):
            return False
    return not line.strip() or is_md_separator(line) or is_page_number(line)
