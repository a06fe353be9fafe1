"""Input formats: detection, safe loading and the table of readers.

Each reader is a function ``read(data: bytes, source: str) -> Document`` in a
module of its own, registered in :data:`READERS` and imported only when used
(DOCX and PDF pull in heavy libraries). :func:`load_document` is the one entry:
it loads bytes within limits, detects the format (or takes the one given) and
calls the reader.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path

from gongkai.errors import EmptyInput, EncryptedFile, MissingDependency, TooLarge, UnknownFormat
from gongkai.reading.document import Document, FormatName

Reader = Callable[[bytes, str], Document]

READERS: dict[str, str] = {
    "text": "gongkai.reading.formats.text:read",
    "html": "gongkai.reading.formats.html:read",
    "docx": "gongkai.reading.formats.docx:read",
    "doc": "gongkai.reading.formats.doc:read",
    "pdf": "gongkai.reading.formats.pdf:read",
}

#: Largest input read, in bytes (GONGKAI_MAX_BYTES overrides).
MAX_BYTES = int(os.environ.get("GONGKAI_MAX_BYTES", str(64 * 1024 * 1024)))

_EXT = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".csv": "text",
    ".htm": "html",
    ".html": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".doc": "doc",
    ".pdf": "pdf",
}


#: File extensions of reports, for commands given a directory.
REPORT_EXTENSIONS: frozenset[str] = frozenset(_EXT)


def reader_for(fmt: str) -> Reader:
    try:
        target = READERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(READERS)}") from None
    module, _, func = target.partition(":")
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        if e.name and not e.name.startswith("gongkai"):
            raise MissingDependency(
                f"reading {fmt} needs the Python package '{e.name}': pip install gongkai (with its dependencies)"
            ) from e
        raise
    fn: Reader = getattr(mod, func)
    return fn


def load_bytes(
    source: str | os.PathLike[str] | bytes, name: str | None = None
) -> tuple[bytes, str]:
    """Bytes of ``source`` within :data:`MAX_BYTES`, and its name.

    ``source`` is a path, bytes, or the text of a report itself (a ``str``
    holding a line break is taken as text, not as a file name).
    """
    if isinstance(source, str) and ("\n" in source or "\r" in source):
        data = source.encode("utf-8")
        label = name or "<text>"
    elif isinstance(source, bytes | bytearray):
        data = bytes(source)
        label = name or "<bytes>"
    else:
        path = Path(source)
        label = name or str(source)
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise TooLarge(
                label,
                f"{size / 1048576:.0f} MB, the limit is {MAX_BYTES / 1048576:.0f} MB",
                f"{size / 1048576:.0f} MB，上限为 {MAX_BYTES / 1048576:.0f} MB",
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(
            label, f"over {MAX_BYTES / 1048576:.0f} MB", f"超过 {MAX_BYTES / 1048576:.0f} MB"
        )
    if not data.strip():
        raise EmptyInput(label)
    return data, label


def detect(data: bytes, name: str = "") -> FormatName:
    """The format of ``data``: by its first bytes, then by the file name."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:200000] or name.lower().endswith(".docx"):
            return "docx"
        raise UnknownFormat(
            name, "a ZIP archive that is not a Word .docx", "ZIP 压缩包，但不是 Word .docx 文件"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptionInfo".encode("utf-16-le") in data[:1_000_000]:
            raise EncryptedFile(name)
        if "WordDocument".encode("utf-16-le") in data[:1_000_000]:
            return "doc"
        raise UnknownFormat(
            name,
            "an Office (OLE) file that is not a Word document",
            "Office（OLE）文件，但不是 Word 文档",
        )
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        raise UnknownFormat(name, "an image; OCR is not supported yet", "图片文件，暂不支持 OCR")
    low = head.lower()
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise UnknownFormat(name, "binary data", "二进制数据")
    if any(
        tag in low
        for tag in (
            b"<html",
            b"<!doctype html",
            b"<body",
            b"<table",
            b"<div",
            b"<p>",
            b"<p ",
            b"<meta",
        )
    ):
        return "html"
    ext = Path(name).suffix.lower()
    if ext in (".htm", ".html", ".shtml", ".xhtml"):
        return "html"
    if ext in (".docx", ".doc", ".pdf"):
        raise UnknownFormat(
            name,
            f"named {ext} but its content is not {ext[1:].upper()}",
            f"扩展名为 {ext}，内容却不是 {ext[1:].upper()}",
        )
    return "text"


def load_document(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    name: str | None = None,
) -> Document:
    """Read ``source`` into a :class:`Document` (format detected unless given)."""
    data, label = load_bytes(source, name)
    fmt = format or detect(data, label)
    doc = reader_for(fmt)(data, label)
    doc.meta.setdefault("source", label)
    doc.meta.setdefault("size", len(data))
    return doc


__all__ = [
    "MAX_BYTES",
    "READERS",
    "REPORT_EXTENSIONS",
    "detect",
    "load_bytes",
    "load_document",
    "reader_for",
]
