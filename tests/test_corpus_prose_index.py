"""Prose matched when a report is stored (gongkai.corpus.prose_index): the kept
pairs, boilerplate flags and band keys always equal a computation from scratch,
whatever the order reports are added or removed in, on SQLite and a real
PostgreSQL; the migration fills them for an existing corpus; and copied prose
is asked a year at a time."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gongkai.corpus import analysis, prose, prose_index, prose_match
from gongkai.corpus.ingest import Ingested, from_report, store
from gongkai.corpus.models import ProseCommon, ProseKey, ProsePair, ReportRow
from gongkai.corpus.query import remove
from gongkai.corpus.rank import rank
from gongkai.db import connect, unit_of_work, upgrade
from gongkai.db.migrate import config
from gongkai.record import Report

YEARS = (2022, 2023)
#: more agencies than BUCKET_CAP, so the boilerplate every one prints is capped
AGENCIES = 26


@cache
def _synthetic() -> tuple[tuple[Report, str], ...]:
    """Synthetic reports of AGENCIES agencies over YEARS, their prose placed as
    the reader places it (a paragraph a line)."""
    from gongkai.synth import plan
    from gongkai.write.content import compose

    out = []
    for entry in plan(AGENCIES, YEARS, seed=5):
        data, _slip = entry.build()
        parts: dict[int, list[str]] = {}
        for b in compose(data):
            if b.kind in ("para", "subheading", "preamble") and b.text:
                parts.setdefault(b.part or 0, []).append(b.text)
        sections = [{"part": k, "text": "\n".join(v)} for k, v in sorted(parts.items())]
        out.append((data.report.model_copy(update={"x_sections": sections}), entry.name))
    return tuple(out)


def _copied(base: Report, into: Report, n: int) -> Report:
    """``into`` with ``n`` paragraphs of ``base``'s prose copied in, lightly edited
    (a copy between two agencies that no one else makes)."""
    texts = [
        line
        for sec in base.extra("x_sections") or []
        for line in str(sec["text"]).split("\n")
        if len(line) > 40
    ]
    edited = [t[:10] + "并" + t[10:] for t in texts[-n:]]
    sections = [*(into.extra("x_sections") or []), {"part": 6, "text": "\n".join(edited)}]
    got: Report = into.model_copy(update={"x_sections": sections})
    return got


@cache
def _checked() -> tuple[Ingested, ...]:
    made = list(_synthetic())
    last = [(r, n) for r, n in made if r.year == YEARS[-1]]
    # two second versions, each with paragraphs copied from another agency
    made.append((_copied(last[0][0], last[1][0], 3), last[1][1] + "-v2"))
    made.append((_copied(last[2][0], last[3][0], 2), last[3][1] + "-v2"))
    return tuple(from_report(r, f"{n}#5".encode(), name=n) for r, n in made)


def corpus() -> list[Ingested]:
    return list(_checked())


def _add(engine: sa.Engine, items: list[Ingested]) -> None:
    for g in items:
        with unit_of_work(engine) as s:
            assert store(s, g).status in ("added", "version")


def answers(engine: sa.Engine) -> dict[str, Any]:
    """Everything prose decides, asked afresh."""
    from gongkai.corpus.cache import clear

    with engine.begin() as c:
        clear(c)
    return {
        "copied": sorted(map(_plain, analysis.copied_prose(engine)), key=str),
        "reused": sorted(map(_plain, analysis.reused_prose(engine)), key=str),
        "rank": sorted((e.report_id, e.score, e.rank) for e in rank(engine).entries),
    }


def _plain(s: prose.SharedProse) -> tuple[Any, ...]:
    d = asdict(s)
    return tuple(d[k] for k in sorted(d))


def scratch(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The same answers computed from scratch (as without the kept pairs)."""
    with monkeypatch.context() as m:
        m.setattr(prose_index, "available", lambda c: False)
        return answers(engine)


def tables(engine: sa.Engine) -> dict[str, set[tuple[Any, ...]]]:
    """The kept index: the pairs that are ever asked (from a paragraph that is
    not boilerplate; reused ones all), the boilerplate paragraphs, the keys."""
    with engine.connect() as c:
        common = set(c.execute(sa.select(ProseCommon.report_id, ProseCommon.seq)).all())
        pairs = {
            (r.report_id, r.seq, r.other_id, r.other_seq, r.kind, round(r.similarity, 9))
            for r in c.execute(sa.select(ProsePair))
            if r.kind == "r" or (r.report_id, r.seq) not in common
        }
        keys = set(c.execute(sa.select(ProseKey.year, ProseKey.key, ProseKey.report_id)).all())
    return {"common": common, "pairs": pairs, "keys": keys}


