"""The fast paths of the reader give exactly what the slow ones gave.

Each helper made for speed is checked against the plain computation it
replaces, on text drawn by hypothesis from the characters reports print (and
any other): NFKC by table, the length test of a long line, and the cheap test
of the character before a run of fused digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai.national.labels import COLUMN_WORDS, ROW_CORES, nfkc, norm, norm_longer
from gongkai.reading import read_document
from gongkai.reading.interpret.fused import suffix_lookup
from gongkai.reading.interpret.placement import LIMIT, Placement, Printed, Slot, placements

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


@given(
    st.one_of(
        _TEXT, st.text(st.sampled_from("政府信息公开年度报告、，“”\u3000 e\u0301"), max_size=140)
    ),
    st.integers(min_value=0, max_value=80),
)
@example("政" * 49, 48)
@example("政" * 48 + "\u200b", 48)
@example("政" * 30 + "[bookmark:政府信息公开年度报告政府信息公开年度报告]" + "政" * 10, 40)
@settings(max_examples=600, deadline=None)
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


def test_own_normal_forms_are_their_own_fold() -> None:
    # fused._label_start and SuffixLookup.may_end skip norm for these characters
    from gongkai.reading.interpret.fused import _own_normal_form

    own = [ch for ch in map(chr, range(0x110000)) if _own_normal_form(ch)]
    assert len(own) == 20992 + 62
    assert all(norm(ch) == ch for ch in own)


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


def test_html_of_control_bytes_is_still_refused_as_binary() -> None:
    """The binary test runs on every page that holds a control byte (skipped only without)."""
    from gongkai.errors import CorruptFile

    with pytest.raises(CorruptFile, match="binary"):
        read_document(b"<html><body><p>" + bytes(range(1, 32)) * 50, "html", name="g.html")


@given(
    st.lists(
        st.sampled_from(
            [
                *("<html", "<!DOCTYPE HTML", "<BODY", "<table", "<Div", "<p>", "<p ", "<meta"),
                *("<", "<pre", "< p>", "政府信息公开", "\n", " ", "abc", "<P>", "<!doctype"),
            ]
        ),
        min_size=1,
        max_size=12,
    ).map(lambda parts: "".join(parts).encode("utf-8")),
    st.sampled_from(["a.txt", "a.html", "a", "a.md", "a.pdf"]),
)
@example(b"\xe6\x94\xbf" * 700 + b"<html>", "a.txt")  # a tag past the 2048 bytes searched
@example(b"<!DOCTYPE HTML>", "a.pdf")
@settings(max_examples=400, deadline=None)
def test_detect_searches_for_tags_only_in_a_head_with_a_bracket(data: bytes, name: str) -> None:
    """Every tag detect looks for begins with '<': a head without one holds none of them,
    and the format is what the plain search of every tag gives."""
    from gongkai.errors import UnknownFormat
    from gongkai.reading.formats import _HTML_TAGS, detect

    if data.isspace():
        return
    low = data[:2048].lower()
    if any(tag in low for tag in _HTML_TAGS) or name.endswith(".html"):
        plain = "html"
    elif name.endswith(".pdf"):
        plain = "UnknownFormat"
    else:
        plain = "text"
    try:
        got: str = detect(data, name)
    except UnknownFormat:
        got = "UnknownFormat"
    assert got == plain


_CELLS = st.lists(st.one_of(st.none(), st.integers(0, 9), st.just("1.5万元")), max_size=7)


@given(
    st.dictionaries(st.sampled_from(["new", "total", "a"]), _CELLS, max_size=3),
    st.dictionaries(st.sampled_from(["review", "suit"]), _CELLS, max_size=2),
    st.dictionaries(
        st.sampled_from(["rules", "fees"]),
        st.dictionaries(
            st.sampled_from(["made", "repealed", "valid"]), st.one_of(st.none(), st.integers())
        ),
        max_size=2,
    ),
    st.integers(0, 12),
)
@settings(max_examples=300, deadline=None)
def test_filled_cells_counted_until_there_are_enough(
    t3: dict[str, list[int | None]],
    t4: dict[str, list[int | None]],
    t2: dict[str, dict[str, int | str | None]],
    least: int,
) -> None:
    from gongkai.reading.interpret.assemble import _filled_at_least
    from gongkai.reading.interpret.tables import Tables

    tables = Tables(table2=t2, table3=t3, table4=t4)
    plain = sum(
        1
        for cells in (*t3.values(), *t4.values(), *(r.values() for r in t2.values()))
        for c in cells
        if c is not None
    )
    assert _filled_at_least(tables, least) == (plain >= least)


@given(
    st.lists(
        st.one_of(
            st.text(max_size=20).map(lambda t: ("para", t)),
            st.lists(st.lists(st.text(max_size=6), max_size=4), max_size=4).map(
                lambda rows: ("table", rows)
            ),
        ),
        max_size=12,
    )
)
@settings(max_examples=300, deadline=None)
def test_within_limits_counts_as_the_plain_loop(blocks: list[tuple[str, object]]) -> None:
    """_within_limits counts a document's paragraphs by their class, its tables as before."""
    from gongkai.errors import OverLimit
    from gongkai.reading import limits
    from gongkai.reading.document import Cell, Document, Loc, Para, TableBlock
    from gongkai.reading.formats import _within_limits

    doc = Document("text")
    for kind, body in blocks:
        if kind == "para":
            doc.blocks.append(Para(str(body), Loc(line=1)))
        else:
            rows = [[Cell(t, Loc()) for t in row] for row in body]  # type: ignore[attr-defined]
            doc.blocks.append(TableBlock(rows, Loc()))
    chars = cells = 0
    for b in doc.blocks:
        if isinstance(b, TableBlock):
            for row in b.rows:
                cells += len(row)
                chars += sum(len(c.text) for c in row)
        else:
            chars += len(b.text)
    # the limits exactly at the counts pass; one below either count is refused
    exact = limits.Limits(chars=max(chars, 1), cells=max(cells, 1))
    with limits.applied(exact, "x"):
        _within_limits(doc, "x")
    for name, found in (("chars", chars), ("cells", cells)):
        if found > 1:
            lower = exact.replace(**{name: found - 1})
            with limits.applied(lower, "x"), pytest.raises(OverLimit):
                _within_limits(doc, "x")


