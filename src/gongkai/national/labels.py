"""Normalising and recognising printed labels.

Real reports print the national labels with full- or half-width brackets,
``1.`` or ``1、``, curly or straight quotes, stray spaces and the odd typo.
:func:`norm` folds those differences away; :class:`LabelIndex` maps a printed
label to the row, group, caption or header of the format it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from gongkai.national.editions import (
    EDITION_2019,
    EDITION_2021,
    T3_GROUP_LABELS,
    T3_HEADER_LABELS,
    T4_HEADER_WORDS,
    TABLE4,
    table3_all_rows,
)
from gongkai.national.model import Row

_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|\[\s*\d+\s*\]")
# what norm drops (quotes, and the zero-width space and BOM white space leaves) or folds,
# after NFKC and the white space (str.split: what re's \s matches)
_FOLDED = {
    **dict.fromkeys("“”\"‘’'「」\u200b\ufeff", ""),
    **{"，": ",", "、": ",", "．": ".", "／": "/"},
}
#: any character folded (most labels hold none: a search is cheaper than a translation)
_TO_FOLD = re.compile("[" + re.escape("".join(_FOLDED)) + "]")
_FOLD_PAIRS = tuple(_FOLDED.items())
#: the high bytes of U+4E00..U+9FFF in UTF-16 (see :func:`_cjk_count`)
_CJK_HIGH_BYTES = bytes(range(0x4E, 0xA0))
# Patterns over *normalised* text (NFKC; 、 and ， already folded to ",").
_NUMBERING = re.compile(
    r"^(?:\(\s*[一二三四五六七八九十\d]+\s*\)|[一二三四五六七八九十]+\s*[,.]|\d{1,2}\s*[,.](?!\d))\s*"
)
_ANY_NUMBERING = re.compile(
    r"(?:\([一二三四五六七八九十]+\)|(?<![\d.])\d{1,2}[,.](?!\d)|[一二三四五六七八九十]+,)"
)


def _nfkc_table() -> dict[int, str]:
    """Each character of the blocks reports print (Latin-1, punctuation and symbols,
    enclosed and compatibility CJK, full-width forms) mapped to its NFKC form, where
    that differs."""
    table: dict[int, str] = {}
    for lo, hi in ((0xA0, 0x250), (0x2000, 0x3400), (0xF900, 0xFFF0)):
        for cp in range(lo, hi):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if folded != chr(cp):
                table[cp] = folded
    return table


_NFKC = _nfkc_table()


def _runs_of(codes: list[int]) -> re.Pattern[str]:
    """A pattern of runs of the characters ``codes`` (sorted), as ranges."""
    spans: list[list[int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    ranges = (re.escape(chr(a)) + ("" if a == b else "-" + re.escape(chr(b))) for a, b in spans)
    return re.compile("[" + "".join(ranges) + "]+")


#: runs of the characters _NFKC maps
_NFKC_RUNS = _runs_of(sorted(_NFKC))


def _fold_run(m: re.Match[str]) -> str:
    return m.group().translate(_NFKC)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about twice as fast on Chinese text.

    Each character is first replaced by its own NFKC form (the NFKD of a string is
    that of its characters, so the NFKC of the result is the NFKC of ``text``); what
    is then already normal (the common case) is returned as it is. Past 32 characters
    only the runs of characters that change are translated (a translation looks every
    character up: 60 ns each, 0.37 ms for a 6,000-character report; the search for
    the runs is several times faster)."""
    if text.isascii():
        return text
    if _NFKC_RUNS.search(text) is None:
        s = text  # no character to replace (most labels: a search is cheaper than a translation)
    else:
        s = text.translate(_NFKC) if len(text) <= 32 else _NFKC_RUNS.sub(_fold_run, text)
    return s if unicodedata.is_normalized("NFKC", s) else unicodedata.normalize("NFKC", s)


@lru_cache(maxsize=16384)
def norm(text: str) -> str:
    """Canonical form of a label: NFKC, no spaces, no quotes, ``，`` → ``,``."""
    s = nfkc(_ARTEFACTS.sub("", text) if "[" in text else text)
    s = "".join(s.split())
    if _TO_FOLD.search(s) is None:
        return s
    # replacements, not a translation (which looks every character up: 60 ns each); no
    # replacement gives a character another one replaces
    for ch, to in _FOLD_PAIRS:
        if ch in s:
            s = s.replace(ch, to)
    return s


