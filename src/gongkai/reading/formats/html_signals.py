"""What an HTML page hides, runs or links to: the tamper signals of the HTML reader.

* **Hidden text.** Elements hidden by an inline style (``display:none``,
  ``visibility:hidden``, ``font-size:0``, ``opacity:0``, pushed off-screen by
  ``left:-9999px`` and the like, or ``height:0`` with ``overflow:hidden``) or
  by the ``hidden`` attribute. Looking at every style attribute of a Word-made
  page is slow, so :func:`mark_hidden` searches the raw page for the few CSS
  values that can hide and marks the tags that hold them before parsing;
  :func:`hidden_elements` confirms each marked element.
* **The content container** (:func:`find_container`): the deepest element
  holding the report, so that each signal can say whether it is ``in_content``.
* **Scripts, links, frames, images, meta refresh** and the embedded gongkai
  record (:func:`collect_signals`).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from gongkai.national.editions import PARTS, REPORT_TABLE_WORDS, REPORT_WORD
from gongkai.reading.document import Document, Loc
from gongkai.reading.formats.common import collapse, embedded_record, mailto

Element = etree._Element

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0*)?\s*(?:;|!|$)"
    r"|font-size\s*:\s*(?:0+(?:\.0*)?|\.0+)(?:px|pt|em|rem|%)?\s*(?:;|!|$)"
)
_OFFSCREEN = re.compile(r"(?<![\w-])(?:left|top|right|text-indent|margin-left)\s*:\s*-\s*(\d+)")
_ZERO_BOX = re.compile(r"(?<![\w-])(?:max-)?(?:height|width)\s*:\s*0(?:px)?\s*(?:;|!|$)")
_OVERFLOW_HIDDEN = re.compile(r"overflow(?:-[xy])?\s*:\s*hidden")
#: Off-screen offsets from this many pixels on hide an element.
OFFSCREEN_PX = 500

# A CSS value that may hide; the property before the colon is checked in Python. The
# letters are spelt as classes (what re.I would match, İ ı ſ too): a pattern that starts
# with a plain ':' is searched for that character first, twice as fast on a long page.
_MAYBE_HIDDEN = re.compile(
    r":\s*(?:[nN][oO][nN][eE]|[hH][iIİı][dD][dD][eE][nN]|[cC][oO][lL][lL][aA][pP][sSſ][eE]"
    r"|0|\.0|-\s*\d{3})"
)
#: The colons _MAYBE_HIDDEN may match at: followed by the first character of one of its
#: values. Most colons of a page are not, and this simpler pattern passes them over at a
#: third of the cost (no colon lies inside a match of either, so both find the same ones).
_MAYBE_HIDDEN_START = re.compile(r":\s*[nNhHcC0.\-]")
#: The CSS property before a colon, read backwards from the colon (white space, then the
#: name backwards): one match where ``([a-z-]+)\s*$`` searched before the colon tries
#: every character of the 40 before it.
_PROPERTY_BACKWARDS = re.compile(r"\s*([a-z-]+)", re.I)
#: The CSS properties whose value may hide an element (``_htmlwalk.may_hide`` reads them too).
HIDING_PROPERTIES = frozenset(
    {
        "display", "visibility", "opacity", "font-size", "height", "width", "max-height",
        "max-width", "left", "top", "right", "text-indent", "margin-left", "margin-top",
    }
)  # fmt: skip
_TAG_NAME = re.compile(r"<[A-Za-z][\w:.-]*")
_MARK = "data-gongkai-hide"
#: The marks of the elements of the body (``//body//*[@mark]`` without a predicate, which
#: libxml2 evaluates node by node at four times the cost); each result's parent is its element.
_MARKS = etree.XPath(f"//body/descendant::*/@{_MARK}")

_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
#: Words that mark a table as one of the report's tables.
_PART_HEADS = tuple(f"{p.numeral}、" for p in PARTS)


def text_of(el: Element) -> str:
    """The text content of ``el`` (its tail excluded)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def line_of(el: Element) -> int | None:
    """The source line of ``el``, if known."""
    n: object = el.sourceline
    return n if isinstance(n, int) and n > 0 else None


# -- hidden text ----------------------------------------------------------------