@given(
    st.one_of(
        st.from_regex(r"\A[0-9]{0,12}\Z"),
        st.from_regex(r"\A[-+]?[0-9,.]{0,9}(万元|元|件)?\Z"),
        st.text(st.sampled_from("0123456789-+.,/x[] \t\x1f:bokmar"), max_size=12),
        st.text(max_size=12),
        st.builds(lambda a, b: a + b, st.sampled_from("一二三予行总其\u4e00\u9fff(（"), _TEXT),
        st.builds(lambda a, b: a + b, st.from_regex(r"\A[0-9 ,.]{1,6}\Z"), _TEXT),
    )
)
@example("(")
@example("（1）")
@example("12 万元")  # two Chinese characters in a value
@example("[bookmark:政府信息]12")  # three removed with the artefact
@example("2017年以来")
@example(" ")  # white space: cleaned to a blank
@example("- ")
@example("[1]")
@settings(max_examples=600, deadline=None)
def test_parse_value_shortcuts_read_as_the_full_path(text: str) -> None:
    """A cell of ASCII digits, an empty one, or one beginning with a Chinese character
    reads as the full path reads it."""
    from gongkai.reading.interpret.cells import parse_value, read_value

    assert parse_value.__wrapped__(text) == read_value(text)


def _phrase_words() -> list[str]:
    """The words of the legacy phrases, characters and figures: texts of them hold matches."""
    import re

    from gongkai.national.legacy import PHRASES, ZERO

    words = {
        w
        for ps in (*PHRASES.values(), *ZERO.values())
        for p in ps
        for w in re.findall(r"[\u4e00-\u9fff]+", p)
    }
    chars = {ch for w in words for ch in w}
    return sorted(words | chars) + list("0123456789,。；两十")


def _phrase_instances() -> st.SearchStrategy[str]:
    """Text a phrase matches (its look-behinds left out), to be set among words."""
    import re

    from gongkai.national.legacy import PHRASES, ZERO

    patterns = [
        re.sub(r"\(\?<!.+?\)", "", p) for ps in (*PHRASES.values(), *ZERO.values()) for p in ps
    ]
    return st.one_of(*(st.from_regex(p, fullmatch=True) for p in patterns))


_PHRASE_TEXT = st.lists(
    st.one_of(st.sampled_from(_phrase_words()), _phrase_instances()), max_size=30
).map("".join)


@given(_PHRASE_TEXT)
@example("共共受理申请5件，收受理申请两件全年收到申请十件")  # a first character before a match
@example("行行政复议1件诉讼诉讼2起不同意公开3件部分同意公开4件")
@example(
    "受理申请5件；复议0件，共受理申请6件全年"
)  # a word before the first one, none past the last
@example("信息不存在1件政府信息不存在2件政府信息不存在")
@settings(max_examples=300, deadline=None)
def test_legacy_phrase_search_finds_what_re_finds(text: str) -> None:
    """Searching a phrase only where the words it begins with stand finds every match re finds."""
    from gongkai.reading.interpret import legacy

    known: dict[legacy.Heads, list[int]] = {}  # (shared by the phrases, as in prose_figures)
    for phrases in (*legacy._PHRASES.values(), *legacy._ZERO_PHRASES.values()):
        for rx, heads in phrases:
            want = [(m.span(), m.groups()) for m in rx.finditer(text)]
            fast = [(m.span(), m.groups()) for m in legacy.finditer(rx, heads, text)]
            assert fast == want
            again = [(m.span(), m.groups()) for m in legacy.finditer(rx, heads, text, known)]
            assert again == want


