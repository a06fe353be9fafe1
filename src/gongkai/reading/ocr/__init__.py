"""Reading scans and table images with OCR (the optional ``gongkai[ocr]`` extra).

A PDF without a text layer, a PNG/JPEG/TIFF of a page, or the table images of
a saved web page become a :class:`~gongkai.reading.document.Document` like
any other input: prose lines and ruled tables cell by cell (:mod:`.page`).
The engine's confidence in every cell is kept in ``doc.meta["ocr_cells"]``;
after the report is assembled, :func:`.verify.settle` keeps a value only
where the engine was sure of it or the report's own arithmetic confirms it,
and leaves every other value null with a warning naming what was read.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gongkai.reading.document import Document, FormatName
from gongkai.reading.limits import remaining
from gongkai.reading.ocr.engine import EXTRA, available

if TYPE_CHECKING:
    import numpy as np

#: Largest image read, in pixels (a 200 dpi A3 page is about 12 million).
MAX_PIXELS = 60_000_000
#: Resolution PDF pages are rasterised at.
PDF_DPI = 200


def read_pages(
    pages: Iterable[np.ndarray],
    fmt: FormatName,
    source: str,
    *,
    first_page: int = 1,
    first_table: int = 1,
) -> Document:
    """A Document of page images (grey, one per page) read by OCR; pages and
    tables are numbered from ``first_page`` and ``first_table``."""
    from gongkai.reading.ocr.page import PageResult, read_page

    started = time.perf_counter()
    result = PageResult()
    table = first_table
    count = 0
    stopped = False
    for number, gray in enumerate(pages, first_page):
        left = remaining()
        spent = time.perf_counter() - started
        if count and left is not None and left < 2 * spent / count:
            stopped = True  # the next page would not finish within the time limit
            break
        table = read_page(gray, number, table, result)
        count += 1
    doc = Document(format=fmt, blocks=result.blocks)
    if stopped:
        doc.warn(
            "pages-truncated",
            (
                f"读取时间内 OCR 只识别了前 {count} 页（可用 --limit seconds=… 提高）",
                f"OCR read the first {count} pages within the time limit (raise it with --limit seconds=…)",
            ),
        )
    doc.meta["ocr"] = {
        "engine": "rapidocr-onnxruntime",
        "pages": count,
        "seconds": round(time.perf_counter() - started, 2),
        "skew": round(result.angle, 2),
    }
    doc.meta["ocr_cells"] = result.cells
    doc.meta["pages"] = count
    return doc


def decode_image(data: bytes, source: str) -> np.ndarray:
    """A grey image from PNG/JPEG/TIFF/BMP/GIF bytes; CorruptFile or TooLarge."""
    import cv2
    import numpy as np

    from gongkai.errors import CorruptFile, TooLarge

    buf = np.frombuffer(data, dtype=np.uint8)
    try:
        gray = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    except cv2.error as e:  # an image too large for OpenCV's own limit
        raise TooLarge(
            source, f"image cannot be decoded safely ({e.msg})", "图片过大，无法安全解码"
        ) from e
    if gray is None:
        raise CorruptFile(source, "the image cannot be decoded", "图片无法解码")
    if gray.size > MAX_PIXELS:
        raise TooLarge(
            source,
            f"{gray.shape[1]}×{gray.shape[0]} pixels, the limit is {MAX_PIXELS // 1_000_000} million",
            f"{gray.shape[1]}×{gray.shape[0]} 像素，上限为 {MAX_PIXELS // 1_000_000} 百万像素",
        )
    return gray


__all__ = ["EXTRA", "MAX_PIXELS", "PDF_DPI", "available", "decode_image", "read_pages"]
