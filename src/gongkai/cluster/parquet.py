"""The corpus as a Parquet dataset partitioned by year and region: writing it.

Layout (hive-style partitions by year and region)::

    DIR/_gongkai_parquet                      marker (and the format version)
    DIR/reports/year=2023/region=青山省/<batch>.parquet
    DIR/cells/…  findings/…  warnings/…  paragraphs/…  sources/…  blobs/…   (same partitions)
    DIR/agencies/<batch>.parquet              (small: not partitioned)

Every table has exactly the columns of :mod:`gongkai.corpus.models`
(``COLUMNS``), typed from the same models, so the corpus's analysis
functions run unchanged on the DuckDB views of :mod:`gongkai.cluster.dataset`.
The region of a partition is the province (the first administrative unit of
the agency's name; 中央 for the State Council's departments, 未知 when the
name says none): coarse enough that a partition holds many reports.

Ids are not handed out by a database. A report's id is the first 63 bits of
its sha256 (a positive int64: two of ten million reports share one with odds
of about 1 in 200,000, and the driver checks — :class:`~gongkai.cluster.run.ParquetSink`
refuses a report whose id another file already has rather than mixing them).
A finding's id is numbered by the views; ``version`` and ``current`` and the
``versions-differ`` findings are computed there too, so nothing written is
ever rewritten to add a version.

Who writes. The worker that read a task's files writes them
(:class:`WriteOnWorker`): one file a table and partition, named for the
batch — a hash of the sha256 and names of the files it holds — so a task
run again (its worker died) writes the same names and replaces, never
duplicates. Each file is written under a temporary name and renamed into
place, ``sources`` last: a (batch, partition) is committed when its
``sources`` file exists. :func:`clean` removes what an interrupted batch left
(temporary files, rows of uncommitted partitions) and folds a file stored in
two batches (the same bytes at two paths of one run) into one, so a crash
never leaves half a report — or a report twice — visible.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
)
from sqlalchemy.sql.type_api import TypeEngine

from gongkai.agencies import split_units
from gongkai.corpus.ingest import Ingested
from gongkai.corpus.models import (
    Agency,
    Blob,
    CellRow,
    FindingRow,
    ParagraphRow,
    ReportRow,
    Source,
    WarningRow,
)
from gongkai.errors import GongkaiError

MARKER = "_gongkai_parquet"
FORMAT_VERSION = "1"
#: tables partitioned by the report's year and region, in write order (``sources`` last)
PARTITIONED: tuple[str, ...] = (
    "blobs",
    "reports",
    "cells",
    "warnings",
    "findings",
    "paragraphs",
    "sources",
)
MODELS: dict[str, Any] = {
    m.__tablename__: m
    for m in (Agency, Source, Blob, ReportRow, CellRow, WarningRow, FindingRow, ParagraphRow)
}
#: columns a table's files hold beyond its model's: a report's record stays in
#: its ``reports`` row (a column file reads only the columns asked for; the
#: ``report_records`` view gives it the shape of the database's table)
INLINE: dict[str, tuple[tuple[str, TypeEngine[Any]], ...]] = {
    "reports": (("record_z", LargeBinary()),)
}
CENTRAL = "中央"
UNKNOWN = "未知"
_BATCH = re.compile(r"^(?P<batch>[0-9a-f]{32})\.parquet$")


class DatasetError(GongkaiError):
    """A directory that is not a gongkai Parquet dataset, or cannot be written."""


# ---------------------------------------------------------------- schema


def _arrow_type(t: TypeEngine[Any]) -> Any:
    import pyarrow as pa

    if isinstance(t, Boolean):
        return pa.bool_()
    if isinstance(t, BigInteger | Integer):
        return pa.int64()
    if isinstance(t, Float):
        return pa.float64()
    if isinstance(t, DateTime):
        return pa.timestamp("us")
    if isinstance(t, Date):
        return pa.date32()
    if isinstance(t, LargeBinary):
        return pa.binary()
    return pa.string()


def schema(table: str) -> Any:
    """The Arrow schema of ``table``: the model's columns and types."""
    import pyarrow as pa

    return pa.schema([pa.field(name, _arrow_type(t)) for name, t in columns(table)])


