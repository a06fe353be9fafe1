"""The corpus tables (SQLAlchemy 2 typed ORM on :class:`gongkai.db.Base`).

One row a source file (content-addressed by sha256, its bytes in ``blobs``),
a report read from it, every cell of its record (numeric, flat: one row a
cell, with provenance and how it was placed), the reader's warnings, the
checker's findings, the paragraphs of its prose, and the agency it belongs
to. Analysis (:mod:`gongkai.corpus.analysis`) reads these with portable SQL,
so the same functions run on SQLite, PostgreSQL and DuckDB over Parquet files
with the same columns (``COLUMNS``).

Changing a table means a new migration in ``gongkai/db/migrations/versions/corpus``.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.db.base import Base


class Agency(Base):
    """One body across its name variants."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: state_council | province | city | county | township (None: not known)
    level: Mapped[str | None] = mapped_column(String(16))
    #: government | department (None: not known)
    kind: Mapped[str | None] = mapped_column(String(16))
    region: Mapped[str | None] = mapped_column(String(200))
    parent_key: Mapped[str | None] = mapped_column(String(200), index=True)
    #: names (derived from the printed names) | override (the --agencies file)
    origin: Mapped[str] = mapped_column(String(16), default="names")


class Source(Base):
    """A file as found: its content address and where it came from."""

    __tablename__ = "sources"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    format: Mapped[str | None] = mapped_column(String(16))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Blob(Base):
    """The original bytes of a source (like git's object store)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("sources.sha256", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ReportRow(Base):
    """A report read from a source; ``current`` marks the latest version of an
    agency's report for a year (the one analysis counts)."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_agency_year", "agency_key", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(
        String(64), ForeignKey("sources.sha256", ondelete="CASCADE"), unique=True
    )
    agency: Mapped[str | None] = mapped_column(String(200))
    agency_key: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    template: Mapped[str] = mapped_column(String(8))
    published: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    n_errors: Mapped[int] = mapped_column(Integer, default=0)
    n_warnings: Mapped[int] = mapped_column(Integer, default=0)
    n_infos: Mapped[int] = mapped_column(Integer, default=0)
    n_cells: Mapped[int] = mapped_column(Integer, default=0)
    n_blank: Mapped[int] = mapped_column(Integer, default=0)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ReportRecord(Base):
    """A report's whole record, apart from its row in ``reports`` so that the
    listings, counts and sums that read every report do not read every record
    too (kept inline, the records made ``reports`` 40 times larger)."""

    __tablename__ = "report_records"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    #: the report record as interchange JSON with the parser's x_ keys (not x_text,
    #: not x_provenance: the cells hold it), zlib-compressed (:func:`pack_record`)
    record_z: Mapped[bytes] = mapped_column(LargeBinary)


def pack_record(record: dict[str, Any]) -> bytes:
    """A record as stored: compact JSON, zlib-compressed (a fifth of the text)."""
    text = json.dumps(record, ensure_ascii=False, default=str, separators=(",", ":"))
    return zlib.compress(text.encode(), 6)


def unpack_record(data: bytes) -> dict[str, Any]:
    got: dict[str, Any] = json.loads(zlib.decompress(bytes(data)))
    return got


class CellRow(Base):
    """One cell of a record: ``path`` is its interchange path (``table3.new.6``).
    (SQLite: WITHOUT ROWID, the primary key is the table.)"""

    __tablename__ = "cells"
    __table_args__ = ({"sqlite_with_rowid": False},)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    path: Mapped[str] = mapped_column(String(80), primary_key=True)
    tbl: Mapped[str] = mapped_column(String(16))
    row_key: Mapped[str] = mapped_column(String(48))
    col_key: Mapped[str] = mapped_column(String(24))
    #: a count (None: blank on the page or not placed)
    value: Mapped[int | None] = mapped_column(BigInteger)
    #: money in 万元 (None: not money, blank, or no unit to convert)
    amount: Mapped[float | None] = mapped_column(Float)
    #: money as printed ("287.54万元")
    text: Mapped[str | None] = mapped_column(String(64))
    blank: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how the value was placed: table | line | inferred | prose | unsure | none
    placed: Mapped[str] = mapped_column(String(16))
    line: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    #: the rest of the reader's provenance of the cell as JSON (line and page
    #: have their columns)
    provenance: Mapped[str | None] = mapped_column(Text)


