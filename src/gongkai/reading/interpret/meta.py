"""Who, which year, when: the agency, the statistics year and the published date.

* **title** — the first line naming 信息公开 and 报告 (or the page/PDF title);
  the agency is what precedes the year in it, or the line above it.
* **signature** — an agency line and a date line at the end of the report.
* **statistics period** — ``2020年1月1日至2020年12月31日``.
* **page** — a web page's 发布机构 and 公开日期 (not a crawler's 采集时间).

A title that names only ``民政局`` or ``省民政厅`` is completed from the
signature or the text (``集安市民政局``, ``辽宁省民政厅``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from gongkai.agencies import AGENCY_ENDINGS, NATIONAL_PREFIXES, PLACE_ENDINGS, REGION
from gongkai.evidence import ParseWarning
from gongkai.national.labels import nfkc
from gongkai.reading.document import Loc
from gongkai.reading.interpret.search import matches_from, occurrences
from gongkai.written import parse_date

T = TypeVar("T")


_YEAR = r"((?:19|20)\d{2})"
_TITLE = re.compile(r"信息公开.{0,12}(?:年度报告|工作报告|年报|报告)")
#: how every statistics period ends (re finds it from its literal 12, faster than _PERIOD)
_PERIOD_END = re.compile(r"12\s*月\s*31\s*日")
_TITLE_YEAR = re.compile(_YEAR + r"\s*年\s*度?")
_PERIOD = re.compile(
    _YEAR
    + r"\s*年\s*0?1\s*月\s*0?1\s*日.{0,8}?(?:至|到|—|-|－|~|～)\s*"
    + _YEAR
    + r"\s*年\s*12\s*月\s*31\s*日"
)
_SIG_DATE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九Ｏ]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$"
)
_PAGE_DATE = re.compile(
    r"(?:公开日期|发布日期|发布时间|成文日期|印发日期|生成日期"
    # 「来源：平潭县财政局 时间：2010-05-12 00:00」, not 统计时间/办理时间/采集时间 …
    # (every branch begins with a character, so the search skips ahead fast; the words
    # that may not stand before 时间 are looked behind once 时 is found)
    r"|时(?<!统计时)(?<!办理时)(?<!受理时)(?<!采集时)(?<!抓取时)(?<!访问时)(?<!下载时)(?<!打印时)"
    r"(?<!更新时)(?<!截止时)(?<!起止时)(?<!答复时)(?<!会议时)间(?=\s*[:：]))"
    r"\s*[:：]?\s*((?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2})(?!\s*日?\s*(?:至|到|—|-|－|~|～)\s*\d)"
)
#: A signature inside a flattened line: 「… 平潭县财政局 二○一○年四月十日 附表：…」.
_INLINE_SIGNATURE = re.compile(
    r"(?:^|\s)([^\s，,。；;：:、（）()《》]{2,40}?)\s*"
    r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零一二三四五六七八九Ｏ]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
    r"(?!\s*(?:至|到|—|－|~|～|起|以来|前|后))"
)
#: An agency and a date on one line, white space removed: 「平潭县财政局2010年4月10日」.
_SIG_PAIR = re.compile(r"^(\S{3,30}?)((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)$")
_PAGE_AGENCY_WORDS = ("发布机构", "发文机关", "发布单位", "来源单位")
_PAGE_AGENCY = re.compile("(?:" + "|".join(_PAGE_AGENCY_WORDS) + r")\s*[:：]\s*(\S{3,40})")
_PAGE_AGENCY_WORD = re.compile("|".join(_PAGE_AGENCY_WORDS))
_AGENCY_WORDS = (
    "人民政府办公室",
    "人民政府",
    "管理委员会",
    "委员会",
    "办公室",
    "局",
    "厅",
    "委",
    "办事处",
    "中心",
)
_PLACE_WORDS = (
    "省",
    "自治区",
    "市",
    "自治州",
    "州",
    "地区",
    "盟",
    "县",
    "自治县",
    "区",
    "旗",
    "镇",
    "乡",
    "街道",
)
_CANDIDATE = re.compile(
    # (the look-ahead asks for a place word's first character where the first may begin:
    # it changes no match, and spares re the words at every other character)
    r"(?=[\u4e00-\u9fa5]{2,9}?[" + "".join(sorted({w[0] for w in _PLACE_WORDS})) + "])"
    r"((?:[\u4e00-\u9fa5]{2,9}?(?:" + "|".join(_PLACE_WORDS) + ")){1,4}"
    r"[\u4e00-\u9fa5]{0,18}?(?:" + "|".join(_AGENCY_WORDS) + "))"
)
# _CANDIDATE holds Chinese characters only: its matches lie in runs of Chinese characters,
# past two characters a place word, after it one of _AGENCY_WORDS
_NOT_CHINESE = re.compile(r"[^\u4e00-\u9fa5]+")
_AGENCY_LAST = re.compile("[" + "".join(sorted({w[-1] for w in _AGENCY_WORDS})) + "]")
_PLACE_WORD = re.compile("|".join(_PLACE_WORDS))
_AGENCY_WORD = re.compile("|".join(_AGENCY_WORDS))


def _may_name(run: str) -> bool:
    """Whether ``run`` may hold a match of _CANDIDATE: a place word two characters in or
    later, and an agency word after the first such place word begins."""
    place = _PLACE_WORD.search(run, 2)
    return place is not None and _AGENCY_WORD.search(run, place.start() + 1) is not None


# (compiled once: re looks a pattern given as text up in its cache at every call)
_NOT_IN_AGENCY = re.compile(r"[，,。；;：:、\d（）()《》]")
_TITLE_LABEL = re.compile(r"^(?:标题|题名|名称)\s*[:：]\s*")
_BEFORE_YEAR = re.compile(r"^(.*?)(?:关于)?(?:19|20)\d{2}年")
_AFTER_YEAR = re.compile(r"^(?:19|20)\d{2}年度?(.*?)(?:政府)?信息公开")


def looks_like_agency(s: str) -> bool:
    s = s.strip()
    return (
        2 <= len(s) <= 40
        and s.endswith(AGENCY_ENDINGS + PLACE_ENDINGS)
        and not _NOT_IN_AGENCY.search(s)
    )


def is_full_name(s: str) -> bool:
    """Names its place: ``集安市民政局`` yes, ``民政局``/``省民政厅`` no."""
    if s.startswith(NATIONAL_PREFIXES) or s.endswith("部"):
        return True
    m = REGION.search(s)
    return bool(m and m.end() >= 3 and m.end() < len(s))


class Decided(NamedTuple, Generic[T]):
    """A decided value and the source it was taken from (both None: nothing supported one)."""

    value: T | None = None
    source: str | None = None


@dataclass
class Meta:
    title: str | None = None
    title_loc: Loc | None = None
    agency: str | None = None
    agency_source: str | None = None
    year: int | None = None
    year_source: str | None = None
    published: dt.date | None = None
    published_source: str | None = None
    agency_sources: dict[str, Any] = field(default_factory=dict)
    year_sources: dict[str, int | None] = field(default_factory=dict)
    published_sources: dict[str, str | None] = field(default_factory=dict)
    signature: dict[str, Any] | None = None
    warnings: list[ParseWarning] = field(default_factory=list)


@dataclass(frozen=True)
class Title:
    """The report's title, where it was printed, and the agency and year it names."""

    text: str
    loc: Loc | None
    agency: str | None
    year: int | None