def columns(table: str) -> list[tuple[str, TypeEngine[Any]]]:
    """The columns of ``table``'s files, in order: the model's, then :data:`INLINE`'s."""
    cols = MODELS[table].__table__.columns
    return [(c.name, c.type) for c in cols] + list(INLINE.get(table, ()))


# ---------------------------------------------------------------- ids and partitions


def report_id(sha256: str) -> int:
    """A report's id: the first 63 bits of its sha256 (a positive int64)."""
    return int(sha256[:16], 16) >> 1


def batch_id(files: Iterable[tuple[str, str]]) -> str:
    """A batch's id from its files' (sha256, name): the same files give the same id
    (a task run again replaces its own files), the same bytes under another name another."""
    text = "\n".join(sorted(f"{sha}\t{name}" for sha, name in files))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def region_of(agency: str | None, level: str | None = None) -> str:
    """The partition's region: the province, 中央, or 未知."""
    if level == "state_council":
        return CENTRAL
    if not agency:
        return UNKNOWN
    units, _ = split_units(agency)
    if units:
        return units[0]
    return UNKNOWN


def _safe(value: str) -> str:
    """A partition value that is one path segment."""
    return re.sub(r"[/\\\x00=]", "_", value) or UNKNOWN


Part = tuple[int | None, str]


def rows_of(ingested: Ingested) -> tuple[dict[str, list[dict[str, Any]]], Part]:
    """The rows of every table for one file, with the dataset's ids; and its partition.

    A finding's ``id`` is left blank: the views number findings.
    """
    rid = report_id(ingested.sha256)
    rows = ingested.rows(rid)
    record = rows.pop("records", [])
    for f in rows["findings"]:
        f["id"] = None
    info = ingested.agency
    rep = rows["reports"][0]
    rep["record_z"] = record[0]["record_z"] if record else None
    if info is not None:
        rep["agency_key"] = info.key
        rows["agencies"] = [
            {
                "id": report_id(hashlib.sha256(info.key.encode()).hexdigest()),
                "key": info.key,
                "name": info.name,
                "level": info.level,
                "kind": info.kind,
                "region": info.region,
                "parent_key": info.parent_key,
                "origin": info.origin,
            }
        ]
    year = rep.get("year")
    region = region_of(rep.get("agency"), info.level if info else None)
    return rows, (year if isinstance(year, int) else None, region)


# ---------------------------------------------------------------- writing


def init(root: str | Path) -> Path:
    """Make ``root`` a dataset (or check that it is one); returns the path."""
    p = Path(root)
    if p.exists() and not p.is_dir():
        raise DatasetError(f"{p}: is a file, not a directory")
    if p.is_dir() and any(p.iterdir()) and not (p / MARKER).exists():
        raise DatasetError(f"{p}: not empty and not a gongkai Parquet dataset")
    p.mkdir(parents=True, exist_ok=True)
    if not (p / MARKER).exists():
        (p / MARKER).write_text(FORMAT_VERSION + "\n", encoding="utf-8")
    return p


def part_path(part: Part) -> str:
    """A partition's relative path: ``year=2023/region=青山省``."""
    year = "__HIVE_DEFAULT_PARTITION__" if part[0] is None else str(part[0])
    return f"year={year}/region={_safe(part[1])}"


def _partition_dir(root: Path, table: str, part: Part) -> Path:
    return root / table / part_path(part)


@dataclass
class Prepared:
    """One file's rows as Arrow tables, with its partition (made where the file was read)."""

    name: str
    sha256: str
    part: Part
    tables: dict[str, Any]
    agency: dict[str, Any] | None = None
    agency_key: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Written:
    """What a worker sends back for a file it wrote: a few fields, not the rows."""

    name: str
    sha256: str
    report_id: int
    batch: str
    part: Part
    agency_key: str | None
    year: int | None


