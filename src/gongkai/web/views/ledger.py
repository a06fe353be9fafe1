"""The ledger's pages: the list with due dates coloured, registering an application,
one application's timeline with its explained deadline (and appending an event),
and the year's tables 3 and 4.

Every page is a data function over :class:`gongkai.ledger.store.Ledger` (in the
server's database, ``gongkai serve --db``) with its JSON twin. Reading is open
but shows no personal data; the applicant's name and contact are shown only to
a browser holding the write token, and every write needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Form, Query
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from gongkai.i18n import pick
from gongkai.ledger.calendar import UnknownYear
from gongkai.ledger.due import FLAGS, agenda
from gongkai.ledger.importer import parse_date
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    CHANNELS,
    EVENT_KINDS,
    Application,
    Event,
)
from gongkai.ledger.state import MOVES, Refused, replay, status_label
from gongkai.ledger.store import Ledger, LedgerError
from gongkai.ledger.tables import NoTables, tally
from gongkai.ledger.views import timeline
from gongkai.national.editions import EDITION_2021, TABLE4, table3_all_rows
from gongkai.web.pages import Ctx, context, render, twin
from gongkai.web.problems import Problem
from gongkai.web.security import require_writer
from gongkai.web.text import TEXT

router = APIRouter()

TEXT.update(
    {
        "ledger.title": ("依申请公开台账", "Ledger of applications"),
        "ledger.none": (
            "本服务器没有台账数据库：用 gongkai serve --db 数据库 启动",
            "this server has no ledger database: start it with gongkai serve --db DATABASE",
        ),
        "ledger.new": ("登记申请", "Register an application"),
        "ledger.today": ("今天", "today"),
        "ledger.within": ("即将到期（工作日）", "due soon (working days)"),
        "ledger.show": ("显示", "show"),
        "ledger.number": ("编号", "number"),
        "ledger.received": ("收到日期", "received"),
        "ledger.type": ("申请人类型", "applicant type"),
        "ledger.status": ("状态", "state"),
        "ledger.due": ("答复期限", "due"),
        "ledger.left": ("剩余工作日", "working days left"),
        "ledger.empty": ("没有未办结的申请", "no open application"),
        "ledger.tables": ("年度表三、表四", "Tables 3 and 4 of a year"),
        "ledger.channel": ("收到方式", "channel"),
        "ledger.name": ("申请人姓名或名称", "applicant's name"),
        "ledger.contact": ("联系方式", "contact"),
        "ledger.request": ("申请内容", "what is asked"),
        "ledger.number_auto": ("留空则自动编号", "leave empty for the next number"),
        "ledger.submit": ("登记", "register"),
        "ledger.read_only": (
            "登记和追加事件需要写入令牌。",
            "Registering and appending events need the write token.",
        ),
        "ledger.personal_hidden": (
            "申请人个人信息仅对持有写入令牌的用户显示",
            "the applicant's personal data is shown only with the write token",
        ),
        "ledger.timeline": ("经过", "timeline"),
        "ledger.explained": ("期限是怎样算出的", "how the deadline was reached"),
        "ledger.add_event": ("追加事件", "append an event"),
        "ledger.kind": ("事件", "event"),
        "ledger.date": ("日期", "date"),
        "ledger.outcome": ("办理结果（表三的行）", "outcome (a row of table 3)"),
        "ledger.case": ("复议或诉讼", "review or suit"),
        "ledger.result": ("结果", "result"),
        "ledger.reason": ("理由或说明", "reason or note"),
        "ledger.append": ("追加", "append"),
        "ledger.year": ("年度", "year"),
        "ledger.record": (
            "报告记录（JSON，可交给 gongkai render）",
            "the report record (JSON, for gongkai render)",
        ),
        "ledger.counted": ("计入本年度的申请", "applications in the year"),
        "ledger.errors": ("检查发现的错误", "errors the checker finds"),
        "ledger.bad_date": ("不是日期：{value}", "not a date: {value}"),
        "ledger.no_deadline": ("目前没有答复期限", "no deadline now"),
        "ledger.back": ("返回台账", "back to the ledger"),
        "ledger.pick_outcome": (
            "作出答复须选择「办理结果（表三的行）」",
            "an answer needs its outcome: choose a row of table 3",
        ),
        "ledger.no_tables": (
            "{year} 年没有表三、表四（2019 年起才有）",
            "{year} has no tables 3 and 4 (they exist from 2019 on)",
        ),
    }
)

_TYPE_LABEL = {c.key: c.label for c in EDITION_2021.table("table3").columns}
_ROW_LABEL = {r.key: r.label for r in table3_all_rows()}
_CASE_LABEL = {r.key: (f"{r.group} {r.label}" if r.group else r.label) for r in TABLE4.rows}
_RESULT_LABEL = {c.key: c.label for c in TABLE4.columns}


class Option(BaseModel):
    value: str
    label: str


class ItemView(BaseModel):
    number: str
    received: str
    applicant_type: str
    status: str
    flag: str
    flag_label: str
    due: str | None
    working_days_left: int | None
    url: str


class ListPage(BaseModel):
    today: str
    within: int
    items: list[ItemView]
    counts: dict[str, int]
    flags: list[Option]
    years: list[int]
    writable: bool


class NewPage(BaseModel):
    types: list[Option]
    channels: list[Option]
    writable: bool
    error: str | None = None
    values: dict[str, str] = Field(default_factory=dict)


class DayView(BaseModel):
    date: str
    kind: str
    text: str


class AppPage(BaseModel):
    number: str
    application: dict[str, Any]
    status: str
    status_label: str
    closed_on: str | None
    outcome_label: str | None
    due: str | None
    summary: list[str]
    events: list[dict[str, Any]]
    days: list[DayView]
    kinds: list[Option]
    outcomes: list[Option]
    cases: list[Option]
    results: list[Option]
    writable: bool
    personal_shown: bool
    error: str | None = None


class TablesPage(BaseModel):
    year: int
    edition: str
    agency: str | None
    applications: int
    record: dict[str, Any]
    tables: list[Any]
    errors: list[str]


def ledger_of(ctx: Ctx) -> Ledger:
    engine = getattr(ctx.request.app.state, "engine", None)
    if engine is None:
        raise Problem(404, "no-ledger", ctx.t("ledger.none"))
    return Ledger(engine)


def _today(value: str | None, ctx: Ctx) -> dt.date:
    if not value:
        return dt.date.today()
    day = parse_date(value)
    if day is None:
        raise Problem(400, "bad-date", ctx.t("ledger.bad_date", value=value))
    return day


# ------------------------------------------------------------------ list


@twin(
    router,
    "/ledger",
    "ledger_list.html",
    model=ListPage,
    summary="open applications and their deadlines",
    tags=["ledger"],
)
def ledger_list(
    ctx: Ctx = Depends(context),
    today: str | None = Query(default=None, description="take this date as today"),
    within: int = Query(default=5, ge=0, le=366, description="working days that count as due soon"),
) -> ListPage:
    ledger = ledger_of(ctx)
    day = _today(today, ctx)
    states = list(ledger.states())
    items = agenda(states, ledger.calendar, day, within, everything=True)
    counts: dict[str, int] = {}
    for i in items:
        counts[i.flag] = counts.get(i.flag, 0) + 1
    years = sorted(
        {s.application.received.year for s in states if s.application.received.year >= 2019},
        reverse=True,
    )
    return ListPage(
        today=day.isoformat(),
        within=within,
        items=[
            ItemView(
                number=i.number,
                received=i.received.isoformat(),
                applicant_type=_TYPE_LABEL.get(i.applicant_type, i.applicant_type),
                status=status_label(i.status, ctx.lang),
                flag=i.flag,
                flag_label=pick(FLAGS[i.flag], ctx.lang),
                due=i.due.isoformat() if i.due else None,
                working_days_left=i.days_left,
                url=f"/ledger/app/{i.number}",
            )
            for i in items
        ],
        counts=counts,
        flags=[Option(value=k, label=pick(v, ctx.lang)) for k, v in FLAGS.items()],
        years=years,
        writable=ctx.writable,
    )


# ------------------------------------------------------------------ register


def _new_page(ctx: Ctx, error: str | None = None, values: dict[str, str] | None = None) -> NewPage:
    return NewPage(
        types=[Option(value=k, label=_TYPE_LABEL[k]) for k in APPLICANT_TYPES],
        channels=[Option(value=k, label=pick(v, ctx.lang)) for k, v in CHANNELS.items()],
        writable=ctx.writable,
        error=error,
        values=values or {},
    )


@twin(
    router,
    "/ledger/new",
    "ledger_new.html",
    model=NewPage,
    summary="the form to register an application",
    tags=["ledger"],
)
def ledger_new(ctx: Ctx = Depends(context)) -> NewPage:
    ledger_of(ctx)
    return _new_page(ctx)


@router.post(
    "/ledger/new",
    tags=["ledger"],
    summary="register an application",
    dependencies=[Depends(require_writer)],
)
def ledger_new_post(
    ctx: Ctx = Depends(context),
    received: str = Form(...),
    applicant_type: str = Form(...),
    channel: str = Form("in_person"),
    number: str = Form(""),
    name: str = Form(""),
    contact: str = Form(""),
    request: str = Form(""),
) -> Response:
    ledger = ledger_of(ctx)
    values = {"received": received, "applicant_type": applicant_type, "channel": channel,
              "number": number, "name": name, "contact": contact, "request": request}  # fmt: skip
    day = parse_date(received)
    if day is None:
        return render(
            ctx,
            "ledger_new.html",
            _new_page(ctx, ctx.t("ledger.bad_date", value=received), values),
            400,
        )
    app = Application(
        number.strip(), day, channel, applicant_type, name.strip(), contact.strip(), request.strip()
    )
    try:
        saved = (
            ledger.add(app, actor="web") if app.number else ledger.add_numbered(app, actor="web")
        )
    except LedgerError as e:
        return render(ctx, "ledger_new.html", _new_page(ctx, e.message(ctx.lang), values), 400)
    return RedirectResponse(f"/ledger/app/{saved.number}", status_code=303)


# ------------------------------------------------------------------ one application


def _app_page(ctx: Ctx, ledger: Ledger, number: str, error: str | None = None) -> AppPage:
    try:
        view = timeline(ledger, number, lang=ctx.lang)
    except LedgerError as e:
        raise Problem(404, "no-such-application", e.message(ctx.lang)) from None
    show = ctx.writable
    application = dict(view["application"])
    application["applicant_type_label"] = _TYPE_LABEL.get(application["applicant_type"], "")
    application["channel_label"] = pick(CHANNELS.get(application["channel"], ("", "")), ctx.lang)
    if not show:
        for k in Application.PERSONAL:
            application.pop(k, None)
    deadline = view["deadline"] or {}
    days = [
        DayView(date=d["date"], kind=d["kind"], text=line)
        for d, line in zip(deadline.get("days", []), deadline.get("explanation", []), strict=False)
    ]
    app, events = ledger.get(number)
    st = replay(app, events)
    possible = [k for k, (allowed, _) in MOVES.items() if st.status in allowed]
    edition = EDITION_2021
    return AppPage(
        number=number,
        application=application,
        status=view["status"],
        status_label=view["status_label"],
        closed_on=view["closed_on"],
        outcome_label=view["outcome_label"],
        due=deadline.get("due"),
        summary=view["lines"][2 : view["lines"].index(view["events_heading"])]
        if view["events_heading"] in view["lines"]
        else view["lines"][2:],
        events=[
            {
                k: v
                for k, v in e.items()
                if k in ("seq", "date", "kind", "text", "actor", "recorded_at")
            }
            for e in view["events"]
        ],
        days=days,
        kinds=[Option(value=k, label=pick(EVENT_KINDS[k], ctx.lang)) for k in possible],
        outcomes=[
            Option(value=r.key, label=f"{r.group or ''} {r.label}".strip())
            for r in edition.table("table3").rows
            if r.outcome
        ],
        cases=[Option(value=k, label=_CASE_LABEL[k]) for k in CASE_KINDS],
        results=[Option(value=k, label=_RESULT_LABEL[k]) for k in CASE_RESULTS],
        writable=ctx.writable,
        personal_shown=show,
        error=error,
    )


@twin(
    router,
    "/ledger/app/{number}",
    "ledger_app.html",
    model=AppPage,
    summary="one application: timeline and explained deadline",
    tags=["ledger"],
)
def ledger_app(number: str, ctx: Ctx = Depends(context)) -> AppPage:
    return _app_page(ctx, ledger_of(ctx), number)


@router.post(
    "/ledger/app/{number}/event",
    tags=["ledger"],
    summary="append an event",
    dependencies=[Depends(require_writer)],
)
def ledger_event_post(
    number: str,
    ctx: Ctx = Depends(context),
    kind: str = Form(...),
    date: str = Form(""),
    outcome: str = Form(""),
    case: str = Form(""),
    result: str = Form(""),
    reason: str = Form(""),
) -> Response:
    ledger = ledger_of(ctx)
    day = parse_date(date) if date else dt.date.today()
    if day is None:
        return render(
            ctx,
            "ledger_app.html",
            _app_page(ctx, ledger, number, ctx.t("ledger.bad_date", value=date)),
            400,
        )
    event = Event(
        kind, day, outcome=outcome or None, case=case or None, result=result or None, reason=reason
    )
    try:
        ledger.append(number, event, actor="web", today=dt.date.today())
    except Refused as e:
        message = e.message(ctx.lang)
        if e.code in ("no_outcome", "bad_outcome"):  # the page offers labels, not keys
            message = ctx.t("ledger.pick_outcome")
        return render(ctx, "ledger_app.html", _app_page(ctx, ledger, number, message), 409)
    except LedgerError as e:
        raise Problem(404, "no-such-application", e.message(ctx.lang)) from None
    except UnknownYear as e:
        return render(
            ctx, "ledger_app.html", _app_page(ctx, ledger, number, e.message(ctx.lang)), 409
        )
    return RedirectResponse(f"/ledger/app/{number}", status_code=303)


# ------------------------------------------------------------------ tables


@twin(
    router,
    "/ledger/tables/{year}",
    "ledger_tables.html",
    model=TablesPage,
    summary="tables 3 and 4 of a year from the ledger",
    tags=["ledger"],
)
def ledger_tables(year: int, ctx: Ctx = Depends(context)) -> TablesPage:
    from gongkai.checks import check
    from gongkai.record import Report
    from gongkai.web.drawing import draw

    ledger = ledger_of(ctx)
    try:
        t = tally(ledger.states(received_by=dt.date(year, 12, 31)), year)
    except NoTables:
        raise Problem(404, "no-tables", ctx.t("ledger.no_tables", year=year)) from None
    agency = ledger.get_meta("agency")
    record = t.record(agency or "—")
    report = Report.model_validate(record)
    result = check(report, lang=ctx.lang, pick=["arithmetic"])
    view = draw(
        {"report": record, "findings": [f.model_dump(mode="json") for f in result.findings]},
        ctx.lang,
    )
    n = len(set(t.t3_numbers("new", "total")) | set(t.t3_numbers("carried_over", "total")))
    return TablesPage(
        year=year,
        edition=t.edition.id,
        agency=agency,
        applications=n,
        record=record,
        tables=[tv for tv in view.tables if tv.key in ("table3", "table4")],
        errors=[f.message for f in result.findings if f.severity == "error"],
    )


@router.get(
    "/ledger/tables/{year}/record.json",
    tags=["ledger"],
    summary="the report record of a year's tables (for gongkai render)",
)
def ledger_tables_record(year: int, ctx: Ctx = Depends(context)) -> JSONResponse:
    page = ledger_tables(year, ctx)
    return JSONResponse(
        page.record,
        headers={"Content-Disposition": f'attachment; filename="ledger-{year}.json"'},
    )
