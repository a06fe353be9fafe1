"""Old Word ``.doc`` files (Word 97–2003), read through LibreOffice.

Many agencies still publish ``.doc``. When LibreOffice is installed the file
is converted to DOCX in an isolated run (:mod:`gongkai.office`) and read by
the DOCX reader; the format reported is ``doc``. Without LibreOffice the user
is told to install it or to save the file as ``.docx``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gongkai.errors import CorruptFile, MissingDependency, UnknownFormat
from gongkai.office import ConversionError, convert_files, soffice
from gongkai.reading.document import Document
from gongkai.reading.formats import docx

#: Seconds one ``.doc`` may take to convert.
TIMEOUT = 90.0


def read(data: bytes, source: str) -> Document:
    try:
        soffice()
    except MissingDependency:
        raise UnknownFormat(
            source,
            "an old Word .doc file: install LibreOffice to read it, or save it as .docx",
            "旧版 Word .doc 文件：安装 LibreOffice 后可读取，或先另存为 .docx",
        ) from None
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        src = Path(tmp, "report.doc")
        src.write_bytes(data)
        try:
            (out,) = convert_files(
                [src], Path(tmp, "out"), "docx:MS Word 2007 XML", ".docx", timeout=TIMEOUT
            )
        except ConversionError as e:
            raise CorruptFile(
                source,
                f"LibreOffice could not open this .doc ({e})",
                "LibreOffice 无法打开此 .doc 文件，文件可能已损坏",
            ) from None
        converted = out.read_bytes()
    doc = docx.read(converted, source)
    doc.format = "doc"
    doc.meta["converted_by"] = "LibreOffice"
    return doc