def _arrow(table: str, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema(table))


def prepare(ingested: Ingested) -> Prepared:
    """The rows of a read file as Arrow tables, with its partition."""
    rows, part = rows_of(ingested)
    agencies = rows.pop("agencies", [])
    rep = rows["reports"][0]
    tables = {t: _arrow(t, rs) for t, rs in rows.items() if rs}
    return Prepared(
        ingested.name,
        ingested.sha256,
        part,
        tables,
        agencies[0] if agencies else None,
        rep.get("agency_key"),
        part[0],
    )


def _write_table(path: Path, tbl: Any) -> None:
    """``tbl`` at ``path``, whole or not at all (a temporary name, then renamed)."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    pq.write_table(tbl, tmp, compression="zstd")
    os.replace(tmp, path)


def write_batch(
    root: str | Path, batch: Iterable[Ingested | Prepared], *, threads: bool = True
) -> str:
    """Write ``batch`` (read files only; failures are left out) as one committed batch.

    Returns the batch id (:func:`batch_id` of its files). Each (table,
    partition) becomes one file; the ``sources`` files are renamed into place
    last. ``threads``: write the tables in parallel (Arrow writes outside the
    GIL) — on a single-threaded worker, one after the other.
    """
    import pyarrow as pa

    p = Path(root)
    by_part: dict[Part, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    agencies: dict[str, dict[str, Any]] = {}
    files: list[tuple[str, str]] = []
    for item in batch:
        if isinstance(item, Ingested):
            if not item.ok:
                continue
            item = prepare(item)
        files.append((item.sha256, item.name))
        if item.agency is not None:
            agencies[item.agency["key"]] = item.agency
        for table, tbl in item.tables.items():
            by_part[item.part][table].append(tbl)
    bid = batch_id(files)
    if not by_part:
        return bid
    if agencies:
        _write_table(p / "agencies" / f"{bid}.parquet", _arrow("agencies", list(agencies.values())))
    jobs = [
        (table, part, parts)
        for table in PARTITIONED
        for part, tables in by_part.items()
        if (parts := tables.get(table))
    ]

    def write(job: tuple[str, Part, list[Any]]) -> None:
        table, part, parts = job
        _write_table(_partition_dir(p, table, part) / f"{bid}.parquet", pa.concat_tables(parts))

    data = [j for j in jobs if j[0] != "sources"]
    if threads and len(data) > 1:
        with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
            list(pool.map(write, data))
    else:
        for job in data:
            write(job)
    for job in jobs:  # ``sources`` last: its file commits the batch's partition
        if job[0] == "sources":
            write(job)
    return bid


@dataclass(frozen=True)
class WriteOnWorker:
    """The worker's step after reading a task's files: write them, send back :class:`Written`.

    Results that are not a file read (failures, files already stored) go
    back as they are.
    """

    root: str

    def __call__(self, results: list[Any]) -> list[Any]:
        read = [r for r in results if isinstance(r, Ingested) and r.ok]
        if not read:
            return results
        prepared = {g.sha256: prepare(g) for g in read}
        bid = write_batch(self.root, prepared.values(), threads=False)
        out: list[Any] = []
        for r in results:
            if isinstance(r, Ingested) and r.ok:
                got = prepared[r.sha256]
                out.append(
                    Written(
                        r.name,
                        r.sha256,
                        report_id(r.sha256),
                        bid,
                        got.part,
                        got.agency_key,
                        got.year,
                    )
                )
            else:
                out.append(r)
        return out


# ---------------------------------------------------------------- what is committed


def committed(root: str | Path) -> set[tuple[str, str]]:
    """(batch id, partition path) of every committed batch partition."""
    out = set()
    src = Path(root) / "sources"
    for f in src.glob("*/*/*.parquet"):
        m = _BATCH.match(f.name)
        if m:
            out.add((m.group("batch"), str(f.parent.relative_to(src))))
    return out


def committed_files(
    root: str | Path, table: str, done: set[tuple[str, str]] | None = None
) -> list[Path]:
    """The files of ``table`` whose batch (and partition) is committed, in a stable
    order (``done``: :func:`committed`, when the caller has it)."""
    p = Path(root)
    if done is None:
        done = committed(p)
    if table == "agencies":
        batches = {b for b, _ in done}
        return sorted(
            f
            for f in (p / "agencies").glob("*.parquet")
            if (m := _BATCH.match(f.name)) and m.group("batch") in batches
        )
    base = p / table
    return sorted(
        f
        for f in base.glob("*/*/*.parquet")
        if (m := _BATCH.match(f.name))
        and (m.group("batch"), str(f.parent.relative_to(base))) in done
    )


def sources(root: str | Path) -> list[tuple[str, str, str]]:
    """(sha256, batch id, partition path) of every committed source."""
    import pyarrow.parquet as pq

    base = Path(root) / "sources"
    out = []
    for f in committed_files(root, "sources"):
        rel = str(f.parent.relative_to(base))
        for sha in pq.read_table(f, columns=["sha256"]).column("sha256").to_pylist():
            out.append((sha, f.stem, rel))
    return out


def known_sha256(root: str | Path) -> set[str]:
    """The sha256 of every source committed in the dataset."""
    return {sha for sha, _, _ in sources(root)}


def agency_years(root: str | Path) -> set[tuple[str, int]]:
    """(agency key, year) of every committed report (a new file for one is another version)."""
    import pyarrow.parquet as pq

    out: set[tuple[str, int]] = set()
    for f in committed_files(root, "reports"):
        t = pq.read_table(f, columns=["agency_key", "year"]).to_pydict()
        out.update(
            (k, y) for k, y in zip(t["agency_key"], t["year"], strict=True) if k and y is not None
        )
    return out


def drop(root: str | Path, batch: str, part: str, shas: set[str]) -> None:
    """Take the files ``shas`` out of a committed (batch, partition): every table's
    rows rewritten without them, ``sources`` last (a crash half-way leaves them
    listed there, and the next :func:`clean` drops them again)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    p = Path(root)
    ids = [report_id(s) for s in shas]
    for table in PARTITIONED:
        f = p / table / part / f"{batch}.parquet"
        if not f.exists():
            continue
        tbl = pq.read_table(f)
        col, values = (
            ("sha256", sorted(shas)) if "sha256" in tbl.column_names else ("report_id", ids)
        )
        kept = tbl.filter(pc.invert(pc.is_in(tbl.column(col), value_set=_array(values))))
        if kept.num_rows == tbl.num_rows:
            continue
        if kept.num_rows:
            _write_table(f, kept)
        else:
            f.unlink()


