"""``corpus fetch``: collect reports from the web, politely and safely.

A URL may be a report page, a document link (PDF, DOC, DOCX), or a site's
annual-report column (a list page whose links lead to report pages, whose
attachments are fetched too). The fetcher:

- speaks only http(s), and refuses private, loopback, link-local and reserved
  addresses (each redirect hop checked) unless ``allow_private``;
- reads robots.txt once per host and obeys it;
- waits ``delay`` seconds between two requests to the same host;
- retries connection errors, timeouts, 429 and 5xx with exponential back-off
  (honouring a short Retry-After), with a timeout on every request;
- stops reading a response past ``max_bytes``;
- decodes pages by the charset the server sends, then the page's own
  declaration (gb2312/GBK read as gb18030), keeping the original bytes.

Every failure is one line naming the URL; nothing is raised for a bad URL.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from gongkai.corpus.collect import Item
from gongkai.i18n import pick

USER_AGENT = "gongkai/0.1 (government information disclosure annual report research)"
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".txt")
_LINK = re.compile(rb"""<a\s[^>]*?href\s*=\s*["']?([^"'\s>]+)["']?[^>]*>(.*?)</a>""", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_REPORT_WORDS = ("年度报告", "年报", "工作报告")

_MSG = {
    "scheme": ("{url}：只支持 http 和 https 网址", "{url}: only http and https URLs are fetched"),
    "private": (
        "{url}：地址 {ip} 属于内网或本机，拒绝抓取（可用 --allow-private 允许）",
        "{url}: {ip} is a private or loopback address; refused (--allow-private allows it)",
    ),
    "resolve": ("{url}：无法解析主机名", "{url}: cannot resolve the host name"),
    "robots": ("{url}：网站的 robots.txt 不允许抓取", "{url}: the site's robots.txt disallows it"),
    "too_large": (
        "{url}：内容超过 {cap} 字节，已停止下载",
        "{url}: more than {cap} bytes; download stopped",
    ),
    "status": ("{url}：服务器返回 HTTP {status}", "{url}: the server answered HTTP {status}"),
    "network": ("{url}：无法连接（{detail}）", "{url}: cannot connect ({detail})"),
    "redirects": ("{url}：重定向次数过多", "{url}: too many redirects"),
    "not_report": (
        "{url}：页面不是年度报告，也没有指向年度报告的链接",
        "{url}: the page is not a report and links to none",
    ),
}


@dataclass(frozen=True)
class FetchOptions:
    allow_private: bool = False
    delay: float = 1.0
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 20.0
    max_bytes: int = 32 * 1024 * 1024
    max_links: int = 200
    robots: bool = True
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """One URL could not be fetched (the message is one line naming it)."""


@dataclass
class Fetched:
    url: str
    content: bytes
    content_type: str
    charset: str | None
    fetched_at: dt.datetime


@dataclass
class Fetcher:
    options: FetchOptions = field(default_factory=FetchOptions)
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        self._client = httpx.Client(
            timeout=self.options.timeout,
            follow_redirects=False,
            headers={"User-Agent": self.options.user_agent},
            trust_env=False,
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    # ---------------------------------------------------------------- safety
    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(pick(_MSG["scheme"], url=url))
        if self.options.allow_private:
            return
        try:
            infos = socket.getaddrinfo(
                parts.hostname,
                parts.port or (443 if parts.scheme == "https" else 80),
                type=socket.SOCK_STREAM,
            )
        except (socket.gaierror, UnicodeError):
            raise FetchError(pick(_MSG["resolve"], url=url)) from None
        for info in infos:
            ip = ipaddress.ip_address(info[4][0])
            if (
                ip.is_private
                or ip.is_loopback
                or ip.is_link_local
                or ip.is_reserved
                or ip.is_multicast
                or ip.is_unspecified
            ):
                raise FetchError(pick(_MSG["private"], url=url, ip=ip))

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.options.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self.options.robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
            try:
                got = self._get(base + "/robots.txt", robots=False)
                assert parser is not None
                parser.parse(got.content.decode("utf-8", "replace").splitlines())
            except FetchError:
                parser = None  # no robots.txt (or unreachable): nothing forbidden
            self._robots[base] = parser
        rp = self._robots[base]
        return rp is None or rp.can_fetch(self.options.user_agent, url)

    # ---------------------------------------------------------------- fetching
    def get(self, url: str) -> Fetched:
        if not self.allowed(url):
            raise FetchError(pick(_MSG["robots"], url=url))
        return self._get(url)

    def _get(self, url: str, *, robots: bool = True) -> Fetched:
        assert self._client is not None, "use Fetcher as a context manager"
        current = url
        for _hop in range(6):
            self.check_url(current)
            if robots and current != url and not self.allowed(current):
                raise FetchError(pick(_MSG["robots"], url=current))
            resp_or_redirect = self._attempts(current)
            if isinstance(resp_or_redirect, str):
                current = resp_or_redirect
                continue
            return resp_or_redirect
        raise FetchError(pick(_MSG["redirects"], url=url))

    def _attempts(self, url: str) -> Fetched | str:
        assert self._client is not None
        host = urlsplit(url).netloc
        opts = self.options
        for attempt in range(opts.retries + 1):
            self._wait(host)
            try:
                with self._client.stream("GET", url) as resp:
                    if resp.is_redirect and "location" in resp.headers:
                        return urljoin(url, resp.headers["location"])
                    if (
                        resp.status_code == 429 or resp.status_code >= 500
                    ) and attempt < opts.retries:
                        time.sleep(self._backoff(attempt, resp.headers.get("retry-after")))
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(pick(_MSG["status"], url=url, status=resp.status_code))
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > opts.max_bytes:
                        raise FetchError(pick(_MSG["too_large"], url=url, cap=opts.max_bytes))
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > opts.max_bytes:
                            raise FetchError(pick(_MSG["too_large"], url=url, cap=opts.max_bytes))
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type", "")
                    return Fetched(
                        url,
                        b"".join(chunks),
                        ctype.split(";")[0].strip().lower(),
                        resp.charset_encoding,
                        dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    )
            except httpx.HTTPError as e:
                if attempt < opts.retries:
                    time.sleep(self._backoff(attempt, None))
                    continue
                raise FetchError(pick(_MSG["network"], url=url, detail=type(e).__name__)) from None
        raise FetchError(
            pick(_MSG["network"], url=url, detail="retries exhausted")
        )  # pragma: no cover

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), 30.0)
        return float(self.options.backoff * (2**attempt))


def _name(url: str, ctype: str) -> str:
    path = unquote(urlsplit(url).path)
    name = PurePosixPath(path).name or "index.html"
    if "." not in name:
        name += ".html" if "html" in ctype else ""
    return name


def is_document(url: str, ctype: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS) or ctype in (
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def page_text(f: Fetched) -> tuple[str, bytes]:
    """The page as text and as UTF-8 bytes for the reader (the server's charset
    first, then the page's own declaration)."""
    from gongkai.reading.formats.decode import decode

    text, _enc = decode(f.content, f.charset)
    return text, text.encode("utf-8")


def links(f: Fetched, text: str) -> list[tuple[str, str]]:
    """(absolute URL, anchor text) of every http(s) link in the page, in order."""
    out: list[tuple[str, str]] = []
    seen = set()
    for m in _LINK.finditer(text.encode("utf-8")):
        href = m.group(1).decode("utf-8", "replace").strip()
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = urljoin(f.url, href)
        if urlsplit(absolute).scheme not in ("http", "https") or absolute in seen:
            continue
        seen.add(absolute)
        out.append((absolute, _TAG.sub("", m.group(2).decode("utf-8", "replace")).strip()))
    return out


def report_evidence(data: bytes, name: str) -> Literal["strong", "weak", "none"]:
    """Whether a page is a report: ``strong`` (tables, parts or figures found),
    ``weak`` (the reader takes it, but found nothing of a report's body: a list
    page titled with a report's name reads like this), ``none``."""
    import gongkai

    try:
        report = gongkai.read(data, name=name)
    except Exception:  # any reader failure: not a report page
        return "none"
    ev = report.evidence
    found = any(t.found for t in ev.tables.values())
    if found or len(ev.sections or []) >= 2 or report.legacy:
        return "strong"
    return "weak"


def fetch_all(
    urls: list[str], options: FetchOptions | None = None
) -> tuple[list[Item], list[tuple[str, str]]]:
    """Every report reachable from ``urls`` as items to add, and the failures."""
    opts = options or FetchOptions()
    items: list[Item] = []
    failures: list[tuple[str, str]] = []
    done: set[str] = set()
    with Fetcher(opts) as fetcher:

        def one(url: str, depth: int) -> None:
            if url in done:
                return
            done.add(url)
            try:
                f = fetcher.get(url)
            except FetchError as e:
                failures.append((url, str(e)))
                return
            name = _name(f.url, f.content_type)
            if is_document(f.url, f.content_type):
                items.append(Item(f.content, name, f.url, f.fetched_at))
                return
            text, utf8 = page_text(f)
            page_links = links(f, text)
            host = urlsplit(f.url).netloc
            wanted = [
                u
                for u, label in page_links
                if urlsplit(u).netloc == host
                and u not in done
                and (any(w in label for w in _REPORT_WORDS) or is_document(u, ""))
            ]
            evidence = report_evidence(utf8, name)
            if evidence == "strong" or (evidence == "weak" and not wanted):
                items.append(Item(utf8, name, f.url, f.fetched_at, original=f.content))
                for link, _label in page_links[: opts.max_links]:
                    if is_document(link, ""):
                        one(link, depth + 1)
                return
            if depth > 0 or not wanted:
                failures.append((url, pick(_MSG["not_report"], url=url)))
                return
            for link in wanted[: opts.max_links]:
                one(link, depth + 1)

        for url in urls:
            one(url, 0)
    return items, failures
