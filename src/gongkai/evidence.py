"""What the reader found and why: the typed evidence beside a report record.

The public record (:class:`~gongkai.record.Report`) holds what a report says;
:class:`Evidence` holds how the reader knows it — where every value was
printed and how it was placed in its cell, the six parts, the labels as
printed, where the year, the agency and the date came from, the tables found,
the web page's tamper signals, and every :class:`ParseWarning`.

The reader builds it (``gongkai.reading.interpret``), the checker reads it
(``report.evidence``), the corpus stores it. In interchange JSON it travels as
the ``x_`` keys of the record (``x_provenance``, ``x_warnings``, …): those
keys are a serialisation of this model (:meth:`Evidence.to_extras`), read
back by :meth:`Evidence.from_extras`. A record written by another tool may
carry an ``x_`` key of another shape: that key is read as absent (and named in
:attr:`Evidence.unreadable`), so a rule stays silent instead of guessing.

Warnings are registered like rules: :func:`register_warning` gives a code its
title and doc in Chinese and English (one line), :meth:`ParseWarning.make`
refuses a code that is not registered, and ``docs/record-extras.md`` is
rendered from this module (:func:`extras_markdown`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from gongkai.i18n import Lang, pick

#: How a value came to sit in its cell: next to its printed ``label``, in a
#: ruled ``grid`` cell, by its ``order`` in a flattened run of values, or chosen
#: by the report's own ``arithmetic`` among the placements its tokens allow.
Placement = Literal["label", "grid", "order", "arithmetic"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Place(_Model):
    """Where text was printed: 1-based line, page, table, row, cell (any may be absent)."""

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None


class CellSource(Place):
    """Where a cell's value was printed, how it was placed (``by``), and for a value read
    by OCR the engine's confidence (``ocr``)."""

    by: Placement | None = None
    ocr: float | None = None


class SourceFile(_Model):
    path: str | None = None
    format: str | None = None
    size: int | None = None
    encoding: str | None = None


class PartFound(_Model):
    """One of the six parts: its number, heading as printed, where, and its prose."""

    part: int
    title: str = ""
    where: Place | None = None
    text: str = ""


class Signature(_Model):
    agency: str | None = None
    date: dt.date | None = None
    where: Place | None = None


class YearSources(_Model):
    """The year named by the title, the statistics period, and the text (named at least
    3 times and twice as often as any other)."""

    title: int | None = None
    period: int | None = None
    text: int | None = None


class AgencySources(_Model):
    """The agency as named by the title, the signature, a web page's 发布机构, the page's
    own title, and the names the preamble and the close give most often."""

    title: str | None = None
    signature: str | None = None
    page: str | None = None
    page_title: str | None = None
    text: list[str] = Field(default_factory=list)


class PublishedSources(_Model):
    signature: dt.date | None = None
    page: dt.date | None = None


class Decided(_Model):
    """Which source each value of the record was taken from (see docs/reading.md)."""

    year: str | None = None
    agency: str | None = None
    published: str | None = None
    edition: str | None = None


class TableFound(_Model):
    found: bool = False
    edition: str | None = None
    image_only: bool = False
    where: Place | None = None


class Label(_Model):
    text: str
    where: Place | None = None


class UnsureCell(_Model):
    """A cell left null because the printed values could be placed more than one way."""

    table: str
    row: str | None = None
    column: int | str | None = None


class LegacySource(_Model):
    """How a legacy figure was read: ``by`` its label, a plain ``statement`` (未收到…申请)
    or ``arithmetic``, and the text it was read from."""

    by: str | None = None
    text: str | None = None


class LegacyTableRow(_Model):
    """A row of an old report's statistics table: its key, label as printed, values,
    and the candidates when the values split more than one way."""

    model_config = ConfigDict(extra="allow")

    key: str
    printed: str | None = None
    values: list[int | str | None] = Field(default_factory=list)
    candidates: list[list[int | str | None]] | None = None


class BlankCell(_Model):
    table: str
    row: str | None = None
    column: int | str | None = None
    text: str = ""


class ExtraRow(_Model):
    table: str | None = None
    label: str
    values: list[str] = Field(default_factory=list)
    where: Place | None = None