def test_legacy_phrases_beginning_with_an_optional_word_are_searched_by_their_words() -> None:
    import re

    from gongkai.reading.interpret import legacy

    heads = {rx.pattern: h for ps in legacy._PHRASES.values() for rx, h in ps}
    optional = [p for p in heads if p.startswith("(?:共|全年)?(?:受理|收到)")]
    assert optional and all(
        heads[p] == (("受理", ("", "共", "全年")), ("收到", ("", "共", "全年"))) for p in optional
    )
    assert heads[next(p for p in heads if p.startswith("当面"))] is None  # re is fast itself
    assert legacy._heads(re.compile(r"(?:a)?.b")) is None  # a wildcard
    assert legacy._heads(re.compile(r"(?:a)?b*c")) is None  # a match may begin with c
    assert legacy.places("共受理，受理共", (("受理", ("", "共")),)) == [0, 1, 4]


@given(_TEXT.map(norm))
@settings(max_examples=400, deadline=None)
def test_suffix_lookup_tries_the_lengths_a_label_has(tail: str) -> None:
    """Only the lengths of the labels are tried: the longest label the tail ends with, as
    trying every length gives."""
    from gongkai.national.labels import strip_numbering
    from gongkai.reading.interpret.fused import _NUMBERING_END, _T4_TOTAL, t4_header

    lookup = suffix_lookup(ROW_CORES, max(len(c) for c in ROW_CORES), COLUMN_WORDS)
    for core in (None, *sorted(ROW_CORES)[:40]):
        text = tail if core is None else tail + core
        want = None
        for n in range(min(len(text), lookup.longest), 1, -1):
            cand = text[-n:]
            if (
                cand in ROW_CORES
                and not (cand in COLUMN_WORDS and not _NUMBERING_END.search(text[:-n]))
                and strip_numbering(cand) == cand
            ):
                want = cand
                break
        if want is None and text.endswith(_T4_TOTAL) and t4_header(text):
            want = _T4_TOTAL
        assert lookup(text) == want


_AGENCY_TEXT = st.lists(
    st.sampled_from(
        [
            *"省市县区州盟旗镇乡局厅委会室府处心中办公人民政自治街道地，。 \n1（",
            *("人民政府", "办公室", "委员会", "管理委员会", "办事处", "中心", "根据", "本"),
            *("辽宁省", "抚顺市", "人力资源和社会保障局", "平潭综合实验区", "民政局", "财政"),
        ]
    ),
    max_size=200,
).map("".join)


@given(_AGENCY_TEXT)
@settings(max_examples=400, deadline=None)
def test_agency_names_found_as_a_search_of_the_whole_text_finds_them(flat: str) -> None:
    """Agency names searched only in the runs of Chinese characters that may hold one,
    with a look-ahead for a place word: the names, their counts and their order are those
    the plain pattern finds in the whole text."""
    import re
    from collections import Counter

    from gongkai.reading.interpret.meta import _trim_lead, agency_names_in_text

    plain = re.compile(
        r"((?:[\u4e00-\u9fa5]{2,9}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|区|旗|镇|乡|街道)){1,4}"
        r"[\u4e00-\u9fa5]{0,18}?(?:人民政府办公室|人民政府|管理委员会|委员会|办公室|局|厅|委|办事处|中心))"
    )
    scope = flat if len(flat) <= 2400 else flat[:1600] + "\n" + flat[-800:]
    want = Counter(_trim_lead(m.group(1)) for m in plain.finditer(scope))
    assert list(agency_names_in_text(flat, None).items()) == list(want.items())


@given(_TEXT)
@settings(max_examples=600, deadline=None)
def test_norm_is_the_plain_folding(text: str) -> None:
    """norm (white space dropped by str.split, one translation for quotes and commas)
    folds as the regular expressions and replacements it stands for."""
    import re

    s = unicodedata.normalize("NFKC", re.sub(r"\[bookmark:[^\]]*\]|\[\s*\d+\s*\]", "", text))
    s = re.sub(r"[\s\u00a0\u3000\u200b\ufeff]+", "", s)
    s = s.translate(str.maketrans(dict.fromkeys("“”\"‘’'「」", "")))
    s = s.replace("，", ",").replace("、", ",").replace("．", ".").replace("／", "/")
    assert norm.__wrapped__(text) == s


