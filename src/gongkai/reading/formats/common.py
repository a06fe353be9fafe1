"""Helpers shared by the markup readers (HTML and DOCX).

Text clean-up (:func:`collapse`), the e-mail addresses a document shows
(:func:`collect_emails`), a crawler's header (:func:`crawler_header`) and the
machine-readable record gongkai may embed in a file (:func:`embedded_record`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from gongkai.reading.document import Document, Loc, Para
from gongkai.reading.formats.decode import Decoded
from gongkai.written import EMAIL

_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CRAWLER = re.compile(r"^(标题|单位|来源|采集时间|抓取时间|链接|网址|URL|url)\s*[：:]\s*(.*)$")
_URL_KEYS = ("来源", "链接", "网址", "URL", "url")


def collapse(text: str) -> str:
    """White space folded to single spaces, zero-width characters removed, stripped."""
    # The zero-width characters are not white space, so removing them after the fold
    # gives the same; they are not printable, so a printable fold holds none of them.
    folded = " ".join(text.split())
    if folded.isprintable():
        return folded
    return " ".join(_ZERO_WIDTH.sub("", folded).split())


def mailto(href: str) -> str | None:
    """The address of a ``mailto:`` link, else None."""
    if not href.lower().startswith("mailto:"):
        return None
    address = href[7:].split("?", 1)[0].strip()
    return address or None


def collect_emails(
    doc: Document,
    found: list[dict[str, Any]],
    extra: Iterable[dict[str, Any]] = (),
    content: tuple[int, int] | None = None,
) -> None:
    """Add to ``found`` the e-mail addresses in the text of ``doc`` and in ``extra``.

    ``extra`` holds records with ``text`` and ``line`` (hidden text, say). With
    ``content`` (a block range), each address gets ``in_content``; records of
    ``extra`` pass their own ``in_content`` on.
    """
    seen = {(str(e["email"]).lower(), e.get("line")) for e in found}

    def scan(text: str, line: int | None, inside: bool | None) -> None:
        if "@" not in text:
            return
        for m in EMAIL.finditer(text):
            key = (m.group(0).lower(), line)
            if key in seen:
                continue
            seen.add(key)
            entry: dict[str, Any] = {"email": m.group(0), "line": line}
            if inside is not None:
                entry["in_content"] = inside
            found.append(entry)

    for i, block in enumerate(doc.blocks):
        inside = None if content is None else content[0] <= i < content[1]
        if isinstance(block, Para):
            if "@" in block.text:
                scan(block.text, block.loc.line, inside)
        else:
            for row in block.rows:
                for cell in row:
                    if "@" in cell.text:
                        scan(cell.text, cell.loc.line, inside)
    for record in extra:
        scan(str(record["text"]), record.get("line"), record.get("in_content"))


def crawler_header(doc: Document, first: int = 12) -> None:
    """Record a crawler's ``标题：… 来源：… 采集时间：…`` header in ``meta['crawler']``.

    Only the first ``first`` blocks are looked at, and two keys at least (one
    of them 来源, 链接 or 采集时间) make a header. ``meta['url']`` gets the
    page address when the header gives one.
    """
    crawler: dict[str, str] = {}
    for block in doc.blocks[:first]:
        if not isinstance(block, Para):
            continue
        m = _CRAWLER.match(block.text)
        if m and m.group(1) not in crawler:
            crawler[m.group(1)] = m.group(2).strip()
    if len(crawler) < 2 or not {"来源", "采集时间", "链接"} & crawler.keys():
        return
    doc.meta["crawler"] = crawler
    for key in _URL_KEYS:
        url = crawler.get(key, "")
        if url.lower().startswith(("http://", "https://")):
            doc.meta["url"] = url
            break


#: most characters of an embedded record read (a real one is some 30,000)
MAX_EMBEDDED = 2_000_000


def embedded_record(text: str, doc: Document, where: str, loc: Loc | None = None) -> None:
    """Parse the JSON of an embedded gongkai record into ``meta['embedded']`` (or warn).

    A record gongkai writes is some 30 KB; one over :data:`MAX_EMBEDDED` characters
    is not one, and comparing it would cost far more than reading the report.
    """
    if len(text) > MAX_EMBEDDED:
        doc.warn(
            "embedded-invalid",
            (
                f"文件中的 gongkai 记录有 {len(text):,} 个字符，超过 {MAX_EMBEDDED:,}，不作比对",
                f"the gongkai record in {where} is {len(text):,} characters, over "
                f"{MAX_EMBEDDED:,}: not compared",
            ),
            loc,
        )
        return
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        doc.warn(
            "embedded-invalid",
            (
                f"文件中的 gongkai 记录不是有效的 JSON：{exc}",
                f"the gongkai record in {where} is not valid JSON: {exc}",
            ),
            loc,
        )
        return
    if isinstance(value, dict):
        doc.meta["embedded"] = value
    else:
        doc.warn(
            "embedded-invalid",
            (
                "文件中的 gongkai 记录不是 JSON 对象",
                f"the gongkai record in {where} is not a JSON object",
            ),
            loc,
        )


__all__ = ["EMAIL", "collapse", "collect_emails", "crawler_header", "embedded_record", "mailto"]


def warn_decoding(doc: Document, decoded: Decoded) -> None:
    """Say which bytes did not decode (a UTF-8 file with a few bad bytes)."""
    if not decoded.bad_count:
        return
    offsets = ", ".join(str(o) for o in decoded.bad_offsets)
    more = "…" if decoded.bad_count > len(decoded.bad_offsets) else ""
    doc.warn(
        "invalid-bytes",
        (
            f"有 {decoded.bad_count} 个字节不是有效的 {decoded.codec}，已替换为 \ufffd"
            f"（字节偏移 {offsets}{more}）；文件其余部分按 {decoded.codec} 读取",
            f"{decoded.bad_count} byte(s) are not valid {decoded.codec} and were replaced by "
            f"\ufffd (at byte offset {offsets}{more}); the rest of the file is {decoded.codec}",
        ),
        encoding=decoded.codec,
        offsets=decoded.bad_offsets,
    )
