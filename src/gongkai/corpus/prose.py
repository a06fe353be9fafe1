"""Near-duplicate prose: character shingles, MinHash signatures, LSH banding.

A paragraph is compared by its **normalised** text (NFKC; digits, spaces,
punctuation, Latin letters and the agency's own names taken out) cut into
overlapping character shingles of :data:`SHINGLE` characters. Two paragraphs
are near-duplicates when the Jaccard similarity of their shingle sets is at
least :data:`THRESHOLD` (0.6: a 100-character paragraph with 3 characters
changed keeps about 0.8; two paragraphs on the same subject in the same
official style share about 0.1–0.3).

Comparing every pair of paragraphs does not scale (a year of 25,000 reports
holds half a million paragraphs). So each paragraph gets a MinHash signature
of :data:`HASHES` values once, when its report is stored, cut into
:data:`BANDS` bands of :data:`ROWS` values; each band is kept as one 32-bit
key (``paragraphs.bands``, 4 × BANDS bytes). Paragraphs that share a band key
are *candidates* (locality-sensitive hashing): a pair of similarity s becomes
a candidate with probability 1 − (1 − s^ROWS)^BANDS — 0.94 at s = 0.6, 0.996
at 0.7, 0.9999 at 0.8, and 0.15 at 0.3. Every candidate is then *verified* by
its real Jaccard similarity on the text, so a pair is reported only when it
truly is similar; one below the threshold is never reported, and a pair just
above it is missed with the small probability above.

A band key that more than :data:`BUCKET_CAP` agencies of a year share marks
common boilerplate (the paragraph every agency copies from the same circular)
and is not turned into pairs.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, select

from gongkai.corpus.models import ParagraphRow, ReportRow

#: characters in a shingle
SHINGLE = 4
#: LSH bands and rows per band (HASHES = BANDS × ROWS MinHash values)
BANDS = 20
ROWS = 4
HASHES = BANDS * ROWS
#: Jaccard similarity of shingle sets from which two paragraphs are near-duplicates
THRESHOLD = 0.6
#: a band key shared by more agencies of a year than this is boilerplate
BUCKET_CAP = 20

_PRIME = np.uint64((1 << 61) - 1)
_MASK = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20190515)  # fixed: signatures must agree across runs
_A = _rng.integers(1, (1 << 61) - 1, size=HASHES, dtype=np.uint64)
_B = _rng.integers(0, (1 << 61) - 1, size=HASHES, dtype=np.uint64)

R = ReportRow.__table__.c
P = ParagraphRow.__table__.c


def shingles(norm: str) -> frozenset[int]:
    """The 32-bit hashes of the text's character shingles (a short text: itself)."""
    return frozenset(zlib.crc32(g.encode()) for g in grams(norm))


def grams(norm: str) -> frozenset[str]:
    """The text's character shingles (a text shorter than one: itself)."""
    if len(norm) <= SHINGLE:
        return frozenset({norm})
    return frozenset(norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1))


def signature(sh: Iterable[int]) -> np.ndarray:
    """MinHash: for each of HASHES hash functions (a·x + b mod 2⁶¹−1, 32 bits kept)
    the least value over the shingles."""
    hv = np.fromiter(sh, dtype=np.uint64)
    if hv.size == 0:
        return np.full(HASHES, _MASK, dtype=np.uint64)
    return np.asarray(((hv[:, None] * _A + _B) % _PRIME & _MASK).min(axis=0), dtype=np.uint64)


