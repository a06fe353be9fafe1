"""The statutory clock: working days with 调休, restarts, pauses, the extension.

Expected dates were counted by hand from the State Council's notices (the
counting is written beside each case), not from the code under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.ledger import clock
from gongkai.ledger.calendar import (
    HolidayFileError,
    HolidayNotice,
    UnknownYear,
    WorkCalendar,
    load_holiday_file,
)

D = dt.date
CAL = WorkCalendar.default()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # National Day 2024: off 1–7 Oct, worked Sun 29 Sep and Sat 12 Oct.
        # 23–27 Sep (1–5), 29 Sep (6), 30 Sep (7), 8–11 Oct (8–11), 12 Oct (12),
        # 14–18 Oct (13–17), 21–23 Oct (18–20)
        (D(2024, 9, 20), D(2024, 10, 23)),
        # Spring Festival 2025: off 28 Jan–4 Feb, worked Sun 26 Jan and Sat 8 Feb.
        # 21–24 Jan (1–4), 26 Jan (5), 27 Jan (6), 5–7 Feb (7–9), 8 Feb (10),
        # 10–14 Feb (11–15), 17–21 Feb (16–20)
        (D(2025, 1, 20), D(2025, 2, 21)),
        # Spring Festival 2024: off 10–17 Feb, worked Sun 4 Feb and Sun 18 Feb.
        # 2 Feb (1), 4 Feb (2), 5–9 Feb (3–7), 18 Feb (8), 19–23 Feb (9–13),
        # 26 Feb–1 Mar (14–18), 4–5 Mar (19–20)
        (D(2024, 2, 1), D(2024, 3, 5)),
        # National Day 2023: off 29 Sep–6 Oct, worked Sat 7 and Sun 8 Oct.
        # 26–28 Sep (1–3), 7–8 Oct (4–5), 9–13 Oct (6–10), 16–20 (11–15), 23–27 (16–20)
        (D(2023, 9, 25), D(2023, 10, 27)),
        # National Day 2025: off 1–8 Oct, worked Sun 28 Sep and Sat 11 Oct.
        # 28 Sep (1), 29–30 Sep (2–3), 9–10 Oct (4–5), 11 Oct (6), 13–17 (7–11),
        # 20–24 (12–16), 27–30 Oct (17–20)
        (D(2025, 9, 26), D(2025, 10, 30)),
        # An ordinary November: the day of receipt is not counted.
        # 5–8 Nov (1–4), 11–15 (5–9), 18–22 (10–14), 25–29 (15–19), 2 Dec (20)
        (D(2024, 11, 4), D(2024, 12, 2)),
        # Received on a public holiday (3 Oct 2024): 8–11 Oct (1–4), 12 Oct (5),
        # 14–18 (6–10), 21–25 (11–15), 28 Oct–1 Nov (16–20)
        (D(2024, 10, 3), D(2024, 11, 1)),
    ],
)
def test_twentieth_working_day(received: dt.date, due: dt.date) -> None:
    result = clock.deadline(CAL, received)
    assert result.due == due
    assert result.counted == 20
    assert result.days[0].date == received and result.days[0].kind == "start"


def test_explanation_names_holidays_and_makeup_days() -> None:
    result = clock.deadline(CAL, D(2024, 9, 20))
    by_day = {n.date: n for n in result.days}
    assert by_day[D(2024, 9, 29)].kind == "makeup" and by_day[D(2024, 9, 29)].count == 6
    assert by_day[D(2024, 10, 1)].kind == "holiday"
    assert by_day[D(2024, 9, 21)].kind == "weekend"
    zh = "\n".join(result.lines("zh"))
    assert "调休上班日（国庆节），第 6 个工作日" in zh
    assert "法定节假日（国庆节），不计" in zh
    assert "收到申请之日（不计入）" in zh
    assert zh.splitlines()[-1] == "答复期限：2024-10-23（收到申请后第 20 个工作日）"
    en = "\n".join(result.lines("en"))
    assert "make-up working day (国庆节), working day 6" in en
    assert result.to_dict()["due"] == "2024-10-23"


def test_correction_restarts_the_count() -> None:
    # received 20 Sep, corrected 4 Nov: counted from 4 Nov as above
    result = clock.deadline(CAL, D(2024, 9, 20), corrected=D(2024, 11, 4))
    assert result.due == D(2024, 12, 2)
    assert result.start == D(2024, 11, 4)
    assert "收到补正后的申请之日" in result.lines("zh")[0]


def test_extension_adds_twenty_working_days() -> None:
    # 2 Dec (20), 3–6 Dec (21–24), 9–13 (25–29), 16–20 (30–34), 23–27 (35–39), 30 Dec (40)
    result = clock.deadline(CAL, D(2024, 11, 4), extended=True)
    assert result.base_due == D(2024, 12, 2)
    assert result.due == D(2024, 12, 30)
    assert "原答复期限" in "\n".join(result.lines("zh"))


def test_extension_across_spring_festival_2025() -> None:
    # from 20 Jan 2025: 21 Feb (20), 24–28 Feb (21–25), 3–7 Mar (26–30),
    # 10–14 (31–35), 17–21 Mar (36–40)
    assert clock.deadline(CAL, D(2025, 1, 20), extended=True).due == D(2025, 3, 21)


def test_fee_pause_does_not_count() -> None:
    # 5–8 Nov (1–4; 8 Nov, the day of the notice, counts), 9–15 Nov paused,
    # 18–22 (5–9), 25–29 (10–14), 2–6 Dec (15–19), 9 Dec (20)
    pause = clock.Pause(D(2024, 11, 8), D(2024, 11, 15), "fee")
    result = clock.deadline(CAL, D(2024, 11, 4), pauses=[pause])
    assert result.due == D(2024, 12, 9)
    paused = [n.date for n in result.days if n.kind == "paused"]
    assert paused == [D(2024, 11, 8) + dt.timedelta(days=i) for i in range(1, 8)]
    assert "暂停计算：等待缴纳信息处理费" in "\n".join(result.lines("zh"))


def test_third_party_pause_over_national_day() -> None:
    # received 20 Sep 2024; third party asked 23 Sep (day 1 counts), answered 14 Oct.
    # 24 Sep–14 Oct paused; then 15–18 Oct (2–5), 21–25 (6–10), 28 Oct–1 Nov (11–15),
    # 4–8 Nov (16–20)
    pause = clock.Pause(D(2024, 9, 23), D(2024, 10, 14), "third_party")
    assert clock.deadline(CAL, D(2024, 9, 20), pauses=[pause]).due == D(2024, 11, 8)


def test_open_pause_has_no_due_date() -> None:
    pause = clock.Pause(D(2024, 11, 8), None, "other_agency")
    result = clock.deadline(CAL, D(2024, 11, 4), pauses=[pause])
    assert result.due is None and result.counted == 4 and result.paused == pause
    assert "已计 4 个工作日，尚余 16 个" in result.summary("zh")
    assert result.to_dict()["paused"] == {"since": "2024-11-08", "reason": "other_agency"}


def test_pauses_before_a_correction_are_ignored() -> None:
    pause = clock.Pause(D(2024, 9, 23), D(2024, 10, 14), "third_party")
    result = clock.deadline(CAL, D(2024, 9, 20), corrected=D(2024, 11, 4), pauses=[pause])
    assert result.due == D(2024, 12, 2)


def test_correction_before_receipt_is_an_error() -> None:
    with pytest.raises(ValueError):
        clock.deadline(CAL, D(2024, 9, 20), corrected=D(2024, 9, 1))


def test_unknown_year_is_refused_with_how_to_supply_it() -> None:
    with pytest.raises(UnknownYear) as err:
        clock.deadline(CAL, D(2027, 3, 1))
    assert err.value.year == 2027
    zh = err.value.message("zh")
    assert "2027" in zh and "--holidays" in zh and "不会猜测" in zh
    assert "--holidays FILE" in err.value.message("en")
    # a deadline that runs into the unknown year is refused too
    with pytest.raises(UnknownYear):
        clock.deadline(CAL, D(2026, 12, 20))


NOTICE_2027 = """\
year: 2027
notice: 国务院办公厅关于2027年部分节假日安排的通知（测试用）
holidays:
  元旦: ["2027-01-01..2027-01-03"]
  春节: ["2027-02-06..2027-02-13"]