@given(st.one_of(st.text(_REPORT_CHARS, min_size=33, max_size=600), st.text(min_size=33)))
@settings(max_examples=300, deadline=None)
def test_nfkc_of_a_long_text_translates_only_its_runs(text: str) -> None:
    """Past 32 characters only the runs of characters that change are translated."""
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def _plain_placements(tokens: list[Printed], n: int) -> list[Placement] | None:
    """Every placement of fused runs as the plain walk lists them: each run tried at
    every width, each width cut every way (no bound from the tokens after it)."""

    def cuts(digits: str, parts: int) -> list[tuple[str, ...]]:
        if parts == 1:
            return [(digits,)] if len(digits) == 1 or digits[0] != "0" else []
        top = 1 if digits[0] == "0" else len(digits) - parts + 1
        return [
            (digits[:i], *rest) for i in range(1, top + 1) for rest in cuts(digits[i:], parts - 1)
        ]

    def options(tok: Printed, parts: int) -> list[tuple[str, ...]]:
        i = len(tok.text)
        while i > 0 and not tok.text[i - 1].isdigit():
            i -= 1
        digits, unit = tok.text[:i], tok.text[i:]
        if not digits.isdigit() or parts > len(digits):
            return []
        return [(*c[:-1], c[-1] + unit) for c in cuts(digits, parts)][: LIMIT + 1]

    res: list[Placement] = []

    def walk(i: int, left: int, acc: tuple[Slot, ...]) -> bool:
        if len(res) > LIMIT:
            return False
        if i == len(tokens):
            if left == 0:
                res.append(acc)
            return True
        tok = tokens[i]
        if not tok.fused:
            return walk(i + 1, left - 1, (*acc, (i, tok.text))) if left >= 1 else True
        for parts in range(1, left - (len(tokens) - i - 1) + 1):
            for cut in options(tok, parts):
                if not walk(i + 1, left - parts, (*acc, *((i, p) for p in cut))):
                    return False
        return True

    return res if walk(0, n, ()) else None


_PRINTED = st.one_of(
    st.builds(Printed, st.from_regex(r"[0-9]{1,3}", fullmatch=True)),
    st.builds(Printed, st.from_regex(r"[0-9]{2,9}(万元|元)?", fullmatch=True), st.just(True)),
)


@given(st.lists(_PRINTED, min_size=1, max_size=5), st.integers(min_value=1, max_value=15))
@example([Printed("0000000", fused=True)], 7)
@example([Printed("000000000000000", fused=True)], 15)
@example([Printed("291000030", fused=True)], 7)
@example([Printed("5"), Printed("1018703元", fused=True), Printed("12", fused=True)], 5)
@settings(max_examples=400, deadline=None)
def test_placements_of_fused_runs_are_those_the_plain_walk_lists(
    tokens: list[Printed], n: int
) -> None:
    """A run is tried only at the widths the tokens after it leave room for, its cuts
    listed once per width: the placements, their order and the limit are the plain walk's."""
    if not any(t.fused for t in tokens):
        tokens = [*tokens, Printed("10", fused=True)]
    assert placements(tokens, n) == _plain_placements(tokens, n)


def _plain_segments(text: str, lookup: object, unit: object = None) -> list[tuple[str, ...]]:
    """:func:`gongkai.reading.interpret.fused.segments` as it was written first: the text
    since the last segment copied for every run of digits, the unit searched in all of it."""
    from gongkai.reading.interpret.fused import _NUMBERING_END, _RUN, _UNITS, own_run

    out: list[tuple[str, ...]] = []
    pos = 0
    for m in _RUN.finditer(text):
        if m.start() < pos:
            continue
        prefix = text[pos : m.start()]
        tail = prefix.rstrip(" \u00a0\u3000")
        if unit is not None:
            um = unit.search(tail)  # type: ignore[attr-defined]
            if um is not None:
                tail = tail[: um.start()].rstrip(" \u00a0\u3000")
        if text[m.end() : m.end() + 1] in _UNITS:
            continue
        if not tail:
            continue
        ntail = norm(tail[-64:])
        core = lookup(ntail)  # type: ignore[operator]
        if core is None:
            continue
        head = ntail[: len(ntail) - len(core)]
        num = _NUMBERING_END.search(head)
        label = (num.group(0) if num else "") + core
        count, cut = 0, len(tail)
        while cut > 0 and count < len(label):
            cut -= 1
            if norm(tail[cut]):
                count += 1
        run, end = own_run(text, m)
        out.append((prefix[:cut], label, run, str(m.start())))
        pos = end
    return out


from gongkai.reading.interpret.legacy import _KEY_OF as legacy_keys  # noqa: E402

