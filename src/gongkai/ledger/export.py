"""The ledger written out row by row: XLSX (applications and the audit trail) or CSV.

``redact`` drops the applicant's name and contact (the personal data). Text
typed by people is written as text: a cell starting with ``=``, ``+``, ``-``
or ``@`` is prefixed with an apostrophe so no spreadsheet runs it as a
formula. Files are written to a temporary name and renamed, so a crash never
leaves half a file under the name asked for.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gongkai.i18n import Lang, pick
from gongkai.ledger.calendar import UnknownYear, WorkCalendar
from gongkai.ledger.model import CHANNELS, EVENT_KINDS, Application, Event
from gongkai.ledger.state import replay, status_label
from gongkai.national.editions import EDITION_2021, table3_all_rows
from gongkai.output import atomic_write

_COLUMNS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("number", ("编号", "number")),
    ("received", ("收到日期", "received")),
    ("channel", ("申请方式", "channel")),
    ("applicant_type", ("申请人类型", "applicant type")),
    ("applicant_name", ("申请人", "applicant")),
    ("applicant_contact", ("联系方式", "contact")),
    ("request", ("申请内容", "request")),
    ("status", ("状态", "status")),
    ("due", ("答复期限", "due")),
    ("closed_on", ("办结日期", "closed on")),
    ("outcome", ("办理结果", "outcome")),
)
_EVENT_COLUMNS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("seq", ("序号", "seq")),
    ("number", ("申请编号", "application")),
    ("date", ("日期", "date")),
    ("kind", ("事件", "event")),
    ("detail", ("内容", "detail")),
    ("actor", ("记录人", "recorded by")),
    ("recorded_at", ("记录时间", "recorded at")),
)
PERSONAL = ("applicant_name", "applicant_contact")
_SHEETS = (("申请", "applications"), ("事件", "events"))

_TYPE_LABEL = {c.key: c.label for c in EDITION_2021.table("table3").columns}
_ROW_LABEL = {r.key: r.label for r in table3_all_rows()}


def safe_text(value: Any) -> Any:
    """A value as a spreadsheet cell: text that would start a formula is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(
    histories: Iterable[tuple[Application, list[Event]]],
    calendar: WorkCalendar,
    *,
    redact: bool = False,
    lang: Lang | None = None,
) -> tuple[list[str], list[list[Any]], list[str], list[list[Any]]]:
    """Header and rows of the applications sheet and of the events sheet."""
    cols = [k for k, _ in _COLUMNS if not (redact and k in PERSONAL)]
    head = [pick(dict(_COLUMNS)[k], lang) for k in cols]
    ev_head = [pick(label, lang) for _, label in _EVENT_COLUMNS]
    out: list[list[Any]] = []
    ev_out: list[list[Any]] = []
    for app, events in histories:
        st = replay(app, events)
        try:
            d = st.deadline(calendar)
            due: dt.date | None = d.due if d else None
        except UnknownYear:
            due = None
        values = {
            "number": app.number,
            "received": app.received,
            "channel": pick(CHANNELS.get(app.channel, (app.channel, app.channel)), lang),
            "applicant_type": _TYPE_LABEL.get(app.applicant_type, app.applicant_type),
            "applicant_name": app.applicant_name,
            "applicant_contact": app.applicant_contact,
            "request": app.request,
            "status": status_label(st.status, lang),
            "due": due,
            "closed_on": st.closed_on,
            "outcome": _ROW_LABEL.get(st.outcome or "", st.outcome or ""),
        }
        out.append([safe_text(values[k]) for k in cols])
        for ev in events:
            detail = ev.outcome and _ROW_LABEL.get(ev.outcome, ev.outcome)
            detail = detail or ev.result or ev.reason or ""
            if ev.case:
                detail = f"{ev.case} {detail}".strip()
            ev_out.append(
                [
                    ev.seq,
                    app.number,
                    ev.date,
                    pick(EVENT_KINDS.get(ev.kind, (ev.kind, ev.kind)), lang),
                    safe_text(detail),
                    safe_text(ev.actor),
                    ev.recorded_at,
                ]
            )
    return head, out, ev_head, ev_out


def write(
    path: str | Path,
    histories: Iterable[tuple[Application, list[Event]]],
    calendar: WorkCalendar,
    *,
    redact: bool = False,
    lang: Lang | None = None,
) -> int:
    """Write the ledger to ``path`` (.xlsx or .csv); returns the number of applications."""
    p = Path(path)
    head, body, ev_head, ev_body = rows(histories, calendar, redact=redact, lang=lang)
    if p.suffix.lower() == ".csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(head)
        for r in body:
            w.writerow(
                ["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in r]
            )
        atomic_write(p, ("\ufeff" + buf.getvalue()).encode("utf-8"))
        return len(body)
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = pick(_SHEETS[0], lang)
    ws.append(head)
    for r in body:
        ws.append(r)
    ws.freeze_panes = "A2"
    ev = wb.create_sheet(pick(_SHEETS[1], lang))
    ev.append(ev_head)
    for r in ev_body:
        ev.append(r)
    for sheet in (ws, ev):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    buf2 = io.BytesIO()
    wb.save(buf2)
    atomic_write(p, buf2.getvalue())
    return len(body)