def norm_longer(text: str, n: int) -> bool:
    """``len(norm(text)) > n``, without folding all of a long text (a whole report on one line).

    Only the first ``2 n + 16`` characters are looked at first; when they hold no ``[``
    (where an artefact removed by :func:`norm` begins), what follows can only add to them.
    More than ``n`` Chinese characters among them is enough (no folding: a character of
    U+4E00..U+9FFF is its own NFKC form, never composes with a neighbour and is never
    removed); else their folded length (NFKC may merge a few marks across the cut: a
    margin of 8 covers them).
    """
    if len(text) <= n and text.isascii():
        return False  # (ASCII is its own NFKC form: norm only removes from it)
    if len(text) > n:
        head = text[: 2 * n + 16]
        if "[" not in head:
            if _cjk_count(head) > n:
                return True
            if len(text) > len(head) and len(norm(head)) > n + 8:
                return True
    return len(norm(text)) > n


def _cjk_count(text: str) -> int:
    """How many characters of U+4E00..U+9FFF ``text`` holds (``len(re.sub("[^\u4e00-\u9fff]",
    "", text))``, four times faster).

    In UTF-16 every character of the Basic Multilingual Plane is two bytes, the first its
    high byte, and those of U+4E00..U+9FFF alone have one of 0x4E..0x9F (the surrogates
    of any other character, and lone surrogates passed through, have 0xD8..0xDF): the
    count is of the high bytes in that range, which ``bytes.translate`` deletes."""
    high = text.encode("utf-16-be", "surrogatepass")[::2]
    return len(high) - len(high.translate(None, _CJK_HIGH_BYTES))


def strip_numbering(text: str) -> str:
    """``(一)予以公开`` → ``予以公开``; ``1,重复申请`` → ``重复申请`` (on a :func:`norm` label)."""
    s = text
    # (a match, never empty, is at the start: as many substitutions as it takes to no
    # change, each one match found)
    m = _NUMBERING.match(s)
    while m is not None:
        s = s[m.end() :]
        m = _NUMBERING.match(s)
    return s


def last_segment(text: str) -> str:
    """The most specific numbered segment of a label that holds several.

    ``（三）不予公开 1.属于国家秘密`` → ``1.属于国家秘密``.
    """
    if "(" not in text and "," not in text and "." not in text:
        return text  # every numbering holds one of them
    matches = list(_ANY_NUMBERING.finditer(text))
    if not matches:
        return text
    return text[matches[-1].start() :]


def core(text: str) -> str:
    return strip_numbering(norm(text))


LabelKind = Literal["row", "group", "header", "caption", "part"]


@dataclass(frozen=True)
class LabelMatch:
    kind: LabelKind
    table: str
    key: str
    score: float
    exact: bool


