"""Old reports (2008–2018): the figures their prose states and their statistics table.

Two sources, both as data in :mod:`gongkai.national.legacy`:

* **prose** — phrases such as 「共受理政府信息公开申请12件」, Chinese numerals
  (两件, 十二件), plain negative statements (「2017年未收到有关政府信息公开申请」
  is 0, with its sentence as provenance). A figure whose clause names a wider
  scope (全市, 全区 …) is not a department's own: it is skipped, and when
  nothing else states that key the key stays null with a warning. Counts of
  information items by disclosure attribute (「依申请公开信息46条」) are not
  applications and no phrase reads them as such.
* **the old statistics table** (政府信息公开情况统计表) appended to many of them,
  flattened into ``label unit value`` runs — with spaces
  (``主动公开信息数 条 6``) or with the year's value and the cumulative one
  run together (``主动公开文件数条290872`` = 290 / 872). A fused run is cut
  every way that keeps numbers without leading zeros and a cumulative value
  not below the year's; the table's own sums (网站 + 公报 = 主动公开, the
  channels = 受理总数, the answers = 答复总数) and the figures the prose states
  choose between the cuts. What is still open is null, with the candidates.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gongkai.agencies import DEPARTMENT_ENDINGS
from gongkai.evidence import ParseWarning
from gongkai.national.labels import nfkc, norm
from gongkai.national.legacy import (
    COMPILED,
    COMPILED_ZERO,
    NEEDS,
    STANDARD_KEYS,
    TABLE_ROWS,
    TABLE_SUMS,
    TABLE_UNITS,
)
from gongkai.reading.interpret.fused import segments, suffix_lookup
from gongkai.reading.interpret.placement import Printed, consensus, describe, placements
from gongkai.reading.interpret.search import matches_from, occurrences

_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9})
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_SCOPE = (
    "全市",
    "全区",
    "全县",
    "全省",
    "全州",
    "全旗",
    "全盟",
    "各级",
    "全系统",
    "各部门",
    "各乡镇",
)
_CLAUSE_END = re.compile(r"[。；;，,：:]")


def cn_number(text: str) -> int | None:
    """``12`` → 12; ``两`` → 2; ``十二`` → 12; ``二十`` → 20; ``一百零五`` → 105."""
    s = text.replace(",", "")
    if s.isdigit():
        return int(s)
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def is_department(agency: str | None) -> bool:
    """A department (局, 委, 办 …) rather than a government (人民政府, 管委会, 实验区)."""
    if not agency:
        return False
    return agency.endswith(DEPARTMENT_ENDINGS) and not agency.endswith("管委会")


@dataclass
class LegacyRead:
    """What an old report states: the record's ``legacy`` block and how each key was found."""

    figures: dict[str, int | str | None] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)
    unsure: list[dict[str, Any]] = field(default_factory=list)


#: the most words a phrase's beginnings are listed as (past them, the words found so far)
_HEAD_LIMIT = 8


def _words(op: Any, av: Any) -> set[str] | None:
    """Every text one item of a parsed pattern matches, when that is a few words; else None."""
    name = str(op)
    if name == "LITERAL":
        return {chr(av)}
    if name == "IN":
        if all(str(o) == "LITERAL" for o, _ in av):
            return {chr(a) for _, a in av}
        return None
    if name in ("ASSERT", "ASSERT_NOT", "AT"):  # zero-width: no text (a condition dropped)
        return {""}
    if name == "BRANCH":
        out: set[str] = set()
        for seq in av[1]:
            words = _sequence(seq)
            if words is None:
                return None
            out |= words
        return out
    if name == "SUBPATTERN":
        return _sequence(av[3]) if not av[1] and not av[2] else None  # (no flags changed)
    if name in ("MAX_REPEAT", "MIN_REPEAT") and av[1] <= 1:
        words = _sequence(av[2])
        return None if words is None else ({""} | words if av[0] == 0 else words)
    return None


