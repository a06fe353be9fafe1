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
import stat
from collections.abc import Callable
from pathlib import Path

from gongkai.errors import (
    EmptyInput,
    EncryptedFile,
    FileMissing,
    MissingDependency,
    NotAFile,
    UnknownFormat,
)
from gongkai.reading import limits
from gongkai.reading.document import Document, FormatName, Para, TableBlock
from gongkai.reading.limits import Limits

Reader = Callable[[bytes, str], Document]

READERS: dict[str, str] = {
    "text": "gongkai.reading.formats.text:read",
    "html": "gongkai.reading.formats.html:read",
    "docx": "gongkai.reading.formats.docx:read",
    "doc": "gongkai.reading.formats.doc:read",
    "pdf": "gongkai.reading.formats.pdf:read",
    "image": "gongkai.reading.formats.image:read",
}

#: Largest input read by default, in bytes (GONGKAI_MAX_BYTES or ``--limit size=`` overrides).
MAX_BYTES = Limits().size

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
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
    ".gif": "image",
}

#: First bytes of the image formats read by OCR (PNG, JPEG, GIF, TIFF, BMP).
IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
)


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


def regular_file(source: str | os.PathLike[str], label: str) -> Path:
    """``source`` if it names a regular file; else an InputError (a FIFO or a device would
    block or never end, so they are refused from their ``stat``, never opened)."""
    path = Path(source)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise FileMissing(label) from None
    except OSError as exc:
        raise NotAFile(label, exc.strerror or str(exc), exc.strerror or str(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        zh, en = _KIND.get(stat.S_IFMT(st.st_mode), ("不是普通文件", "not a regular file"))
        raise NotAFile(label, en, zh)
    return path


_KIND = {
    stat.S_IFDIR: ("是目录", "a directory"),
    stat.S_IFIFO: ("是命名管道（FIFO）", "a named pipe (FIFO)"),
    stat.S_IFCHR: ("是字符设备", "a character device"),
    stat.S_IFBLK: ("是块设备", "a block device"),
    stat.S_IFSOCK: ("是套接字", "a socket"),
}


def load_bytes(
    source: str | os.PathLike[str] | bytes, name: str | None = None
) -> tuple[bytes, str]:
    """Bytes of ``source`` within the size limit (:mod:`gongkai.reading.limits`), and its name.

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
        label = name or os.fspath(source)
        path = regular_file(source, label)
        size = path.stat().st_size
        limits.check("size", label, size)
        with path.open("rb") as fh:
            data = fh.read(limits.current().size + 1)
    limits.check("size", label, len(data))
    # (not data.strip(): that copies the whole file to see whether it is blank)
    if not data or data.isspace():
        raise EmptyInput(label)
    return data, label


#: Tags whose presence in the first bytes (lowercased) makes a file HTML.
_HTML_TAGS = (b"<html", b"<!doctype html", b"<body", b"<table", b"<div", b"<p>", b"<p ", b"<meta")


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
    if head.startswith(IMAGE_MAGIC):
        return "image"
    low = head.lower()
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        raise UnknownFormat(name, "binary data", "二进制数据")
    # (every tag begins with '<': a head without one, most text, is searched once, not
    # eight times)
    if b"<" in head and any(tag in low for tag in _HTML_TAGS):
        return "html"
    ext = Path(name).suffix.lower()
    if ext in (".htm", ".html", ".shtml", ".xhtml"):
        return "html"
    if ext in (".docx", ".doc", ".pdf") or _EXT.get(ext) == "image":
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
    del data
    limits.check_time(label)
    _within_limits(doc, label)
    return doc


def _within_limits(doc: Document, label: str) -> None:
    """Refuse a document past the limits of characters or table cells."""
    blocks = doc.blocks
    # (a paragraph told by its class, several times faster than isinstance over a
    # document's hundreds of blocks; every other block is counted as before)
    paras = [b.text for b in blocks if b.__class__ is Para]
    chars = len("".join(paras))
    cells = 0
    if len(paras) < len(blocks):
        for b in blocks:
            if b.__class__ is Para:
                continue
            if isinstance(b, TableBlock):
                for row in b.rows:
                    cells += len(row)
                    for c in row:
                        chars += len(c.text)
            else:
                chars += len(b.text)
    limits.check("cells", label, cells)
    limits.check("chars", label, chars)


__all__ = [
    "MAX_BYTES",
    "READERS",
    "REPORT_EXTENSIONS",
    "detect",
    "load_bytes",
    "load_document",
    "reader_for",
]
