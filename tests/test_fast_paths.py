"""The fast paths of the reader give exactly what the slow ones gave.

Each helper made for speed is checked against the plain computation it
replaces, on text drawn by hypothesis from the characters reports print (and
any other): NFKC by table, the length test of a long line, and the cheap test
of the character before a run of fused digits.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.national.labels import COLUMN_WORDS, ROW_CORES, nfkc, norm, norm_longer
from gongkai.reading import read_document
from gongkai.reading.interpret.fused import suffix_lookup

# Chinese text with full-width punctuation, enclosed numerals, Latin with accents,
# combining marks, spaces of every kind, brackets of the artefacts norm removes
_REPORT_CHARS = st.sampled_from(
    [
        *"政府信息公开年度报告（一）二、，。；：“”‘’「」【】〔〕１２３ＡＢａ ",
        *("\u3000", "\u00a0", "\u200b", "\ufeff", "\u0301", "\u0308", "e", "E", "[", "]", "\t"),
        *("㈠", "①", "⑴", "½", "™", "㎡", "ﬁ", "Ⅻ", "ｶ", "ﾞ", "가", "\u1100", "\u1161", "豈"),
        *"bookmark:0123456789",
    ]
)
_TEXT = st.one_of(
    st.text(_REPORT_CHARS, max_size=300),
    st.text(max_size=120),
)


@given(_TEXT)
@settings(max_examples=400, deadline=None)
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(_TEXT, st.integers(min_value=0, max_value=80))
@settings(max_examples=400, deadline=None)
def test_norm_longer_is_the_length_of_norm(text: str, n: int) -> None:
    assert norm_longer(text, n) == (len(norm(text)) > n)


def test_norm_longer_on_a_long_line_with_an_artefact_after_the_head() -> None:
    # an artefact that begins past the first characters is removed by norm whole
    text = "政" * 40 + "[bookmark:" + "x" * 400 + "]"
    assert norm_longer(text, 48) == (len(norm(text)) > 48)
    assert not norm_longer("[bookmark:" + "x" * 400 + "]", 48)


_CORES = sorted(ROW_CORES)


@given(
    st.one_of(
        _TEXT,
        st.builds(lambda a, c, b: a + c + b, _TEXT, st.sampled_from(_CORES), _TEXT),
        st.builds(lambda a, c: a + c, _TEXT, st.sampled_from(_CORES)),
    )
)
@settings(max_examples=600, deadline=None)
def test_may_end_never_skips_a_label(tail: str) -> None:
    lookup = suffix_lookup(ROW_CORES, max(len(c) for c in ROW_CORES), COLUMN_WORDS)
    if lookup(norm(tail[-64:])) is not None:
        assert lookup.may_end(tail[-1:])


def test_may_end_on_a_printed_label() -> None:
    lookup = suffix_lookup(ROW_CORES, max(len(c) for c in ROW_CORES), COLUMN_WORDS)
    for core in ROW_CORES:
        assert lookup.may_end(core[-1])
    assert not lookup.may_end("年")  # 2019年: a date of the prose, no label
    assert lookup.may_end("）")  # full-width: left to the full test


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("control", ["\x1b", "\x01", "\x1f"])
def test_html_control_characters_found_by_their_bytes(encoding: str, control: str) -> None:
    """A page's bytes are tested for control characters before its text is searched."""
    page = (
        '<html><head><meta charset="' + encoding + '"></head><body>'
        "<h1>某某局2023年政府信息公开工作年度报告</h1><p>第一段" + control + "文字</p>"
        "</body></html>"
    )
    doc = read_document(page.encode(encoding), "html", name="c.html")
    assert [w.code for w in doc.warnings] == ["control-characters"]
    clean = read_document(page.replace(control, "").encode(encoding), "html", name="c.html")
    assert not clean.warnings


@given(st.one_of(st.from_regex(r"\A[0-9]{0,12}\Z"), st.text(max_size=12)))
@settings(max_examples=400, deadline=None)
def test_parse_value_shortcuts_read_as_the_full_path(text: str) -> None:
    """A cell of ASCII digits, or an empty one, reads as the full path reads it."""
    from gongkai.reading.interpret.cells import parse_value, read_value

    assert parse_value.__wrapped__(text) == read_value(text)