def _sequence(seq: Any, whole: bool = True) -> set[str] | None:
    """The texts ``seq`` matches (``whole``), or the words every match of it begins with
    (not ``whole``: as far as its items are a few words each)."""
    out = {""}
    for op, av in seq:
        words = _words(op, av)
        grown = None if words is None else {h + w for h in out for w in words}
        if grown is None or len(grown) > _HEAD_LIMIT:
            return None if whole else out
        out = grown
    return out


#: the words a phrase's matches begin with, by the last word they end with: (that word,
#: what may stand before it); ``(("受理", ("全年", "共", "")), ("收到", (…)))``
Heads = tuple[tuple[str, tuple[str, ...]], ...]


def _heads(rx: re.Pattern[str]) -> Heads | None:
    """The words every match of ``rx`` begins with, for a pattern that begins with an
    optional word or a look-behind: ``(?:共|全年)?(?:受理|收到)…`` begins with 受理,
    收到, 共受理 … None when that is not known (a wildcard, a class by category, a
    pattern that may match nothing) or not needed."""
    if rx.flags & re.IGNORECASE:
        return None
    try:
        parsed = _PARSER.parse(rx.pattern, rx.flags)
    except Exception:  # another Python's parser: search the plain way
        return None
    if not parsed or str(parsed[0][0]) == "LITERAL":
        return None  # (re finds a pattern beginning with a word fast itself, not one with a class)
    heads = _sequence(list(parsed), whole=False)
    if not heads or "" in heads:
        return None
    # a word that begins with another is found where that one is: the shorter is enough
    words = [h for h in heads if not any(h != o and h.startswith(o) for o in heads)]
    # 共受理 stands where 受理 does, one character before: only 受理 is searched for
    cores = sorted(w for w in words if not any(w != o and w.endswith(o) for o in words))
    return tuple(
        (core, tuple(sorted((w[: -len(core)] for w in words if w.endswith(core)), key=len)))
        for core in cores
    )


_PARSER: Any = importlib.import_module("re._parser")
#: each phrase with a pattern of the characters its matches begin with
_PHRASES = {k: tuple((rx, _heads(rx)) for rx in v) for k, v in COMPILED.items()}
_ZERO_PHRASES = {k: tuple((rx, _heads(rx)) for rx in v) for k, v in COMPILED_ZERO.items()}


def places(text: str, heads: Heads) -> list[int]:
    """Where in ``text`` one of the words ``heads`` lists begins, in order."""
    out: set[int] = set()
    for core, before in heads:
        for at in occurrences(text, core):
            for word in before:
                if not word:
                    out.add(at)
                elif at >= len(word) and text.startswith(word, at - len(word)):
                    out.add(at - len(word))
    return sorted(out)