class WarningRow(Base):
    """A warning of the reader (a value it was not sure of, a row it had to infer)."""

    __tablename__ = "warnings"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(48))
    message: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[str | None] = mapped_column(Text)


class FindingRow(Base):
    """A finding of the checker (scope ``report``) or of the corpus (``corpus``:
    versions-differ, found when a second version is stored)."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_rule_severity", "rule", "severity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(48))
    severity: Mapped[str] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(String(8), default="report")
    message: Mapped[str] = mapped_column(Text)
    tbl: Mapped[str | None] = mapped_column(String(16))
    row_key: Mapped[str | None] = mapped_column(String(48))
    col_key: Mapped[str | None] = mapped_column(String(24))
    section: Mapped[str | None] = mapped_column(String(16))
    line: Mapped[int | None] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[str | None] = mapped_column(Text)
    actual: Mapped[str | None] = mapped_column(Text)
    expected_num: Mapped[float | None] = mapped_column(Float)
    actual_num: Mapped[float | None] = mapped_column(Float)
    other_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL")
    )
    #: the rest of the finding record as JSON (keys of the checker's own)
    detail: Mapped[str | None] = mapped_column(Text)


class ParagraphRow(Base):
    """A paragraph of the report's prose, with the digest of its normalised text
    (digits, spaces, punctuation and the agency's own name taken out) and its
    MinHash band keys (:mod:`gongkai.corpus.prose`), computed once when the
    report is stored, to find prose reused across years and copied between
    agencies."""

    __tablename__ = "paragraphs"
    #: the lengths read without the text (the share of a report's prose copied)
    __table_args__ = (Index("ix_paragraphs_length", "report_id", "seq", "length"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    part: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(40), index=True)
    length: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: BANDS little-endian 32-bit LSH band keys (None: not computed)
    bands: Mapped[bytes | None] = mapped_column(LargeBinary)


class ProseKey(Base):
    """The LSH index of prose copied between agencies: one row for every band key
    (``band << 32 | value``) of the paragraphs of a *current* report, per year.
    A report stands for its agency (one current report an agency and year), so
    the rows of a key are the agencies of the year sharing it: more than
    :data:`gongkai.corpus.prose.BUCKET_CAP` of them make it boilerplate. Kept up
    to date by :mod:`gongkai.corpus.prose_index` whenever the current reports
    change. (SQLite: WITHOUT ROWID, the primary key is the table.)"""

    __tablename__ = "prose_keys"
    __table_args__ = ({"sqlite_with_rowid": False},)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    report_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ProsePair(Base):
    """A verified near-duplicate pair of paragraphs (Jaccard of shingles at least
    the threshold), found when the later of the two reports became current:
    ``kind`` c — copied, another agency's report of the same year (kept both
    ways); r — reused, the agency's report of the year before (kept from the
    later report)."""

    __tablename__ = "prose_pairs"
    __table_args__ = (Index("ix_prose_pairs_other", "other_id"),)

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    other_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    other_seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(1))
    similarity: Mapped[float] = mapped_column(Float)


class ProseCommon(Base):
    """A paragraph of a current report that is boilerplate: one of its band keys
    is shared by more than BUCKET_CAP agencies of its year."""

    __tablename__ = "prose_common"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class CorpusState(Base):
    """One row: ``generation`` grows with every change of the corpus (a report
    stored or removed, agencies edited), so a cached answer knows it is stale."""

    __tablename__ = "corpus_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class CorpusYear(Base):
    """A year's generation: grows with every change of that year's reports (year
    0: a change of every year, such as agencies edited; −1: reports without a
    year), so an answer about one year is kept while other years change."""

    __tablename__ = "corpus_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    generation: Mapped[int] = mapped_column(BigInteger, default=0)


class CacheRow(Base):
    """A slow answer (rank, copied prose…) kept with the generation it was computed at."""

    __tablename__ = "corpus_cache"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(BigInteger)
    #: the question, readable (name and filter)
    question: Mapped[str] = mapped_column(Text)
    #: the answer, zlib-compressed JSON
    payload: Mapped[bytes] = mapped_column(LargeBinary)


#: the columns of every table, in order (the Parquet dataset of helper ``cluster``
#: writes the same ones)
COLUMNS: dict[str, tuple[str, ...]] = {
    t.__tablename__: tuple(c.name for c in t.__table__.columns)
    for t in (
        Agency,
        Source,
        Blob,
        ReportRow,
        ReportRecord,
        CellRow,
        WarningRow,
        FindingRow,
        ParagraphRow,
    )
}
