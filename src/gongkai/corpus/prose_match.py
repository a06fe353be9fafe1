"""Near-duplicate paragraphs of one year, matched from scratch in bounded memory.

The one definition of a match, shared by the incremental index
(:mod:`gongkai.corpus.prose_index`, run when a report is stored or removed)
and by the computation from scratch here (the migration that fills the index
of an existing corpus, and a database without the index such as DuckDB views
of a Parquet dataset):

* **copied**: two paragraphs of current reports of two different agencies of
  the same year that share a band key (:mod:`gongkai.corpus.prose`) and whose
  shingle sets have a Jaccard similarity of at least THRESHOLD. A paragraph
  with a band key shared by more than BUCKET_CAP agencies of its year is
  boilerplate (*common*): a pair of two common paragraphs is never compared
  (neither side is ever reported), a pair with one is.
* **reused**: a paragraph of an agency's current report and one of its
  current report of the year before sharing a band key, verified alike
  (never boilerplate: one agency).

Memory: one year's band keys at a time as arrays (25,000 reports ≈ 430,000
paragraphs ≈ 70 MB), the shingles of the paragraphs that have a candidate, and
the verified pairs; reuse streams the paragraphs of two consecutive years
ordered by agency, one agency at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Connection, and_, select

from gongkai.corpus.models import ParagraphRow, ReportRow
from gongkai.corpus.prose import BANDS, BUCKET_CAP, THRESHOLD, shingle_array, similarity

R = ReportRow.__table__.c
P = ParagraphRow.__table__.c

#: a verified pair: (report, seq) of one paragraph, (report, seq) of the other, similarity
Match = tuple[int, int, int, int, float]


@dataclass
class Para:
    """A paragraph of a current report, as matching needs it."""

    rid: int
    seq: int
    bands: np.ndarray  # (BANDS,) uint32
    agency_key: str
    agency: str | None  # as printed (taken out of the text before comparing)
    text: str | None = None
    common: bool = False
    _sh: np.ndarray | None = field(default=None, repr=False)

    def lsh_keys(self) -> list[int]:
        """The band keys as stored in ``prose_keys``: ``band << 32 | value``."""
        return [(b << 32) | int(v) for b, v in enumerate(self.bands.tolist())]

    def shingles(self) -> np.ndarray:
        if self._sh is None:
            self._sh = shingle_array(self.text or "", self.agency)
        return self._sh


def bands_of(blob: bytes | None) -> np.ndarray | None:
    if blob is None or len(blob) != 4 * BANDS:
        return None
    return np.frombuffer(bytes(blob), dtype="<u4").astype(np.uint32)


def current_of_year(year: int) -> object:
    return and_(
        R.current.is_(True), R.year == year, R.agency_key.is_not(None), P.bands.is_not(None)
    )


def _joined() -> object:
    return ParagraphRow.__table__.join(ReportRow.__table__, R.id == P.report_id)


# ------------------------------------------------------------------ copied


@dataclass
class YearCopies:
    """The paragraphs of a year that are common, and its verified copied pairs
    (each both ways)."""

    year: int
    common: set[tuple[int, int]]
    pairs: list[Match]
    #: (report, seq) → the agency key of its report, for the paragraphs in pairs
    agency: dict[int, str]


def load_year(c: Connection, year: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Report ids, seqs, agency indices and band keys ((n, BANDS) uint32) of every
    compared paragraph of the current reports of ONE year."""
    q = (
        select(P.report_id, P.seq, P.bands, R.agency_key)
        .select_from(_joined())  # type: ignore[arg-type]
        .where(current_of_year(year))  # type: ignore[arg-type]
    )
    rid: list[int] = []
    seq: list[int] = []
    ag: list[int] = []
    blobs: list[bytes] = []
    index: dict[str, int] = {}
    for r in c.execute(q).yield_per(20_000):
        if r.bands is None or len(r.bands) != 4 * BANDS:
            continue
        rid.append(r.report_id)
        seq.append(r.seq)
        ag.append(index.setdefault(r.agency_key, len(index)))
        blobs.append(bytes(r.bands))
    n = len(rid)
    bands = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(n, BANDS).astype(np.uint32)
    return (
        np.array(rid, dtype=np.int64),
        np.array(seq, dtype=np.int64),
        np.array(ag, dtype=np.int64),
        bands,
    )


