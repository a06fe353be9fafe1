"""What the writer writes from: a report record plus the agency's own text.

:class:`ReportData` wraps a :class:`~gongkai.record.Report` (the numbers,
agency, year, edition, date) and a :class:`Narrative` (title, preamble,
contact, the text of parts 一…六, the signing body). On disk it is the
report record of ``interchange.md`` with the narrative under ``x_narrative``
— the same JSON gongkai embeds in every report it writes, so a rendered
report's embedded copy is itself valid input.

:func:`load_data` reads a workbook made by ``gongkai template``, a JSON or a
YAML file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gongkai.errors import DataError
from gongkai.national.editions import (
    WRITABLE_EDITIONS,
    edition_for_year,
)
from gongkai.national.model import Edition
from gongkai.record import Report
from gongkai.structured import StructuredError, loads
from gongkai.write.messages import Locator, data_error, validation_error

#: The narrative's key in the record (a parser-style private key).
NARRATIVE_KEY = "x_narrative"
#: Present in the embedded record of a report written past error findings (``--force``).
FORCED_KEY = "x_forced"

_EDITIONS = WRITABLE_EDITIONS

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates (undecodable bytes)
_UNSHOWN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)  # NUL → ␀, BEL → ␇, ESC → ␛
    return "\u2421" if c == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """Text every output can carry and no output acts on: line ends as ``\\n``, control
    characters as their pictures (NUL → ␀, ESC → ␛, DEL → ␡), C1 controls and lone
    surrogates as U+FFFD. A DOCX cannot hold a NUL, a terminal would obey an ESC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _UNSHOWN.sub(_picture, text)


def one_line(text: str) -> str:
    """:func:`visible` text of a field printed on one line (the agency, the title): a line
    break or tab is a space, so the field cannot run into the next line of the report."""
    return re.sub(r"[ \t]*[\n\t][ \t\n]*", " ", visible(text)).strip()


class Narrative(BaseModel):
    """The agency's own text. Every field may be left out.

    ``parts`` maps the part number (1–6) to its text; lines are paragraphs,
    a short line starting ``（一）`` … is a sub-heading. The placeholders
    ``{{申请情况}}``, ``{{主动公开}}`` and ``{{复议诉讼}}`` stand for sentences
    gongkai writes from the tables (see :mod:`gongkai.write.sentences`).
    """

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(
        None, description="title; default '<agency><year>年政府信息公开工作年度报告'"
    )
    preamble: str | None = Field(
        None, description="opening paragraph; default: legal basis and period"
    )
    contact: str | None = Field(
        None, description="where to ask about the report (added to the preamble)"
    )
    parts: dict[int, str] = Field(default_factory=dict, description="text of parts 1–6")
    signature: str | None = Field(None, description="signing body; default the agency")

    @field_validator("parts")
    @classmethod
    def _parts_1_to_6(cls, v: dict[int, str]) -> dict[int, str]:
        for k in v:
            if not 1 <= k <= 6:
                raise ValueError(f"part {k}: parts are numbered 1 to 6")
        return {k: visible(t or "").strip() for k, t in sorted(v.items())}

    @field_validator("preamble")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return visible(v).strip() or None if isinstance(v, str) else v

    @field_validator("title", "contact", "signature")
    @classmethod
    def _one_line(cls, v: str | None) -> str | None:
        return one_line(v) or None if isinstance(v, str) else v