workdays:
  春节: [2027-02-14, 2027-02-20]
"""


def test_a_supplied_holiday_file_makes_the_year_known(tmp_path: Path) -> None:
    f = tmp_path / "2027.yaml"
    f.write_text(NOTICE_2027, encoding="utf-8")
    cal = WorkCalendar.default([load_holiday_file(f)])
    assert cal.day(D(2027, 2, 14)).kind == "makeup" and cal.day(D(2027, 2, 14)).name == "春节"
    assert cal.day(D(2027, 2, 8)).kind == "holiday"
    # 2 Feb 2027 (Tue): 3–5 Feb (1–3), 14 Feb (4), 15–19 (5–9), 20 Feb (10),
    # 22–26 (11–15), 1–5 Mar (16–20)
    assert clock.deadline(cal, D(2027, 2, 2)).due == D(2027, 3, 5)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("year: twenty", "year"),
        ("year: 2027\nholidays: []", "no day"),
        ("year: 2027\nholidays: [2027-13-01]", "not a date"),
        ("year: 2027\nholidays: [2028-01-01]", "not in 2027"),
        ("year: 2027\nholidays: [2027-01-01]\nworkdays: [2027-01-04]", "not a weekend"),
        ("year: 2027\nholidays: [2027-01-02]\nworkdays: [2027-01-02]", "both"),
        ("year: 2027\nholidays: ['2027-01-05..2027-01-01']", "bad range"),
        ("[1, 2", "not YAML"),
    ],
)
def test_bad_holiday_files_are_named(tmp_path: Path, text: str, needle: str) -> None:
    f = tmp_path / "h.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(HolidayFileError) as err:
        load_holiday_file(f)
    assert needle in err.value.message("en")
    assert str(f) in err.value.message("zh")


def test_supplied_notice_replaces_the_package_for_its_year() -> None:
    notice = HolidayNotice(2024, {D(2024, 10, 21): "测试"}, {})
    cal = WorkCalendar.default([notice])
    assert cal.day(D(2024, 10, 1)).kind == "workday"  # the package's holiday is gone
    assert cal.day(D(2024, 10, 21)).kind == "holiday"
    assert cal.fingerprint() != WorkCalendar.default().fingerprint()


def test_working_day_helpers() -> None:
    assert clock.add_working_days(CAL, D(2024, 9, 27), 1) == D(2024, 9, 29)
    assert clock.working_days_between(CAL, D(2024, 9, 27), D(2024, 10, 8)) == 3
    assert clock.working_days_between(CAL, D(2024, 10, 8), D(2024, 9, 27)) == -3


def test_a_notice_survives_its_own_dict() -> None:
    notice = HolidayNotice(
        2027, {D(2027, 1, 1): "元旦", D(2027, 2, 8): "春节"}, {D(2027, 2, 14): "春节"}, "通知"
    )
    assert HolidayNotice.from_dict(notice.to_dict()) == notice


@settings(max_examples=200, deadline=None)
@given(
    received=st.dates(D(2019, 1, 1), D(2025, 6, 30)),
    extended=st.booleans(),
    pause=st.none() | st.tuples(st.integers(0, 30), st.integers(1, 40)),
)
def test_the_date_alone_equals_the_explained_date(
    received: dt.date, extended: bool, pause: tuple[int, int] | None
) -> None:
    pauses = []
    if pause is not None:
        start = received + dt.timedelta(days=pause[0])
        pauses.append(clock.Pause(start, start + dt.timedelta(days=pause[1]), "fee"))
    full = clock.deadline(CAL, received, extended=extended, pauses=pauses)
    bare = clock.deadline(CAL, received, extended=extended, pauses=pauses, explain=False)
    assert (bare.due, bare.base_due, bare.counted) == (full.due, full.base_due, full.counted)
    assert bare.days == () and full.due is not None
    counted = [n for n in full.days if n.kind in ("counted", "makeup")]
    assert len(counted) == full.target and all(CAL.is_workday(n.date) for n in counted)
    skipped = [n for n in full.days if n.kind in ("weekend", "holiday")]
    assert not any(CAL.is_workday(n.date) for n in skipped)