def _buckets(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Groups of equal keys: the sorting order, and the start and size in it of
    each group of two or more."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(k)])))
    multi = sizes >= 2
    return order, starts[multi], sizes[multi]


def copies_of_year(c: Connection, year: int, *, chunk: int = 200_000) -> YearCopies:
    """Every copied pair of ``year``, from scratch (one year in memory)."""
    rid, seq, ag, bands = load_year(c, year)
    n = len(rid)
    common = np.zeros(n, dtype=bool)
    codes: list[np.ndarray] = []
    for b in range(BANDS):
        order, starts, sizes = _buckets(bands[:, b])
        two = starts[sizes == 2]  # most groups: a pair, never boilerplate
        x, y = np.minimum(order[two], order[two + 1]), np.maximum(order[two], order[two + 1])
        differ = ag[x] != ag[y]
        codes.append(x[differ] * n + y[differ])
        for s, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
            m = np.sort(order[s : s + size])
            ags = ag[m]
            if len(np.unique(ags)) > BUCKET_CAP:
                common[m] = True
                continue
            i, j = np.triu_indices(len(m), 1)
            keep = ags[i] != ags[j]
            codes.append(m[i[keep]] * n + m[j[keep]])
    out = YearCopies(year, {(int(rid[i]), int(seq[i])) for i in np.flatnonzero(common)}, [], {})
    if not codes:
        return out
    pairs = np.unique(np.concatenate(codes))
    del codes
    i_all, j_all = pairs // n, pairs % n
    keep = ~(common[i_all] & common[j_all])
    i_all, j_all = i_all[keep], j_all[keep]
    for k in range(0, len(i_all), chunk):
        ii, jj = i_all[k : k + chunk], j_all[k : k + chunk]
        texts = _texts(c, {(int(rid[x]), int(seq[x])) for x in np.concatenate((ii, jj)).tolist()})
        for x, y in zip(ii.tolist(), jj.tolist(), strict=True):
            a, b_ = (int(rid[x]), int(seq[x])), (int(rid[y]), int(seq[y]))
            s = similarity(texts[a], texts[b_])
            if s >= THRESHOLD:
                out.pairs.append((*a, *b_, s))
                out.pairs.append((*b_, *a, s))
    agencies: dict[int, str] = {
        r.id: r.agency_key
        for r in c.execute(select(R.id, R.agency_key).where(R.year == year, R.current.is_(True)))
    }
    out.agency = {r: agencies[r] for r in {p[0] for p in out.pairs}}
    return out


def _texts(c: Connection, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], np.ndarray]:
    """The shingle arrays of the paragraphs ``wanted``, read a few hundred reports at a time."""
    out: dict[tuple[int, int], np.ndarray] = {}
    ids = sorted({r for r, _s in wanted})
    for k in range(0, len(ids), 500):
        q = (
            select(P.report_id, P.seq, P.text, R.agency)
            .select_from(_joined())  # type: ignore[arg-type]
            .where(P.report_id.in_(ids[k : k + 500]))
        )
        for r, s, text, agency in c.execute(q):
            if (r, s) in wanted:
                out[(r, s)] = shingle_array(text, agency)
    return out


# ------------------------------------------------------------------ reused


def reuse_pairs(now: Iterable[Para], before: Iterable[Para]) -> list[Match]:
    """Verified pairs of an agency's paragraphs of a year (``now``) and of the
    year before (``before``) that share a band key."""
    a, b = list(now), list(before)
    if not a or not b:
        return []
    ba = np.stack([p.bands for p in a])
    bb = np.stack([p.bands for p in b])
    share = (ba[:, None, :] == bb[None, :, :]).any(axis=2)
    out: list[Match] = []
    for i, j in zip(*np.nonzero(share), strict=True):
        p, q = a[int(i)], b[int(j)]
        s = similarity(p.shingles(), q.shingles())
        if s >= THRESHOLD:
            out.append((p.rid, p.seq, q.rid, q.seq, s))
    return out


def reuses_of_year(c: Connection, year: int) -> Iterator[Match]:
    """Every reused pair of ``year`` against ``year - 1``, from scratch: the
    paragraphs of the two years streamed in agency order, one agency at a time."""
    q = (
        select(P.report_id, P.seq, P.bands, P.text, R.agency_key, R.agency, R.year)
        .select_from(_joined())  # type: ignore[arg-type]
        .where(
            R.current.is_(True),
            R.year.in_((year - 1, year)),
            R.agency_key.is_not(None),
            P.bands.is_not(None),
        )
        .order_by(R.agency_key, R.year, P.report_id, P.seq)
    )
    key: str | None = None
    now: list[Para] = []
    before: list[Para] = []
    for r in c.execute(q).yield_per(20_000):
        if r.agency_key != key:
            yield from reuse_pairs(now, before)
            key, now, before = r.agency_key, [], []
        bands = bands_of(r.bands)
        if bands is None:
            continue
        para = Para(r.report_id, r.seq, bands, r.agency_key, r.agency, r.text)
        (now if r.year == year else before).append(para)
    yield from reuse_pairs(now, before)
