"""The table images of a saved web page, read by OCR where they sit beside it.

County sites often publish the tables of a report as ``<img>`` elements. A
page saved with its ``NAME_files/`` folder has them on disk: each image of
the report's content that resolves to a regular file inside the page's own
folder is read and its blocks put where the image stood. Images on other
hosts, or missing, are named in a warning: their figures were not read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from gongkai.reading.document import Block, Document, TableBlock
from gongkai.reading.ocr.engine import EXTRA, available

#: Largest image file read beside a page.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Images read for one page at the most.
MAX_IMAGES = 30


def _local(src: str, folder: Path) -> Path | None:
    """The file ``src`` names inside ``folder``, or None (remote, outside, absent)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    try:
        path = (folder / unquote(parts.path)).resolve()
        path.relative_to(folder.resolve())
    except (ValueError, OSError):
        return None
    return path if path.is_file() else None


def read_page_images(doc: Document, source: str) -> None:
    """OCR the content images of the HTML page at ``source`` into ``doc``."""
    images: list[dict[str, Any]] = [
        i for i in doc.meta.get("images") or [] if i.get("in_content") and i.get("src")
    ]
    if not images:
        return
    page = Path(source)
    folder = page.parent if page.is_file() else None
    unread: list[str] = []
    found: list[tuple[dict[str, Any], Path]] = []
    for image in images[:MAX_IMAGES]:
        path = _local(str(image["src"]), folder) if folder is not None else None
        if path is None or path.stat().st_size > MAX_IMAGE_BYTES:
            unread.append(str(image["src"]))
        else:
            found.append((image, path))
    unread += [str(i["src"]) for i in images[MAX_IMAGES:]]
    if found and not available():
        doc.warn(
            "images-not-read",
            (
                f"网页旁有 {len(found)} 张报告图片未识别：{EXTRA}",
                f"{len(found)} image(s) of the report beside the page were not read: {EXTRA}",
            ),
            sources=[str(i["src"]) for i, _ in found],
        )
        found = []
    tables = sum(isinstance(b, TableBlock) for b in doc.blocks)
    if found:
        from gongkai.reading.ocr import decode_image, read_pages
    cells: dict[Any, Any] = dict(doc.meta.get("ocr_cells") or {})
    for image, path in found:
        try:
            gray = decode_image(path.read_bytes(), str(path))
        except Exception as exc:
            unread.append(f"{image['src']} ({exc})")
            continue
        shift = max((k[0] for k in cells), default=0)
        part = read_pages([gray], "image", str(path), first_page=shift + 1, first_table=tables + 1)
        tables += sum(isinstance(b, TableBlock) for b in part.blocks)
        cells.update(part.meta["ocr_cells"])
        blocks: list[Block] = part.blocks
        _insert(doc, blocks, int(image.get("line") or 0))
    if cells:
        doc.meta["ocr_cells"] = cells
        doc.meta["ocr"] = {"engine": "rapidocr-onnxruntime", "images": len(found)}
    if unread and tables < 3:  # the format's tables may be among them
        doc.warn(
            "images-unreachable",
            (
                f"报告中的图片无法读取（其中的数字缺失）：{'、'.join(unread[:10])}",
                f"images of the report that could not be read (their figures are missing): "
                f"{', '.join(unread[:10])}",
            ),
            sources=unread,
        )


def _insert(doc: Document, blocks: list[Block], line: int) -> None:
    """Put ``blocks`` after the last block printed before ``line``."""
    at = len(doc.blocks)
    for i, b in enumerate(doc.blocks):
        if b.loc.line is not None and b.loc.line > line:
            at = i
            break
    doc.blocks[at:at] = blocks