class Signal(_Model):
    """One element of a web page that may betray tampering (a script, link, iframe, …)."""

    model_config = ConfigDict(extra="allow")

    line: int | None = None
    in_content: bool = False
    src: str | None = None
    href: str | None = None
    url: str | None = None
    content: str | None = None
    text: str | None = None
    inline: str | None = None
    email: str | None = None
    type: str | None = None
    alt: str | None = None


class HtmlSignals(_Model):
    scripts: list[Signal] = Field(default_factory=list)
    links: list[Signal] = Field(default_factory=list)
    emails: list[Signal] = Field(default_factory=list)
    hidden_text: list[Signal] = Field(default_factory=list)
    meta_refresh: list[Signal] = Field(default_factory=list)
    iframes: list[Signal] = Field(default_factory=list)
    images: list[Signal] = Field(default_factory=list)


class Attachment(_Model):
    """A file a web page links to as the report (PDF, Word …)."""

    href: str = ""
    text: str = ""
    line: int | None = None


class EmbeddedDiff(_Model):
    key: str
    visible: Any = None
    embedded: Any = None


# ------------------------------------------------------------------ warnings


@dataclass(frozen=True)
class WarningKind:
    """A registered warning code: its title and what it means, in Chinese and English."""

    code: str
    title: tuple[str, str]
    doc: tuple[str, str]


#: Every warning code the reader may give, in the order the docs list them.
WARNINGS: dict[str, WarningKind] = {}


def register_warning(code: str, title: tuple[str, str], doc: tuple[str, str]) -> str:
    """Register ``code`` (kebab-case, unique); returns it, so a module may keep it as a name."""
    if code in WARNINGS:
        raise ValueError(f"warning code {code!r} is registered twice")
    WARNINGS[code] = WarningKind(code, title, doc)
    return code


class ParseWarning(_Model):
    """Something the reader was not sure of, or could not read: a registered ``code``,
    the message in Chinese (``message``) and English (``message_en``), where, and for
    a row the table, row key and the cells expected and shown."""

    model_config = ConfigDict(extra="allow")

    code: str
    message: str = ""
    message_en: str | None = None
    where: Place | None = None
    table: str | None = None
    row: str | None = None
    expected: int | None = None
    actual: int | None = None

    @classmethod
    def make(
        cls, code: str, message: tuple[str, str], *, where: Place | None = None, **fields: Any
    ) -> ParseWarning:
        """A warning of a registered ``code`` with its message ``(zh, en)``."""
        if code not in WARNINGS:
            raise ValueError(f"warning code {code!r} is not registered (gongkai.evidence)")
        return cls(code=code, message=message[0], message_en=message[1], where=where, **fields)

    def text(self, lang: Lang | None = None) -> str:
        return pick((self.message, self.message_en or self.message), lang)

    def to_json(self) -> dict[str, Any]:
        """The warning as an item of the record's ``x_warnings``."""
        out: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        return out


# ------------------------------------------------------------------ evidence


