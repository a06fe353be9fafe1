"""The exceptions gongkai raises, in one tree::

    GongkaiError                 anything gongkai raises on purpose
    ├── InputError               the input cannot be read as a report
    │   ├── FileMissing          no such file
    │   ├── NotAFile             a directory, FIFO, device or socket (only regular files are read)
    │   ├── RemoteInput          a URL: gongkai reads local files only
    │   ├── EmptyInput           empty file or only white space
    │   ├── OverLimit            past a reading limit (characters, cells, pages, time)
    │   │   └── TooLarge         over the size limit (or a zip bomb)
    │   ├── UnknownFormat        not text, HTML, DOCX, PDF or an image
    │   ├── CorruptFile          truncated or broken DOCX/PDF/HTML
    │   ├── EncryptedFile        password-protected PDF or DOCX
    │   ├── NoTextLayer          a scanned PDF: pages are images only
    │   ├── NotAReport           readable, but not an annual report
    │   ├── RecordError          a .json/.yaml/.xlsx that is not a valid report record
    │   └── Skipped              a file of a folder that is not a report (image, archive…)
    ├── DataError                data given to the writer is not a valid record
    ├── CodedError               a refusal named by a code, with its message in both languages
    └── MissingDependency        an optional part is not installed

Every InputError names the file (``source``) and says what is wrong in
Chinese and in English; the CLI prints one line and exits 2.
"""

from __future__ import annotations

from typing import Any, ClassVar

from gongkai.i18n import Lang, pick


class GongkaiError(Exception):
    """Base of every error gongkai raises on purpose."""


class InputError(GongkaiError):
    """The input cannot be read as an annual report."""

    code = "input"
    zh = "无法读取"

    def __init__(self, source: str, detail: str = "", zh_detail: str | None = None) -> None:
        self.source = source
        self.detail = detail
        self.zh_detail = zh_detail if zh_detail is not None else detail
        super().__init__(f"{source}: {self.en_message()}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, str]]:
        # rebuilt from its parts when it crosses to another process (--jobs)
        return (self.__class__, (self.source, self.detail, self.zh_detail))

    def en_message(self) -> str:
        base = self.__class__.__doc__ or self.code
        base = base.strip().rstrip(".")
        return f"{base}{': ' + self.detail if self.detail else ''}"

    def zh_message(self) -> str:
        return f"{self.zh}{'：' + self.zh_detail if self.zh_detail else ''}"

    def message(self, lang: str = "zh") -> str:
        return f"{self.source}: {self.zh_message() if lang == 'zh' else self.en_message()}"


class FileMissing(InputError):
    """No such file"""

    code = "not-found"
    zh = "文件不存在"


class NotAFile(InputError):
    """Not a regular file, so it was not read"""

    code = "not-a-file"
    zh = "不是普通文件，未读取"


class RemoteInput(InputError):
    """A web address: gongkai reads local files only; download the report first"""

    code = "url"
    zh = "这是网址：gongkai 只读取本地文件，请先下载报告"


class EmptyInput(InputError):
    """The file is empty"""

    code = "empty"
    zh = "文件为空"


class OverLimit(InputError):
    """The file is past a reading limit"""

    code = "over-limit"
    zh = "超出读取上限"


class TooLarge(OverLimit):
    """The file is too large to read safely"""

    code = "too-large"
    zh = "文件过大，拒绝读取"


class UnknownFormat(InputError):
    """The file is not text, HTML, DOCX, PDF or an image of a page"""

    code = "unknown-format"
    zh = "无法识别的文件格式（支持文本、HTML、DOCX、PDF 和页面图片）"


class CorruptFile(InputError):
    """The file is damaged or truncated"""

    code = "corrupt"
    zh = "文件已损坏或不完整"


class EncryptedFile(InputError):
    """The file is password-protected"""

    code = "encrypted"
    zh = "文件有密码保护，无法读取"


class NoTextLayer(InputError):
    """The file has no text layer (a scan or an image) that could be read"""

    code = "no-text"
    zh = "没有可读取的文字层（扫描件或图片）"


class NotAReport(InputError):
    """This is not a government information disclosure annual report"""

    code = "not-a-report"
    zh = "不是政府信息公开工作年度报告"


class RecordError(InputError):
    """The file is not a valid report record"""

    code = "bad-record"
    zh = "不是有效的报告记录"


class Skipped(InputError):
    """Skipped"""

    code = "skipped"
    zh = "已跳过"


class DataError(GongkaiError):
    """Data given to the writer is not a valid report record.

    ``str()`` is the English message; :meth:`message` gives the one in the
    user's language (both name the file, and the sheet and cell of a workbook).
    """

    def __init__(self, en: str, zh: str | None = None) -> None:
        self.en = en
        self.zh = zh if zh is not None else en
        super().__init__(en)

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


class CodedError(GongkaiError):
    """A refusal named by ``code``: its message is ``MESSAGES[code]`` (Chinese, English) formatted with ``kw``.

    ``str()`` is the English message; :meth:`message` gives the one in the user's language.
    """

    MESSAGES: ClassVar[dict[str, tuple[str, str]]] = {}

    def __init__(self, code: str, **kw: Any) -> None:
        self.code, self.kw = code, kw
        super().__init__(pick(self.MESSAGES[code], "en", **kw))

    def message(self, lang: Lang | None = None) -> str:
        return pick(self.MESSAGES[self.code], lang, **self.kw)


class MissingDependency(GongkaiError):
    """An optional dependency or system tool is missing."""
