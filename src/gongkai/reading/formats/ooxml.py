"""Safe access to an Office Open XML package (a DOCX is a ZIP of XML parts).

* :func:`open_package` checks the archive before anything is decompressed:
  the number of members, each member's uncompressed size, the total size and
  the compression ratio (a member over :data:`RATIO_FLOOR` that expands more
  than :data:`MAX_RATIO` times is a zip bomb). It raises :class:`TooLarge`.
* :func:`read_member` decompresses one member in chunks and stops as soon as
  it passes its limit, whatever the headers claim.
* :func:`parse_xml` parses without DTDs, entity expansion or network access
  (no XXE, no billion laughs) and with libxml2's size limits kept on.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from gongkai.errors import CorruptFile, EncryptedFile, InputError, TooLarge

Element = etree._Element
#: Relationships of a part: id -> (type, target, external).
Rels = dict[str, tuple[str, str, bool]]

MB = 1024 * 1024
#: Largest member, uncompressed (the main document part is the big one).
MAX_MEMBER = 64 * MB
#: Largest small part the readers decompress (styles, properties, custom XML).
MAX_PART = 16 * MB
#: Largest sum of all members, uncompressed.
MAX_TOTAL = 256 * MB
#: Compression ratio above which a member over :data:`RATIO_FLOOR` is a zip bomb.
MAX_RATIO = 200
RATIO_FLOOR = 1 * MB
MAX_MEMBERS = 20_000
_CHUNK = 1 * MB
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def xml_parser() -> etree.XMLParser:
    """A parser that never loads DTDs, expands entities or touches the network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _bomb(source: str, what: str, zh: str) -> TooLarge:
    return TooLarge(source, f"zip bomb suspected: {what}", f"疑似压缩炸弹：{zh}")


def open_package(data: bytes, source: str) -> zipfile.ZipFile:
    """Open the ZIP in ``data`` after checking every member's sizes (see the module doc)."""
    if data.startswith(_OLE):
        if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000]:
            raise EncryptedFile(source)
        raise CorruptFile(
            source, "an OLE (old Word) file, not a DOCX", "OLE（旧版 Word）文件，不是 DOCX"
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (*_READ_ERRORS, zipfile.LargeZipFile) as exc:
        raise CorruptFile(
            source,
            f"not a readable ZIP archive (truncated or damaged: {exc})",
            "ZIP 结构损坏或文件不完整",
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise _bomb(source, f"{len(infos)} members", f"压缩包内有 {len(infos)} 个文件")
    total = 0
    for info in infos:
        size, packed = info.file_size, max(info.compress_size, 1)
        total += size
        if size > RATIO_FLOOR and size > MAX_RATIO * packed:
            raise _bomb(
                source,
                f"{info.filename} expands {size // packed}:1 to {size / MB:.0f} MB",
                f"{info.filename} 解压后 {size / MB:.0f} MB（压缩比 {size // packed}:1）",
            )
        if size > MAX_MEMBER:
            raise _bomb(
                source,
                f"{info.filename} is {size / MB:.0f} MB uncompressed (limit {MAX_MEMBER // MB} MB)",
                f"{info.filename} 解压后 {size / MB:.0f} MB（上限 {MAX_MEMBER // MB} MB）",
            )
    if total > MAX_TOTAL:
        raise _bomb(
            source,
            f"{total / MB:.0f} MB uncompressed in all (limit {MAX_TOTAL // MB} MB)",
            f"解压后共 {total / MB:.0f} MB（上限 {MAX_TOTAL // MB} MB）",
        )
    return zf


def read_member(zf: zipfile.ZipFile, name: str, limit: int, source: str) -> bytes | None:
    """The bytes of member ``name``, read in chunks and never past ``limit``; None if absent."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        raise EncryptedFile(source, f"{name} is encrypted", f"{name} 已加密")
    too_large = TooLarge(
        source, f"{name} expands past {limit // MB} MB", f"{name} 解压后超过 {limit // MB} MB"
    )
    if info.file_size > limit:
        raise too_large
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise too_large
    except InputError:
        raise
    except (*_READ_ERRORS, RuntimeError) as exc:
        raise CorruptFile(source, f"cannot decompress {name}: {exc}", f"无法解压 {name}") from None
    return bytes(out)


def parse_xml(raw: bytes, name: str, source: str) -> Element:
    """Parse a part that must be well-formed, else :class:`CorruptFile`."""
    try:
        return etree.fromstring(raw, xml_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(
            source, f"{name} is not well-formed XML: {exc}", f"{name} 不是有效的 XML"
        ) from None


def try_parse_xml(raw: bytes) -> Element | None:
    """Parse an optional part; None if it is not well-formed."""
    try:
        return etree.fromstring(raw, xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return None


def relationships(zf: zipfile.ZipFile, part: str, source: str) -> Rels:
    """The relationships of ``part`` (``""`` for the package), internal targets resolved."""
    folder, base = posixpath.split(part)
    raw = read_member(zf, posixpath.join(folder, "_rels", base + ".rels"), MAX_PART, source)
    root = try_parse_xml(raw) if raw else None
    out: Rels = {}
    if root is None:
        return out
    for rel in root:
        rid, target = rel.get("Id"), rel.get("Target")
        if not rid or target is None:
            continue
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
        out[rid] = (rel.get("Type") or "", target, external)
    return out


def main_part(zf: zipfile.ZipFile, source: str) -> str:
    """The name of the main document part (``word/document.xml`` unless the package says else)."""
    for rtype, target, external in relationships(zf, "", source).values():
        if rtype.endswith("/officeDocument") and not external:
            return target
    return "word/document.xml"


__all__ = [
    "MAX_MEMBER",
    "MAX_PART",
    "MAX_RATIO",
    "MAX_TOTAL",
    "RATIO_FLOOR",
    "Rels",
    "main_part",
    "open_package",
    "parse_xml",
    "read_member",
    "relationships",
    "try_parse_xml",
    "xml_parser",
]