_LEAD = re.compile(
    r"^(?:根据|依据|按照|依照|现将|关于|经|由|在|对|将|向|请与|请向|可与|与|和|及|是|为|据|于|了|的|我|本)+"
)


def _trim_lead(name: str) -> str:
    """``根据抚顺市人力资源和社会保障局`` → ``抚顺市人力资源和社会保障局``."""
    trimmed = _LEAD.sub("", name)
    return trimmed if REGION.match(trimmed) else name


#: (ten searches for a character are several times faster than re's search for a class)
_FULL_WIDTH_DIGITS = "０１２３４５６７８９"
#: a year named in the text: not after a digit or the bracket of a document number
#: (〔2019〕), not the 条例's ``2019年修订``
_YEAR_IN_TEXT = re.compile(r"(20(?<![0-9〔\[（(]20)\d\d)\s*年(?!\d|修订|修正)")


def year_counts(text: str) -> Counter[int]:
    """How often each year is named in ``text`` (not 〔2019〕 document numbers, not
    the 条例's ``2019年修订``)."""
    return Counter(map(int, _YEAR_IN_TEXT.findall(text)))


def _dominant(counts: Counter[int]) -> int | None:
    """The year the text speaks of: named at least 3 times and twice as often as any other."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 3:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _likely_year(counts: Counter[int]) -> int | None:
    """The year named most often (ties: the earlier; a report names next year's plans)."""
    top = counts.most_common(2)
    if not top:
        return None
    if len(top) == 2 and top[0][1] == top[1][1]:
        return min(top[0][0], top[1][0])
    return top[0][0]


def _clean_title(s: str) -> str:
    s = nfkc(s).strip()
    s = _TITLE_LABEL.sub("", s)
    return s


def _agency_from_title(title: str) -> str | None:
    s = "".join(title.split())
    m = _BEFORE_YEAR.match(s)
    if m and m.group(1):
        cand = m.group(1).strip("《》<>“”\"'-—_ ")
        return cand or None
    m = _AFTER_YEAR.match(s)
    if m and m.group(1) and looks_like_agency(m.group(1)):
        return m.group(1)
    return None


#: a line of the report: its text and where it was printed (and what a caller adds, such as
#: flatten's from_grid, unread here)
Line = tuple[str, Loc] | tuple[str, Loc, bool]


def find_title(lines: Sequence[Line], page_meta: dict[str, Any]) -> Title | None:
    """A line naming 信息公开 … 报告 (one that also names a year wins over a breadcrumb
    such as 「首页 > 政府信息公开 > 年度报告」), else the page's or file's own title."""
    chosen: tuple[int, str, Loc] | None = None
    for i, line in enumerate(lines[:80]):
        text, loc = line[0], line[1]
        if "信息公开" not in text.replace(" ", "").replace("\u3000", ""):
            continue
        t = _clean_title(text)
        if not _TITLE.search(t) and i + 1 < len(lines) and len(t) <= 40:
            # a title broken over two lines: 「…信息公开」「工作年度报告」
            joined = t + _clean_title(lines[i + 1][0])
            if _TITLE.search(joined) and len(joined) <= 80:
                t = joined
        if (
            len(t) <= 80
            and _TITLE.search(t)
            and not t.startswith(("根据", "依据", "按照", "本报告", "现将"))
        ):
            has_year = _TITLE_YEAR.search("".join(t.split())) is not None
            if chosen is None or has_year:
                chosen = (i, t, loc)
            if has_year:
                break
    if chosen is not None:
        i, t, loc = chosen
        ag = _agency_from_title(t)
        if ag is None and i > 0:
            # a title broken after the agency's name: 「平潭综合实验区」「2023年…年度报告」
            prev = "".join(_clean_title(lines[i - 1][0]).split())
            if looks_like_agency(prev):
                ag = prev
                if _TITLE_YEAR.match("".join(t.split())):
                    t = prev + t
        return Title(t, loc, ag, _title_year(t))
    if page_meta.get("title"):
        t = _clean_title(str(page_meta["title"]))
        if _TITLE.search(t):
            return Title(t, None, _agency_from_title(t), _title_year(t))
    return None


def _title_year(title: str) -> int | None:
    ym = _TITLE_YEAR.search("".join(title.split()))
    return int(ym.group(1)) if ym else None


def find_period(flat: str) -> int | None:
    """The year of the statistics period ``2020年1月1日至2020年12月31日`` (may run over a line)."""
    text = flat.replace("\n", "")
    if _PERIOD_END.search(text) is None:  # (re finds the literal 12 fast, not the years)
        return None
    pm = _PERIOD.search(text)
    return int(pm.group(1)) if pm else None


def find_signature(lines: Sequence[Line]) -> dict[str, Any] | None:
    """An agency line and a date line near the end (or both on one line)."""
    tail = [(s, line[1]) for line in lines[-25:] if (s := line[0].strip())]
    for j in range(len(tail) - 1, -1, -1):
        text, loc = tail[j]
        if "日" not in text:  # (both patterns read a date ending with 日)
            continue
        compact = "".join(text.split())
        if _SIG_DATE.match(compact):
            date = parse_date(compact)
            agency = None
            if j > 0 and looks_like_agency("".join(tail[j - 1][0].split())):
                agency = "".join(tail[j - 1][0].split())
            return {
                "agency": agency,
                "date": date.isoformat() if date else None,
                "where": loc.as_dict(),
            }
        # (3 to 30 characters and a date of 9 to 11: a line of another length is no such pair)
        m = _SIG_PAIR.match(compact) if 12 <= len(compact) <= 41 else None
        if m and looks_like_agency(m.group(1)):
            date = parse_date(m.group(2))
            return {
                "agency": m.group(1),
                "date": date.isoformat() if date else None,
                "where": loc.as_dict(),
            }
    return _inline_signature(tail)


def _inline_signature(tail: list[tuple[str, Loc]]) -> dict[str, Any] | None:
    """The last 「agency date」 pair inside the closing lines (a page flattened to one line)."""
    for text, loc in reversed(tail):
        window = text[-1500:]
        if "日" not in window:  # (every date the pattern reads ends with 日)
            continue
        found = [m for m in _inline_signatures(window) if looks_like_agency(m.group(1))]
        if found:
            m = found[-1]
            date = parse_date("".join(m.group(2).split()))
            return {
                "agency": m.group(1),
                "date": date.isoformat() if date else None,
                "where": loc.as_dict(),
            }
    return None


def _page_date_starts(flat: str) -> list[int]:
    """Where a match of _PAGE_DATE may begin: its words are 公开日期 … (日期 two characters
    in), 发布时间 (时间 two in) and 时间 itself."""
    starts = {at - 2 for at in occurrences(flat, "日期")}
    for at in occurrences(flat, "时间"):
        starts.update((at - 2, at))
    return sorted(at for at in starts if at >= 0)


def _inline_signatures(window: str) -> Iterator[re.Match[str]]:
    """``_INLINE_SIGNATURE.finditer(window)``: a match begins at the start (^) or at the
    last white space before a word (the name after it is no white space), so it is tried
    only there where the words are few (re scans every character, some 15 ns each; a
    word found and tried costs as much as some 30 characters scanned)."""
    words = window.split()
    if len(words) * 32 > len(window):
        return _INLINE_SIGNATURE.finditer(window)
    starts = [0]
    at = 0
    for word in words:
        # (the word begins at the first character after the white space: no earlier
        # occurrence can begin in white space)
        begin = window.find(word, at)
        if begin > 0:
            starts.append(begin - 1)
        at = begin + len(word)
    return matches_from(_INLINE_SIGNATURE, window, starts)


def find_page(page_meta: dict[str, Any], full: str, flat: str) -> tuple[str | None, dt.date | None]:
    """A web page's 发布机构 and 公开日期 (from the page's metadata, else its text)."""
    page_agency = page_meta.get("page_agency")
    page_date = page_meta.get("page_date")
    # (the words _PAGE_AGENCY begins with, found in one pass: the pattern itself, and four
    # str.find of Chinese words, are each twice as slow; no match begins before the first)
    if page_agency is None and (word := _PAGE_AGENCY_WORD.search(full)) is not None:
        m = _PAGE_AGENCY.search(full, word.start())
        page_agency = m.group(1) if m and looks_like_agency(m.group(1)) else None
    # (two words looked for by str.find first: faster than the pattern's search)
    if page_date is None and ("日期" in flat or "时间" in flat):
        m = next(matches_from(_PAGE_DATE, flat, _page_date_starts(flat)), None)
        page_date = m.group(1) if m else None
    return page_agency, parse_date(page_date) if page_date else None


def agency_names_in_text(flat: str, title_agency: str | None) -> Counter[str]:
    """Agency names in the preamble and the close (only when the title names none in full)."""
    if title_agency and is_full_name(title_agency):
        return Counter()
    # the preamble and the close name the agency; the middle is work done
    scope = flat if len(flat) <= 2400 else flat[:1600] + "\n" + flat[-800:]
    # (re tries _CANDIDATE at every character: only the runs that may hold a match are
    # searched, in order, so the names come in the order a search of the whole finds them)
    runs = filter(_may_name, filter(_AGENCY_LAST.search, _NOT_CHINESE.split(scope)))
    return Counter(_trim_lead(m.group(1)) for run in runs for m in _CANDIDATE.finditer(run))


def find_meta(lines: Sequence[Line], page_meta: dict[str, Any], full: str | None = None) -> Meta:
    """Title, agency, year and published date, each decided from its sources
    (``full``: the lines joined by line breaks, when the caller has it already)."""
    meta = Meta()
    title = find_title(lines, page_meta)
    if title is not None:
        meta.title, meta.title_loc = title.text, title.loc
    meta.year_sources["title"] = title.year if title else None
    meta.agency_sources["title"] = title.agency if title else None

    if full is None:
        full = "\n".join([line[0] for line in lines])
    # the preamble and the close hold the period, the page's dates and the agency's
    # name; folding only them keeps this step cheap on long reports
    ends = full if len(full) <= 4000 else full[:3000] + "\n" + full[-1000:]
    if any(map(ends.__contains__, _FULL_WIDTH_DIGITS)):  # NFKC is costly: only when digits need it
        ends = nfkc(ends)
    flat = ends.replace(" ", "").replace("\t", "").replace("\u3000", "")
    meta.year_sources["period"] = find_period(flat)
    counts_by_year = year_counts(full)
    meta.year_sources["text"] = _dominant(counts_by_year)

    meta.signature = find_signature(lines)
    meta.agency_sources["signature"] = meta.signature["agency"] if meta.signature else None
    page_agency, page_date = find_page(page_meta, full, flat)
    meta.agency_sources["page"] = page_agency
    counts = agency_names_in_text(flat, meta.agency_sources["title"])
    meta.agency_sources["text"] = [n for n, _ in counts.most_common(5)]
    page_title = page_meta.get("title")
    if isinstance(page_title, str) and page_title.strip():
        cand = _agency_from_title(_clean_title(page_title))
        meta.agency_sources["page_title"] = cand if cand and looks_like_agency(cand) else None

    agency = decide_agency(meta.agency_sources, counts)
    meta.agency, meta.agency_source = agency.value, agency.source
    sig_date = meta.signature.get("date") if meta.signature else None
    year = decide_year(meta.year_sources, counts_by_year, sig_date)
    meta.year, meta.year_source = year.value, year.source
    if year.source in _GUESSES:
        meta.warnings.append(_year_guessed(year, counts_by_year, sig_date))
    meta.published_sources = {
        "signature": sig_date,
        "page": page_date.isoformat() if page_date else None,
    }
    published = decide_published(sig_date, page_date)
    meta.published, meta.published_source = published.value, published.source
    return meta


def decide_year(
    sources: dict[str, int | None], counts: Counter[int], signature_date: str | None
) -> Decided[int]:
    """The title's year, else the statistics period's, else the year the text speaks of;
    failing those the year named most often, or the year before the signature's."""
    for key in ("title", "period", "text"):
        if sources.get(key):
            return Decided(sources[key], key)
    likely = _likely_year(counts)
    if likely:
        return Decided(likely, "most-named")
    if isinstance(signature_date, str):
        return Decided(int(signature_date[:4]) - 1, "signature-year-before")
    return Decided()


#: year sources that are guesses: the value is kept, with a ``year-guessed`` warning
_GUESSES = ("most-named", "signature-year-before")


def _year_guessed(
    year: Decided[int], counts: Counter[int], signature_date: str | None
) -> ParseWarning:
    named = [y for y, _ in counts.most_common(4)]
    if year.source == "most-named":
        listed = "、".join(f"{y}（{n} 次）" for y, n in counts.most_common(4))
        listed_en = ", ".join(f"{y} ({n}×)" for y, n in counts.most_common(4))
        message = (
            f"标题和统计期限都没有写明年度，{year.value} 年是正文中出现最多的年份（{listed}），属推测",
            f"neither the title nor the statistics period names the year; {year.value} is the "
            f"year the text names most often ({listed_en}), a guess",
        )
    else:
        message = (
            f"标题、统计期限和正文都没有写明年度，{year.value} 年是落款日期（{signature_date}）的前一年，属推测",
            f"neither the title, the statistics period nor the text names the year; {year.value} "
            f"is the year before the signature's date ({signature_date}), a guess",
        )
    return ParseWarning.make("year-guessed", message, candidates=named, source=year.source)


def decide_published(signature_date: str | None, page_date: dt.date | None) -> Decided[dt.date]:
    """The date the report is signed, else the date the page says it was published."""
    if signature_date:
        return Decided(dt.date.fromisoformat(signature_date), "signature")
    if page_date is not None:
        return Decided(page_date, "page")
    return Decided()


def decide_agency(src: dict[str, Any], counts: Counter[str]) -> Decided[str]:
    """The title's agency when it names its place; a short title's name completed from the
    signature, the page or the text; else the signature's, the page's, the page title's,
    or the name the text gives most often."""
    title = src.get("title")
    sig = src.get("signature")
    page = src.get("page")
    if title and is_full_name(title):
        return Decided(str(title), "title")
    if title:
        for key, cand in (("signature", sig), ("page", page)):
            if isinstance(cand, str) and cand.endswith(title) and is_full_name(cand):
                return Decided(cand, key)
        longer = [(c, n) for c, n in counts.items() if c.endswith(title) and c != title]
        if longer:
            return Decided(max(longer, key=lambda cn: (cn[1], -len(cn[0])))[0], "text")
        return Decided(str(title), "title")
    for key, cand in (("signature", sig), ("page", page), ("page_title", src.get("page_title"))):
        if isinstance(cand, str) and cand:
            return Decided(cand, key)
    if counts:
        return Decided(counts.most_common(1)[0][0], "text")
    return Decided()
