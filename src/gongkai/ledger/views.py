"""What a person sees of one application: data functions shared by the CLI and the pages.

Each function returns a plain dict (the JSON twin of a page) with ``lines``,
the text the CLI prints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.i18n import Lang, pick
from gongkai.ledger import clock
from gongkai.ledger.calendar import UnknownYear
from gongkai.ledger.model import CHANNELS, EVENT_KINDS
from gongkai.ledger.state import (
    AWAIT_CORRECTION,
    AWAIT_FEE,
    OTHER_AGENCY,
    THIRD_PARTY,
    State,
    replay,
    status_label,
)
from gongkai.ledger.store import Ledger
from gongkai.national.editions import EDITION_2021, TABLE4, table3_all_rows

_TYPE_LABEL = {c.key: c.label for c in EDITION_2021.table("table3").columns}
_ROW_LABEL = {r.key: r.label for r in table3_all_rows()}
_CASE_LABEL = {r.key: r.label for r in TABLE4.rows}
_RESULT_LABEL = {c.key: c.label for c in TABLE4.columns}

_MSG = {
    "head": (
        "申请 {number}（{type}，{channel}），{received} 收到",
        "application {number} ({type}, {channel}), received {received}",
    ),
    "state": ("状态：{state}", "state: {state}"),
    "due": ("答复期限：{due}", "due: {due}"),
    "no_due_correction": (
        "等待申请人补正：补正后重新起算 20 个工作日",
        "awaiting the correction: 20 working days restart from it",
    ),
    "no_due_lapsed": ("逾期未补正，视为放弃申请", "not corrected in time: treated as withdrawn"),
    "closed": ("已于 {date} 办结：{outcome}", "closed on {date}: {outcome}"),
    "events": ("经过：", "timeline:"),
    "by": ("（{actor} 记录于 {at}）", " (recorded by {actor} at {at})"),
    "sub_correction": (
        "补正通知应在 {date} 前发出（收到后 7 个工作日，第三十条）",
        "a correction must be requested by {date} (7 working days, art. 30)",
    ),
    "sub_consult": (
        "对方应在 {date} 前答复（15 个工作日，第三十二、三十四条）",
        "the answer is expected by {date} (15 working days, arts. 32, 34)",
    ),
    "sub_fee": (
        "申请人应在 {date} 前缴费（20 个工作日，国办函〔2020〕109号）",
        "the fee is to be paid by {date} (20 working days, 国办函〔2020〕109号)",
    ),
    "unknown": ("无法计算期限：{why}", "cannot compute the deadline: {why}"),
}


def _event_line(ev_dict: dict[str, Any], lang: Lang | None) -> str:
    kind = ev_dict["kind"]
    text = f"{ev_dict['date']}  {pick(EVENT_KINDS.get(kind, (kind, kind)), lang)}"
    if ev_dict.get("outcome"):
        text += f"：{_ROW_LABEL.get(ev_dict['outcome'], ev_dict['outcome'])}"
    if ev_dict.get("case"):
        text += f"：{_CASE_LABEL.get(ev_dict['case'], ev_dict['case'])}"
    if ev_dict.get("result"):
        text += f" {_RESULT_LABEL.get(ev_dict['result'], ev_dict['result'])}"
    if ev_dict.get("fee"):
        text += f"（{ev_dict['fee'].get('yuan', 0)} 元）"
    if ev_dict.get("reason"):
        text += f"（{ev_dict['reason']}）"
    if ev_dict.get("actor") or ev_dict.get("recorded_at"):
        text += pick(
            _MSG["by"],
            lang,
            actor=ev_dict.get("actor") or "—",
            at=ev_dict.get("recorded_at") or "—",
        )
    return text


def _sub_deadlines(st: State, ledger: Ledger, lang: Lang | None) -> list[str]:
    cal = ledger.calendar
    out = []
    if st.status == "open" and st.correction_requested is None and st.corrected is None:
        by = clock.add_working_days(cal, st.application.received, clock.CORRECTION_NOTICE_DAYS)
        if by >= dt.date.today():  # only while a correction may still be asked for
            out.append(pick(_MSG["sub_correction"], lang, date=by))
    if st.status in (THIRD_PARTY, OTHER_AGENCY) and st.pauses:
        out.append(
            pick(
                _MSG["sub_consult"],
                lang,
                date=clock.add_working_days(cal, st.pauses[-1].start, clock.CONSULTATION_DAYS),
            )
        )
    if st.status == AWAIT_FEE and st.fee_noticed:
        out.append(
            pick(
                _MSG["sub_fee"],
                lang,
                date=clock.add_working_days(cal, st.fee_noticed, clock.FEE_PAYMENT_DAYS),
            )
        )
    return out


def timeline(ledger: Ledger, number: str, *, lang: Lang | None = None) -> dict[str, Any]:
    """One application: what it is, what happened, where it stands, when it is due."""
    app, events = ledger.get(number)
    st = replay(app, events)
    lines = [
        pick(
            _MSG["head"],
            lang,
            number=app.number,
            type=_TYPE_LABEL.get(app.applicant_type, app.applicant_type),
            channel=pick(CHANNELS.get(app.channel, (app.channel, app.channel)), lang),
            received=app.received.isoformat(),
        ),
        pick(_MSG["state"], lang, state=status_label(st.status, lang)),
    ]
    deadline: dict[str, Any] | None = None
    try:
        d = st.deadline(ledger.calendar)
        if d is not None:
            deadline = d.to_dict(lang)
            lines.append(d.summary(lang))
        elif st.status == AWAIT_CORRECTION:
            lines.append(pick(_MSG["no_due_correction"], lang))
        else:
            lines.append(pick(_MSG["no_due_lapsed"], lang))
        if st.is_open:
            lines.extend(_sub_deadlines(st, ledger, lang))
    except UnknownYear as e:
        lines.append(pick(_MSG["unknown"], lang, why=e.message(lang)))
    if st.closed_on:
        lines.append(
            pick(
                _MSG["closed"],
                lang,
                date=st.closed_on.isoformat(),
                outcome=_ROW_LABEL.get(st.outcome or "", st.outcome or ""),
            )
        )
    evs = [e.to_dict() for e in events]
    if evs:
        lines.append(pick(_MSG["events"], lang))
        lines.extend("  " + _event_line(e, lang) for e in evs)
    return {
        "application": app.to_dict(),
        "status": st.status,
        "status_label": status_label(st.status, lang),
        "closed_on": st.closed_on.isoformat() if st.closed_on else None,
        "outcome": st.outcome,
        "outcome_label": _ROW_LABEL.get(st.outcome or "") if st.outcome else None,
        "deadline": deadline,
        "events": [{**e, "text": _event_line(e, lang)} for e in evs],
        "lines": lines,
        "events_heading": pick(_MSG["events"], lang),
    }


def explanation(ledger: Ledger, number: str, *, lang: Lang | None = None) -> dict[str, Any]:
    """How the deadline of ``number`` was reached, day by day."""
    app, events = ledger.get(number)
    st = replay(app, events)
    d = st.deadline(ledger.calendar)
    if d is None:
        why = pick(
            _MSG["no_due_correction" if st.status == AWAIT_CORRECTION else "no_due_lapsed"], lang
        )
        return {"number": app.number, "due": None, "lines": [why], "days": []}
    return {"number": app.number, **d.to_dict(lang), "lines": d.lines(lang)}