def rebuilt(engine: sa.Engine) -> dict[str, set[tuple[Any, ...]]]:
    """:func:`tables` after a rebuild from scratch (the migration's backfill)."""
    with engine.begin() as c:
        prose_index.rebuild(c)
    return tables(engine)


def test_one_by_one_equals_from_scratch(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = connect(db_url)
    upgrade(engine)
    items = corpus()
    random.Random(3).shuffle(items)
    _add(engine, items)
    kept = tables(engine)
    assert kept["common"], "the synthetic boilerplate is shared by more than BUCKET_CAP agencies"
    assert {p[4] for p in kept["pairs"]} == {"c", "r"}, "copied and reused pairs found"
    got = answers(engine)
    assert got["copied"] and got["reused"]
    assert got == scratch(engine, monkeypatch)
    assert kept == rebuilt(engine)
    engine.dispose()


def test_removing_re_judges_boilerplate(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Removing agencies until the boilerplate is shared by BUCKET_CAP or fewer:
    its paragraphs are compared again, the new version's removal brings the
    old one back, and everything equals a computation from scratch."""
    engine = connect(db_url)
    upgrade(engine)
    _add(engine, corpus())
    before = tables(engine)
    with engine.connect() as c:
        last = list(
            c.execute(
                sa.select(ReportRow.id)
                .where(ReportRow.year == YEARS[-1], ReportRow.current.is_(True))
                .order_by(ReportRow.id)
            ).scalars()
        )
        versions = list(c.execute(sa.select(ReportRow.id).where(ReportRow.version == 2)).scalars())
    assert len(versions) == 2
    gone = [i for i in last if i not in versions][: AGENCIES - prose.BUCKET_CAP]
    with engine.begin() as c:
        remove(c, gone + versions[:1])
    after = tables(engine)
    freed = {p for p in before["common"] if p[0] not in gone} - after["common"]
    assert freed, "some boilerplate of the year is no longer shared by more than the cap"
    assert answers(engine) == scratch(engine, monkeypatch)
    assert after == rebuilt(engine)
    engine.dispose()


def test_batch_store_matches_as_store_does(tmp_path: Path) -> None:
    """The cluster's database path (store_batch) keeps the same matches."""
    from gongkai.cluster.batch_store import store_batch

    one, batch = connect(tmp_path / "one.db"), connect(tmp_path / "batch.db")
    upgrade(one)
    upgrade(batch)
    items = [g for g in corpus() if not g.name.endswith("-v2")]
    _add(one, items)
    with unit_of_work(batch) as s:
        store_batch(s, items)
    assert answers(one) == answers(batch)
    assert tables(one) == tables(batch)


def test_migration_fills_the_index(tmp_path: Path) -> None:
    """A corpus stored before corpus_0004 gets its prose matched on upgrade."""
    from alembic import command

    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    _add(engine, corpus())
    want, kept = answers(engine), tables(engine)
    with engine.begin() as c:
        command.downgrade(config(c), "corpus_0003")
        assert not sa.inspect(c).has_table("prose_pairs")
    upgrade(engine)
    assert answers(engine) == want
    assert tables(engine) == kept


def test_copied_prose_is_asked_a_year_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ranking a corpus of several years never holds two years' pairs at once:
    each year's reader is finished before the next one starts (kept pairs and
    from scratch alike)."""
    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    _add(engine, corpus())
    open_now: list[int] = []
    seen: list[tuple[str, int]] = []

    def watch(name: str, fn: Any) -> Any:
        def wrapped(c: sa.Connection, year: int) -> Iterator[Any]:
            assert not open_now, f"{name} {year} asked while {open_now} is open"
            open_now.append(year)
            seen.append((name, year))
            try:
                yield from fn(c, year)
            finally:
                open_now.remove(year)

        return wrapped

    for name in ("stored_copies", "stored_reuses", "scratch_copies"):
        monkeypatch.setattr(prose_index, name, watch(name, getattr(prose_index, name)))
    monkeypatch.setattr(
        prose_match, "reuses_of_year", watch("reuses_of_year", prose_match.reuses_of_year)
    )
    loaded: list[int] = []
    real_load = prose_match.load_year

    def load_one(c: sa.Connection, year: int) -> Any:
        loaded.append(year)
        return real_load(c, year)

    monkeypatch.setattr(prose_match, "load_year", load_one)
    rank(engine)
    assert sorted(seen) == sorted((n, y) for n in ("stored_copies", "stored_reuses") for y in YEARS)
    assert loaded == []  # the kept pairs are read; nothing is recomputed
    monkeypatch.setattr(prose_index, "available", lambda c: False)
    seen.clear()
    analysis.copied_prose(engine, analysis.Filter(years=YEARS))
    assert seen == [("scratch_copies", y) for y in YEARS]
    assert loaded == list(YEARS)  # one year's band keys at a time


def test_rank_after_adding_scores_only_the_years_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each year's scores are kept under the generations they depend on: a
    report of the last year re-scores that year only; one of the year before
    re-scores it and the next (carry-over and reuse look back a year). The
    ranking equals one computed afresh."""
    from gongkai.corpus import rank as rank_module

    engine = connect(tmp_path / "c.db")
    upgrade(engine)
    items = [g for g in corpus() if not g.name.endswith("-v2")]
    key = items[0].report["agency_key"]
    held = sorted(
        (g for g in items if g.report["agency_key"] == key), key=lambda g: g.report["year"]
    )
    assert [g.report["year"] for g in held] == list(YEARS)
    _add(engine, [g for g in items if g not in held])
    rank(engine)
    scored: list[int | None] = []
    real = rank_module._year_components

    def watch(c: sa.Connection, base: Any, year: int | None, lang: Any) -> Any:
        scored.append(year)
        return real(c, base, year, lang)

    monkeypatch.setattr(rank_module, "_year_components", watch)
    _add(engine, [held[1]])  # the last year
    got = sorted((e.report_id, e.score, e.rank) for e in rank(engine).entries)
    assert scored == [YEARS[1]]
    assert got == answers(engine)["rank"]
    scored.clear()
    rank(engine)
    assert scored == []  # kept
    _add(engine, [held[0]])  # the year before: both years
    got = sorted((e.report_id, e.score, e.rank) for e in rank(engine).entries)
    assert scored == list(YEARS)
    assert got == answers(engine)["rank"]


def test_merging_two_agencies_keeps_one_current_report_a_year(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An agency file that makes two agencies one body: where both had a report for
    the same year, the one stored later stays current and the other becomes version 1
    (before, both stayed current: the merged agency counted twice in every year, in
    rank and stats and toward the boilerplate cap); the kept prose equals a rebuild."""
    from dataclasses import replace

    from gongkai.corpus.agencies import Overrides
    from gongkai.corpus.models import Agency
    from gongkai.corpus.query import apply_overrides

    engine = connect(db_url)
    upgrade(engine)
    _add(engine, corpus())
    with engine.connect() as c:
        keys = list(
            c.execute(
                sa.select(ReportRow.agency_key)
                .where(ReportRow.year == YEARS[-1], ReportRow.current.is_(True))
                .group_by(ReportRow.agency_key)
                .order_by(ReportRow.agency_key)
            ).scalars()
        )
        into, gone = keys[0], keys[1]
        row = c.execute(sa.select(Agency).where(Agency.key == into)).one()
        ids = {
            r[0]: r[1]
            for r in c.execute(
                sa.select(ReportRow.agency_key, sa.func.max(ReportRow.id))
                .where(ReportRow.agency_key.in_([into, gone]), ReportRow.year == YEARS[-1])
                .group_by(ReportRow.agency_key)
            )
        }
    from gongkai.corpus.agencies import derive

    info = replace(derive(row.name), key=into, origin="override")
    with engine.begin() as c:
        assert apply_overrides(c, Overrides({gone: info})) == 1
    with engine.connect() as c:
        current = c.execute(
            sa.select(ReportRow.agency_key, ReportRow.year, sa.func.count())
            .where(ReportRow.current.is_(True))
            .group_by(ReportRow.agency_key, ReportRow.year)
        ).all()
        assert all(n == 1 for _, _, n in current), current
        merged = c.execute(
            sa.select(ReportRow.id, ReportRow.version, ReportRow.current)
            .where(ReportRow.agency_key == into, ReportRow.year == YEARS[-1])
            .order_by(ReportRow.id)
        ).all()
    latest = max(ids.values())
    assert [r.current for r in merged] == [r.id == latest for r in merged]
    assert [r.version for r in merged] == list(range(1, len(merged) + 1))
    assert answers(engine) == scratch(engine, monkeypatch)
    assert tables(engine) == rebuilt(engine)
    engine.dispose()
