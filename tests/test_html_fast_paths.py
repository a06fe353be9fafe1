"""The fast paths of the HTML reader give exactly what the plain ones give.

Each shortcut taken for speed is checked against the computation it stands for,
on markup and text drawn by hypothesis: the text of a grid cell, the search for
the CSS values that may hide a tag, the fold of white space, the look for
control bytes and the parse of a page's own UTF-8 bytes.
"""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from gongkai.errors import GongkaiError
from gongkai.reading.document import Cell, Document, Loc
from gongkai.reading.formats import html, html_signals, html_tags
from gongkai.reading.formats.common import _ZERO_WIDTH, collapse

_WORDS = st.sampled_from(
    [
        "行政许可", "0", "12", " ", "\u3000", "\u00a0", "\n  ", "\t", "\u200b", "\u00ad",
        "\ufeff", "\u2060", "a b", "其他", "&nbsp;", "&amp;", "x@y.cn", "\u200e", "\x85",
    ]
)  # fmt: skip
_INLINE = ["span", "font", "b", "o:p", "a", "st1:chsdate", "sub", "td"]
_OTHER = ["p", "p", "br", "div", "li", "h2", "pre", "script", "style", "tr", "tbody", "select"]
_STYLES = ["", ' style="display:none"', ' style="font-family: 宋体"', " hidden"]


