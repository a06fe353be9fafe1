"""The ledger in a database, on SQLite and on a real PostgreSQL: one transaction per
event, nothing acknowledged lost to SIGKILL, two processes adding at once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from gongkai.db import unit_of_work
from gongkai.ledger.calendar import HolidayNotice
from gongkai.ledger.model import Application, Event
from gongkai.ledger.models import ApplicationRow, EventRow
from gongkai.ledger.state import Refused
from gongkai.ledger.store import Ledger, LedgerError

D = dt.date
WORKER = Path(__file__).with_name("ledger_worker.py")


@pytest.fixture
def opened(db_url: str) -> Iterator[Callable[[], Ledger]]:
    """Open the test's ledger (every one opened is closed at the end)."""
    ledgers: list[Ledger] = []

    def open_() -> Ledger:
        ledgers.append(Ledger.open(db_url))
        return ledgers[-1]

    yield open_
    for ledger in ledgers:
        ledger.close()


SEP20 = D(2024, 9, 20)


def app(number: str, received: dt.date = SEP20, **kw: str) -> Application:
    return Application(
        number,
        received,
        kw.get("channel", "in_person"),
        kw.get("type", "natural_person"),
        "张三",
        "138",
    )


def test_add_append_replay(opened: Callable[[], Ledger]) -> None:
    ledger = opened()
    ledger.set_meta("agency", "青山区民政局")
    assert ledger.agency() == "青山区民政局"
    ledger.add(app("A1"), actor="王")
    ledger.add(app("A2", D(2024, 11, 4)))
    ev = ledger.append("A1", Event("extended", D(2024, 10, 10), reason="档案多"), actor="李")
    assert ev.seq is not None and ev.actor == "李" and ev.recorded_at is not None
    with pytest.raises(Refused):
        ledger.append("A1", Event("extended", D(2024, 10, 11), reason="again"))
    with pytest.raises(Refused):
        ledger.append(
            "A1", Event("answered", D(2024, 10, 12), outcome="granted"), today=D(2024, 10, 11)
        )
    ledger.append("A1", Event("answered", D(2024, 10, 20), outcome="granted"))
    application, events = ledger.get("A1")
    assert application.recorded_by == "王" and [e.kind for e in events] == ["extended", "answered"]
    st = ledger.state("A1")
    assert st.closed_on == D(2024, 10, 20) and st.outcome == "granted"
    assert ledger.count() == 2
    assert [a.number for a, _ in ledger.histories()] == ["A1", "A2"]
    with pytest.raises(LedgerError) as err:
        ledger.add(app("A1"))
    assert err.value.code == "exists" and "A1" in err.value.message("zh")
    with pytest.raises(LedgerError):
        ledger.get("nope")
    with pytest.raises(LedgerError):
        ledger.append("nope", Event("withdrawn", D(2024, 10, 1)))
    with pytest.raises(LedgerError):
        ledger.add(app("A3", type="alien"))
    # the refused events left nothing behind
    with unit_of_work(ledger.engine, write=False) as s:
        assert s.scalar(select(func.count(EventRow.id))) == 2
    assert ledger.next_number(2024) == "2024-0001"
    assert ledger.add_numbered(app("")).number == "2024-0001"
    assert ledger.next_number(2024) == "2024-0002"


def test_a_fee_lapses_only_after_twenty_working_days(opened: Callable[[], Ledger]) -> None:
    ledger = opened()
    ledger.add(app("P1", D(2024, 9, 20)))
    notice = Event("fee_noticed", D(2024, 9, 23), fee={"method": "per_volume", "quantity": 40})
    ledger.append("P1", notice)
    # 24–27 Sep (1–4), 29 Sep (5), 30 Sep (6), 8–12 Oct (7–11), 14–18 (12–16), 21–24 Oct (17–20)
    with pytest.raises(Refused) as err:
        ledger.append("P1", Event("fee_lapsed", D(2024, 10, 24)))
    assert err.value.code == "fee_not_due" and "2024-10-24" in err.value.message("zh")
    ledger.append("P1", Event("fee_lapsed", D(2024, 10, 25)))
    assert ledger.state("P1").outcome == "other_unpaid_fee"


def test_an_import_is_all_or_nothing(opened: Callable[[], Ledger]) -> None:
    ledger = opened()
    ledger.add(app("B2"))
    items = [(app("B1"), []), (app("B2"), [])]
    with pytest.raises(LedgerError):
        ledger.add_many(items)
    assert ledger.count() == 1


