"""What every report writes the same way: dates and e-mail addresses.

One parser of dates (``2021年1月11日``, ``2024-01-17``, ``二〇二一年一月十一日``)
and one pattern of e-mail addresses, for the reader, the checker and the
writer's workbook.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

#: An e-mail address.
EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")
#: what a whole cell a person typed may add: a time after the date (2024-03-05 10:30)
_TIME = re.compile(r"T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
#: a whole cell of eight digits (20240305)
_COMPACT = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})")
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九Ｏ]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)


def _cn_number(s: str) -> int:
    if all(ch in _CN_DIGITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    if "十" in s:
        tens, _, ones = s.partition("十")
        total = (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CN_DIGITS.get(ones, 0) if ones else 0
        )
        return total
    return _CN_DIGITS.get(s, 0)


def parse_date(text: str, *, whole: bool = False) -> dt.date | None:
    """``2021年1月11日``, ``2024-01-17``, ``2024/3/5``, ``二〇二一年一月十一日`` → date; None if
    there is none. With ``whole``, ``text`` is one cell a person typed: the date alone (or
    ``20240305``), perhaps with a time after it; anything else gives None."""
    s = unicodedata.normalize("NFKC", text)
    if whole:
        s = s.strip()
        m = _DATE.match(s) or _COMPACT.match(s)
        rest = s[m.end() :].strip() if m else ""
        if m and rest and not _TIME.fullmatch(rest):
            m = None
    else:
        m = _DATE.search(s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _CN_DATE.fullmatch(text.strip()) if whole else _CN_DATE.search(text)
        if m:
            return dt.date(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
    except ValueError:
        return None
    return None