def band_keys(norm: str) -> bytes:
    """The paragraph's BANDS band keys, 32 bits each (little-endian), as stored."""
    sig = signature(shingles(norm)).astype("<u4")
    keys = np.array(
        [zlib.crc32(sig[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS)],
        dtype="<u4",
    )
    return keys.tobytes()


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    """The Jaccard similarity of two shingle sets (:func:`grams` or :func:`shingles`)."""
    if not a and not b:
        return 1.0
    if len(a) > len(b):
        a, b = b, a
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


@dataclass(frozen=True)
class SharedProse:
    """Paragraphs of a report found, near-identical, in another report (copied, or reused)."""

    report_id: int
    agency: str | None
    year: int | None
    other_id: int
    other_agency: str | None
    other_year: int | None
    paragraphs: int
    share: float  # of the report's compared prose (characters), 0..1
    example: str
    #: the least similarity among the paragraphs counted (Jaccard of shingles)
    similarity: float = 1.0


@dataclass
class _Paras:
    """Every compared paragraph of the reports loaded, as arrays (one row a paragraph)."""

    rid: np.ndarray
    seq: np.ndarray
    length: np.ndarray
    group: np.ndarray  # year (copying) or agency index (reuse)
    agency: np.ndarray  # agency index
    year: np.ndarray
    bands: np.ndarray  # (n, BANDS) uint32


def _load(c: Connection, cond: object, agencies: dict[str | None, int]) -> _Paras:
    q = (
        select(P.report_id, P.seq, P.length, P.bands, R.agency_key, R.year)
        .select_from(ParagraphRow.__table__.join(ReportRow.__table__, R.id == P.report_id))
        .where(cond, P.bands.is_not(None), R.year.is_not(None), R.agency_key.is_not(None))  # type: ignore[arg-type]
    )
    rid: list[int] = []
    seq: list[int] = []
    length: list[int] = []
    ag: list[int] = []
    year: list[int] = []
    blobs: list[bytes] = []
    for r in c.execute(q).yield_per(20_000):
        if r.bands is None or len(r.bands) != 4 * BANDS:
            continue
        rid.append(r.report_id)
        seq.append(r.seq)
        length.append(r.length)
        ag.append(agencies.setdefault(r.agency_key, len(agencies)))
        year.append(r.year)
        blobs.append(bytes(r.bands))
    n = len(rid)
    bands = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(n, BANDS).astype(np.uint64)
    return _Paras(
        np.array(rid, dtype=np.int64),
        np.array(seq, dtype=np.int64),
        np.array(length, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        np.array(ag, dtype=np.int64),
        np.array(year, dtype=np.int64),
        bands,
    )


def _candidates(p: _Paras, group: np.ndarray) -> tuple[set[tuple[int, int]], set[int]]:
    """Index pairs (i < j) sharing a band key within a group, and the paragraphs
    in a bucket of more than BUCKET_CAP agencies (boilerplate)."""
    pairs: set[tuple[int, int]] = set()
    common: set[int] = set()
    n = len(group)
    if n < 2:
        return pairs, common
    for b in range(BANDS):
        keys = (group.astype(np.uint64) << np.uint64(32)) | p.bands[:, b]
        order = np.argsort(keys, kind="stable")
        k = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
        ends = np.concatenate((starts[1:], [n]))
        multi = np.flatnonzero(ends - starts >= 2)
        for s, e in zip(starts[multi], ends[multi], strict=True):
            members = order[s:e].tolist()
            if len({int(p.agency[m]) for m in members}) > BUCKET_CAP:
                common.update(members)
                continue
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    i, j = members[x], members[y]
                    pairs.add((i, j) if i < j else (j, i))
    return pairs, common


def _texts(c: Connection, p: _Paras, wanted: set[int]) -> dict[int, tuple[str, frozenset[str]]]:
    """Text and shingles of the paragraphs at the indices ``wanted``."""
    where = defaultdict(set)
    for i in wanted:
        where[int(p.rid[i])].add(int(p.seq[i]))
    index = {(int(p.rid[i]), int(p.seq[i])): i for i in wanted}
    out: dict[int, tuple[str, frozenset[str]]] = {}
    ids = sorted(where)
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        q = (
            select(P.report_id, P.seq, P.text, R.agency)
            .select_from(ParagraphRow.__table__.join(ReportRow.__table__, R.id == P.report_id))
            .where(P.report_id.in_(chunk))
        )
        for rid, seq, text, agency in c.execute(q):
            at = index.get((rid, seq))
            if at is not None:
                out[at] = (text, grams(_norm(text, agency)))
    return out


_names_cache: dict[str | None, tuple[str, ...]] = {}


def _norm(text: str, agency: str | None) -> str:
    from gongkai.corpus.ingest import normalise_paragraph, paragraph_names

    names = _names_cache.get(agency)
    if names is None:
        names = paragraph_names(agency)
        if len(_names_cache) > 50_000:
            _names_cache.clear()
        _names_cache[agency] = names
    return normalise_paragraph(text, names)


def shared_prose(
    conn: Connection,
    report_ids: set[int],
    *,
    same_agency: bool,
    max_spread: int,
    scope: object,
) -> list[SharedProse]:
    """Near-duplicate paragraphs of the chosen reports in another report:
    ``same_agency`` — the same agency's report of the year before (reuse);
    otherwise another agency's report of the same year (copying). ``scope``:
    the condition choosing every report the chosen ones are compared with."""
    agencies: dict[str | None, int] = {}
    p = _load(conn, scope, agencies)
    if len(p.rid) == 0:
        return []
    group = p.agency if same_agency else p.year
    pairs, common = _candidates(p, group)
    keep: list[tuple[int, int]] = []  # (i of a chosen report, j of the other)
    for i, j in pairs:
        for a, b in ((i, j), (j, i)):
            if int(p.rid[a]) not in report_ids or p.rid[a] == p.rid[b]:
                continue
            if same_agency:
                if p.year[b] != p.year[a] - 1:
                    continue
            elif p.agency[a] == p.agency[b]:
                continue
            keep.append((a, b))
    texts = _texts(conn, p, {x for ab in keep for x in ab})
    verified: dict[tuple[int, int], float] = {}
    partners: dict[int, set[int]] = defaultdict(set)
    seen: dict[tuple[int, int], float] = {}
    for a, b in keep:
        if a not in texts or b not in texts:
            continue
        pair = (a, b) if a < b else (b, a)
        s = seen.get(pair, -1.0)
        if s < 0:
            s = seen[pair] = jaccard(texts[a][1], texts[b][1])
        if s >= THRESHOLD:
            verified[(a, b)] = s
            partners[a].add(int(p.agency[b]))
    if not same_agency:
        common |= {a for a, ag in partners.items() if len(ag) > max_spread}
    grouped: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for (a, b), s in verified.items():
        if a in common:
            continue
        grouped[(int(p.rid[a]), int(p.rid[b]))].append((a, s))
    if not grouped:
        return []
    totals: dict[int, int] = defaultdict(int)
    for i in range(len(p.rid)):
        totals[int(p.rid[i])] += int(p.length[i])
    ids = {x for k in grouped for x in k}
    meta = {
        r.id: (r.agency, r.year)
        for k in range(0, len(ids), 500)
        for r in conn.execute(
            select(R.id, R.agency, R.year).where(R.id.in_(sorted(ids)[k : k + 500]))
        )
    }
    out = []
    for (rid, oid), hits in grouped.items():
        best: dict[int, float] = {}
        for a, s in hits:
            best[a] = max(best.get(a, 0.0), s)
        length = sum(int(p.length[a]) for a in best)
        example = max(best, key=lambda a: (int(p.length[a]), -a))
        out.append(
            SharedProse(
                rid,
                meta[rid][0],
                meta[rid][1],
                oid,
                meta[oid][0],
                meta[oid][1],
                len(best),
                min(1.0, length / max(1, totals.get(rid) or 1)),
                texts[example][0],
                round(min(best.values()), 3),
            )
        )
    return sorted(out, key=lambda s: (-s.share, s.report_id, s.other_id))


def shared_between(conn: Engine | Connection, a: int, b: int) -> list[str]:
    """Paragraphs of report ``a`` near-identical to a paragraph of report ``b``
    (every pair compared: two reports are few paragraphs)."""
    from gongkai.corpus.query import _conn

    with _conn(conn) as c:
        rows = list(
            c.execute(
                select(P.report_id, P.seq, P.text, R.agency)
                .select_from(ParagraphRow.__table__.join(ReportRow.__table__, R.id == P.report_id))
                .where(P.report_id.in_((a, b)))
                .order_by(P.report_id, P.seq)
            )
        )
    mine = [(t, grams(_norm(t, ag))) for rid, _s, t, ag in rows if rid == a]
    theirs = [grams(_norm(t, ag)) for rid, _s, t, ag in rows if rid == b]
    out: list[str] = []
    for text, sh in mine:
        if text not in out and any(jaccard(sh, o) >= THRESHOLD for o in theirs):
            out.append(text)
    return out
