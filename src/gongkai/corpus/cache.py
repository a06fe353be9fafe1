"""Slow answers kept in the database, never stale.

Every write to the corpus (a report stored or removed, agencies edited) grows
``corpus_state.generation`` in the same transaction (:func:`bump`). An answer
(a ranking, the copied prose of a year…) is kept in ``corpus_cache`` with the
generation it was computed at, and given back only while the generation is
the same: whoever changed the corpus — this process, ``gongkai corpus`` in a
shell, a web server, a cluster — the next question is answered afresh. The
CLI and the web server share the kept answers through the database.

A write also grows the generation of each year it touched (``corpus_years``;
year 0 for a change of every year, such as agencies edited). An answer about
one year names in its question the generations it depends on and is kept
with ``keyed=True``: it stays good while other years change (the scores of
each year in ``rank``).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, delete, insert, inspect, select, update
from sqlalchemy.exc import SQLAlchemyError

from gongkai.corpus.models import CacheRow, CorpusState, CorpusYear

T = TypeVar("T")
_S = CorpusState.__table__.c
_C = CacheRow.__table__.c
YEARS = CorpusYear.__table__
_Y = YEARS.c
#: kept answers beyond this many are dropped, oldest generation first
KEEP = 256


#: ``corpus_years``'s row for a change that concerns every year (agencies edited)
EVERY_YEAR = 0
#: ``corpus_years``'s row for the reports whose year is not known
NO_YEAR = -1


def bump(conn: Connection, years: Iterable[int | None] | None = None) -> None:
    """Grow the generation (call inside the writing transaction); ``years``: the
    years of the reports written (their generations grow too, so an answer about
    one year stays good while other years change); None: every year's."""
    done = conn.execute(update(CorpusState).where(_S.id == 1).values(generation=_S.generation + 1))
    if done.rowcount == 0:
        conn.execute(insert(CorpusState).values(id=1, generation=1))
    if not inspect(conn).has_table("corpus_years"):  # a database being migrated
        return
    rows = {EVERY_YEAR} if years is None else {NO_YEAR if y is None else y for y in years}
    for y in sorted(rows):
        done = conn.execute(
            update(CorpusYear).where(_Y.year == y).values(generation=_Y.generation + 1)
        )
        if done.rowcount == 0:
            conn.execute(insert(CorpusYear).values(year=y, generation=1))


def generation(conn: Connection) -> int:
    return int(conn.execute(select(_S.generation).where(_S.id == 1)).scalar() or 0)


def year_generations(conn: Connection) -> dict[int, int]:
    """Each year's generation (EVERY_YEAR: changes of every year; NO_YEAR: reports
    without a year); a year never written is absent (generation 0)."""
    if not inspect(conn).has_table("corpus_years"):
        return {}
    return {y: g for y, g in conn.execute(select(_Y.year, _Y.generation))}


def _key(question: str) -> str:
    return hashlib.sha256(question.encode()).hexdigest()


def cached(
    conn: Engine | Connection,
    question: str,
    compute: Callable[[Connection], T],
    encode: Callable[[T], Any],
    decode: Callable[[Any], T],
    *,
    keyed: bool = False,
) -> T:
    """``compute(conn)``, or the answer kept for ``question`` at this generation.
    ``encode`` makes the answer JSON-able, ``decode`` gives it back. Keeping is
    best effort: a database that cannot be written (read-only, locked) still
    answers; a database without the cache table (DuckDB views of a Parquet
    dataset) is simply asked. Kept only when asked through an Engine (a caller's open
    transaction is not written into behind its back)."""
    from gongkai.corpus.query import _conn

    key = _key(question)
    with _conn(conn) as c:
        if not inspect(c).has_table("corpus_cache"):  # DuckDB views of a Parquet dataset
            return compute(c)
        gen = generation(c)
        row = c.execute(select(_C.generation, _C.payload).where(_C.key == key)).first()
        # keyed: the question names the generations it depends on, so an answer
        # kept for it is good whatever else changed since
        if row is not None and (keyed or row.generation == gen):
            return decode(json.loads(zlib.decompress(bytes(row.payload))))
        value = compute(c)
    if not isinstance(conn, Engine):
        return value
    payload = zlib.compress(json.dumps(encode(value), ensure_ascii=False).encode(), 6)
    try:
        with conn.connect() as w:
            w.execution_options(gongkai_write=True)
            with w.begin():
                if generation(w) != gen and not keyed:  # changed meanwhile: keep nothing
                    return value
                w.execute(delete(CacheRow).where(_C.key == key))
                w.execute(
                    insert(CacheRow).values(
                        key=key, generation=gen, question=question[:2000], payload=payload
                    )
                )
                stale = list(
                    w.execute(select(_C.key).order_by(_C.generation.desc()).offset(KEEP)).scalars()
                )
                if stale:
                    w.execute(delete(CacheRow).where(_C.key.in_(stale)))
    except SQLAlchemyError:
        pass  # read-only or busy: the answer is still right, only not kept
    return value


def clear(conn: Connection) -> None:
    """Drop every kept answer (the generation is left as it is)."""
    conn.execute(delete(CacheRow))