@dataclass(frozen=True)
class _Entry:
    kind: LabelKind
    table: str
    key: str
    core: str
    number: str | None
    chars: frozenset[str]

    @property
    def fuzzy_lengths(self) -> tuple[int, int]:
        """Lengths of a printed label that may be a misspelling of this one."""
        tol = max(3, len(self.core) // 3)
        return len(self.core) - tol, len(self.core) + tol


_COLUMN_WORDS = frozenset(
    core(c.label) for c in (*TABLE4.columns, *EDITION_2021.table("table3").columns)
)


def _entries() -> tuple[_Entry, ...]:
    out: list[_Entry] = []
    seen: set[tuple[str, str, str]] = set()

    def add(kind: LabelKind, table: str, key: str, label: str, number: str | None) -> None:
        c = core(label)
        if (table, key, c) in seen or not c:
            return
        seen.add((table, key, c))
        out.append(_Entry(kind, table, key, c, number, frozenset(c)))

    for t2 in (EDITION_2019.table("table2"), EDITION_2021.table("table2")):
        for row in t2.rows:
            for lab in row.labels:
                add("row", "table2", row.key, lab, None)
    for row in table3_all_rows():
        for lab in row.labels:
            add("row", "table3", row.key, lab, row.number)
    for g in T3_GROUP_LABELS:
        add("group", "table3", g, g, None)
    for row in TABLE4.rows:
        add("header", "table4", row.key, row.label, None)
    for h in ("申请人情况", "法人或其他组织"):
        add("header", "table3", h, h, None)
    add(
        "header",
        "table3",
        "note",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        None,
    )
    add("header", "table2", "信息内容", "信息内容", None)
    return tuple(out)


_ENTRIES = _entries()
_LONGEST_LABEL = max(len(e.core) for e in _ENTRIES) + 8
_BY_FIRST: dict[str, list[_Entry]] = {}
for _e in _ENTRIES:
    _BY_FIRST.setdefault(_e.core[0], []).append(_e)
_FUZZY = tuple((e, e.fuzzy_lengths, 0.6 * len(e.chars)) for e in _ENTRIES)
#: a bit for every character of the labels: the characters a text shares with a label
#: are counted as the bits of the two masks
_CHAR_BIT = {ch: 1 << i for i, ch in enumerate(sorted({ch for e in _ENTRIES for ch in e.chars}))}


def _mask(chars: frozenset[str]) -> int:
    m = 0
    for ch in chars:
        m |= _CHAR_BIT.get(ch, 0)
    return m


#: the entries a printed label of each length may be a misspelling of (in _ENTRIES order),
#: with their character masks
_FUZZY_BY_LENGTH: dict[int, tuple[tuple[_Entry, float, int], ...]] = {
    n: tuple((e, need, _mask(e.chars)) for e, (lo, hi), need in _FUZZY if lo <= n <= hi)
    for n in range(max(hi for _, (_, hi), _ in _FUZZY) + 1)
}
#: of each length: the characters of all those entries, and the fewest any needs shared
_FUZZY_CHARS = {
    n: frozenset(ch for e, _, _ in es for ch in e.chars) for n, es in _FUZZY_BY_LENGTH.items()
}
_FUZZY_LEAST = {
    n: min((need for _, need, _ in es), default=0.0) for n, es in _FUZZY_BY_LENGTH.items()
}
#: the row entries of each number, in _ENTRIES order
_ROWS_BY_NUMBER: dict[str, tuple[_Entry, ...]] = {}
for _e in _ENTRIES:
    if _e.kind == "row" and _e.number is not None:
        _ROWS_BY_NUMBER[_e.number] = (*_ROWS_BY_NUMBER.get(_e.number, ()), _e)
#: the normalised cores of every row label (a fused line is searched for them)
ROW_CORES = frozenset(e.core for e in _ENTRIES if e.kind == "row")
COLUMN_WORDS = _COLUMN_WORDS
_EXACT: dict[str, list[_Entry]] = {}
for _e in _ENTRIES:
    _EXACT.setdefault(_e.core, []).append(_e)


_NUMBER_OF = re.compile(r"^\(?\s*([一二三四五六七八九十]+|\d+)\s*[),.]")


def _number_of(text: str) -> str | None:
    m = _NUMBER_OF.match(text)
    return m.group(1) if m else None


@lru_cache(maxsize=65536)
def match_label(text: str, table: str | None = None) -> LabelMatch | None:
    """Recognise a printed label; ``table`` narrows the search to one table.

    Exact matches (after normalisation) win; then a label cut short or
    carrying an extra note; then a close spelling (a typo) of the same
    number. Returns None for anything else. (The labels, headers and captions
    of the format as it prints them were recognised once, at import.)
    """
    if table is None:
        known = _PRINTED.get(text, _UNKNOWN)
        if known is not _UNKNOWN:
            return known
    return _match_label(text, table)


def _match_label(text: str, table: str | None) -> LabelMatch | None:
    seg = last_segment(norm(text))
    c = strip_numbering(seg)
    num = _number_of(seg)
    if not c:
        return None
    # '其他' or '总计' alone is a column header; as a row label it is numbered.
    rows_allowed = num is not None or c not in _COLUMN_WORDS

    def ok(e: _Entry) -> bool:
        return (table is None or e.table == table) and (rows_allowed or e.kind != "row")

    exact = [e for e in _EXACT.get(c, []) if ok(e)]
    if exact and num is not None and all(e.number not in (None, num) for e in exact):
        exact = []  # （六）其他 is not 3.其他: a numbered label keeps its number
    if exact:
        best = _prefer_number(exact, num)
        return LabelMatch(best.kind, best.table, best.key, 1.0, True)
    if len(c) < 4 and num is None:
        return None

    candidates: list[tuple[float, _Entry]] = []
    seen: set[int] = set()
    # a label carrying a note, or cut short, begins like the row: same first character
    for e in _BY_FIRST.get(c[0], ()):
        if not ok(e):
            continue
        if len(e.core) >= 4 and c.startswith(e.core):
            rest = c[len(e.core) :]
            # printed label carries a note in brackets, or a short tail
            if rest.startswith("(") or len(rest) <= 4:
                candidates.append((0.95, e))
                seen.add(id(e))
        elif len(c) >= max(4, (len(e.core) * 2) // 3) and e.core.startswith(c):
            # label cut short (wrapped or truncated)
            candidates.append((0.9 * len(c) / len(e.core) + 0.1, e))
            seen.add(id(e))
    if len(c) <= _LONGEST_LABEL:
        fuzzy = _FUZZY_BY_LENGTH.get(len(c), ())
        mask = 0
        if fuzzy:
            shared, mask = _shared_mask(c)
            if shared < _FUZZY_LEAST[len(c)]:
                fuzzy = ()  # shares too few characters with all of them for any to pass
        for e, need, emask in fuzzy:
            # a close spelling shares most characters: cheap tests before difflib
            if (emask & mask).bit_count() < need or id(e) in seen or not ok(e):
                continue
            if e.core == c and e.number is not None and num is not None and e.number != num:
                continue  # the same words under another number: another row
            ratio = SequenceMatcher(None, c, e.core, autojunk=False).ratio()
            if e.number is not None and num is not None and num != e.number:
                ratio -= 0.2
            if ratio >= 0.78:
                candidates.append((ratio * 0.9, e))
    if not candidates and num is not None and len(c) >= 2:
        # a numbered label cut short by a page or cell break (``3.补正后申请``):
        # taken when its number and beginning name exactly one row
        starts = {
            (e.table, e.key): e
            for e in _ROWS_BY_NUMBER.get(num, ())
            if ok(e) and e.core.startswith(c)
        }
        if len(starts) == 1:
            (e,) = starts.values()
            candidates.append((0.5 + 0.4 * len(c) / len(e.core), e))
    if not candidates:
        return None
    candidates.sort(key=lambda se: -se[0])
    score, best = candidates[0]
    rivals = [
        e for s, e in candidates if s >= score - 0.02 and (e.table, e.key) != (best.table, best.key)
    ]
    if rivals:
        by_num = [
            e for s, e in candidates if s >= score - 0.02 and e.number == num and num is not None
        ]
        if len({(e.table, e.key) for e in by_num}) != 1:
            return None
        best = by_num[0]
    return LabelMatch(best.kind, best.table, best.key, score, False)


def _shared_mask(c: str) -> tuple[int, int]:
    """How many characters ``c`` shares with the fuzzy entries of its length, and the
    mask of those characters: an entry's mask has bits of its own characters only, so
    this mask counts with it what the mask of all of ``c``'s characters counts (and is
    made of fewer)."""
    shared = _FUZZY_CHARS[len(c)].intersection(c)
    return len(shared), sum(map(_CHAR_BIT.__getitem__, shared))  # (distinct bits: sum is or)


def _prefer_number(entries: list[_Entry], num: str | None) -> _Entry:
    if len(entries) > 1 and num is not None:
        for e in entries:
            if e.number == num:
                return e
    return entries[0]


def _printed_texts() -> list[str]:
    """Every text of the format's tables as printed (rows, columns, headers, captions),
    and its NFKC form (half-width brackets)."""
    texts: list[str] = [*T3_GROUP_LABELS, *T4_HEADER_WORDS, *T3_HEADER_LABELS]
    for ed in (EDITION_2019, EDITION_2021):
        for t in ed.tables:
            texts += t.header_labels
            for row in t.rows:
                texts += row.labels
                texts += [lab for c in row.columns for lab in c.labels]
            texts += [lab for c in t.columns for lab in c.labels]
            for sub in t.subtables:
                texts.append(sub.caption)
                texts += [lab for c in sub.columns for lab in c.labels]
    for row in (*table3_all_rows(), *TABLE4.rows):
        texts += row.labels
    texts += [lab for c in TABLE4.columns for lab in c.labels]
    return sorted({v for t in texts for v in (t, nfkc(t)) if v})


_UNKNOWN = LabelMatch("row", "", "", 0.0, False)  # (a marker: not a printed text of the format)
#: the printed texts of the format, recognised once (what match_label gives each)
_PRINTED: dict[str, LabelMatch | None] = {t: _match_label(t, None) for t in _printed_texts()}


def row_spec(table: str, key: str) -> Row | None:
    """The row spec for a key of any edition (table 3 merges both editions)."""
    if table == "table3":
        for r in table3_all_rows():
            if r.key == key:
                return r
        return None
    if table == "table4":
        for r in TABLE4.rows:
            if r.key == key:
                return r
        return None
    for t in (EDITION_2021.table("table2"), EDITION_2019.table("table2")):
        for r in t.rows:
            if r.key == key:
                return r
    return None
