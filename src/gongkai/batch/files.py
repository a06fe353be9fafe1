"""Which files a batch stands for, and why the others are passed over.

A command is given files and folders. :func:`discover` lists every file
they stand for, in order: the reports to read, and — so that no file of a
folder silently disappears — the others, each with why it was passed over
(a workbook, an archive, a format not supported…). Images are read by OCR
(those of a saved page with the page); formats that cannot be read are
flagged for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.batch.index import sorted_names
from gongkai.batch.load import report_extensions
from gongkai.errors import Skipped

_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"})
_SHEETS = frozenset({".xls", ".xlsx", ".xlsm", ".et", ".ods"})
_UNSUPPORTED = frozenset({".wps", ".wpt", ".ofd", ".odt", ".rtf", ".ceb", ".caj", ".pptx", ".ppt"})
_ARCHIVES = frozenset({".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"})
_DATA = frozenset({".yaml", ".yml"})


@dataclass(frozen=True)
class Entry:
    """A file a batch stands for: one to read, or one passed over (``skip``)."""

    path: str
    skip: Skipped | None = None
    manual_review: bool = False


def _of_a_saved_page(path: Path) -> bool:
    """An image in the ``NAME_files/`` folder of a saved page ``NAME.htm(l)``:
    read with the page, not as a report of its own."""
    folder = path.parent
    if path.suffix.lower() not in _IMAGES or not folder.name.endswith("_files"):
        return False
    stem = folder.name[: -len("_files")]
    return any((folder.parent / f"{stem}{ext}").is_file() for ext in (".html", ".htm"))


def _reason(path: Path) -> tuple[str, str, bool]:
    """(Chinese, English, needs a person) for a file of a folder that is not read."""
    ext = path.suffix.lower()
    if _of_a_saved_page(path):
        return (
            "网页附带的图片（随网页读取）",
            "an image of a saved page (read with the page)",
            False,
        )
    if ext in _IMAGES:
        return "图片，可能是扫描件，需人工查看", "an image, perhaps a scan: review by hand", True
    if ext in _SHEETS:
        return (
            "电子表格，不是发布的报告（填好的工作簿请用 gongkai render）",
            "a spreadsheet, not a published report (a filled-in workbook goes to gongkai render)",
            False,
        )
    if ext in _UNSUPPORTED:
        return (
            f"{ext} 格式暂不支持，需人工查看或另存为 DOCX/PDF",
            f"the {ext} format is not supported: review by hand or save as DOCX/PDF",
            True,
        )
    if ext in _ARCHIVES:
        return "压缩包，请先解压", "an archive: unpack it first", False
    if ext in _DATA:
        return (
            "数据文件（直接给出文件名即可检查）",
            "a data file (name it on the command line to check it)",
            False,
        )
    if path.name.endswith(".gt.json"):
        return "参考记录（测试用）", "a reference record (for tests)", False
    if path.name.upper().startswith("README"):
        return "说明文件", "a README", False
    label = ext or "（无）"
    return (f"不是报告文件（扩展名 {label}）", f"not a report file (ending {ext or 'none'})", False)


def _listing(root: Path) -> Iterator[str]:
    """The names in folder ``root``, sorted (on disk for a large folder); none if unreadable."""
    try:
        it = os.scandir(root)
    except OSError:
        return
    with it:
        try:
            names = sorted_names(e.name for e in it)
            first = next(names, None)  # the whole listing is read here
        except OSError:
            return
    if first is not None:
        yield first
        yield from names


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` in name order; hidden files and folders left out."""
    for name in _listing(root):
        if name.startswith("."):
            continue
        child = root / name
        if child.is_dir() and not child.is_symlink():
            yield from _walk(child)
        else:
            yield child


def discover(paths: Iterable[str], extra: Iterable[str] = (".json",)) -> Iterator[Entry]:
    """Every file ``paths`` stand for, in order.

    A path given is read as it is (the loader refuses what is not a regular
    file, naming it); a folder stands for the files under it, recursively:
    reports (by ending, plus ``extra``) are read, every other file is listed
    as passed over, with why.
    """
    exts = {*report_extensions(), *extra}
    for given in paths:
        p = Path(given)
        if not given.lower().startswith(("http://", "https://")) and p.is_dir():
            empty = True
            for f in _walk(p):
                empty = False
                name = os.fspath(f)
                if (
                    f.suffix.lower() in exts
                    and not f.name.endswith(".gt.json")
                    and not f.name.upper().startswith("README")
                    and not _of_a_saved_page(f)
                ):
                    yield Entry(name)
                else:
                    zh, en, review = _reason(f)
                    yield Entry(name, Skipped(name, en, zh), review)
            if empty:
                yield Entry(given, Skipped(given, "an empty folder", "空目录，其中没有文件"))
        else:
            yield Entry(given)


__all__ = ["Entry", "discover"]