def is_hidden(el: Element) -> bool:
    """Whether the inline style or the ``hidden`` attribute of ``el`` hides it."""
    if el.get("hidden") is not None:
        return True
    style = (el.get("style") or "").lower()
    if not style:
        return False
    if _HIDDEN_STYLE.search(style):
        return True
    if any(int(m.group(1)) >= OFFSCREEN_PX for m in _OFFSCREEN.finditer(style)):
        return True
    return bool(_ZERO_BOX.search(style) and _OVERFLOW_HIDDEN.search(style))


def _find(text: str, word: str, start: int = 0) -> int:
    """``text.find(word, start)``, through the first character of ``word`` while it is
    rare: a find of one character runs memchr, twenty times faster than the search for
    a word (a page rarely holds an upper-case H). Past 16 that do not begin the word,
    the plain search."""
    first = word[0]
    for _ in range(16):
        at = text.find(first, start)
        if at < 0 or text.startswith(word, at):
            return at
        start = at + 1
    return text.find(word, start)


def _hidden_attributes(text: str) -> list[int]:
    """Where a ``hidden`` attribute may stand (the word, then the end of the name)."""
    found = []
    for word in ("hidden", "HIDDEN"):
        at = _find(text, word)
        while at >= 0:
            if text[at + 6 : at + 7] in (" ", "\t", "\n", "\r", ">", "/", "="):
                found.append(at)
            at = _find(text, word, at + 6)
    return found


def _candidates(text: str) -> list[int]:
    maybe = _MAYBE_HIDDEN.match
    found = [at for m in _MAYBE_HIDDEN_START.finditer(text) if maybe(text, at := m.start())]
    return sorted(found + _hidden_attributes(text))


def _property_before(text: str, at: int) -> str | None:
    """The name (lower case) of the CSS property before the colon at ``at``, within the
    40 characters before it; None if none ends there."""
    m = _PROPERTY_BACKWARDS.match(text[max(0, at - 40) : at][::-1])
    return m.group(1)[::-1].lower() if m else None


def mark_hidden(text: str) -> tuple[str, bool]:
    """Mark the tags whose style (or ``hidden`` attribute) may hide them.

    Returns the page with a marker attribute added to those tags (no line
    breaks are added, so source lines stay right) and whether any was marked.
    """
    marks: list[int] = []
    last_tag = -1
    # the last '<' and '>' before the candidate: the candidates come in order, so the
    # page is searched once (a search back from each to the page's start was quadratic:
    # 104 s for one tag of 600,000 style values)
    lt = gt = -1
    seen = 0
    for at in _candidates(text):
        if text[at] == ":":
            if _property_before(text, at) not in HIDING_PROPERTIES:
                continue
        elif at == 0 or not text[at - 1].isspace():
            continue
        if at > seen:
            lt = max(lt, text.rfind("<", seen, at))
            gt = max(gt, text.rfind(">", seen, at))
            seen = at
        if lt < 0 or lt == last_tag or gt > lt:
            continue  # not inside a tag: CSS in <style>, or prose
        name = _TAG_NAME.match(text, lt)
        if name:
            last_tag = lt
            marks.append(name.end())
    if not marks:
        return text, False
    pieces: list[str] = []
    prev = 0
    for at in marks:
        pieces.append(text[prev:at])
        pieces.append(f" {_MARK}")
        prev = at
    pieces.append(text[prev:])
    return "".join(pieces), True


def hidden_elements(root: Element) -> set[Element]:
    """The marked elements of the body that are really hidden."""
    found = _MARKS(root)
    if not isinstance(found, list):
        return set()
    marked = (getattr(mark, "getparent", None) for mark in found)
    return {
        el
        for el in (parent() for parent in marked if parent is not None)
        if isinstance(el, etree._Element) and is_hidden(el)
    }


# -- the content container ----------------------------------------------------------


def _looks_like_report(text: str) -> bool:
    if REPORT_WORD not in text:
        return False
    found = False
    for head in _PART_HEADS:  # two part headings are enough: no need to look for the rest
        if head in text:
            if found:
                return True
            found = True
    return False


# The words looked for hold no white space: a word in the text is in the text without
# white space too, so the text is condensed only where the words are not found as printed.


def _is_report(el: Element) -> bool:
    text = text_of(el)
    return _looks_like_report(text) or _looks_like_report("".join(text.split()))


def _has_table_words(el: Element) -> bool:
    text = text_of(el)
    if any(w in text for w in REPORT_TABLE_WORDS):
        return True
    text = "".join(text.split())
    return any(w in text for w in REPORT_TABLE_WORDS)