_FUSED_PIECES = st.one_of(
    _TEXT,
    st.sampled_from(_CORES),
    st.sampled_from(sorted(legacy_keys)),
    st.sampled_from(["0", "12", "000", "3 4", "５", "1.5", "2万元", " ", "\n", "件", "条", "。"]),
    st.sampled_from(["(一)", "（二）", "1.", "2、", "三、", "总计", "其他", "申请人情况"]),
)


@given(st.lists(_FUSED_PIECES, max_size=40).map("".join))
@example("不予公开答复数件12不同意公开答复数 条\n 3")  # the old table's units
@example("（一）本年新收政府信息公开申请数量 12 0 0 1 2 3 4 5.其他")
@settings(max_examples=500, deadline=None)
def test_segments_are_those_of_the_plain_search(text: str) -> None:
    """The segments of a fused line (tails as indices, the unit searched at the end only)
    are those the plain search finds, for the table's labels and the old table's units."""
    from gongkai.reading.interpret import legacy
    from gongkai.reading.interpret.fused import segments

    lookup = suffix_lookup(ROW_CORES, max(len(c) for c in ROW_CORES), COLUMN_WORDS)
    for look, unit in ((lookup, None), (legacy._LOOKUP, legacy._UNIT)):
        fast = [(s.before, s.label, s.run, str(s.start)) for s in segments(text, look, unit=unit)]
        assert fast == _plain_segments(text, look, unit)


_META_TEXT = st.lists(
    st.sampled_from(
        [
            *"0123456789１２年月日至-/.:：　 \n发布机构时间日期统计办理省市局",
            *("发布机构", "发文机关", "来源单位", "公开日期", "发布时间", "统计时间", "时间"),
            *("平潭县财政局", "辽宁省民政厅", "2020", "2019年", "12月31日", "二○一○年四月十日"),
        ]
    ),
    max_size=60,
).map("".join)


@given(_META_TEXT)
@example("发布机构：平潭县财政局 时间：2010-05-12 00:00")
@example("平潭县财政局2010年4月10日")
@example("统计期限自2020年1月1日至2020年12 月\n31日止")
@settings(max_examples=500, deadline=None)
def test_meta_searches_skipped_only_where_they_find_nothing(text: str) -> None:
    """The page's agency and date are searched only in a text holding the words their
    patterns begin with; a line is matched as an agency and a date only at a length such a
    pair has; an inline signature only in a line holding 日."""
    from gongkai.reading.interpret import meta

    compact = "".join(text.split())
    if meta._SIG_PAIR.match(compact):
        assert 12 <= len(compact) <= 41
    if any(True for _ in meta._INLINE_SIGNATURE.finditer(text)):
        assert "日" in text
    if meta._PERIOD.search(text):
        assert meta._PERIOD_END.search(text)  # (find_period searches only a text holding it)
    if meta._SIG_DATE.match(compact) or meta._SIG_PAIR.match(compact):
        assert "日" in text  # (find_signature passes over a line without 日)
    assert any(map(text.__contains__, meta._FULL_WIDTH_DIGITS)) == bool(re.search("[０-９]", text))
    flat = text.replace(" ", "").replace("\t", "").replace("\u3000", "")
    agency = meta._PAGE_AGENCY.search(text)
    date = meta._PAGE_DATE.search(flat)
    got = meta.find_page({}, text, flat)
    assert got[0] == (
        agency.group(1) if agency and meta.looks_like_agency(agency.group(1)) else None
    )
    assert got[1] == (meta.parse_date(date.group(1)) if date else None)


@given(
    st.one_of(
        _META_TEXT,
        st.lists(
            st.sampled_from(
                [
                    *(" ", "\t", "\n", "\u3000", "\u2028", "\x1c", "平潭县财政局", "至", "附表"),
                    *("二○一○年四月十日", "2010年4月10日", "2020-05-12", "：", "日期", "时间"),
                    *("公开日期", "发布时间", "统计时间"),
                ]
            ),
            max_size=30,
        ).map("".join),
    )
)
@example(" 平潭县财政局 2010年4月10日")
@example("平潭县财政局2010年4月10日 平潭县财政局 2010年4月10日")
@example("发布时间：2020-05-12 公开日期：2020-05-13")
@example("统计时间：2020-05-12")
@example("来源：财政局 时间：2010-05-12 00:00")
@settings(max_examples=600, deadline=None)
def test_meta_patterns_tried_only_where_a_match_may_begin(text: str) -> None:
    """The inline signature is tried at the start and at white space, the page's date at
    its words: the matches re finds trying every character."""
    from gongkai.reading.interpret import meta, search

    def spans(ms: Iterable[re.Match[str]]) -> list[tuple[int, int, tuple[str | Any, ...]]]:
        return [(m.start(), m.end(), m.groups()) for m in ms]

    words = text.split()
    # the start, and each white space before a character that is none
    starts = [0]
    starts += [i - 1 for i in range(2, len(text)) if text[i - 1].isspace() > text[i].isspace()]
    assert spans(search.matches_from(meta._INLINE_SIGNATURE, text, starts)) == spans(
        meta._INLINE_SIGNATURE.finditer(text)
    )
    assert spans(meta._inline_signatures(text)) == spans(meta._INLINE_SIGNATURE.finditer(text))
    assert spans(meta._inline_signatures(text + "政" * 32 * len(words))) == spans(
        meta._INLINE_SIGNATURE.finditer(text + "政" * 32 * len(words))
    )  # (also where the words are few enough to be tried one by one)
    date = meta._PAGE_DATE.search(text)
    got = next(search.matches_from(meta._PAGE_DATE, text, meta._page_date_starts(text)), None)
    assert spans([got] if got else []) == spans([date] if date else [])