def _fragment(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tag = st.sampled_from(_INLINE + _OTHER)
    return st.builds(
        lambda t, style, inner, tail: f"<{t}{style}>{inner}</{t}>{tail}",
        tag,
        st.sampled_from(_STYLES),
        children,
        _WORDS,
    )


_CONTENT = st.recursive(
    st.lists(_WORDS, max_size=3).map("".join),
    lambda inner: st.lists(st.one_of(_WORDS, _fragment(inner)), max_size=4).map("".join),
    max_leaves=12,
)


def _cells_of(page: str) -> list[tuple[html._Reader, etree._Element]]:
    text, marked = html_signals.mark_hidden(page)
    root = etree.fromstring(text, etree.HTMLParser(remove_comments=True, remove_pis=True))
    hidden = html_signals.hidden_elements(root) if marked else set()
    reader = html._Reader(Document(format="html"), hidden, None)
    return [(reader, td) for td in root.iter("td", "th")]


@given(st.lists(_CONTENT, min_size=1, max_size=4))
@settings(max_examples=500, deadline=None)
@example(["<p>甲</p><p>乙</p>"])
@example(["前<p>中</p>后"])
@example(["<span><p>a</p></span><p>b</p>"])
@example(['<span style="display:none">藏</span>显'])
def test_cell_text_is_the_plain_cell_text(cells: list[str]) -> None:
    page = "<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>"
    for reader, td in _cells_of(page):
        assert reader._cell_text(td) == reader._cell_text_plain(td)


_CHARS = [
    *" \t\n\r\u3000\u00a0\u2028\x1c\x85", *"字a1",
    *("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\x07"),
]  # fmt: skip
_TEXT = st.text(st.sampled_from(_CHARS), max_size=40) | st.text(max_size=40)


@given(_TEXT)
@settings(max_examples=1000, deadline=None)
def test_collapse_is_the_plain_collapse(text: str) -> None:
    assert collapse(text) == " ".join(_ZERO_WIDTH.sub("", text).split())


_CSS = st.lists(
    st.sampled_from(
        [
            "<span style=\"", "\">", "<p ", "display", ":", " ", "none", "NONE", "hidden", "hİdden",
            "collap", "ſe", "0", ".0", "-", "999", "\u3000", "\u00a0", "font-size", "left", ";",
            "visibility", "x", "<", ">", "=", "\n", "/", "０", "٣",
        ]
    ),
    max_size=30,
).map("".join)  # fmt: skip


def _plain_candidates(text: str) -> list[int]:
    found = [m.start() for m in html_signals._MAYBE_HIDDEN.finditer(text)]
    return sorted(found + html_signals._hidden_attributes(text))


@given(_CSS)
@settings(max_examples=1000, deadline=None)
@example(": \u3000none")
@example("::0:-\u00a0123")
def test_hiding_candidates_are_the_plain_search(text: str) -> None:
    assert html_signals._candidates(text) == _plain_candidates(text)


_NOT_CONTROL = bytes(b for b in range(256) if not html._CONTROL.match(chr(b)))


@given(st.binary(max_size=200))
@settings(max_examples=500, deadline=None)
def test_control_bytes_are_found_as_translate_finds_them(data: bytes) -> None:
    assert (not any(b in data for b in html._CONTROL_BYTES)) == (
        not data.translate(None, _NOT_CONTROL)
    )


def _tree(
    parsed: tuple[etree._Element, bool, str | None],
) -> tuple[bytes, list[object], bool, str | None]:
    root, marked, fatal = parsed
    lines = [el.sourceline for el in root.iter()]
    return etree.tostring(root, encoding="utf-8"), lines, marked, fatal


_PAGE = st.lists(
    st.one_of(
        _CONTENT,
        st.sampled_from(
            [
                '<meta charset="gb2312">', '<meta http-equiv="Content-Type" content="text/html; charset=big5">',
                "<html>", "<body>", "<table><tr><td>", "\n", "\r\n", "<!-- c -->", "<?pi x?>", "<![CDATA[x]]>",
                "&#0;", "&#xD800;", "&bogus;", "<" * 3, "</p></p>", "\U0001f600", "é",
            ]
        ),
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_PAGE)
@settings(max_examples=500, deadline=None)
@example('<meta charset="gb2312"><p>中文</p>')
def test_parse_of_the_utf8_bytes_is_the_parse_of_the_text(page: str) -> None:
    try:
        plain = _tree(html._parse(page, "x.html"))
    except Exception as exc:  # the same refusal either way
        try:
            html._parse(page, "x.html", page.encode())
        except Exception as again:
            assert type(again) is type(exc) and str(again) == str(exc)
            return
        raise AssertionError(f"only the plain parse failed: {exc}") from None
    assert _tree(html._parse(page, "x.html", page.encode())) == plain


_HIDING_PAGE = st.lists(
    st.one_of(
        _CONTENT,
        st.sampled_from(
            [
                "<body>", "</body>", '<body style="display:none">', '<div style="display:none">',
                "</div>", '<p hidden>', '<span style="left:-999px">', "<html>", "<head>",
                '<title style="display:none">', '<td data-gongkai-hide="x">', '<b style="color:red">',
            ]
        ),
    ),
    max_size=12,
).map("".join)  # fmt: skip
_MARKED_PLAIN = etree.XPath("//body//*[@data-gongkai-hide]")


@given(_HIDING_PAGE)
@settings(max_examples=500, deadline=None)
@example('<body style="display:none"><p style="display:none">藏</p></body>')
def test_hidden_elements_are_the_plain_query(page: str) -> None:
    try:
        root, _, _ = html._parse(page, "x.html")
    except GongkaiError:  # nothing to parse
        return
    found = _MARKED_PLAIN(root)
    assert isinstance(found, list)
    plain = {el for el in found if isinstance(el, etree._Element) and html_signals.is_hidden(el)}
    assert html_signals.hidden_elements(root) == plain


_SPAN_ATTR = st.sampled_from(
    ["", ' colspan="2"', ' rowspan="2"', ' rowspan="3" colspan="2"', ' rowspan="0"']
)
_SPAN_ROWS = st.lists(st.lists(_SPAN_ATTR, min_size=1, max_size=4), min_size=2, max_size=5)


def _span_table(rows: list[list[str]]) -> tuple[html._Reader, list[list[etree._Element]]]:
    """A reader and the cells of a table whose cell ``r.c`` has the span attributes
    ``rows[r][c]``."""
    body = "".join(
        "<tr>" + "".join(f"<td{attr}>{r}.{c}</td>" for c, attr in enumerate(row)) + "</tr>"
        for r, row in enumerate(rows)
    )
    root = etree.fromstring(f"<table>{body}</table>", etree.HTMLParser())
    table = root.find(".//table")
    reader = html._Reader(Document(format="html"), set(), None)
    return reader, [html._cells(tr) for tr in html._own_rows(table)]


@given(_SPAN_ROWS)
@settings(max_examples=500, deadline=None)
@example([[' rowspan="2"', ""], ["", ""]])
def test_grid_rows_are_in_column_order(rows: list[list[str]]) -> None:
    # _grid keeps a row no span from above reached in the order it was filled,
    # and sorts the others: every row must come out in column order either way
    reader, tds = _span_table(rows)
    grid = reader._grid(tds, 1)
    for row in grid:
        cols = [cell.col for cell in row]
        assert cols == sorted(cols)
        assert [cell.loc.col for cell in row] == [c + 1 for c in sorted(cols)]


@given(st.lists(st.lists(_CONTENT, min_size=1, max_size=3), min_size=1, max_size=3))
@settings(max_examples=300, deadline=None)
@example([["行政许可", "0"], ["\u00a0 a b", "<p>甲</p><p>乙</p>"]])
def test_grid_cells_hold_the_plain_cell_text(rows: list[list[str]]) -> None:
    # _grid reads a cell without children itself, the others with _cell_text
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    text, marked = html_signals.mark_hidden(f"<table>{body}</table>")
    root = etree.fromstring(text, etree.HTMLParser(remove_comments=True, remove_pis=True))
    hidden = html_signals.hidden_elements(root) if marked else set()
    table = root.find(".//table")
    if table is None:
        return
    reader = html._Reader(Document(format="html"), hidden, None)
    tds = [html._cells(tr) for tr in html._own_rows(table)]
    grid = reader._grid(tds, 1)
    assert [[c.text for c in row] for row in grid] == [
        [reader._cell_text_plain(td) for td in row] for row in tds if row
    ]


_REPORTISH = st.lists(
    st.sampled_from(["信息公开", "一、", "二、", "三、", "六、", "五", "、", "政府", " "]),
    max_size=8,
).map("".join)


@given(_REPORTISH)
@settings(max_examples=500, deadline=None)
def test_report_look_stops_at_the_second_part_heading(text: str) -> None:
    plain = (
        html_signals.REPORT_WORD in text and sum(h in text for h in html_signals._PART_HEADS) >= 2
    )
    assert html_signals._looks_like_report(text) == plain


def _plain_grid(rows: list[list[etree._Element]], reader: html._Reader) -> list[list[Cell]]:
    """Every position a cell and its spans cover, placed left of the first free column,
    each row in column order (what _grid makes without its list for an unreached row)."""
    placed: dict[tuple[int, int], Cell] = {}
    origin = 0
    for r, tds in enumerate(rows):
        c = 0
        for td in tds:
            while (r, c) in placed:
                c += 1
            colspan = html_tags.span(td.get("colspan"), html_tags.MAX_COLSPAN)
            rowspan = html_tags.span(td.get("rowspan"), len(rows) - r)
            text = reader._cell_text_plain(td)
            origin += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    if (r + dr, c + dc) not in placed:
                        loc = Loc(td.sourceline, None, 1, r + dr + 1, c + dc + 1)
                        placed[(r + dr, c + dc)] = Cell(text, loc, c + dc, origin)
            c += colspan
    return [
        [placed[k] for k in sorted(k for k in placed if k[0] == r)]
        for r in range(len(rows))
        if any(k[0] == r for k in placed)
    ]


@given(_SPAN_ROWS)
@settings(max_examples=500, deadline=None)
@example([[' rowspan="3" colspan="2"', ""], [' colspan="2"', ""], ["", "", ""]])
def test_grid_is_the_plain_placement_of_cells_and_spans(rows: list[list[str]]) -> None:
    reader, tds = _span_table(rows)
    assert reader._grid(tds, 1) == _plain_grid(tds, reader)


_PROPERTY_BEFORE_PLAIN = re.compile(r"([a-z-]+)\s*$", re.I)


@given(_CSS, st.integers(min_value=0, max_value=60))
@settings(max_examples=1000, deadline=None)
@example("x" * 45 + "display :", 46)
@example("a-\u0130\u017f\u212a \n\u3000", 9)
def test_property_before_a_colon_is_the_plain_search(text: str, at: int) -> None:
    at = min(at, len(text))
    m = _PROPERTY_BEFORE_PLAIN.search(text, max(0, at - 40), at)
    assert html_signals._property_before(text, at) == (m.group(1).lower() if m else None)


@given(
    st.lists(
        st.sampled_from(["H", "h", "HIDDEN", "hidden", "HIDDE", "hid", "字", "\u4e48", " "]),
        max_size=40,
    ).map("".join),
    st.sampled_from(["hidden", "HIDDEN"]),
    st.integers(min_value=0, max_value=80),
)
@settings(max_examples=1000, deadline=None)
@example("H" * 20 + "HIDDEN", "HIDDEN", 0)
def test_word_found_by_its_first_character_as_find_finds_it(
    text: str, word: str, start: int
) -> None:
    assert html_signals._find(text, word, start) == text.find(word, start)


def _marks_walking_back(text: str) -> list[int]:
    """Where mark_hidden marks, found as it was first written: from each candidate, back
    to the last '<' of the page (quadratic; the reference for small pages)."""
    marks: list[int] = []
    last_tag = -1
    for at in html_signals._candidates(text):
        if text[at] == ":":
            if html_signals._property_before(text, at) not in html_signals.HIDING_PROPERTIES:
                continue
        elif at == 0 or not text[at - 1].isspace():
            continue
        lt = text.rfind("<", 0, at)
        if lt < 0 or lt == last_tag or text.find(">", lt, at) >= 0:
            continue
        name = html_signals._TAG_NAME.match(text, lt)
        if name:
            last_tag = lt
            marks.append(name.end())
    return marks


_HIDING_PIECES = st.sampled_from(
    [
        "<p ", '<p style="', "<span class=x ", "<", ">", "</p>", " ", "\n", "\u3000", "x",
        "display", "left", "width", "height", "color", "text-indent", "DISPLAY", "ſ",
        ":", ": ", ":0", ":none", ": hidden", ":-999", ";", '"', "hidden", "HIDDEN", " hidden ",
        "报", "<1", "=",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_HIDING_PIECES, max_size=40))
def test_mark_hidden_marks_where_the_walk_back_marks(pieces: list[str]) -> None:
    """mark_hidden keeps the last '<' and '>' as it goes: the tags it marks are those a
    walk back from each candidate to the last '<' marks."""
    text = "".join(pieces)
    marked, any_marked = html_signals.mark_hidden(text)
    marks = _marks_walking_back(text)
    assert any_marked == bool(marks)
    want = text
    for at in reversed(marks):
        want = want[:at] + " data-gongkai-hide" + want[at:]
    assert marked == want


def test_mark_hidden_is_linear_in_the_candidates() -> None:
    """One tag holding 1,200,000 style values: walking back from each to the tag's '<'
    took some 400 s (104 s for half as many); looked at once, about two seconds. Run in a
    child process that is stopped after 60 s (a hang guard, not a speed goal)."""
    code = (
        "from gongkai.reading.formats.html_signals import mark_hidden\n"
        "page = '<p style=\"' + 'left:0;' * 1_200_000 + '\">x</p>'\n"
        "assert mark_hidden(page)[1]\n"
    )
    done = subprocess.run([sys.executable, "-c", code], timeout=60, capture_output=True)
    assert done.returncode == 0, done.stderr[-2000:]
