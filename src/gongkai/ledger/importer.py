"""Reading an agency's existing 台账 (Excel or CSV) into applications and events.

Columns are found by their header names (:data:`HEADERS`; ``mapping``
names the rest: ``{"登记号": "number"}``). Dates may be typed as
2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日, or be Excel date numbers.
Applicant types and outcomes are matched against the labels of the national
format. Every row that cannot be taken is named with its row number and the
reason; :func:`parse_rows` returns them all, and the caller imports nothing
unless the file is clean (or ``skip_bad`` was asked for).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai import written
from gongkai.errors import CodedError
from gongkai.i18n import Lang, pick
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    APPLICATION_FIELDS,
    Application,
    Event,
    edition_of,
    outcome_rows,
)
from gongkai.ledger.state import Refused, replay
from gongkai.national.editions import EDITION_2021, table3_all_rows

FIELDS = (*APPLICATION_FIELDS, "answered", "outcome")
REQUIRED = ("number", "received", "applicant_type")

#: Header names staff use, per field (compared without spaces and brackets).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("编号", "申请编号", "登记编号", "受理编号", "流水号", "number"),
    "received": (
        "收到日期",
        "收到申请日期",
        "申请日期",
        "受理日期",
        "登记日期",
        "收件日期",
        "received",
    ),
    "channel": ("申请方式", "申请渠道", "提交方式", "收到方式", "渠道", "channel"),
    "applicant_type": ("申请人类型", "申请人类别", "申请人性质", "申请主体类型", "applicant_type"),
    "applicant_name": ("申请人", "申请人姓名", "申请人名称", "姓名", "applicant_name"),
    "applicant_contact": ("联系方式", "联系电话", "电话", "通讯地址", "applicant_contact"),
    "request": ("申请内容", "申请事项", "所需信息", "申请公开内容", "所需政府信息", "request"),
    "answered": ("答复日期", "办结日期", "答复时间", "answered"),
    "outcome": ("办理结果", "答复结果", "处理结果", "答复类型", "outcome"),
}

_CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("post_registered", ("挂号", "EMS", "ems", "签收", "快递")),
    ("post_ordinary", ("邮寄", "信函", "平信", "邮件寄送")),
    ("fax", ("传真",)),
    ("online", ("网", "在线", "电子邮件", "邮箱", "email", "online")),
    ("in_person", ("当面", "现场", "窗口", "面交", "in_person")),
)
_WITHDRAWN = ("撤回", "withdrawn")

_MSG = {
    "no_header": (
        "{source}：找不到必需的列 {fields}（可用 --map 表头=字段 指定，字段：{all}）",
        "{source}: required columns not found: {fields} (use --map HEADER=FIELD; fields: {all})",
    ),
    "bad_map": (
        "{source}：--map 的字段 {field} 不存在（可用：{all}）",
        "{source}: --map field {field} does not exist (fields: {all})",
    ),
    "row": ("第 {row} 行：{reason}", "row {row}: {reason}"),
    "missing": ("缺少{what}", "{what_en} is missing"),
    "bad_date": ("{what}「{value}」不是日期", "{what_en} {value!r} is not a date"),
    "bad_type": (
        "申请人类型「{value}」不是表三的列（{choices}）",
        "applicant type {value!r} is not a column of table 3 ({choices})",
    ),
    "bad_channel": ("申请方式「{value}」无法识别", "channel {value!r} is not recognised"),
    "bad_outcome": (
        "办理结果「{value}」不是表三的结果行",
        "outcome {value!r} is not an outcome row of table 3",
    ),
    "ambiguous_outcome": (
        "办理结果「{value}」可能是：{choices}",
        "outcome {value!r} could be: {choices}",
    ),
    "outcome_no_date": ("有办理结果但没有答复日期", "an outcome without the date of the answer"),
    "date_no_outcome": ("有答复日期但没有办理结果", "a date of answer without the outcome"),
    "duplicate": ("编号 {number} 与第 {other} 行重复", "number {number} repeats row {other}"),
    "in_ledger": ("编号 {number} 已在台账中", "number {number} is already in the ledger"),
    "unreadable": ("{source}：无法读取（{detail}）", "{source}: cannot be read ({detail})"),
    "empty": ("{source}：没有数据行", "{source}: no rows of data"),
}

_WHAT = {
    "number": ("编号", "the number"),
    "received": ("收到日期", "the date of receipt"),
    "applicant_type": ("申请人类型", "the applicant type"),
    "answered": ("答复日期", "the date of answer"),
}


class ImportFileError(CodedError, ValueError):
    """The file as a whole cannot be imported (unreadable, no header)."""

    MESSAGES = _MSG


@dataclass(frozen=True)
class BadRow:
    row: int
    code: str
    kw: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: Lang | None = None) -> str:
        kw = dict(self.kw)
        w = kw.get("what")
        if w in _WHAT:
            kw["what"], kw["what_en"] = _WHAT[w]
        exc = kw.pop("exc", None)
        reason = (
            exc.message(lang) if isinstance(exc, Refused) else pick(_MSG[self.code], lang, **kw)
        )
        return pick(_MSG["row"], lang, row=self.row, reason=reason)


@dataclass
class Parsed:
    """What a file holds: good rows (application, events) and the bad rows."""

    rows: list[tuple[int, Application, list[Event]]]
    bad: list[BadRow]
    columns: dict[str, str]

    @property
    def clean(self) -> bool:
        return not self.bad


# ------------------------------------------------------------------ dates

_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date | None:
    """A date typed by a person, or an Excel date number; None when it is not one."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip().translate(_FULLWIDTH)
    if not text:
        return None
    date = written.parse_date(text, whole=True)
    if date is not None:
        return date
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial(float(text))
    return None


