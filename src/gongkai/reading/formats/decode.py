"""Turning bytes into text: BOMs, declared charsets, and sniffing.

Pages declared gb2312 or GBK are decoded as gb18030 (its superset: real
pages declared gb2312 hold GBK characters). Undeclared bytes are tried as
UTF-8, then gb18030, then Big5.

The choice follows the evidence: a file that is valid UTF-8 everywhere but
a few bytes (a crawler's cut, one corrupted byte) is UTF-8 with those bytes
replaced — :func:`decode_text` names their offsets so the reader can warn —
not a GB18030 file of mojibake that no longer reads as a report.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field

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


@dataclass
class Decoded:
    """Text, the codec it was decoded with, and the offsets of bytes that did not decode."""

    text: str
    codec: str
    bad_offsets: list[int] = field(default_factory=list)
    bad_count: int = 0


#: At most this share of a file's bytes may be invalid for it to still count as UTF-8.
UTF8_BAD_SHARE = 0.001
_SHOWN_OFFSETS = 10


_ASCII = bytes(range(128))
_local = threading.local()


class _NotUtf8(Exception):
    pass


def _collect(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    st = _local.state
    st["count"] += exc.end - exc.start
    st["calls"] += 1
    if len(st["offsets"]) < _SHOWN_OFFSETS:
        st["offsets"].append(exc.start)
    if st["count"] > st["limit"]:
        raise _NotUtf8
    return "\ufffd", exc.end


codecs.register_error("gongkai-collect", _collect)


def utf8_evidence(data: bytes) -> tuple[str | None, list[int], int]:
    """UTF-8 text of ``data`` if only a few bytes fail (else None), their offsets and count.

    One pass; gives up as soon as more than a few bytes fail, and when the
    characters that do decode are too few to call the file UTF-8.
    """
    limit = max(8, int(len(data) * UTF8_BAD_SHARE))
    _local.state = {"count": 0, "calls": 0, "offsets": [], "limit": limit}
    try:
        text = data.decode("utf-8", "gongkai-collect")
    except _NotUtf8:
        return None, [], _local.state["count"]
    st = _local.state
    good = len(text) - _ascii_count(data) - st["calls"]
    if good < 20 * st["count"]:
        return None, st["offsets"], st["count"]
    return text, st["offsets"], st["count"]


def _ascii_count(data: bytes) -> int:
    return len(data) - len(data.translate(None, _ASCII))


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` by the evidence (see the module doc)."""
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", "replace"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", "replace"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf8, offsets, count = utf8_evidence(data)
    if utf8 is not None:
        return Decoded(utf8, "utf-8", offsets, count)
    text, codec = decode(data, declared)
    return Decoded(text, codec)


def literal_replacements(data: bytes, codec: str) -> int:
    """How many U+FFFD characters the file's bytes spell in ``codec`` themselves (a
    replacement character the file holds is text, not a byte the decoding replaced)."""
    try:
        mark = "\ufffd".encode(codec.removesuffix("-sig"))
    except (LookupError, UnicodeError):
        return 0
    return data.count(mark) if len(mark) > 2 else 0


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
