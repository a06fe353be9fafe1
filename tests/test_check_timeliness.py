"""Timeliness: 31 January for departments, 31 March for a government's own report."""

from __future__ import annotations

import datetime as dt

from check_records import clean, findings, rules, run
from gongkai.checks.agency import deadline


def test_deadlines() -> None:
    assert deadline(2023, "department") == dt.date(2024, 1, 31)
    assert deadline(2023, "government") == dt.date(2024, 3, 31)
    assert deadline(2023, None) == dt.date(2024, 3, 31)
    assert deadline(2018, "department") == dt.date(2019, 3, 31)


def test_department_after_31_january_is_late() -> None:
    got = findings(run(clean(published="2024-02-05")), "late-publication")
    assert [(f.severity, f.expected, f.actual) for f in got] == [
        ("warning", "2024-01-31", "2024-02-05")
    ]
    assert "5 天" in got[0].message
    assert not rules(run(clean(published="2024-01-17")), "late-publication")


def test_government_has_until_31_march() -> None:
    gov = clean(agency="测试县人民政府", published="2024-03-01")
    assert not rules(run(gov), "late-publication")
    assert rules(run({**gov, "published": "2024-04-01"}), "late-publication") == [
        "late-publication"
    ]
    office = clean(agency="测试县人民政府办公室", published="2024-03-01")
    assert rules(run(office), "late-publication") == ["late-publication"]


def test_overrides() -> None:
    d = clean(published="2024-03-01")
    assert not rules(run(d, level="government"), "late-publication")
    assert not rules(run(d, deadline=dt.date(2024, 3, 15)), "late-publication")
    assert rules(
        run(clean(agency="测试县人民政府", published="2024-03-01"), level="department"),
        "late-publication",
    )


def test_before_2019_all_have_until_31_march() -> None:
    legacy = {"agency": "某省民政厅", "year": 2017, "template": "legacy", "published": "2018-03-20"}
    assert not rules(run(legacy), "late-publication")


def test_date_from_the_parser_and_silence_without_one() -> None:
    assert rules(
        run(clean(x_published_sources={"signature": None, "page": "2024-02-20"})),
        "late-publication",
    )
    assert not rules(run(clean()), "late-publication")
    no_year = clean(published="2030-01-01")
    no_year["year"] = None
    assert not rules(run(no_year), "late-publication")
