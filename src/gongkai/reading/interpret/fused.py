"""Tables whose cells ran together: a crawler's text of an HTML table.

A site crawler that saves a page's text joins table cells with no separator
at all, and often the whole report is one line::

    …规章000规范性文件000…其他对外管理服务事项033…（七）总计0000000四、结转下年度…

:func:`segments` cuts such a line into (text before, label, run of digits):
a run of digits counts as values only when the text just before it *ends*
with a label of the format (the longest one that fits; 总计 or 其他 only with
their numbering, as row labels print them), so the figures of the prose
(``2019年9月1日``, ``34条``) stay prose. The numbering of the next label is
given back when it stuck to the run (``00000002.其他法律…`` is ``0000000``
then ``2.其他法律…``). The run itself is kept whole, as one *fused* token:
how it splits into cells is decided when it is placed
(:mod:`.placement`), by the digits and the row's arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from gongkai.national.editions import FUSED_TABLE_ANCHORS, T4_HEADER_WORDS, TABLE4
from gongkai.national.labels import norm, strip_numbering

# a run of values: numbers separated by single spaces, perhaps a unit after the last
_RUN = re.compile(r"\d+(?:\.\d+)?(?:[ \u00a0\u3000]\d+(?:\.\d+)?)*(?:万元|亿元|元)?")
_NUMBERING_END = re.compile(
    r"(?:\((?:[一二三四五六七八九十]+|\d{1,2})\)|[一二三四五六七八九十]+[,.:]|\d{1,2}[,.])$"
)
#: characters norm keeps (each is one character of the normal form): Chinese characters,
#: ASCII letters and digits, the brackets and punctuation of labels
_KEPT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）,，.．、:：;；/／%％\-—]*")
#: the characters a numbering ends with ($ matches before a final line break too)
_NUMBERING_LAST = frozenset("),.:\n")
_STEAL = frozenset(".,、．，")
_SPACES = " \u00a0\u3000"
#: how many characters before a run a unit pattern (ending with $) may need: the longest
#: unit, and a line break $ matches before
_UNIT_WINDOW = 8
# a unit after a number: prose, not a table cell
_UNITS = frozenset("件条个人次项份%％年月日号名家期篇余多万亿")
# table-4 header words: several of them in the text before a run of 15 values
T4_WORDS = tuple(
    w for w in T4_HEADER_WORDS if w not in (TABLE4.rows[0].label, TABLE4.rows[1].group)
)
_T4_TOTAL = TABLE4.columns[-1].label
# words that say a long line holds a fused table (cheap test before the work: one search)
_ANCHORS = re.compile("|".join(map(re.escape, FUSED_TABLE_ANCHORS)))


class Segment(NamedTuple):
    """``before`` (text, maybe empty), ``label`` as printed with its numbering, ``run`` of digits."""

    before: str
    label: str
    run: str
    start: int


def fused_candidate(text: str) -> bool:
    """A long line that may hold a table with fused cells."""
    return len(text) > 60 and _ANCHORS.search(text) is not None


def segments(
    text: str, lookup: SuffixLookup, *, unit: re.Pattern[str] | None = None
) -> Iterator[Segment]:
    """(before, label, run) for every run of digits that follows a label ``lookup`` knows.

    ``lookup(normalised_tail)`` returns the label the tail ends with (its
    normalised core), or None. ``unit`` is a unit printed between label and
    run (``条``, ``件`` in the old statistics table): a pattern ending with ``$`` that
    matches fewer than ``_UNIT_WINDOW`` characters.
    """
    pos = 0
    may_end = lookup.may_end
    for m in _RUN.finditer(text):
        start = m.start()
        if start < pos:
            continue
        if text[m.end() : m.end() + 1] in _UNITS:
            continue  # a figure of the prose (予以公开12件), not a cell
        # the tail: the text since the last segment, white space before the run stripped
        # (indices into ``text``: no copy of all the text since the last segment)
        stop = start
        while stop > pos and text[stop - 1] in _SPACES:
            stop -= 1
        if unit is not None:
            # (the unit pattern ends with $: only the last characters can match)
            um = unit.search(text, max(pos, stop - _UNIT_WINDOW), stop)
            if um is not None:
                stop = um.start()
                while stop > pos and text[stop - 1] in _SPACES:
                    stop -= 1
        if stop == pos or not may_end(text[stop - 1]):
            continue  # no label ends with the character before the run (cheap: before norm)
        ntail = norm(text[max(pos, stop - 64) : stop])
        core = lookup(ntail)
        if core is None:
            continue
        # the label as printed: its core and the numbering just before it
        head = ntail[: len(ntail) - len(core)]
        num = _numbering_end(head)
        label = (num.group(0) if num else "") + core
        cut = _label_start(text, pos, stop, len(label))
        run, end = own_run(text, m)
        yield Segment(text[pos:cut], label, run, start)
        pos = end


def own_run(text: str, m: re.Match[str]) -> tuple[str, int]:
    """The run of digits ``m`` and where it ends, less the next label's numbering when
    that stuck to it (``00000002.其他法律…``: ``0000000``)."""
    run = m.group(0)
    end = m.end()
    nxt = text[end : end + 2]
    if nxt[:1] in _STEAL and not nxt[1:2].isdigit():
        parts = run.split()
        if len(parts) > 1 and len(parts[-1]) <= 2:
            run = run[: run.rfind(parts[-1])].rstrip()
            end = m.start() + len(run)
        elif len(parts[-1]) > 1 and parts[-1].isdigit():
            run, end = run[:-1], end - 1
    return run, end


def _label_start(text: str, lo: int, hi: int, nlen: int) -> int:
    """Index in ``text`` where a label of normalised length ``nlen`` ending at ``hi`` begins
    (not before ``lo``)."""
    if hi - nlen >= lo and _KEPT.fullmatch(text, hi - nlen, hi):
        return hi - nlen  # (the common case: no character norm removes among the last nlen)
    count = 0
    i = hi
    while i > lo and count < nlen:
        i -= 1
        ch = text[i]
        if _own_normal_form(ch) or norm(ch):
            count += 1
    return i


def _own_normal_form(ch: str) -> bool:
    """A Chinese character or an ASCII letter or digit: its own normal form (:func:`norm`),
    never merged with the character before it."""
    return "\u4e00" <= ch <= "\u9fff" or (ch.isascii() and ch.isalnum())


def _numbering_end(head: str) -> re.Match[str] | None:
    """``_NUMBERING_END.search(head)``, not tried when the last character ends no numbering."""
    if head[-1:] not in _NUMBERING_LAST:
        return None
    return _NUMBERING_END.search(head)


#: common punctuation before a figure of the prose (（1）, 〔2018〕, 电话：0591) and the one
#: character each folds to (none is removed by norm, none merges with a neighbour)
_PUNCTUATION = {ch: norm(ch) for ch in "（）()〔〕【】《》：:；;，,。.、-－—＠@/／%％"}
assert all(len(f) == 1 for f in _PUNCTUATION.values())


class SuffixLookup:
    """A ``lookup`` for :func:`segments`: the longest core a normalised ``tail`` ends with.

    A core in ``needs_number`` (总计, 其他: column words too) counts only
    with numbering before it."""

    def __init__(self, cores: frozenset[str], longest: int, needs_number: frozenset[str]) -> None:
        self.cores = cores
        self.longest = longest
        self.needs_number = needs_number
        #: the last characters of the cores (and of table 4's 总计)
        self.endings = frozenset(c[-1] for c in cores if c) | {_T4_TOTAL[-1]}
        #: by last character, the lengths of the cores ending with it (at least 2, at most
        #: ``longest``), longest first: only they can end a tail ending with that character
        by_end: dict[str, set[int]] = {}
        for c in cores:
            if 2 <= len(c) <= longest:
                by_end.setdefault(c[-1], set()).add(len(c))
        self.lengths = {ch: tuple(sorted(ns, reverse=True)) for ch, ns in by_end.items()}
        #: the cores that begin with a numbering of their own (never taken as a label)
        self.numbered = frozenset(c for c in cores if strip_numbering(c) != c)

    def may_end(self, last: str) -> bool:
        """Whether a tail whose last printed character is ``last`` may end with a core.

        A Chinese character or an ASCII letter or digit is its own normal form and
        never merges with the one before it, so it must be a core's last character; so
        must a common punctuation mark, as the one character it folds to (it merges with
        no neighbour either); anything else (a quote, a letter with a mark) is left to
        :meth:`__call__`."""
        if not last:
            return False
        if _own_normal_form(last):
            return last in self.endings
        folded = _PUNCTUATION.get(last)
        if folded is not None:
            return folded in self.endings
        return True

    def __call__(self, tail: str) -> str | None:
        needs_number = self.needs_number
        size = len(tail)
        for n in self.lengths.get(tail[-1:], ()):
            if n > size:
                continue
            cand = tail[-n:]
            if cand in self.cores:
                if cand in needs_number and not _numbering_end(tail[:-n]):
                    continue
                if cand in self.numbered:
                    continue
                return cand
        if tail.endswith(_T4_TOTAL) and t4_header(tail):
            return _T4_TOTAL  # table 4: its headers, then the 15 values of its three groups
        return None


def suffix_lookup(
    cores: frozenset[str], longest: int, needs_number: frozenset[str]
) -> SuffixLookup:
    """A :class:`SuffixLookup` of ``cores``."""
    return SuffixLookup(cores, longest, needs_number)


def t4_header(text: str) -> bool:
    """Text holding table 4's column headers (several of them)."""
    s = norm(text)
    return sum(1 for w in T4_WORDS if w in s) >= 3