def _serial(n: float) -> dt.date | None:
    if not 20000 <= n <= 80000:  # 1954–2119: other numbers are not dates
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(n))


_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．　", "0123456789/-. ")


# ------------------------------------------------------------------ reading


def read_table(path: str | Path, sheet: str | None = None) -> list[list[Any]]:
    """The cells of a CSV file or of a workbook's sheet (the first by default)."""
    p = Path(path)
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return _read_xlsx(p, sheet)
        data = p.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            "unreadable", source=str(p), detail=exc.strerror or str(exc)
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ImportFileError("unreadable", source=str(p), detail=type(exc).__name__) from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportFileError("unreadable", source=str(p), detail="encoding")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _read_xlsx(p: Path, sheet: str | None) -> list[list[Any]]:
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _norm(s: Any) -> str:
    return re.sub(r"[\s（）()【】\[\]:：*＊]", "", str(s or "")).lower()


def find_columns(
    header: list[Any], mapping: dict[str, str] | None = None, source: str = "<file>"
) -> dict[str, int]:
    """Which column holds which field."""
    found: dict[str, int] = {}
    names = [_norm(h) for h in header]
    for head, fld in (mapping or {}).items():
        if fld not in FIELDS:
            raise ImportFileError("bad_map", source=source, field=fld, all=", ".join(FIELDS))
        if _norm(head) in names:
            found[fld] = names.index(_norm(head))
    for fld, words in HEADERS.items():
        if fld in found:
            continue
        for w in words:
            if _norm(w) in names and names.index(_norm(w)) not in found.values():
                found[fld] = names.index(_norm(w))
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        raise ImportFileError(
            "no_header", source=source, fields=", ".join(missing), all=", ".join(FIELDS)
        )
    return found


def _header_row(rows: list[list[Any]], mapping: dict[str, str] | None, source: str) -> int:
    """The first of the top rows that names the required columns (titles may come first)."""
    first_error: ImportFileError | None = None
    for i, row in enumerate(rows[:10]):
        try:
            find_columns(row, mapping, source)
            return i
        except ImportFileError as exc:
            if exc.code == "bad_map":
                raise
            first_error = first_error or exc
    raise first_error or ImportFileError("empty", source=source)


# ------------------------------------------------------------------ values

_TYPE_LABELS: dict[str, str] = {}
for _c in EDITION_2021.table("table3").columns:
    if _c.key in APPLICANT_TYPES:
        for _label in (_c.label, _c.key):
            _TYPE_LABELS[_norm(_label)] = _c.key


def applicant_type(value: Any) -> str | None:
    v = _norm(value)
    if v in _TYPE_LABELS:
        return _TYPE_LABELS[v]
    hits = {k for label, k in _TYPE_LABELS.items() if label and (label in v or v in label) and v}
    return hits.pop() if len(hits) == 1 else None


def channel(value: Any) -> str | None:
    v = str(value or "").strip()
    if not v:
        return "in_person"
    for key, words in _CHANNEL_WORDS:
        if any(w in v for w in words):
            return key
    return None


def _label_core(label: str) -> str:
    s = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    s = re.sub(r"^\d+[.、．]", "", s)
    s = re.sub(r"（.*）$", "", s)
    return _norm(s)


