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

import numpy as np
from sqlalchemy import Connection, Engine, and_, or_, select

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


def shingle_array(text: str, agency: str | None) -> np.ndarray:
    """The paragraph's shingle hashes, sorted and unique (what similarity compares)."""
    return np.unique(np.fromiter(shingles(_norm(text, agency)), dtype=np.uint32))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity of two sorted unique shingle arrays."""
    if a.size == 0 and b.size == 0:
        return 1.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return float(inter / (a.size + b.size - inter))


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
    years: Iterable[int],
    examples: bool = True,
) -> list[SharedProse]:
    """Near-duplicate paragraphs of the chosen reports in another report:
    ``same_agency`` — the same agency's report of the year before (reuse);
    otherwise another agency's report of the same year (copying). A year at a
    time: the pairs kept in the database (:mod:`gongkai.corpus.prose_index`),
    or, where it keeps none (DuckDB views of a Parquet dataset), computed from
    scratch (:mod:`gongkai.corpus.prose_match`)."""
    from gongkai.corpus import prose_index, prose_match

    kept = prose_index.available(conn)
    out: list[SharedProse] = []
    for year in sorted(set(years)):
        rows: Iterable[tuple[int, int, int, int, float, str | None]]
        if same_agency:
            got = (
                prose_index.stored_reuses(conn, year)
                if kept
                else prose_match.reuses_of_year(conn, year)
            )
            rows = ((*m, None) for m in got)
        else:
            rows = (
                prose_index.stored_copies(conn, year)
                if kept
                else prose_index.scratch_copies(conn, year)
            )
        out += _assemble(
            conn,
            rows,
            report_ids,
            same_agency=same_agency,
            max_spread=max_spread,
            examples=examples,
        )
    return sorted(out, key=lambda s: (-s.share, s.report_id, s.other_id))


def _assemble(
    conn: Connection,
    rows: Iterable[tuple[int, int, int, int, float, str | None]],
    chosen: set[int],
    *,
    same_agency: bool,
    max_spread: int,
    examples: bool = True,
) -> list[SharedProse]:
    """Verified paragraph pairs of one year → the share of each chosen report
    found in each other report. For copying, a paragraph found in more than
    ``max_spread`` other agencies is common boilerplate, not copying."""
    verified: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    partners: dict[tuple[int, int], set[str | None]] = defaultdict(set)
    for rid, seq, oid, _oseq, s, other_agency in rows:
        if rid not in chosen or rid == oid:
            continue
        verified[(rid, seq)].append((oid, s))
        partners[(rid, seq)].add(other_agency)
    grouped: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for (rid, seq), hits in verified.items():
        if not same_agency and len(partners[(rid, seq)]) > max_spread:
            continue
        for oid, s in hits:
            best = grouped[(rid, oid)]
            best[seq] = max(best.get(seq, 0.0), s)
    if not grouped:
        return []
    ids = sorted({x for k in grouped for x in k})
    mine = sorted({rid for rid, _o in grouped})
    lengths: dict[tuple[int, int], int] = {}
    totals: dict[int, int] = defaultdict(int)
    meta: dict[int, tuple[str | None, int | None]] = {}
    for k in range(0, len(mine), 500):  # ix_paragraphs_length covers it: no text read
        q = select(P.report_id, P.seq, P.length).where(P.report_id.in_(mine[k : k + 500]))
        for rid, seq, length in conn.execute(q):
            totals[rid] += length
            lengths[(rid, seq)] = length
    for k in range(0, len(ids), 500):
        for r in conn.execute(select(R.id, R.agency, R.year).where(R.id.in_(ids[k : k + 500]))):
            meta[r.id] = (r.agency, r.year)
    chosen_example = {
        key: max(best, key=lambda s, rid=key[0]: (lengths[(rid, s)], -s))  # type: ignore[misc]
        for key, best in grouped.items()
    }
    texts = (
        _paragraph_texts(conn, {(rid, s) for (rid, _o), s in chosen_example.items()})
        if examples
        else {}
    )
    out = []
    for (rid, oid), best in grouped.items():
        length = sum(lengths[(rid, s)] for s in best)
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
                texts.get((rid, chosen_example[(rid, oid)]), ""),
                round(min(best.values()), 3),
            )
        )
    return out


def _paragraph_texts(conn: Connection, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
    keys = sorted(wanted)
    out: dict[tuple[int, int], str] = {}
    for k in range(0, len(keys), 200):
        # OR of (report, seq) pairs: an index read each (SQLite scans the whole
        # table for a row-value IN list)
        q = select(P.report_id, P.seq, P.text).where(
            or_(*(and_(P.report_id == r, P.seq == s) for r, s in keys[k : k + 200]))
        )
        out.update({(r, s): t for r, s, t in conn.execute(q)})
    return out


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
    # the measure matching verified its pairs with (prose_match)
    mine = [(t, shingle_array(t, ag)) for rid, _s, t, ag in rows if rid == a]
    theirs = [shingle_array(t, ag) for rid, _s, t, ag in rows if rid == b]
    out: list[str] = []
    for text, sh in mine:
        if text not in out and any(similarity(sh, o) >= THRESHOLD for o in theirs):
            out.append(text)
    return out