class Evidence(_Model):
    """The reader's evidence for one report; serialised as the record's ``x_`` keys."""

    source: SourceFile | None = Field(
        None,
        alias="x_source",
        description="the input: `path`, `format` read, `size` in bytes, the text "
        "`encoding` used (`utf-8`, `gb18030` …; text and HTML)",
    )
    title: str | None = Field(
        None, alias="x_title", description="the title as printed (first line naming 信息公开…报告)"
    )
    sections: list[PartFound] | None = Field(
        None,
        alias="x_sections",
        description="the parts found: `part` 1–6, `title` as printed, `where`, `text` "
        "= the prose of the part (tables left out)",
    )
    preamble: str | None = Field(
        None,
        alias="x_preamble",
        description="text before part 一 (legal basis, statistics period, contact)",
    )
    text: str | None = Field(
        None, alias="x_text", description="all the text, tables flattened one row a line"
    )
    text_lines: list[int | None] | None = Field(
        None,
        alias="x_text_lines",
        description="for each line of `x_text`, its line in the file (blank lines and page "
        "furniture are left out of the text)",
    )
    text_pages: list[int | None] | None = Field(
        None, alias="x_text_pages", description="for each line of `x_text`, its page"
    )
    signature: Signature | None = Field(
        None,
        alias="x_signature",
        description="the closing signature: `agency` line, `date`, `where`",
    )
    year_sources: YearSources = Field(
        default_factory=YearSources,
        alias="x_year_sources",
        description="the year named by the `title`, the statistics `period` "
        "(2020年1月1日至2020年12月31日) and the `text` (named at least 3 times and twice "
        "as often as any other)",
    )
    agency_sources: AgencySources = Field(
        default_factory=AgencySources,
        alias="x_agency_sources",
        description="the agency named by the `title`, the `signature`, a web `page`'s "
        "发布机构, the `page_title`, and the names the `text` gives most often",
    )
    published_sources: PublishedSources = Field(
        default_factory=PublishedSources,
        alias="x_published_sources",
        description="the `signature` date; a web `page`'s 公开日期/发布日期",
    )
    decided: Decided = Field(
        default_factory=Decided,
        alias="x_decided",
        description="which source each of `year`, `agency`, `published`, `edition` was "
        "taken from (a guess is named so, with a warning)",
    )
    tables: dict[str, TableFound] = Field(
        default_factory=dict,
        alias="x_tables",
        description="`table2`…`table4`: `found`, the `edition` printed, `image_only`, `where`",
    )
    provenance: dict[str, CellSource] = Field(
        default_factory=dict,
        alias="x_provenance",
        description="for every cell key (`table3.new.0`, `table2.rules.made`): where its "
        "value was printed, and how it was placed (`by`: `label`, `grid`, `order`, "
        "`arithmetic`)",
    )
    unsure: list[UnsureCell] = Field(
        default_factory=list,
        alias="x_unsure",
        description="cells left null because the values printed could be placed more than "
        "one way (a warning names the candidates)",
    )
    placed: dict[str, int] | None = Field(
        None, alias="x_placed", description="how many cells were placed by each means (`by`)"
    )
    labels: dict[str, Label] = Field(
        default_factory=dict,
        alias="x_labels",
        description="for every row (`table3.new`): its label as printed, and where",
    )
    blank_cells: list[BlankCell] = Field(
        default_factory=list,
        alias="x_blank_cells",
        description="cells printed blank, `/` or `-` where a number belongs",
    )
    warnings: list[ParseWarning] = Field(
        default_factory=list,
        alias="x_warnings",
        description="what the reader was not sure of or could not read: a registered "
        "`code` (below), `message` (Chinese), `message_en`, `where`, and for a row "
        "`table`, `row`, `expected`, `actual`",
    )
    extra_rows: list[ExtraRow] = Field(
        default_factory=list,
        alias="x_extra_rows",
        description="rows printed that the format does not have (local rows), with their values",
    )
    emails: list[str] = Field(
        default_factory=list, alias="x_emails", description="e-mail addresses in the text"
    )
    html: HtmlSignals | None = Field(
        None,
        alias="x_html",
        description="a web page's `scripts`, `links`, `emails`, `hidden_text`, "
        "`meta_refresh`, `iframes`, `images`, each item with `line` and `in_content`",
    )
    embedded_diff: list[EmbeddedDiff] | None = Field(
        None,
        alias="x_embedded_diff",
        description="where a record embedded by `gongkai render` disagrees with the "
        "visible report: `key`, `visible`, `embedded`",
    )
    attachments: list[Attachment] | None = Field(
        None,
        alias="x_attachments",
        description="a page that holds no report of its own but links to it: the "
        "attachments (`href`, `text`, `line`)",
    )
    ocr: dict[str, Any] | None = Field(
        None,
        alias="x_ocr",
        description="a scan read by OCR: the engine, pages, seconds, skew, `cells` read "
        "and `unsure` ones",
    )
    forced: dict[str, Any] | None = Field(
        None,
        alias="x_forced",
        description="a report gongkai wrote with `render --force` past error findings: "
        "`forced`, the `errors` it had",
    )
    legacy_sources: dict[str, LegacySource] | None = Field(
        None,
        alias="x_legacy_sources",
        description="for each figure of a legacy report: how it was read (`by`) and the `text`",
    )
    legacy_table: list[LegacyTableRow] | None = Field(
        None,
        alias="x_legacy_table",
        description="an old report's statistics table as printed: `key`, `printed`, "
        "`values`, `candidates`",
    )

    _unreadable: list[str] = PrivateAttr(default_factory=list)

    @property
    def unreadable(self) -> list[str]:
        """``x_`` keys of the record that were not of the shape this model reads."""
        return self._unreadable

    @classmethod
    def from_extras(cls, extras: dict[str, Any]) -> Evidence:
        """The evidence of a record's ``x_`` keys; a key of another shape counts as absent."""
        known = {k: v for k, v in extras.items() if k in _ALIASES}
        bad: list[str] = []
        while True:
            try:
                ev = cls.model_validate(known)
                break
            except ValidationError as exc:
                wrong = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
                if not wrong & set(known):  # pragma: no cover - every error names its key
                    raise
                bad += sorted(wrong & set(known))
                known = {k: v for k, v in known.items() if k not in wrong}
        ev._unreadable = bad
        return ev

    def to_extras(self) -> dict[str, Any]:
        """The ``x_`` keys of the record (only what the reader set)."""
        out: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return out

    def has(self, name: str) -> bool:
        """Whether the reader gave ``name`` at all (an empty list is not an absent key)."""
        return name in self.model_fields_set

    def warnings_of(self, *codes: str) -> list[ParseWarning]:
        return [w for w in self.warnings if w.code in codes]


