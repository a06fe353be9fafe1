"""Tampering: content injected into an official page.

Signals, each one finding:

* a gambling or spam phrase in the report text, title, agency or hidden text
  (:data:`SPAM_PHRASES`), unless it sits in an ordinary context
  (:data:`ALLOWED_CONTEXTS`: 福彩, 彩票公益金, 棋牌室 … are 民政 and 体育
  business) or is the object of a crackdown (打击赌博 …);
* an e-mail address on a domain that is neither a government's nor a common
  mail provider's (:data:`MAIL_PROVIDERS`) — ``hazwgkc@163.com`` is a real
  government's, ``mhwz@yaoyejob.com`` in a footer is not;
* in the report content of a web page (``x_html`` items with ``in_content``):
  a script that loads from or redirects to a non-government domain or writes
  obfuscated content, an iframe from such a domain, a meta refresh away, a
  link carrying spam, hidden text carrying spam or a whole hidden paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from gongkai.checks.facts import html, sections, strings, text
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.evidence import Signal
from gongkai.record import Report
from gongkai.written import EMAIL

#: phrases that do not belong in a government report
SPAM_PHRASES: tuple[str, ...] = (
    "即时比分",
    "比分直播",
    "博彩",
    "六合彩",
    "时时彩",
    "百家乐",
    "老虎机",
    "真人娱乐",
    "娱乐城",
    "赌场",
    "网赌",
    "赌球",
    "足球投注",
    "体育投注",
    "投注网",
    "首存",
    "注册送",
    "北京赛车",
    "幸运飞艇",
    "棋牌",
    "新葡京",
    "威尼斯人",
    "太阳城",
    "皇冠体育",
    "亚博体育",
    "开云体育",
    "华体会",
    "电子游艺",
)

#: ordinary phrases that contain a spam phrase or sit next to lottery words
ALLOWED_CONTEXTS: tuple[str, ...] = (
    "福彩",
    "福利彩票",
    "体彩",
    "体育彩票",
    "彩票公益金",
    "棋牌室",
    "棋牌活动",
    "棋牌运动",
    "棋牌协会",
    "棋牌项目",
    "棋牌类",
    "棋牌比赛",
    "棋牌赛",
    "棋牌中心",
    "棋牌院",
)

#: words before a phrase that make it the object of a crackdown, not an advert
_CRACKDOWN = re.compile(
    r"(?:打击|整治|严禁|禁止|查处|取缔|治理|防范|严厉|专项|涉赌|非法|跨境)[^。；，,]{0,8}$"
)

#: mail domains governments use besides their own
MAIL_PROVIDERS: tuple[str, ...] = (
    "163.com",
    "126.com",
    "qq.com",
    "vip.qq.com",
    "foxmail.com",
    "sina.com",
    "sina.cn",
    "sina.com.cn",
    "sohu.com",
    "139.com",
    "189.cn",
    "wo.cn",
    "aliyun.com",
    "yeah.net",
    "21cn.com",
    "tom.com",
    "hotmail.com",
    "outlook.com",
    "live.cn",
    "gmail.com",
)
#: domain endings of government and public bodies
OFFICIAL_SUFFIXES: tuple[str, ...] = (".gov.cn", ".gov", ".edu.cn", ".ac.cn", ".mil.cn")
#: hosts whose scripts and frames sit in ordinary pages (statistics, video, maps)
PLATFORM_HOSTS: tuple[str, ...] = (
    "baidu.com",
    "cnzz.com",
    "qq.com",
    "51.la",
    "youku.com",
    "bilibili.com",
    "amap.com",
)

_URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>()（）,，。；]+", re.I)
_GAMBLING_HOST = re.compile(
    r"bet365|1xbet|casino|bocai|qipai|xpj|sbobet|bwin|yabo|kaiyun|amjs|hg\d{3,}|pj\d{3,}", re.I
)
_OBFUSCATED = re.compile(r"eval\s*\(|unescape\s*\(|fromCharCode|atob\s*\(|\\x[0-9a-f]{2}", re.I)
_WRITES = re.compile(
    r"document\.write|innerHTML|insertAdjacentHTML|location\s*(?:\.href)?\s*=|location\.replace|window\.open",
    re.I,
)


def official(host: str) -> bool:
    h = host.lower().strip(".")
    return not h or h == "gov.cn" or h.endswith(OFFICIAL_SUFFIXES)


def _ends(host: str, domains: tuple[str, ...]) -> bool:
    h = host.lower()
    return any(h == d or h.endswith("." + d) for d in domains)


def host_of(url: str) -> str:
    u = url.strip()
    if u.lower().startswith("www."):
        u = "http://" + u
    try:
        return urlsplit(u).hostname or ""
    except ValueError:
        return ""


def spam_hits(body: str) -> dict[str, list[int]]:
    """phrase → character offsets where it stands outside an allowed context."""
    out: dict[str, list[int]] = {}
    for phrase in SPAM_PHRASES:
        for m in re.finditer(re.escape(phrase), body):
            lo, hi = m.start(), m.end()
            window = body[max(0, lo - 6) : hi + 6]
            if any(a in window and _overlaps(body, a, lo, hi) for a in ALLOWED_CONTEXTS):
                continue
            if _CRACKDOWN.search(body[max(0, lo - 12) : lo]):
                continue
            out.setdefault(phrase, []).append(lo)
    return out


def _overlaps(body: str, allowed: str, lo: int, hi: int) -> bool:
    for m in re.finditer(re.escape(allowed), body[max(0, lo - len(allowed)) : hi + len(allowed)]):
        a_lo = m.start() + max(0, lo - len(allowed))
        if a_lo < hi and a_lo + len(allowed) > lo:
            return True
    return False


def _texts(report: Report) -> list[tuple[str, str]]:
    """(where, text) of every place a phrase may have been injected."""
    places: list[tuple[str, str]] = []
    body = text(report)
    if body is not None:
        places.append(("text", body))
    ev = report.evidence
    places += [("title", s) for s in strings(ev.title)]
    if report.agency:
        places.append(("agency", report.agency))
    for key, value in ev.agency_sources.model_dump().items():
        places += [(f"agency:{key}", s) for s in strings(value)]
    places += [("signature", s) for s in strings(ev.signature.agency if ev.signature else None)]
    if body is None:
        for s in sections(report) or []:
            places += [("section", t) for t in strings(s.text)]
    return places


def _line(body: str, offset: int) -> int:
    return body.count("\n", 0, offset) + 1


def _source(report: Report, body: str, offset: int) -> dict[str, int | None]:
    """Where ``offset`` of the report text is in the file: its line (and page).

    The text has blank lines and page furniture left out, so its own line
    count is not the file's; ``x_text_lines`` maps one to the other.
    """
    n = _line(body, offset) - 1
    lines, pages = report.evidence.text_lines, report.evidence.text_pages
    if lines is None:  # a record without the map: the text's own line
        return {"line": n + 1, "page": None}
    line = lines[n] if n < len(lines) else None
    page = pages[n] if pages is not None and n < len(pages) else None
    return {"line": line, "page": page}


def _emails(report: Report) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = [(e, None) for e in strings(report.evidence.emails)]
    for item in html(report).emails:
        found.append((item.email or item.text or "", item.line))
    body = text(report)
    if body is not None:
        found += [
            (m.group(0), _source(report, body, m.start())["line"]) for m in EMAIL.finditer(body)
        ]
    out: dict[str, int | None] = {}
    for addr, line in found:
        m = EMAIL.search(addr)
        if m is not None:
            key = m.group(0).lower()
            out[key] = out.get(key) or line
    return list(out.items())


_SPAM_MSG = (
    "{place}出现与政府报告无关的博彩或垃圾信息「{phrase}」（{n} 处），页面可能被篡改，请核查原始文件。",
    'The {place_en} carries the gambling or spam phrase "{phrase}" ({n}×): the page may have '
    "been tampered with; check the original.",
)
_PLACES = {
    "text": ("正文", "text"),
    "title": ("标题", "title"),
    "agency": ("机关名称", "agency name"),
}


@rule(
    "tampered-content",
    "error",
    "tampering",
    title=("页面内容被篡改", "tampered content"),
    doc=(
        "页面中有注入的内容：博彩或垃圾信息词语、非政府域名的联系邮箱或链接、报告正文中的脚本、"
        "跳转或隐藏文字。福彩、彩票公益金等民政、体育业务用语不算。",
        "Injected content: gambling or spam phrases, contact e-mails or links on non-government "
        "domains, scripts, redirects or hidden text inside the report. Ordinary 民政 and sports "
        "words such as 福彩 and 彩票公益金 do not count.",
    ),
)
def tampered_content(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    seen: set[str] = set()
    for place, body in _texts(report):
        for phrase, offsets in spam_hits(body).items():
            if phrase in seen:
                continue
            seen.add(phrase)
            name = _PLACES.get(place.split(":")[0], ("页面", "page"))
            yield hit(
                _SPAM_MSG,
                where=_source(report, body, offsets[0]) if place == "text" else None,
                actual=phrase,
                place=name[0],
                place_en=name[1],
                phrase=phrase,
                n=len(offsets),
            )
    for addr, line in _emails(report):
        domain = addr.rsplit("@", 1)[-1]
        if official(domain) or _ends(domain, MAIL_PROVIDERS):
            continue
        yield hit(
            (
                "联系邮箱 {addr} 不在政府域名或常用邮箱上，页面可能被篡改，请核对联系方式。",
                "The contact e-mail {addr} is on neither a government domain nor a common mail "
                "provider: the page may have been tampered with; check the contact details.",
            ),
            where={"line": line},
            actual=addr,
            addr=addr,
        )
    yield from _html_signals(report)


def _html_signals(report: Report) -> Iterator[Hit]:
    signals = html(report)
    msg = (
        "报告正文中有{what}（{detail}），页面可能被篡改，请核查原始页面。",
        "The report content holds {what_en} ({detail}): the page may have been tampered with; check the original.",
    )

    def found(what: tuple[str, str], detail: str, item: Signal) -> Hit:
        return hit(
            msg,
            where={"line": item.line},
            actual=detail[:120],
            what=what[0],
            what_en=what[1],
            detail=detail[:120],
        )

    for item in signals.scripts:
        if not item.in_content:
            continue
        src = item.src or item.url or ""
        code = item.text or item.content or item.inline or ""
        host = host_of(src) if src else ""
        urls = [host_of(u) for u in _URL.findall(code)]
        foreign = [h for h in urls if h and not official(h)]
        if (
            (host and not official(host) and not _ends(host, PLATFORM_HOSTS))
            or _OBFUSCATED.search(code)
            or (_WRITES.search(code) and (foreign or spam_hits(code)))
        ):
            yield found(
                ("脚本", "a script"), src or (foreign[0] if foreign else code.strip()), item
            )
    for item in signals.iframes:
        src = item.src or item.url or ""
        host = host_of(src)
        if item.in_content and host and not official(host) and not _ends(host, PLATFORM_HOSTS):
            yield found(("内嵌框架", "an iframe"), src, item)
    for item in signals.meta_refresh:
        target = item.url or item.content or ""
        urls = _URL.findall(target)
        host = host_of(urls[0]) if urls else ""
        if host and not official(host):
            yield found(("自动跳转", "a redirect"), target, item)
    for item in signals.links:
        href = item.href or item.url or ""
        label = item.text or ""
        host = host_of(href)
        if not item.in_content or not host or official(host):
            continue
        if spam_hits(label) or _GAMBLING_HOST.search(host):
            yield found(("可疑链接", "a suspicious link"), f"{label} {href}".strip(), item)
    for item in signals.hidden_text:
        hidden = item.text or item.content or ""
        compact = re.sub(r"\s+", "", hidden)
        cjk = len(re.findall(r"[\u4e00-\u9fff]", compact))
        if spam_hits(hidden) or (item.in_content and cjk >= 30):
            yield found(("隐藏文字", "hidden text"), compact, item)
    body = text(report)
    if body is not None:
        for m in _URL.finditer(body):
            host = host_of(m.group(0))
            if host and not official(host) and _GAMBLING_HOST.search(host):
                yield hit(
                    msg,
                    where=_source(report, body, m.start()),
                    actual=m.group(0),
                    what="可疑链接",
                    what_en="a suspicious link",
                    detail=m.group(0),
                )
