"""Prose matched when a report is stored, kept in the database.

Three tables (:mod:`gongkai.corpus.models`) hold what finding copied and
reused prose needs, for the *current* reports only (one an agency and year):

* ``prose_keys`` (year, band key, report): the LSH index. The reports sharing a
  key in a year are its bucket; a bucket of more than BUCKET_CAP reports (so
  agencies) is boilerplate. A bucket's size is asked with ``LIMIT CAP + 2``,
  never counted in full, so a key every agency shares costs no more than one
  two agencies share.
* ``prose_common`` (report, seq): the paragraphs with a key in a boilerplate
  bucket.
* ``prose_pairs``: the verified pairs (:mod:`gongkai.corpus.prose_match`),
  copied (both ways) and reused (from the later report).

:func:`index_reports` runs when a report becomes current (stored, or the
version left when the current one is removed), :func:`unindex_reports` when it
stops being current (a newer version stored, or removed). The work is that of
the report: its keys' buckets, the reports in them, the paragraphs that share
a key. A bucket that grows past the cap makes its members' paragraphs common;
one that shrinks back re-judges them, and a paragraph that is no longer common
gets the pairs it was never given (two common paragraphs are never compared).
So the tables always equal what :func:`rebuild` computes from scratch, and
asking for the copied prose of a year reads its pairs instead of computing
them (:func:`stored_copies`, :func:`stored_reuses`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from sqlalchemy import (
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from gongkai.corpus.models import ParagraphRow, ProseCommon, ProseKey, ProsePair, ReportRow
from gongkai.corpus.prose import BUCKET_CAP, THRESHOLD, similarity
from gongkai.corpus.prose_match import (
    Match,
    Para,
    bands_of,
    copies_of_year,
    load_year,
    reuse_pairs,
    reuses_of_year,
)

R = ReportRow.__table__.c
P = ParagraphRow.__table__.c
KEYS: Table = ProseKey.__table__  # type: ignore[assignment]
PAIRS: Table = ProsePair.__table__  # type: ignore[assignment]
COMMON: Table = ProseCommon.__table__  # type: ignore[assignment]
K, PP, PC = KEYS.c, PAIRS.c, COMMON.c
_LOW = (1 << 32) - 1
_CHUNK = 20_000


def available(c: Connection) -> bool:
    """Whether the database keeps matched prose (not DuckDB views of Parquet files)."""
    return bool(inspect(c).has_table("prose_pairs"))


def _insert_ignore(c: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if c.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table).on_conflict_do_nothing()
    elif c.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table).on_conflict_do_nothing()
    else:
        stmt = insert(table)
    for k in range(0, len(rows), _CHUNK):
        c.execute(stmt, rows[k : k + _CHUNK])


#: keys asked in one statement (a fixed number: one compiled statement, cached)
_ASK = 64


def _members_stmt() -> Any:
    parts = [
        select(K.key, K.report_id)
        .where(K.year == bindparam("y"), K.key == bindparam(f"k{i}"))
        .limit(BUCKET_CAP + 2)
        .subquery()
        for i in range(_ASK)
    ]
    return union_all(*(select(p.c.key, p.c.report_id) for p in parts))


_MEMBERS = _members_stmt()


def _members(c: Connection, year: int, keys: Iterable[int]) -> dict[int, list[int]]:
    """The reports of each key's bucket, at most BUCKET_CAP + 2 of them (enough
    to tell whether it is boilerplate and whether it just crossed the cap);
    _ASK keys a statement, each an index range read that stops at the limit."""
    wanted = sorted(set(keys))
    out: dict[int, list[int]] = {k: [] for k in wanted}
    for n in range(0, len(wanted), _ASK):
        chunk = wanted[n : n + _ASK]
        chunk += [chunk[-1]] * (_ASK - len(chunk))  # padded: the same statement
        params: dict[str, int] = {"y": year, **{f"k{i}": k for i, k in enumerate(chunk)}}
        seen: set[tuple[int, int]] = set()
        for key, rid in c.execute(_MEMBERS, params):
            if (key, rid) not in seen:  # the padding repeats a key
                seen.add((key, rid))
                out[key].append(rid)
    return out


def load_paras(c: Connection, ids: Iterable[int], *, text: bool = False) -> dict[int, list[Para]]:
    """The compared paragraphs of these reports with their common flags."""
    out: dict[int, list[Para]] = {}
    wanted = sorted(set(ids))
    for k in range(0, len(wanted), 500):
        chunk = wanted[k : k + 500]
        cols = [P.report_id, P.seq, P.bands, R.agency_key, R.agency]
        q = (
            select(*cols, P.text if text else P.seq.label("_"))
            .select_from(ParagraphRow.__table__.join(ReportRow.__table__, R.id == P.report_id))
            .where(P.report_id.in_(chunk), P.bands.is_not(None))
            .order_by(P.report_id, P.seq)
        )
        common = set(c.execute(select(PC.report_id, PC.seq).where(PC.report_id.in_(chunk))).all())
        for r in c.execute(q):
            bands = bands_of(r[2])
            if bands is None or r.agency_key is None:
                continue
            para = Para(r[0], r[1], bands, r.agency_key, r.agency, r[5] if text else None)
            para.common = (r[0], r[1]) in common
            out.setdefault(r[0], []).append(para)
    return out


def _fill_texts(c: Connection, paras: list[Para]) -> None:
    need = [p for p in paras if p.text is None]
    ids = sorted({p.rid for p in need})
    got: dict[tuple[int, int], str] = {}
    for k in range(0, len(ids), 500):
        q = select(P.report_id, P.seq, P.text).where(P.report_id.in_(ids[k : k + 500]))
        got.update({(r, s): t for r, s, t in c.execute(q)})
    for p in need:
        p.text = got.get((p.rid, p.seq), "")


def _copies(c: Connection, mine: list[Para], others: list[Para]) -> list[dict[str, Any]]:
    """Verified copied pairs between ``mine`` and ``others`` (both ways): they
    share a band key, their agencies differ, not both are common."""
    if not mine or not others:
        return []
    ba = np.stack([p.bands for p in mine])
    bb = np.stack([p.bands for p in others])
    share = (ba[:, None, :] == bb[None, :, :]).any(axis=2)
    cand = [
        (mine[int(i)], others[int(j)])
        for i, j in zip(*np.nonzero(share), strict=True)
        if mine[int(i)].agency_key != others[int(j)].agency_key
        and not (mine[int(i)].common and others[int(j)].common)
    ]
    _fill_texts(c, [x for pair in cand for x in pair])
    rows = []
    for p, q in cand:
        s = similarity(p.shingles(), q.shingles())
        if s >= THRESHOLD:
            rows.append(_pair(p.rid, p.seq, q.rid, q.seq, "c", s))
            rows.append(_pair(q.rid, q.seq, p.rid, p.seq, "c", s))
    return rows


def _pair(rid: int, seq: int, oid: int, oseq: int, kind: str, s: float) -> dict[str, Any]:
    return {
        "report_id": rid,
        "seq": seq,
        "other_id": oid,
        "other_seq": oseq,
        "kind": kind,
        "similarity": s,
    }


#: an arbitrary constant: with the year, the PostgreSQL advisory lock of a year's buckets
_PG_LOCK = 72_190_418


def _current(c: Connection, rid: int) -> Any:
    row = c.execute(select(R.year, R.agency_key, R.current).where(R.id == rid)).first()
    if row is None or not row.current or row.year is None or row.agency_key is None:
        return None
    if c.dialect.name == "postgresql":
        # two transactions matching reports of one year at once would each count
        # the buckets without the other's rows: one waits (SQLite has one writer)
        key, year = cast(literal(_PG_LOCK), Integer), cast(literal(int(row.year)), Integer)
        c.execute(select(func.pg_advisory_xact_lock(key, year)))
    return row


def index_reports(c: Connection, ids: Iterable[int]) -> None:
    """Match the paragraphs of reports that became current (in this transaction)."""
    for rid in ids:
        _index(c, rid)


def _index(c: Connection, rid: int) -> None:
    meta = _current(c, rid)
    if meta is None:
        return
    year = meta.year
    mine = load_paras(c, [rid], text=True).get(rid, [])
    if mine:
        keys = sorted({k for p in mine for k in p.lsh_keys()})
        _insert_ignore(c, KEYS, [{"year": year, "key": k, "report_id": rid} for k in keys])
        members = _members(c, year, keys)
        capped = {k for k, m in members.items() if len(m) > BUCKET_CAP}
        for p in mine:
            p.common = any(k in capped for k in p.lsh_keys())
        crossing = [k for k in capped if len(members[k]) == BUCKET_CAP + 1]
        partners = {m for k in keys if k not in capped for m in members[k] if m != rid}
        loaded = load_paras(c, partners | {m for k in crossing for m in members[k] if m != rid})
        now_common = [p for p in mine if p.common]
        for k in crossing:  # the bucket just became boilerplate: so are its paragraphs
            b, v = k >> 32, k & _LOW
            for m in members[k]:
                for q in loaded.get(m, []) if m != rid else []:
                    if int(q.bands[b]) == v and not q.common:
                        q.common = True
                        now_common.append(q)
        _insert_ignore(c, COMMON, [{"report_id": p.rid, "seq": p.seq} for p in now_common])
        others = [q for m in sorted(partners) for q in loaded.get(m, [])]
        _insert_ignore(c, PAIRS, _copies(c, mine, others))
    # reuse: last year's report of the agency, and next year's
    near = c.execute(
        select(R.id, R.year).where(
            R.agency_key == meta.agency_key,
            R.current.is_(True),
            R.year.in_((year - 1, year + 1)),
            R.id != rid,
        )
    ).all()
    rows = []
    for oid, oyear in near:
        theirs = load_paras(c, [oid], text=True).get(oid, [])
        got = reuse_pairs(mine, theirs) if oyear == year - 1 else reuse_pairs(theirs, mine)
        rows += [_pair(a, sa, b, sb, "r", s) for a, sa, b, sb, s in got]
    _insert_ignore(c, PAIRS, rows)


def unindex_reports(c: Connection, ids: Iterable[int]) -> None:
    """Forget the matches of reports that stop being current (call while they still are)."""
    for rid in ids:
        _unindex(c, rid)


def _unindex(c: Connection, rid: int) -> None:
    meta = _current(c, rid)
    c.execute(delete(PAIRS).where(or_(PP.report_id == rid, PP.other_id == rid)))
    c.execute(delete(COMMON).where(PC.report_id == rid))
    if meta is None:
        return
    year = meta.year
    mine = load_paras(c, [rid]).get(rid, [])
    keys = sorted({k for p in mine for k in p.lsh_keys()})
    for k in range(0, len(keys), 500):
        c.execute(
            delete(KEYS).where(K.year == year, K.key.in_(keys[k : k + 500]), K.report_id == rid)
        )
    # buckets back under the cap: their paragraphs may no longer be boilerplate
    sizes = _members(c, year, keys)
    dropped = [(k, ms) for k, ms in sizes.items() if len(ms) == BUCKET_CAP]
    if not dropped:
        return
    loaded = load_paras(c, {m for _k, ms in dropped for m in ms})
    freed: list[Para] = []
    for k, ms in dropped:
        b, v = k >> 32, k & _LOW
        for m in ms:
            for q in loaded.get(m, []):
                if q.common and int(q.bands[b]) == v and not _capped(c, year, q, sizes):
                    q.common = False
                    freed.append(q)
    for q in freed:
        c.execute(delete(COMMON).where(PC.report_id == q.rid, PC.seq == q.seq))
    for q in freed:  # the pairs it was never given while it was common
        partners = {m for ms in _members(c, year, q.lsh_keys()).values() for m in ms if m != q.rid}
        theirs = [p for ps in load_paras(c, partners).values() for p in ps]
        _insert_ignore(c, PAIRS, _copies(c, [q], theirs))


def _capped(c: Connection, year: int, q: Para, sizes: dict[int, list[int]]) -> bool:
    missing = [k for k in q.lsh_keys() if k not in sizes]
    if missing:
        sizes.update(_members(c, year, missing))
    return any(len(sizes[k]) > BUCKET_CAP for k in q.lsh_keys())


# ------------------------------------------------------------------ from scratch


def rebuild(c: Connection, progress: Callable[[str], None] | None = None) -> None:
    """Fill the three tables from scratch, a year at a time (the migration's backfill)."""
    c.execute(delete(PAIRS))
    c.execute(delete(COMMON))
    c.execute(delete(KEYS))
    years = sorted(
        y
        for y in c.execute(
            select(R.year)
            .where(R.current.is_(True), R.year.is_not(None), R.agency_key.is_not(None))
            .distinct()
        ).scalars()
    )
    for year in years:
        if progress:
            progress(f"{year}: band keys")
        _write_keys(c, year)
        if progress:
            progress(f"{year}: copied prose")
        got = copies_of_year(c, year)
        _insert_ignore(c, COMMON, [{"report_id": r, "seq": s} for r, s in sorted(got.common)])
        _insert_ignore(c, PAIRS, [_pair(a, sa, b, sb, "c", s) for a, sa, b, sb, s in got.pairs])
        del got
        if progress:
            progress(f"{year}: reused prose")
        batch: list[dict[str, Any]] = []
        for a, sa, b, sb, s in reuses_of_year(c, year):
            batch.append(_pair(a, sa, b, sb, "r", s))
            if len(batch) >= _CHUNK:
                _insert_ignore(c, PAIRS, batch)
                batch = []
        _insert_ignore(c, PAIRS, batch)


def _write_keys(c: Connection, year: int) -> None:
    """Every band key of the year's current reports, in the table's key order."""
    rid, _seq, _ag, bands = load_year(c, year)
    rid_u = rid.astype(np.uint64)
    # SQLite: the rows handed to the driver as tuples (the statement compiled
    # from the table, positional): a fifth of the time of one dict a row
    positional = c.dialect.name == "sqlite"
    stmt = str(insert(KEYS).compile(dialect=c.dialect))
    for b in range(bands.shape[1]):
        code = np.unique((bands[:, b].astype(np.uint64) << np.uint64(31)) | rid_u)
        values = (code >> np.uint64(31)).astype(np.int64) | np.int64(b << 32)
        reports = (code & np.uint64((1 << 31) - 1)).astype(np.int64)
        for k in range(0, len(code), 50_000):
            part = zip(
                values[k : k + 50_000].tolist(), reports[k : k + 50_000].tolist(), strict=True
            )
            if positional:
                c.exec_driver_sql(stmt, [(year, kk, rr) for kk, rr in part])
            else:
                c.execute(
                    insert(KEYS), [{"year": year, "key": kk, "report_id": rr} for kk, rr in part]
                )


# ------------------------------------------------------------------ asked


def stored_copies(c: Connection, year: int) -> Iterator[tuple[int, int, int, int, float, str]]:
    """The copied pairs of ``year`` whose first paragraph is not common, with the
    other report's agency key."""
    ra, rb = aliased(ReportRow), aliased(ReportRow)
    q = (
        select(PP.report_id, PP.seq, PP.other_id, PP.other_seq, PP.similarity, rb.agency_key)
        .select_from(
            PAIRS.join(ra, ra.id == PP.report_id)
            .join(rb, rb.id == PP.other_id)
            .outerjoin(COMMON, and_(PC.report_id == PP.report_id, PC.seq == PP.seq))
        )
        .where(
            PP.kind == "c",
            ra.year == year,
            ra.current.is_(True),
            rb.current.is_(True),
            PC.report_id.is_(None),
        )
    )
    for r in c.execute(q).yield_per(20_000):
        yield (r[0], r[1], r[2], r[3], float(r[4]), r[5])


def stored_reuses(c: Connection, year: int) -> Iterator[Match]:
    """The reused pairs of ``year`` (against ``year - 1``)."""
    ra, rb = aliased(ReportRow), aliased(ReportRow)
    q = (
        select(PP.report_id, PP.seq, PP.other_id, PP.other_seq, PP.similarity)
        .select_from(PAIRS.join(ra, ra.id == PP.report_id).join(rb, rb.id == PP.other_id))
        .where(PP.kind == "r", ra.year == year, ra.current.is_(True), rb.current.is_(True))
    )
    for r in c.execute(q).yield_per(20_000):
        yield (r[0], r[1], r[2], r[3], float(r[4]))


def scratch_copies(c: Connection, year: int) -> Iterator[tuple[int, int, int, int, float, str]]:
    """What :func:`stored_copies` reads, computed from scratch."""
    got = copies_of_year(c, year)
    for a, sa, b, sb, s in got.pairs:
        if (a, sa) not in got.common:
            yield (a, sa, b, sb, s, got.agency[b])