_ALIASES = frozenset(str(f.alias) for f in Evidence.model_fields.values())


def extras_markdown() -> str:
    """``docs/record-extras.md``: the ``x_`` keys and the warning codes, from this module."""
    lines = [
        "# The reader's own keys (`x_…`) in a report record",
        "",
        "Generated from `gongkai.evidence` (`extras_markdown()`, `make docs`); do not edit",
        "by hand. `gongkai parse --json` prints the report record of",
        "`shared/spec/interchange.md`; beside the public keys it adds the reader's evidence",
        "as keys of its own, all starting with `x_`. The checker reads them;",
        "`gongkai parse --json --private` leaves them out.",
        "",
        "| key | what |",
        "|---|---|",
    ]
    for f in Evidence.model_fields.values():
        lines.append(f"| `{f.alias}` | {f.description} |")
    lines += [
        "",
        "Cell keys in `x_provenance`: `table2.<row>.<column key>`, `table3.<row>.<index 0–6>`,",
        "`table4.<group>.<index 0–4>`. A place (`where`) holds any of `line`, `page`,",
        "`table`, `row`, `col` (1-based).",
        "",
        "## 解析提示 / Warnings (`x_warnings`)",
        "",
        "| code | 提示 | warning |",
        "|---|---|---|",
    ]
    for w in WARNINGS.values():
        lines.append(f"| `{w.code}` | {w.title[0]} | {w.title[1]} |")
    for w in WARNINGS.values():
        lines += ["", f"### `{w.code}`", "", f"{w.title[0]}。{w.doc[0]}", ""]
        lines.append(f"{w.title[1][:1].upper()}{w.title[1][1:]}. {w.doc[1]}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ the codes
# One line a code; a new one goes here (the docs test names any left undocumented).

register_warning("short-row", ("一行的数值少于格数", "a row shows fewer values than cells"), ("一行显示的数值少于应有的格数：列出各种放法，只留下符合本行勾稽关系（及表三列关系）的；各放法一致的格放入，其余记为空并列出候选；算术规则不据空格下结论。", "A row shows fewer values than it has cells: every placement is listed and only those its arithmetic (and table 3's column relations) allow are kept; cells they agree on are placed, the rest are null with the candidates named; arithmetic rules draw no conclusion from them."))  # fmt: skip
register_warning("long-row", ("一行的数值多于格数", "a row shows more values than cells"), ("一行显示的数值多于应有的格数：由勾稽关系判断哪个数值是多余的；无法判断的格记为空并列出候选。", "A row shows more values than it has cells: the arithmetic decides which value is surplus; cells it cannot decide are null with the candidates named."))  # fmt: skip
register_warning("not-a-count", ("不是整数", "not a whole number"), ("应为件数的格子里印的不是整数，记为空。", "A cell that holds a count shows something else; it is null."))  # fmt: skip
register_warning("duplicate-row", ("行重复出现", "a row appears twice"), ("同一行出现两次，采用第一次出现的数值。", "The same row is printed twice; the first is kept."))  # fmt: skip
register_warning("other-edition-row", ("另一版格式的行", "a row of the other edition"), ("表二中出现了另一版格式的行，未计入，列在 `x_extra_rows`。", "Table 2 holds a row of the other edition; kept aside in `x_extra_rows`."))  # fmt: skip
register_warning("embedded-invalid", ("内嵌记录无效", "embedded record invalid"), ("文件中 gongkai 写入的记录不是有效的 JSON 对象，未用于比对。", "The record gongkai embedded in the file is not a valid JSON object; it is not compared."))  # fmt: skip
register_warning("docx-altchunk", ("引入了外部文件", "imports another file"), ("Word 文件通过 altChunk 引入了另一个文件，其中的文字未读取。", "The Word file imports another file (altChunk); its text is not read."))  # fmt: skip
register_warning("table-truncated", ("表格过大", "table too large"), ("表格的单元格或合并范围超出上限，其余部分未读取。", "A table has more (spanned) cells than the reader reads; the rest is not read."))  # fmt: skip
register_warning("html-parse-stopped", ("网页解析提前结束", "HTML parsing stopped"), ("HTML 解析器提前停止，其后的文字丢失。", "The HTML parser stopped early; later text is lost."))  # fmt: skip
register_warning("pdf-objects", ("页面对象过多", "too many objects on a page"), ("PDF 页面的对象过多，表格可能未识别。", "A PDF page holds too many objects; tables may be missed."))  # fmt: skip
register_warning("pages-truncated", ("页数过多", "too many pages"), ("只读取了前面的页。", "Only the first pages were read."))  # fmt: skip
register_warning("pdf-pages", ("有页面无法读取", "pages could not be read"), ("PDF 中有页面无法读取。", "Pages of the PDF could not be read."))  # fmt: skip
register_warning("pdf-garbled", ("文字层是乱码", "garbled text layer"), ("PDF 文字层的大部分字形没有对应的文字（缺少 ToUnicode），读出的文字不可信。", "Much of the PDF's text layer is unmapped glyphs (no ToUnicode); the text read is not to be trusted."))  # fmt: skip
register_warning("no-text-page", ("页面没有文字", "pages without text"), ("PDF 中有页面没有文字层（扫描件？）。", "Pages of the PDF have no text layer (scanned?)."))  # fmt: skip
register_warning("fused-cells", ("数值粘连", "values run together"), ("一行的数值粘连在一起（如 `1203`），有多种拆分方式：只有一种符合勾稽关系时采用，否则无法确定的格记为空，并列出候选。", "A row's values run together (`1203`) and split more than one way: the one its arithmetic confirms is taken, else the cells in doubt are null and the candidates listed."))  # fmt: skip
register_warning("scope", ("全辖区的数字", "a figure for the whole jurisdiction"), ("旧式报告说的是全区/全市的数字，不是本机关的，该项记为空。", "An old report states a figure for the whole jurisdiction (全区/全市), not the agency's own; it is null."))  # fmt: skip
register_warning("legacy-conflict", ("正文与统计表不一致", "prose and table disagree"), ("旧式报告的正文与所附统计表给出不同的数字，该项记为空。", "An old report's prose and its statistics table give different figures; the figure is null."))  # fmt: skip
register_warning("invalid-bytes", ("有字节无法解码", "bytes that do not decode"), ("文件中有少数字节不是所用编码的有效字符，已替换为 \ufffd；`encoding` 为所用编码，`offsets` 为字节偏移。", "A few bytes of the file are not valid in its encoding and were replaced by \ufffd; `encoding` names the encoding, `offsets` the byte offsets."))  # fmt: skip
register_warning("control-characters", ("删除了控制字符", "control characters removed"), ("文本中的控制字符（NUL 等）会遮住其后的标签，已删除；`lines` 为所在行。", "Control characters (NUL …) would hide the label after them and were removed; `lines` names the lines."))  # fmt: skip
register_warning("report-in-attachment", ("报告在附件中", "the report is an attachment"), ("网页没有报告正文和表格，只以附件（PDF、Word 等）链接报告，列在 `x_attachments`。", "The page holds neither the report's text nor its tables but links to it as an attachment (PDF, Word …), listed in `x_attachments`."))  # fmt: skip
register_warning("ocr-unsure", ("OCR 识别不确定", "OCR not sure"), ("扫描件或表格图片中 OCR 读出的数值不可靠（置信度低、不像数字，或与勾稽关系不符），记为空；`cell` 为单元格，`candidates` 为读出的文字，`confidence` 为置信度。", "A value OCR read from a scan or a table image cannot be vouched for (low confidence, not a number, or against the arithmetic); it is null. `cell` names the cell, `candidates` what was read, `confidence` the engine's score."))  # fmt: skip
register_warning("forced-output", ("强制生成的报告", "written by force"), ("本报告由 `gongkai render --force` 越过错误检查结果生成，内嵌记录列出了这些错误。", "The report was written by `gongkai render --force` past error findings; the embedded record lists them."))  # fmt: skip
register_warning("images-unreachable", ("图片无法读取", "images not reachable"), ("网页中的报告表格是图片，但图片不在网页旁（另存网页的 `_files/` 文件夹），无法识别，其中的数字缺失；`sources` 列出这些图片。", "The page's tables are images that are not beside it (a saved page's `_files/` folder), so they could not be read and their figures are missing; `sources` lists them."))  # fmt: skip
register_warning("images-not-read", ("图片未识别", "images not read"), ("网页旁有报告的表格图片，但没有安装 OCR（`pip install gongkai[ocr]`），未识别；`sources` 列出这些图片。", "Images of the report's tables sit beside the page but no OCR is installed (`pip install gongkai[ocr]`); they were not read. `sources` lists them."))  # fmt: skip
register_warning("column-runs", ("表三按列印出", "table 3 printed column by column"), ("表三的数值按列印出（每页先是一列的全部数值，再是下一列），各列的先后文字中看不出：总计列由每行的勾稽关系找出，其余各列只在各列数值相同的行放置，其他格记为空。", "Table 3's values are printed one column after another, page by page, in an order the text does not tell: the 总计 column is found by each row's arithmetic; the other columns are placed only in rows where they all agree, every other cell is null."))  # fmt: skip
register_warning("no-values", ("标签有而数值无", "a label without values"), ("一行的标签已印出，却没有找到它的数值（数值印在别处而无法对应，或单元格什么也没有）：该行的格列在 `x_unsure`，不当作缺行。", "A row's label is printed but none of its values were found (printed elsewhere and not placeable, or cells with nothing in them): its cells are listed in `x_unsure`, and the row is not taken for missing."))  # fmt: skip
register_warning("unconfirmed-order", ("按顺序对应未经证实", "order not confirmed"), ("数值印在标签之外，只能按顺序对应，而表格的勾稽关系不能证实这种对应，整行记为空，并列出按顺序的数值。", "The values are printed away from their label and could only be matched by order, which the table's arithmetic does not confirm; the row is null, with the values in order as the candidates."))  # fmt: skip
register_warning("year-guessed", ("年度属推测", "year guessed"), ("标题和统计期限都没有写明年度：取正文中出现最多的年份，或落款日期的前一年；`source` 说明取法，`candidates` 为正文中出现的年份。", "Neither the title nor the statistics period names the year: the year the text names most often, or the year before the signature's date, is taken; `source` says which, `candidates` lists the years the text names."))  # fmt: skip
register_warning("edition-guessed", ("格式版本属推测", "edition guessed"), ("表格的列和行以及报告年度都不能确定格式版本（2019 或 2021 版），按 2021 版读取。", "Neither the tables' columns and rows nor the year decide the edition (2019 or 2021); the 2021 edition is read."))  # fmt: skip