@given(st.lists(_FUSED_PIECES, max_size=12).map("".join))
@example("(十一)")
@example("三,\n")
def test_numbering_end_is_the_search(text: str) -> None:
    """The numbering a text ends with is found as the search finds it, though the search
    is skipped when the last character ends no numbering."""
    from gongkai.reading.interpret.fused import _NUMBERING_END, _numbering_end

    fast, plain = _numbering_end(text), _NUMBERING_END.search(text)
    assert (fast and fast.span()) == (plain and plain.span())


@given(
    st.one_of(
        _TEXT,
        st.lists(
            st.sampled_from([*_CORES, *"政府信息公开申请数量其他行政", "(一)", "2."]), max_size=4
        ).map("".join),
    )
)
@settings(max_examples=400, deadline=None)
def test_fuzzy_labels_skipped_by_their_shared_characters_match_none(text: str) -> None:
    """A text sharing too few characters with every label of its length (the union of
    their characters) is matched as trying each of them matches it."""
    from unittest import mock

    from gongkai.national import labels

    unbounded = dict.fromkeys(labels._FUZZY_LEAST, 0.0)
    with mock.patch.dict(labels._FUZZY_LEAST, unbounded):
        plain = labels._match_label(text, None)
    assert labels._match_label(text, None) == plain


@given(_TEXT)
@example("共受理申请（含网上申请）１２件，其中：当面申请３件；\u0301")
@settings(max_examples=400, deadline=None)
def test_legacy_fold_is_unicodedata_nfkc(text: str) -> None:
    """The prose's full-width punctuation replaced before nfkc: the NFKC of the text."""
    from gongkai.reading.interpret.legacy import _PUNCTUATION, fold

    assert all(narrow == unicodedata.normalize("NFKC", wide) for wide, narrow in _PUNCTUATION)
    assert fold(text) == unicodedata.normalize("NFKC", text)


@given(st.lists(_FUSED_PIECES, max_size=8).map(lambda ps: norm("".join(ps))))
@example("(一)1.(二)其他")
@example("一, 2.予以公开")
def test_strip_numbering_is_the_substitution_to_a_fixed_point(text: str) -> None:
    """Numberings stripped one match at a time, as substituting until nothing changes does."""
    import re

    from gongkai.national.labels import _NUMBERING, strip_numbering

    prev, plain = None, text
    while prev != plain:
        prev, plain = plain, re.sub(_NUMBERING, "", plain)
    assert strip_numbering(text) == plain


_TITLE_CHARS = st.text(
    st.sampled_from("政府信息公开情况总体主动申请处理存在问题改进其他的和"), max_size=24
)


@given(_TITLE_CHARS, _TITLE_CHARS, st.sampled_from([0.0, 0.5, 0.72, 0.9, 1.0]))
@example("", "", 0.72)
@example("信息公开", "公开信息", 0.72)
@settings(max_examples=400, deadline=None)
def test_quick_ratios_are_difflibs(a: str, b: str, least: float) -> None:
    """The quick ratios counted without a matcher reach what difflib's reach."""
    from collections import Counter
    from difflib import SequenceMatcher

    from gongkai.reading.interpret.sections import quick_ratios_reach

    sm = SequenceMatcher(None, a, b, autojunk=False)
    want = sm.real_quick_ratio() >= least and sm.quick_ratio() >= least
    assert quick_ratios_reach(a, b, dict(Counter(b)), least) == want


@given(
    st.lists(
        st.sampled_from([*"0123456789〔[（(〕) 年修订正２", "2019", "2020", "年修订", "20"]),
        max_size=40,
    ).map("".join)
)
@example("〔2019〕12号，2020年，12020年，92019年，2021 年修订，（2019年）")
@settings(max_examples=500, deadline=None)
def test_year_counts_as_the_plain_loop_counts(text: str) -> None:
    """The years counted by one pattern with a look-behind are those a loop over the
    matches counts, skipping a year after a digit or a bracket."""
    import re
    from collections import Counter

    from gongkai.reading.interpret.meta import year_counts

    want: Counter[int] = Counter()
    for m in re.finditer(r"(20\d\d)\s*年(?!\d|修订|修正)", text):
        if m.start() and text[m.start() - 1] in "0123456789〔[（(":
            continue
        want[int(m.group(1))] += 1
    assert list(year_counts(text).items()) == list(want.items())