def _array(values: list[Any]) -> Any:
    import pyarrow as pa

    return pa.array(values)


def clean(root: str | Path) -> int:
    """Remove what an interrupted batch left, and a file committed in two batches
    (kept in the first); returns the number of files removed or rewritten."""
    p = Path(root)
    done = committed(p)
    batches = {b for b, _ in done}
    removed = 0
    for f in p.rglob("*.tmp"):
        if f.name.startswith("."):
            f.unlink()
            removed += 1
    for f in (p / "agencies").glob("*.parquet"):
        m = _BATCH.match(f.name)
        if m and m.group("batch") not in batches:
            f.unlink()
            removed += 1
    for table in PARTITIONED:
        if table == "sources":
            continue
        base = p / table
        for f in base.glob("*/*/*.parquet"):
            m = _BATCH.match(f.name)
            if m and (m.group("batch"), str(f.parent.relative_to(base))) not in done:
                f.unlink()
                removed += 1
    first: dict[str, tuple[str, str]] = {}
    twice: dict[tuple[str, str], set[str]] = defaultdict(set)
    for sha, batch, part in sorted(sources(p), key=lambda s: (s[1], s[2])):
        if sha in first:
            twice[(batch, part)].add(sha)
        else:
            first[sha] = (batch, part)
    for (batch, part), shas in sorted(twice.items()):
        drop(p, batch, part, shas)
        removed += 1
    return removed