def test_fee_per_application_counts_the_applicants_month(opened: Callable[[], Ledger]) -> None:
    ledger = opened()
    for i in range(12):
        ledger.add(app(f"F{i:02d}", D(2024, 5, 1 + i)))
    ledger.add(Application("G1", D(2024, 5, 3), "online", "natural_person", "另一人", "1"))
    ledger.add(app("H1", D(2024, 6, 1)))
    assert ledger.fee_for("F10", method="per_application", quantity=0).yuan == 100  # the 11th
    assert ledger.fee_for("F09", method="per_application", quantity=0).yuan == 0
    assert ledger.fee_for("G1", method="per_application", quantity=0).yuan == 0
    assert ledger.fee_for("H1", method="per_application", quantity=0).yuan == 0
    assert ledger.fee_for("F00", method="per_volume", quantity=120).yuan == 1100


def test_a_new_calendar_recomputes_open_deadlines(opened: Callable[[], Ledger]) -> None:
    ledger = opened()
    ledger.add(app("C1", D(2026, 12, 10)))  # due in January 2027: unknown year
    ledger.add(app("C2", D(2024, 9, 20)))
    ledger.append("C2", Event("answered", D(2024, 10, 8), outcome="granted"))
    notice = HolidayNotice(2027, {D(2027, 1, 1): "元旦", D(2027, 1, 4): "测试"}, {})
    changes = ledger.add_notice(notice, actor="办公室")
    # 11 Dec (1), 14–18 (2–6), 21–25 (7–11), 28–31 Dec (12–15); 1 Jan and 4 Jan off,
    # 5–8 Jan (16–19), 11 Jan (20)
    assert [(c.number, c.before, c.after) for c in changes] == [("C1", None, D(2027, 1, 11))]
    reopened = opened()
    assert 2027 in reopened.calendar.notices
    d = reopened.state("C1").deadline(reopened.calendar)
    assert d is not None and d.due == D(2027, 1, 11)
    # the notice corrected: 4 Jan is a working day after all → 4–8 Jan (16–20)
    moved = reopened.add_notice(HolidayNotice(2027, {D(2027, 1, 1): "元旦"}, {}))
    assert [(c.before, c.after) for c in moved] == [(D(2027, 1, 11), D(2027, 1, 8))]


def _worker(url: str, *args: str, stderr: int = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, *args], stdout=subprocess.PIPE, stderr=stderr, text=True
    )


def test_sigkill_mid_writes_loses_nothing_acknowledged(
    db_url: str, opened: Callable[[], Ledger]
) -> None:
    opened()  # migrate first, so the worker is writing when killed
    proc = _worker(db_url, "add", "K", "100000", stderr=subprocess.DEVNULL)
    acked: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(acked) < 40 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        acked.append(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    rest = proc.stdout.read()  # what readline() had buffered, and the rest of the pipe
    proc.stdout.close()
    acked += [ln.split()[1] for ln in rest.splitlines() if ln.startswith("ack ")]
    assert proc.returncode == -signal.SIGKILL
    assert len(acked) >= 40, "the worker did not get going"
    ledger = opened()
    numbers = {a.number for a, _ in ledger.histories()}
    assert set(acked) <= numbers
    unacked = sorted(numbers - set(acked))
    # at most the one committed as it was killed
    assert len(unacked) <= 1, f"{len(acked)} acknowledged, committed too: {unacked[:5]}"
    # nothing half-written: every application has its first event
    for _, events in ledger.histories():
        assert [e.kind for e in events] == ["third_party_consulted"]
    with ledger.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_two_processes_adding_at_once_do_not_clash(
    db_url: str, opened: Callable[[], Ledger]
) -> None:
    ledger = opened()
    for i in range(15):
        ledger.add(app(f"R{i}", D(2024, 3, 4)))
    procs = [_worker(db_url, "auto", "15"), _worker(db_url, "auto", "15")]
    procs += [_worker(db_url, "extend", "15"), _worker(db_url, "extend", "15")]
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-2000:]
        outs.append(out.split())
    numbered = [w for out in outs[:2] for w in out if w != "ack"]
    assert len(numbered) == 30 and len(set(numbered)) == 30
    assert sorted(numbered) == [f"2024-{i:04d}" for i in range(1, 31)]
    # each application was extended exactly once: the other process was refused
    assert outs[2].count("ok") + outs[3].count("ok") == 15
    assert outs[2].count("refused") + outs[3].count("refused") == 15
    with unit_of_work(ledger.engine, write=False) as s:
        per_app = s.execute(
            select(EventRow.application_id, func.count(EventRow.id))
            .where(EventRow.kind == "extended")
            .group_by(EventRow.application_id)
        ).all()
        assert len(per_app) == 15 and all(n == 1 for _, n in per_app)
        assert s.scalar(select(func.count(ApplicationRow.id))) == 45