def finditer(
    rx: re.Pattern[str],
    heads: Heads | None,
    text: str,
    known: dict[Heads, list[int]] | None = None,
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, found faster: a pattern that begins with an optional word
    (``(?:共|全年)?受理…``) is tried at every character by :mod:`re`; here only where
    one of the words its matches begin with (``heads``) stands, found by
    :meth:`str.find` (:func:`~.search.matches_from`). ``known``: the places of the heads
    already looked for in ``text`` (several patterns begin with the same words)."""
    if heads is None:
        yield from rx.finditer(text)
        return
    found = known.get(heads) if known is not None else None
    if found is None:
        found = places(text, heads)
        if known is not None:
            known[heads] = found
    yield from matches_from(rx, text, found)


#: the full-width punctuation of Chinese prose and its NFKC forms
_PUNCTUATION = (("，", ","), ("（", "("), ("）", ")"), ("：", ":"), ("；", ";"))


def fold(text: str) -> str:
    """``nfkc(text)`` of a text of Chinese prose, faster: its commas, brackets, colons and
    semicolons replaced first by their NFKC forms (a replacement is a fast scan, nfkc
    translates each run of such characters apart; the NFKC of the result is the same,
    as nfkc's own first step argues)."""
    for wide, narrow in _PUNCTUATION:
        if wide in text:
            text = text.replace(wide, narrow)
    return nfkc(text)


def _clause_before(flat: str, start: int) -> str:
    lo = max(0, start - 40)
    head = flat[lo:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    return head[cut:]


def prose_figures(text: str, agency: str | None) -> LegacyRead:
    """The figures the prose of an old report states."""
    flat = "".join(text.split())
    if not unicodedata.is_normalized("NFKC", flat):  # (a quick test: many reports are)
        flat = fold(flat)
    out = LegacyRead()
    own_only = is_department(agency)
    known: dict[Heads, list[int]] = {}  # (the places of the words phrases begin with)
    for key, patterns in _PHRASES.items():
        need = NEEDS.get(key)
        if need is not None and need not in flat:
            continue
        skipped: list[str] = []
        for rx, heads in patterns:
            for m in finditer(rx, heads, flat, known):
                raw = m.group(1)
                value: int | str | None = raw.replace(",", "") if key == "fees" else cn_number(raw)
                if value is None:
                    continue
                clause = _clause_before(flat, m.start())
                if own_only and any(w in clause for w in _SCOPE):
                    skipped.append(m.group(0))
                    continue
                out.figures[key] = value
                out.sources[key] = {"by": "label", "text": m.group(0)}
                break
            if key in out.figures:
                break
        if key not in out.figures:
            for rx, heads in _ZERO_PHRASES.get(key, ()):
                zm = next(finditer(rx, heads, flat, known), None)
                if zm:
                    out.figures[key] = "0" if key == "fees" else 0
                    out.sources[key] = {"by": "statement", "text": zm.group(0)}
                    break
        if key not in out.figures and skipped:
            out.figures[key] = None
            out.warnings.append(
                ParseWarning.make(
                    "scope",
                    (
                        f"“{skipped[0]}”说的是全辖区的数字，不是本机关的，{key} 记为空",
                        f"'{skipped[0]}' is a figure for the whole jurisdiction, "
                        f"not this department's own; {key} left null",
                    ),
                    table="legacy",
                    row=key,
                    candidates=skipped[:4],
                )
            )
    return out


# ------------------------------------------------------------------ the statistics table

_KEY_OF: dict[str, str] = {}
for _key, _labels, _ in TABLE_ROWS:
    for _label in _labels:
        _KEY_OF[norm(_label)] = _key
_RECORD_KEYS = frozenset(k for k, _, rec in TABLE_ROWS if rec)
_LOOKUP = suffix_lookup(frozenset(_KEY_OF), max(map(len, _KEY_OF)), frozenset())
_UNIT = re.compile("(?:" + "|".join(TABLE_UNITS) + ")$")
_HEADER = ("指标名称", "计量单位")


def _int(v: int | str | None) -> int:
    return v if isinstance(v, int) else 0


_Table = tuple[dict[str, list[list[int | None]]], dict[str, str], dict[str, int], int]


def _table_start(text: str) -> int:
    """Where the old statistics table's header begins in ``text`` (-1: nowhere)."""
    return min((i for i in (text.find(h) for h in _HEADER) if i >= 0), default=-1)


def read_table(text: str, start: int | None = None) -> _Table | None:
    """Every row of the old statistics table in ``text``: key → its candidate values
    (year, and cumulative when printed), key → the row as printed, key → how many
    cuts its digits allowed, and the column count (``start``: where its header
    begins, when known)."""
    if start is None:
        start = _table_start(text)
    if start < 0:
        return None
    body = text[start:]
    rows: dict[str, list[list[int | None]]] = {}
    printed: dict[str, str] = {}
    raw: dict[str, int] = {}
    segs = list(segments(body, _LOOKUP, unit=_UNIT))
    if len(segs) < 3:
        return None
    header = body[: segs[0].start]
    width = 2 if "累计" in header else 1
    for seg in segs:
        key = _KEY_OF.get(_strip_num(seg.label)) or _KEY_OF.get(seg.label)
        if key is None or key in rows:
            continue
        parts = seg.run.split()
        toks = [Printed(p, fused=len(p) > 1 and width > len(parts)) for p in parts]
        found = placements(toks, width) or []
        cands: list[list[int | None]] = []
        for pl in found:
            vals = [int(s[1]) if s is not None and s[1].isdigit() else None for s in pl]
            if width == 2 and vals[0] is not None and vals[1] is not None and vals[1] < vals[0]:
                continue  # the cumulative figure is never below the year's
            cands.append(vals)
        rows[key] = cands
        raw[key] = len(cands)
        printed[key] = f"{seg.label} {seg.run}"
    return rows, printed, raw, width


_NUMBERING = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十\d]+[,.:])")


def _strip_num(label: str) -> str:
    return _NUMBERING.sub("", label)


def _narrow(rows: dict[str, list[list[int | None]]], stated: dict[str, int]) -> None:
    """Keep the cuts the table's sums and the prose's figures allow."""
    for key, value in stated.items():
        if key in rows and len(rows[key]) > 1:
            kept = [c for c in rows[key] if c[0] == value]
            if kept:
                rows[key] = kept
    changed = True
    while changed:
        changed = False
        for whole, parts in TABLE_SUMS:
            members = [k for k in (whole, *parts) if k in rows]
            if whole not in rows or len(members) < 2:
                continue
            for key in members:
                if len(rows[key]) <= 1:
                    continue
                others = [k for k in members if k != key]
                if any(len(rows[k]) != 1 for k in others):
                    continue

                fixed = {k: rows[k][0] for k in others}
                kept = [c for c in rows[key] if _sums({**fixed, key: c}, whole, members[1:])]
                if kept and len(kept) < len(rows[key]):
                    rows[key] = kept
                    changed = True


def _sums(vals: dict[str, list[int | None]], whole: str, parts: list[str]) -> bool:
    return all(
        _int(vals[whole][i]) == sum(_int(vals[p][i]) for p in parts)
        for i in range(len(vals[whole]))
    )


def legacy_figures(text: str, agency: str | None = None) -> LegacyRead:
    """The ``legacy`` block of an old report: its statistics table, checked against its prose."""
    start = _table_start(text)
    prose = prose_figures(text if start < 0 else text[:start], agency)
    table = read_table(text, start) if start >= 0 else None
    if table is None:
        return prose
    rows, printed, raw, _ = table
    stated = {k: v for k, v in prose.figures.items() if isinstance(v, int)}
    _narrow(rows, stated)
    out = LegacyRead(warnings=list(prose.warnings))
    agreed = {key: consensus(list(cands)) for key, cands in rows.items()}  # type: ignore[arg-type]
    for key, cands in rows.items():
        values, unsure = agreed[key]
        entry: dict[str, Any] = {"key": key, "printed": printed[key], "values": values}
        if not cands or unsure:
            entry["candidates"] = [list(c) for c in cands[:6]]
        out.table.append(entry)
    for key in STANDARD_KEYS:
        out.figures[key] = None
    for key, cands in rows.items():
        if key not in _RECORD_KEYS:
            continue
        values, unsure = agreed[key]
        year = values[0] if values and 0 not in unsure else None
        said = prose.figures.get(key)
        if year is None:
            out.unsure.append({"table": "legacy", "row": key})
            out.warnings.append(
                ParseWarning.make(
                    "fused-cells",
                    (
                        f"统计表“{printed[key]}”无法唯一拆分（候选：{describe(cands)}），{key} 记为空",  # type: ignore[arg-type]
                        f"statistics table '{printed[key]}' splits more than one way "
                        f"(candidates: {describe(cands)}); {key} left null",  # type: ignore[arg-type]
                    ),
                    table="legacy",
                    row=key,
                    candidates=[list(c) for c in cands[:6]],
                )
            )
            continue
        if isinstance(said, int) and said != year:
            out.unsure.append({"table": "legacy", "row": key})
            out.warnings.append(
                ParseWarning.make(
                    "legacy-conflict",
                    (
                        f"{key}：正文说 {said}，统计表为 {year}，记为空",
                        f"{key}: the prose says {said}, the statistics table {year}; left null",
                    ),
                    table="legacy",
                    row=key,
                    candidates=[said, year],
                )
            )
            continue
        out.figures[key] = year
        how = "arithmetic" if raw[key] > 1 else "label"
        out.sources[key] = {"by": how, "text": printed[key]}
    for key, value in prose.figures.items():
        if key not in rows:  # what the table does not print, the prose may state
            out.figures[key] = value
            out.sources[key] = prose.sources.get(key, {})
    return out
