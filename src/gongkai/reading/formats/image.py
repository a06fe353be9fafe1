"""Images of a report's pages or tables (PNG, JPEG, TIFF, BMP, GIF), read by OCR.

Needs the optional extra ``gongkai[ocr]``; without it the file is refused
with one line that says how to install it.
"""

from __future__ import annotations

from gongkai.errors import MissingDependency, NoTextLayer
from gongkai.reading.document import Document


def read(data: bytes, source: str) -> Document:
    """OCR one image into a :class:`Document` (NoTextLayer when OCR is absent)."""
    from gongkai.reading import ocr

    if not ocr.available():
        raise NoTextLayer(
            source, f"an image: {ocr.EXTRA} to read it", f"图片文件，需先安装 OCR 组件：{ocr.EXTRA}"
        )
    try:
        doc = ocr.read_pages([ocr.decode_image(data, source)], "image", source)
    except MissingDependency as e:  # pragma: no cover - available() said yes
        raise NoTextLayer(source, str(e), f"需先安装 OCR 组件：{ocr.EXTRA}") from e
    if not doc.text().strip():
        raise NoTextLayer(source, "an image on which OCR found no text", "图片中未识别出文字")
    return doc