def outcome(value: Any, date: dt.date) -> tuple[str | None, list[str]]:
    """The outcome row key for ``value`` in the edition of ``date``, and the candidates."""
    v = _norm(re.sub(r"^（[一二三四五六七八九十]+）|^\d+[.、．]", "", str(value or "").strip()))
    rows = set(outcome_rows(edition_of(date)))
    candidates = [r for r in table3_all_rows() if r.key in rows]
    exact = [
        r.key for r in candidates if v == r.key or any(_label_core(lb) == v for lb in r.labels)
    ]
    if exact:
        return exact[0], exact
    loose = [r.key for r in candidates if any(v and (v in _label_core(lb)) for lb in r.labels)]
    if len(loose) == 1:
        return loose[0], loose
    return None, loose


# ------------------------------------------------------------------ rows


def parse_rows(
    rows: list[list[Any]],
    mapping: dict[str, str] | None = None,
    source: str = "<file>",
    existing: Iterable[str] = (),
) -> Parsed:
    """Turn the cells of a 台账 into applications and events, naming every bad row."""
    if not rows:
        raise ImportFileError("empty", source=source)
    h = _header_row(rows, mapping, source)
    cols = find_columns(rows[h], mapping, source)
    known = set(existing)
    seen: dict[str, int] = {}
    good: list[tuple[int, Application, list[Event]]] = []
    bad: list[BadRow] = []
    for i in range(h + 1, len(rows)):
        line = i + 1  # as the spreadsheet numbers rows
        row = rows[i]
        cell = {f: (row[c] if c < len(row) else None) for f, c in cols.items()}
        if all(v is None or str(v).strip() == "" for v in cell.values()):
            continue
        result = _one(line, cell)
        if isinstance(result, BadRow):
            bad.append(result)
            continue
        app, events = result
        if app.number in known:
            bad.append(BadRow(line, "in_ledger", {"number": app.number}))
            continue
        if app.number in seen:
            bad.append(BadRow(line, "duplicate", {"number": app.number, "other": seen[app.number]}))
            continue
        seen[app.number] = line
        good.append((line, app, events))
    if not good and not bad:
        raise ImportFileError("empty", source=source)
    return Parsed(good, bad, {f: str(rows[h][c]) for f, c in cols.items()})


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _one(line: int, cell: dict[str, Any]) -> tuple[Application, list[Event]] | BadRow:
    number = _text(cell.get("number"))
    if not number:
        return BadRow(line, "missing", {"what": "number"})
    raw_received = cell.get("received")
    if raw_received is None or _text(raw_received) == "":
        return BadRow(line, "missing", {"what": "received"})
    received = parse_date(raw_received)
    if received is None:
        return BadRow(line, "bad_date", {"what": "received", "value": _text(raw_received)})
    kind = applicant_type(cell.get("applicant_type"))
    if kind is None:
        choices = "、".join(
            c.label for c in EDITION_2021.table("table3").columns if c.key in APPLICANT_TYPES
        )
        return BadRow(
            line, "bad_type", {"value": _text(cell.get("applicant_type")), "choices": choices}
        )
    ch = channel(cell.get("channel"))
    if ch is None:
        return BadRow(line, "bad_channel", {"value": _text(cell.get("channel"))})
    app = Application(
        number=number,
        received=received,
        channel=ch,
        applicant_type=kind,
        applicant_name=_text(cell.get("applicant_name")),
        applicant_contact=_text(cell.get("applicant_contact")),
        request=_text(cell.get("request")),
    )
    events: list[Event] = []
    raw_answer, raw_outcome = cell.get("answered"), _text(cell.get("outcome"))
    if raw_answer is not None and _text(raw_answer):
        answered = parse_date(raw_answer)
        if answered is None:
            return BadRow(line, "bad_date", {"what": "answered", "value": _text(raw_answer)})
        if not raw_outcome:
            return BadRow(line, "date_no_outcome")
        if any(w in raw_outcome for w in _WITHDRAWN):
            events.append(Event("withdrawn", answered, reason=raw_outcome))
        else:
            key, cands = outcome(raw_outcome, answered)
            if key is None:
                if len(cands) > 1:
                    return BadRow(
                        line,
                        "ambiguous_outcome",
                        {"value": raw_outcome, "choices": ", ".join(cands)},
                    )
                return BadRow(line, "bad_outcome", {"value": raw_outcome})
            events.append(Event("answered", answered, outcome=key))
    elif raw_outcome:
        return BadRow(line, "outcome_no_date")
    try:
        replay(app, events)
    except Refused as exc:
        return BadRow(line, "refused", {"exc": exc})
    return app, events


def iter_messages(bad: list[BadRow], lang: Lang | None = None) -> Iterator[str]:
    for b in bad:
        yield b.message(lang)