class ReportData(BaseModel):
    """A report to write: the record and the narrative."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    report: Report
    narrative: Narrative = Field(default_factory=Narrative)
    #: Rules of error severity the data breaks and was written past (``--force``).
    forced: tuple[str, ...] = ()

    @property
    def edition(self) -> Edition:
        return _EDITIONS[self.report.template]

    @property
    def agency(self) -> str:
        return self.report.agency or ""

    @property
    def year(self) -> int:
        return self.report.year or 0

    @property
    def title(self) -> str:
        return self.narrative.title or f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def signature(self) -> str:
        return self.narrative.signature or self.agency

    def part_text(self, number: int) -> str:
        return self.narrative.parts.get(number, "")

    def to_dict(self) -> dict[str, Any]:
        """The record (public keys) with the narrative under ``x_narrative``."""
        d = self.report.to_dict(private=False)
        d[NARRATIVE_KEY] = self.narrative.model_dump(mode="json", exclude_none=True)
        if not d[NARRATIVE_KEY].get("parts"):
            d[NARRATIVE_KEY].pop("parts", None)
        if self.forced:
            d[FORCED_KEY] = {"forced": True, "errors": list(self.forced)}
        return d

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


# ---------------------------------------------------------------- building


def blank_tables(edition: Edition) -> dict[str, Any]:
    """Every table of ``edition`` with every cell blank."""
    out: dict[str, Any] = {}
    for table in edition.tables:
        if table.key == "table2":
            out["table2"] = {
                r.key: {c.key: None for c in table.row_columns(r.key)} for r in table.rows
            }
        else:
            out[table.key] = {r.key: [None] * len(table.columns) for r in table.rows}
    return out


def _kind(value: object) -> tuple[str, str]:
    """What a value in a data file is, in words (Chinese, English)."""
    if isinstance(value, str):
        return "一段文字", "a text"
    if isinstance(value, int | float):
        return "一个数", "a number"
    if isinstance(value, list | tuple):
        return "一个列表", "a list"
    return "其他内容", type(value).__name__


def complete(record: dict[str, Any], edition: Edition) -> dict[str, Any]:
    """``record`` with every table, row and cell of ``edition`` present (blank where absent)."""
    full = blank_tables(edition)
    for key, table in full.items():
        given = record.get(key) or {}  # (a mapping: from_dict refuses any other table)
        for row, cells in table.items():
            g = given.get(row)
            if g is None:
                continue
            if isinstance(cells, dict) and isinstance(g, dict):
                cells.update(g)
            elif isinstance(cells, list) and isinstance(g, list | tuple):
                table[row] = list(g)
            else:
                table[row] = g  # (a row of the wrong shape: validation names it)
        for row in given:
            if row not in table:
                table[row] = given[row]  # let validation name the unknown row
    return {**record, **full}


def from_dict(
    raw: dict[str, Any], source: str = "<data>", locate: Locator | None = None
) -> ReportData:
    """Validate a record dict (with an optional narrative) into :class:`ReportData`.

    The edition defaults to the one the law requires for the year; missing
    rows and tables are blank. Raises :class:`DataError` naming ``source``
    (and, through ``locate``, the workbook cell of the value at fault).
    """
    if not isinstance(raw, dict):
        raise DataError(
            f"{source}: expected a mapping (a report record), got {type(raw).__name__}",
            f"{source}：应为报告记录（键值表），实为 {type(raw).__name__}",
        )
    raw = dict(raw)
    narrative_raw = raw.pop(NARRATIVE_KEY, None)
    if narrative_raw is None:
        narrative_raw = raw.pop("narrative", None)
    raw = {k: v for k, v in raw.items() if not (k.startswith("x_") and k != NARRATIVE_KEY)}
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise data_error(
            source,
            ("year",),
            f"'year' must be the statistics year, e.g. 2024 (got {year!r})",
            f"应填写统计年度，如 2024（实为 {year!r}）"
            if year is not None
            else "请填写统计年度，如 2024",
            locate,
        )
    template = str(raw.get("template") or edition_for_year(year).id)
    if template not in _EDITIONS:
        raise data_error(
            source,
            ("template",),
            f"template {template!r} cannot be written; use 2019 (reports of 2019–2020) or 2021",
            f"格式版本 {template!r} 无法生成；请用 2019（2019、2020 年度报告）或 2021",
            locate,
        )
    raw["template"] = template
    raw.setdefault("published", None)
    if not raw.get("agency"):
        raise data_error(
            source,
            ("agency",),
            "'agency' (the issuing body) is required",
            "请填写机关名称（发布报告的机关全称）",
            locate,
        )
    if isinstance(raw["agency"], str):
        raw["agency"] = one_line(raw["agency"])
    if isinstance(raw["published"], dt.datetime):
        raw["published"] = raw["published"].date()
    for key in ("table2", "table3", "table4"):
        given = raw.get(key)
        if given and not isinstance(given, dict):
            zh, en = _kind(given)
            raise data_error(
                source,
                (key,),
                f"'{key}' must give its rows by key (row: values), not {en}",
                f"应按行填写（行名: 数值），这里却是{zh}",
                locate,
            )
    raw = complete(raw, _EDITIONS[template])
    _money_as_text(raw, _EDITIONS[template])
    try:
        report = Report.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(source, exc, locate) from None
    try:
        narrative = Narrative.model_validate(narrative_raw or {})
    except ValidationError as exc:
        raise validation_error(source, exc, locate) from None
    return ReportData(report=report, narrative=narrative)


def _money_as_text(raw: dict[str, Any], edition: Edition) -> None:
    """Money typed as a number (YAML ``7730.28``) becomes the text printed."""
    from gongkai.write.grid import money_text

    t2 = raw.get("table2")
    if not isinstance(t2, dict):
        return
    table = edition.table("table2")
    for row in table.rows:
        cells = t2.get(row.key)
        if not isinstance(cells, dict):
            continue
        for col in table.row_columns(row.key):
            v = cells.get(col.key)
            if col.kind == "money" and isinstance(v, int | float) and not isinstance(v, bool):
                cells[col.key] = money_text(v)


def load_data(path: str | Path) -> ReportData:
    """Read DATA: a workbook from ``gongkai template`` (.xlsx), JSON, or YAML."""
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such file", f"{p}：文件不存在")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from gongkai.write.xlsx import read_workbook

        return read_workbook(p)
    return from_dict(load_structured(p), str(p))


def load_structured(p: Path) -> Any:
    """The JSON (``.json``) or YAML (any other suffix) in ``p``, parsed within bounds."""
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{p}: not UTF-8 text (byte {exc.start})",
            f"{p}：不是 UTF-8 文本（第 {exc.start} 字节）",
        ) from None
    except OSError as exc:
        raise DataError(
            f"{p}: {exc.strerror or exc}", f"{p}：无法读取（{exc.strerror or exc}）"
        ) from None
    try:
        return loads(text, "json" if p.suffix.lower() == ".json" else "yaml")
    except StructuredError as exc:
        raise DataError(f"{p}: {exc.en}", f"{p}：{exc.zh}") from None


def dump_yaml(data: ReportData) -> str:
    """``data`` as YAML, tables one row a line."""
    d = data.to_dict()
    parts = d.get(NARRATIVE_KEY, {}).get("parts")
    if parts:
        d[NARRATIVE_KEY]["parts"] = {int(k): v for k, v in parts.items()}

    class _Dumper(yaml.SafeDumper):
        pass

    def _list(dumper: yaml.SafeDumper, v: list[Any]) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)

    def _str(dumper: yaml.SafeDumper, v: str) -> yaml.Node:
        style = "|" if "\n" in v else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", v, style=style)

    def _dict(dumper: yaml.SafeDumper, v: dict[Any, Any]) -> yaml.Node:
        flow = bool(v) and all(
            isinstance(k, str)
            and (x is None or isinstance(x, int | float) or (isinstance(x, str) and len(x) <= 20))
            for k, x in v.items()
        )
        return dumper.represent_mapping("tag:yaml.org,2002:map", v, flow_style=flow)

    _Dumper.add_representer(list, _list)
    _Dumper.add_representer(dict, _dict)
    _Dumper.add_representer(str, _str)
    out: str = yaml.dump(d, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return out