def find_container(body: Element) -> Element | None:
    """The deepest element that holds the report, or None if unsure.

    It holds every report table (one whose text has table-2/3/4 words), the
    words 信息公开 and two part headings (一、 二、 …) at least.
    """
    tables = [t for t in body.iter("table") if _has_table_words(t)]
    if tables:
        chain = [tables[0], *tables[0].iterancestors()]
        index = {id(a): i for i, a in enumerate(chain)}
        deepest = 0
        for t in tables[1:]:
            for a in (t, *t.iterancestors()):
                i = index.get(id(a))
                if i is not None:
                    deepest = max(deepest, i)
                    break
        for el in chain[deepest:]:
            if _is_report(el):
                return el
            if el is body:
                break
        return None
    if not _is_report(body):
        return None
    el = body
    while True:
        fits = [c for c in el if isinstance(c.tag, str) and _is_report(c)]
        if len(fits) != 1:
            return el
        el = fits[0]


def inside(el: Element, container: Element | None) -> bool:
    """Whether ``el`` is ``container`` or lies within it."""
    if container is None:
        return False
    return el is container or any(a is container for a in el.iterancestors())


# -- scripts, links, frames, images ---------------------------------------------------

#: the elements :func:`collect_signals` records, and ``<title>``
SIGNAL_TAGS = ("script", "a", "area", "iframe", "frame", "img", "meta", "title")


def signal_elements(root: Element) -> list[Element]:
    """The elements of :data:`SIGNAL_TAGS` in document order (one pass over the page)."""
    return list(root.iter(*SIGNAL_TAGS))


def _within(container: Element | None) -> set[Element]:
    """The elements of :data:`SIGNAL_TAGS` that lie within ``container`` (or are it)."""
    return set() if container is None else set(container.iter(*SIGNAL_TAGS))


def collect_signals(
    root: Element,
    doc: Document,
    container: Element | None,
    elements: list[Element] | None = None,
) -> None:
    """Record ``scripts``, ``links``, ``iframes``, ``images``, ``emails`` (mailto),
    ``meta_refresh`` and ``embedded`` in ``doc.meta``.

    Each is a list of dicts with ``line`` and ``in_content``; ``meta_refresh``
    items hold the target ``url`` (None for a plain reload) and the raw ``content``.
    ``elements`` are those :func:`signal_elements` found (found again when None).
    """
    scripts: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    iframes: list[dict[str, Any]] = []
    images: list[dict[str, Any]] = []
    emails: list[dict[str, Any]] = []
    refresh: list[dict[str, Any]] = []
    within = _within(container)
    for el in signal_elements(root) if elements is None else elements:
        tag = el.tag
        if tag == "title":
            continue
        line = line_of(el)
        if tag == "meta":
            if (el.get("http-equiv") or "").strip().lower() == "refresh":
                content = el.get("content") or ""
                m = _REFRESH_URL.search(content)
                url = m.group(1).strip() if m else None
                refresh.append(
                    {"url": url, "content": content, "line": line, "in_content": el in within}
                )
            continue
        inside_content = el in within
        if tag == "script":
            code = el.text or ""
            if el.get("id") == "gongkai-record":
                embedded_record(code, doc, "the page", Loc(line=line))
                continue
            scripts.append(
                {
                    "src": el.get("src"),
                    "type": el.get("type"),
                    "inline": code.strip()[:500],
                    "line": line,
                    "in_content": inside_content,
                }
            )
        elif tag in ("a", "area"):
            href = (el.get("href") or "").strip()
            if href:
                text = collapse(text_of(el))[:200]
                links.append(
                    {"href": href, "text": text, "line": line, "in_content": inside_content}
                )
                address = mailto(href)
                if address:
                    emails.append({"email": address, "line": line, "in_content": inside_content})
        elif tag == "img":
            src, alt = el.get("src"), el.get("alt")
            images.append({"src": src, "alt": alt, "line": line, "in_content": inside_content})
        else:
            iframes.append({"src": el.get("src"), "line": line, "in_content": inside_content})
    doc.meta.update(
        scripts=scripts,
        links=links,
        iframes=iframes,
        images=images,
        emails=emails,
        meta_refresh=refresh,
    )


__all__ = [
    "HIDING_PROPERTIES",
    "OFFSCREEN_PX",
    "SIGNAL_TAGS",
    "collect_signals",
    "find_container",
    "hidden_elements",
    "inside",
    "is_hidden",
    "line_of",
    "mark_hidden",
    "signal_elements",
    "text_of",
]
