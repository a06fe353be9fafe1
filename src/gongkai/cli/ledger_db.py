"""The ``gongkai ledger`` commands that work on a ledger database."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path
from typing import Any

import click

from gongkai.cli.common import EXIT_FINDINGS
from gongkai.cli.ledger import (
    _t,
    bad_rows_lines,
    calendar_from,
    date_arg,
    db_option,
    echo_json,
    fail,
    guarded,
    holidays_option,
    json_option,
    safe,
    today_option,
)
from gongkai.db import describe
from gongkai.i18n import current_lang, pick
from gongkai.ledger.calendar import load_holiday_file
from gongkai.ledger.due import FLAGS, agenda
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    CHANNELS,
    EVENT_KINDS,
    Application,
    Event,
)
from gongkai.ledger.state import status_label
from gongkai.ledger.store import Ledger
from gongkai.ledger.tables import Tally, merge_into, record_json, tally
from gongkai.output import atomic_write


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _open(db: str | None, holidays: tuple[str, ...] = ()) -> Ledger:
    return Ledger.open(db, calendar_from(holidays))


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def init_command() -> click.Command:
    @click.command("init", help=_t("h.init"))
    @click.option("--agency", default=None, help=_t("h.agency"))
    @db_option
    @guarded
    def init(agency: str | None, db: str | None) -> None:
        ledger = _open(db)
        if agency:
            ledger.set_meta("agency", agency.strip())
        click.echo(_t("inited", db=describe(db), agency=safe(ledger.get_meta("agency") or "—")))

    return init


def add_command() -> click.Command:
    @click.command("add", help=_t("h.add"))
    @click.option("--received", required=True, metavar="DATE", help=_t("h.received"))
    @click.option(
        "--type",
        "applicant_type",
        required=True,
        type=click.Choice(APPLICANT_TYPES),
        help=_t("h.type", choices=", ".join(APPLICANT_TYPES)),
    )
    @click.option(
        "--channel",
        default="in_person",
        type=click.Choice(tuple(CHANNELS)),
        help=_t("h.channel", choices=", ".join(CHANNELS)),
    )
    @click.option("--number", default=None, help=_t("h.number"))
    @click.option("--name", default="", help=_t("h.name"))
    @click.option("--contact", default="", help=_t("h.contact"))
    @click.option("--request", default="", help=_t("h.request"))
    @click.option("--by", "actor", default=_user, show_default=False, help=_t("by"))
    @db_option
    @holidays_option
    @json_option
    @guarded
    def add(
        received: str, applicant_type: str, channel: str, number: str | None, name: str, contact: str,
        request: str, actor: str, db: str | None, holidays: tuple[str, ...], as_json: bool,
    ) -> None:  # fmt: skip
        day = date_arg(received)
        assert day is not None
        ledger = _open(db, holidays)
        app = Application(
            number=number or "",
            received=day,
            channel=channel,
            applicant_type=applicant_type,
            applicant_name=name,
            applicant_contact=contact,
            request=request,
        )
        saved = ledger.add(app, actor=actor) if number else ledger.add_numbered(app, actor=actor)
        d = ledger.state(saved.number).deadline(ledger.calendar)
        due = d.due.isoformat() if d and d.due else "—"
        if as_json:
            echo_json({**saved.to_dict(redact=True), "due": due})
            return
        click.echo(_t("added", number=safe(saved.number), due=due))

    return add


def _outcome_epilog() -> str:
    """The outcome keys with their labels (2021 edition; 2019: ``other`` for （六）)."""
    from gongkai.national.editions import EDITION_2019, EDITION_2021

    rows = [r for r in EDITION_2021.table("table3").rows if r.outcome]
    rows.insert(-3, EDITION_2019.table("table3").row("other"))
    lines = [f"{r.key}: {(r.group + ' ') if r.group else ''}{r.label}" for r in rows]
    return "\b\n--outcome:\n" + "\n".join(lines)


def event_command() -> click.Command:
    kinds = tuple(EVENT_KINDS)

    @click.command("event", help=_t("h.event"), epilog=_outcome_epilog())
    @click.argument("number")
    @click.argument("kind", type=click.Choice(kinds))
    @click.option("--date", "date", default=None, metavar="DATE", help=_t("h.date"))
    @click.option("--outcome", default=None, help=_t("h.outcome"))
    @click.option("--case", default=None, type=click.Choice(CASE_KINDS), help=_t("h.case"))
    @click.option("--result", default=None, type=click.Choice(CASE_RESULTS), help=_t("h.result"))
    @click.option("--reason", default="", help=_t("h.reason"))
    @click.option(
        "--fee-method",
        default=None,
        type=click.Choice(("per_application", "per_volume")),
        help=_t("h.fee_method"),
    )
    @click.option("--quantity", type=int, default=0, help=_t("h.quantity"))
    @click.option("--by", "actor", default=_user, show_default=False, help=_t("by"))
    @today_option
    @db_option
    @holidays_option
    @json_option
    @guarded
    def event(
        number: str, kind: str, date: str | None, outcome: str | None, case: str | None,
        result: str | None, reason: str, fee_method: str | None, quantity: int, actor: str,
        today: dt.date | None, db: str | None, holidays: tuple[str, ...], as_json: bool,
    ) -> None:  # fmt: skip
        day = date_arg(date) or _today(today)
        ledger = _open(db, holidays)
        fee: dict[str, Any] = {}
        charged = None
        if kind == "fee_noticed":
            method = fee_method or "per_volume"
            charged = ledger.fee_for(number, method=method, quantity=quantity)
            fee = {"method": method, "quantity": charged.quantity, "yuan": charged.yuan}
        ev = Event(kind, day, outcome=outcome, case=case, result=result, reason=reason, fee=fee)
        saved = ledger.append(number, ev, actor=actor, today=_today(today))
        if as_json:
            echo_json({"number": number, **saved.to_dict()})
            return
        lang = current_lang()
        click.echo(
            _t(
                "appended",
                number=safe(number),
                event=pick(EVENT_KINDS[kind], lang),
                date=day.isoformat(),
            )
        )
        if charged is not None:
            for line in charged.lines(lang):
                click.echo("  " + line)

    return event


def show_command() -> click.Command:
    @click.command("show", help=_t("h.show"))
    @click.argument("number")
    @db_option
    @holidays_option
    @json_option
    @guarded
    def show(number: str, db: str | None, holidays: tuple[str, ...], as_json: bool) -> None:
        from gongkai.ledger.views import timeline

        ledger = _open(db, holidays)
        view = timeline(ledger, number, lang=current_lang())
        if as_json:
            echo_json(view)
            return
        for line in view["lines"]:
            click.echo(safe(line))

    return show


def explain_command() -> click.Command:
    @click.command("explain", help=_t("h.explain"))
    @click.argument("number")
    @db_option
    @holidays_option
    @json_option
    @guarded
    def explain(number: str, db: str | None, holidays: tuple[str, ...], as_json: bool) -> None:
        from gongkai.ledger.views import explanation

        ledger = _open(db, holidays)
        view = explanation(ledger, number, lang=current_lang())
        if as_json:
            echo_json(view)
            return
        for line in view["lines"]:
            click.echo(safe(line))

    return explain


def due_command() -> click.Command:
    @click.command("due", help=_t("h.due"))
    @click.option("--within", type=click.IntRange(0, 366), default=5, help=_t("h.within"))
    @click.option("--all", "everything", is_flag=True, help=_t("h.all"))
    @today_option
    @db_option
    @holidays_option
    @json_option
    @guarded
    def due(
        within: int, everything: bool, today: dt.date | None, db: str | None,
        holidays: tuple[str, ...], as_json: bool,
    ) -> None:  # fmt: skip
        ledger = _open(db, holidays)
        items = agenda(
            ledger.states(), ledger.calendar, _today(today), within, everything=everything
        )
        lang = current_lang()
        if as_json:
            echo_json([i.to_dict(lang) for i in items])
            return
        if not items:
            click.echo(_t("nothing_due"))
            return
        for i in items:
            left = "" if i.days_left is None else f"{i.days_left:+d}"
            click.echo(
                f"{pick(FLAGS[i.flag], lang):<6} {safe(i.number):<14} {i.due.isoformat() if i.due else '—':<10} "
                f"{left:>4}  {status_label(i.status, lang)}"
            )

    return due


def _count(t: Tally) -> int:
    return len(set(t.t3_numbers("new", "total")) | set(t.t3_numbers("carried_over", "total")))


def tables_command() -> click.Command:
    @click.command("tables", help=_t("h.tables"))
    @click.option("--year", type=click.IntRange(2019, 2100), required=True, help=_t("h.year"))
    @click.option("--agency", default=None, help=_t("h.agency"))
    @click.option(
        "--into", "into", default=None, type=click.Path(dir_okay=False), help=_t("h.into")
    )
    @click.option(
        "-o", "--out", "out", default=None, type=click.Path(dir_okay=False), help=_t("h.out")
    )
    @db_option
    @guarded
    def tables(
        year: int, agency: str | None, into: str | None, out: str | None, db: str | None
    ) -> None:
        ledger = _open(db)
        t = tally(ledger.states(received_by=dt.date(year, 12, 31)), year)
        if into is not None:
            from gongkai.write.data import dump_yaml

            data = merge_into(t, into, agency)
            record = data.to_dict()
            if out is not None and Path(out).suffix.lower() in (".yaml", ".yml"):
                atomic_write(Path(out), dump_yaml(data).encode("utf-8"))
                click.echo(_t("wrote", path=out, year=year, edition=t.edition.id, n=_count(t)))
                return
        else:
            record = t.record(ledger.agency(agency))
        if out is None:
            click.echo(record_json(record))
            return
        p = Path(out)
        if p.suffix.lower() in (".yaml", ".yml"):
            import yaml

            text = yaml.safe_dump(
                record, allow_unicode=True, sort_keys=False, default_flow_style=None
            )
        else:
            text = record_json(record) + "\n"
        atomic_write(p, text.encode("utf-8"))
        click.echo(_t("wrote", path=out, year=year, edition=t.edition.id, n=_count(t)))

    return tables


def reconcile_command() -> click.Command:
    @click.command("reconcile", help=_t("h.reconcile"))
    @click.argument("report", type=click.Path(dir_okay=False))
    @db_option
    @json_option
    @guarded
    def reconcile(report: str, db: str | None, as_json: bool) -> None:
        from gongkai.batch.load import load_report
        from gongkai.ledger.reconcile import reconcile as run

        record = load_report(report)
        if record.year is None:
            fail(
                pick(
                    ("{path}: 报告没有年度", "{path}: the report has no year"),
                    current_lang(),
                    path=report,
                )
            )
        year = int(record.year or 0)
        ledger = _open(db)
        t = tally(ledger.states(received_by=dt.date(year, 12, 31)), year)
        result = run(record, t, current_lang())
        if as_json:
            echo_json(result.to_dict())
        else:
            for line in result.lines(current_lang()):
                click.echo(safe(line))
        if not result.agrees:
            raise SystemExit(EXIT_FINDINGS)

    return reconcile


def import_command() -> click.Command:
    from gongkai.ledger.importer import FIELDS

    @click.command("import", help=_t("h.import"))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option(
        "--map",
        "maps",
        multiple=True,
        metavar="HEADER=FIELD",
        help=_t("h.map", fields=", ".join(FIELDS)),
    )
    @click.option("--sheet", default=None, help=_t("h.sheet"))
    @click.option("--skip-bad", is_flag=True, help=_t("h.skip_bad"))
    @click.option("--by", "actor", default=_user, show_default=False, help=_t("by"))
    @db_option
    @json_option
    @guarded
    def import_(
        file: str, maps: tuple[str, ...], sheet: str | None, skip_bad: bool, actor: str,
        db: str | None, as_json: bool,
    ) -> None:  # fmt: skip
        from gongkai.ledger.importer import parse_rows, read_table

        mapping: dict[str, str] = {}
        for m in maps:
            head, sep, fld = m.partition("=")
            if not sep or not head.strip() or not fld.strip():
                fail(_t("bad_map_opt", value=m))
            mapping[head.strip()] = fld.strip()
        if not Path(file).exists():
            fail(pick(("{path}: 文件不存在", "{path}: no such file"), current_lang(), path=file))
        cells = read_table(file, sheet)
        ledger = _open(db)
        existing = ledger.numbers()
        parsed = parse_rows(cells, mapping, file, existing)
        lines = bad_rows_lines(parsed.bad)
        if parsed.bad and not skip_bad:
            for line in lines:
                click.echo(f"{safe(file)}: {safe(line)}", err=True)
            fail(_t("import_refused", source=file, n=len(parsed.bad)), EXIT_FINDINGS)
        saved = ledger.add_many([(a, e) for _, a, e in parsed.rows], actor=actor)
        if as_json:
            echo_json({
                "imported": len(saved),
                "skipped": [{"row": b.row, "reason": b.message(current_lang())} for b in parsed.bad],
                "columns": parsed.columns,
            })  # fmt: skip
        else:
            for line in lines:
                click.echo(f"{safe(file)}: {safe(line)}", err=True)
            click.echo(_t("imported", n=len(saved), source=safe(file)))
            if parsed.bad:
                click.echo(_t("skipped", n=len(parsed.bad)))
        if parsed.bad:
            raise SystemExit(EXIT_FINDINGS)

    return import_


def export_command() -> click.Command:
    @click.command("export", help=_t("h.export"))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--redact", is_flag=True, help=_t("h.redact"))
    @db_option
    @holidays_option
    @guarded
    def export(file: str, redact: bool, db: str | None, holidays: tuple[str, ...]) -> None:
        from gongkai.ledger.export import write

        if Path(file).suffix.lower() not in (".xlsx", ".csv"):
            fail(_t("bad_ext", path=file))
        ledger = _open(db, holidays)
        n = write(file, ledger.histories(), ledger.calendar, redact=redact, lang=current_lang())
        click.echo(_t("exported", n=n, path=file, redacted=_t("redacted") if redact else ""))

    return export


def calendar_command() -> click.Command:
    @click.command("calendar", help=_t("h.calendar"))
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--by", "actor", default=_user, show_default=False, help=_t("by"))
    @db_option
    @json_option
    @guarded
    def calendar(file: str, actor: str, db: str | None, as_json: bool) -> None:
        notice = load_holiday_file(file)
        ledger = _open(db)
        changes = ledger.add_notice(notice, actor=actor)
        if as_json:
            echo_json({"year": notice.year, "changes": [c.to_dict() for c in changes]})
            return
        click.echo(_t("calendar_added", year=notice.year, notice=safe(notice.notice or file)))
        if not changes:
            click.echo(_t("no_changes"))
        for c in changes:
            click.echo(
                _t(
                    "changed",
                    number=safe(c.number),
                    before=c.before.isoformat() if c.before else "—",
                    after=c.after.isoformat() if c.after else "—",
                )
            )

    return calendar


def commands() -> list[click.Command]:
    return [
        init_command(),
        add_command(),
        event_command(),
        show_command(),
        explain_command(),
        due_command(),
        tables_command(),
        reconcile_command(),
        import_command(),
        export_command(),
        calendar_command(),
    ]