# every character the first-character test of split_run_on asks about (a real frozenset:
# the compiled reader accepts no other kind of set there)
_CJK = frozenset(map(chr, range(0x4E00, 0xA000)))


_RUN_ON_PIECES = st.one_of(
    _TEXT,
    st.sampled_from(
        ["一、", "二、", "三.", "四．", "五、", "六、", "总体情况", "主动公开政府信息情况"]
    ),
    st.sampled_from(["收到和处理政府信息公开申请情况", "概述", "其他需要报告的事项", "、" * 3]),
)


@given(st.lists(_RUN_ON_PIECES, min_size=10, max_size=40).map("".join))
@settings(max_examples=300, deadline=None)
def test_run_on_headings_skipped_by_their_first_character_are_no_headings(text: str) -> None:
    """A numeral followed by a Chinese character no title of its part begins with is cut
    as trying every title cuts it."""
    from unittest import mock

    from gongkai.reading.interpret import sections

    text = text * (1 + sections._RUN_ON // max(1, len(text)))
    every = dict.fromkeys(sections._TITLE_FIRSTS, _CJK)
    with mock.patch.dict(sections._TITLE_FIRSTS, every):
        plain = sections.split_run_on(text)
    assert sections.split_run_on(text) == plain


@given(
    st.one_of(
        st.text(
            st.sampled_from([*"-—–－~第页共/ |:0123456789１２政规章", "\u3000", "\t", "٣"]),
            max_size=20,
        ),
        st.text(max_size=20),
    )
)
@example("- 3 -")
@example("第 3 页")
@example("3/12")
@example("|---|:---:|")
@example("\u3000")
@example("１２")
@settings(max_examples=600, deadline=None)
def test_text_furniture_told_without_patterns_as_with_them(line: str) -> None:
    from gongkai.reading.formats.text import _furniture
    from gongkai.reading.furniture import is_md_separator, is_page_number

    plain = not line.strip() or is_md_separator(line) or is_page_number(line)
    assert _furniture.__wrapped__(line) == plain


@given(st.text(st.sampled_from([*"# \t\n政-|x", "\u3000", "\r"]), max_size=80))
@example("## 一、总体情况\n## 二、主动公开\n")
@example(" # a\n#\tb")
@settings(max_examples=500, deadline=None)
def test_markdown_told_by_its_headings_searched_only_in_a_text_with_hash(text: str) -> None:
    from gongkai.reading.formats import text as reader

    plain = len(re.findall(r"(?m)^ {0,3}#{1,6}[ \t]+\S", text)) >= 2
    assert reader.is_markdown(text, "x.txt") == plain


@given(
    st.one_of(
        _TEXT,
        st.text(st.sampled_from(["\u4dff", "\u4e00", "\u9fff", "\ua000", "\ud800", "\udfff"])),
        st.text(st.characters(min_codepoint=0x4D00, max_codepoint=0xA100), max_size=40),
        st.text(st.characters(min_codepoint=0x10000), max_size=20),
    )
)
@example("\U00024e00\ud84e")
@settings(max_examples=600, deadline=None)
def test_cjk_count_is_the_length_of_the_cjk_characters(text: str) -> None:
    from gongkai.national.labels import _cjk_count

    assert _cjk_count(text) == len(re.sub("[^\u4e00-\u9fff]", "", text))


@given(
    st.lists(
        st.one_of(
            st.text(st.characters(max_codepoint=0x7F), max_size=6),
            st.sampled_from(["、", "…", "､", "0", "1,234", "—", "/", "12万元", "[bookmark:x]、"]),
            st.text(st.sampled_from([*"、…､０１ \u3000x/-", "\u200b"]), max_size=4),
        ),
        max_size=8,
    )
)
@example(["1", "\u3000、"])
@settings(max_examples=400, deadline=None)
def test_values_start_as_cleaning_every_word(words: list[str]) -> None:
    """split_line tells an ASCII word from 、 and … without cleaning it."""
    from gongkai.reading.interpret.cells import _values_start, clean_cell, parse_value

    i = len(words)
    while (
        i > 0
        and parse_value(words[i - 1]) is not None
        and clean_cell(words[i - 1]) not in ("、", "…")
    ):
        i -= 1
    assert _values_start(words) == i


_LABEL_CHARS = st.sampled_from(
    sorted({ch for t in ROW_CORES for ch in t} | set("（）()、，,.1234一二三政府 \u3000"))
)


@given(st.text(_LABEL_CHARS, min_size=1, max_size=50))
@settings(max_examples=400, deadline=None)
def test_fuzzy_mask_of_the_shared_characters_is_the_mask_of_the_label(c: str) -> None:
    """_match_label's character mask made of the characters shared with the entries of
    its length counts what the mask of all its characters counts."""
    from gongkai.national import labels

    fuzzy = labels._FUZZY_BY_LENGTH.get(len(c), ())
    if not fuzzy:
        return
    shared, mask = labels._shared_mask(c)
    assert shared == len(frozenset(c) & labels._FUZZY_CHARS[len(c)])
    plain = labels._mask(frozenset(c))
    for _, _, emask in fuzzy:
        assert (emask & mask).bit_count() == (emask & plain).bit_count()


@given(st.one_of(_TEXT, st.text(_LABEL_CHARS, max_size=60), st.sampled_from(sorted(ROW_CORES))))
@example("二、主动公开政府信息情况")
@example("\u3000三、收到和处理政府信息公开申请情况")
@example("政 " * 16)
@settings(max_examples=400, deadline=None)
def test_section_line_is_the_heading_and_the_prose_test(text: str) -> None:
    from gongkai.reading.interpret import sections

    plain = (sections.match_part_heading(text), sections.is_prose(text))
    assert sections._section_line.__wrapped__(text) == plain


@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(ROW_CORES)),
            st.sampled_from(["0", "12", "3 4 5", "规章 0 0 2", "（七）总计 1 2 3 4 5 6 7", "/"]),
            st.text(_LABEL_CHARS, min_size=1, max_size=30),
        ),
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None)
def test_rows_of_a_document_of_paragraphs_only_as_of_any_other(texts: list[str]) -> None:
    """scan_rows hands the paragraphs of a document without tables on whole: as the loop
    that gathers them (run here by an empty table after them) does."""
    from gongkai.reading.document import Document, Loc, Para, TableBlock
    from gongkai.reading.interpret.rows import scan_rows

    paras = [Para(t, Loc(n)) for n, t in enumerate(texts, start=1) if t.strip()]
    alone = scan_rows(Document("text", list(paras)), "2021")
    gathered = scan_rows(Document("text", [*paras, TableBlock([], Loc(0))]), "2021")
    assert alone == gathered


