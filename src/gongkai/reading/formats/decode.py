"""Turning bytes into text: BOMs, declared charsets, and sniffing.

Pages declared gb2312 or GBK are decoded as gb18030 (its superset: real
pages declared gb2312 hold GBK characters). Undeclared bytes are tried as
UTF-8, then gb18030, then Big5.
"""

from __future__ import annotations

import codecs
import re

_ALIASES = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gb_2312-80": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030",
    "gb18030": "gb18030",
    "utf8": "utf-8",
    "unicode": "utf-8",
    "big5": "big5hkscs",
}

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)


def canonical(charset: str) -> str | None:
    """A Python codec name for a declared charset, or None if unknown."""
    c = charset.strip().lower()
    c = _ALIASES.get(c, c)
    try:
        return codecs.lookup(c).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in <meta> or an XML prolog."""
    head = data[:8192]
    for rx in (_META, _XML):
        m = rx.search(head)
        if m:
            return canonical(m.group(1).decode("ascii", "replace"))
    return None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, codec used).

    Strict UTF-8 wins, then the declared charset, then gb18030 and Big5.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    # Strict UTF-8 first: GBK bytes almost never form valid UTF-8, while pages
    # that declare gb2312 but are UTF-8 are common after a site migration.
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried: list[str] = ["utf-8"]
    if declared:
        codec = canonical(declared)
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                tried.append(codec)
    for codec in ("utf-8", "gb18030", "big5hkscs"):
        if codec in tried:
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", "replace"), "gb18030"