def test_table4_header_keys_are_in_every_word_and_fold_from_no_other_character() -> None:
    import sys

    from gongkai.reading.interpret.rows import _T4_KEYS, T4_HEADER_WORDS

    assert all(_T4_KEYS.search(word) for word in T4_HEADER_WORDS)
    keys = set(_T4_KEYS.pattern.strip("[]"))
    folding = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if not 0xD800 <= cp < 0xE000
        and chr(cp) not in keys
        and keys & set(unicodedata.normalize("NFKC", chr(cp)))
    ]
    assert folding == []


# table 4's header words in pieces, with characters that fold to some of their characters
_T4_PIECES = st.sampled_from(
    [
        "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果",
        "尚未审结", "结果", "议", "复", "行政", " ", "\u3000", "“", "[1]", "\u2f8f", "\u32a3",
        "\u337d", "\ufa08", "\ufaa8", "其他", "审", "维持", "纠正", "、",
    ]
)  # fmt: skip


@given(st.one_of(st.lists(_T4_PIECES, max_size=4).map("".join), _TEXT))
@settings(max_examples=500, deadline=None)
@example("行政复议")
@example("\u2f8f政")
def test_grid_texts_passed_over_for_table4_headers_fold_to_none(text: str) -> None:
    from gongkai.reading.interpret.rows import _T4_KEYS, T4_HEADER_WORDS

    if _T4_KEYS.search(text) is None:
        assert norm(text) not in T4_HEADER_WORDS


@given(
    st.one_of(_TEXT, st.text(st.characters(min_codepoint=0x4DF0, max_codepoint=0xA010))),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=40),
)
@settings(max_examples=400, deadline=None)
def test_printed_end_counts_the_normal_forms_of_the_characters(
    text: str, start: int, nlen: int
) -> None:
    """split_run_on counts a Chinese character of a title as one of its normal form."""
    from gongkai.reading.interpret.sections import _printed_end

    end = start
    count = 0
    while end < len(text) and count < nlen:
        count += len(norm(text[end]))
        end += 1
    assert _printed_end(text, start, nlen) == end


def test_part_title_forms_are_the_titles_and_their_normal_forms() -> None:
    from gongkai.national.editions import PARTS
    from gongkai.reading.interpret.sections import _TITLE_FORMS

    for p in PARTS:
        assert _TITLE_FORMS[p.number] == tuple((t, norm(t)) for t in p.titles)
