"""The corpus as a Parquet dataset, and DuckDB views that make it look like the database.

Layout (hive-style partitions by year and region)::

    DIR/_gongkai_parquet                      marker (and the format version)
    DIR/reports/year=2023/region=青山省/<batch>.parquet
    DIR/cells/…  findings/…  warnings/…  paragraphs/…  sources/…  blobs/…   (same partitions)
    DIR/agencies/<batch>.parquet              (small: not partitioned)

Every table has exactly the columns of :mod:`gongkai.corpus.models`
(``COLUMNS``), typed from the same models, so the corpus's analysis
functions — portable SQLAlchemy Core — run unchanged on :func:`open_dataset`,
a DuckDB engine whose views carry the table names. The region of a
partition is the province (the first administrative unit of the agency's
name; 中央 for the State Council's departments, 未知 when the name says
none): coarse enough that a partition holds many reports.

Ids are not handed out by a database: a report's id is the first 52 bits of
its sha256 (a collision between two of a million reports has odds of about
1 in 10,000), a finding's is the report's times 2048 plus its number.
``version`` and ``current`` are computed by the view (the latest file added
for an agency and year is current), so nothing written is ever rewritten.

Writing is by batch: every table's files of a batch are written under a
temporary name and renamed into place, ``sources`` last — a (batch,
partition) is committed when its ``sources`` file exists. :func:`clean`
removes what an interrupted batch left (temporary files, rows of
uncommitted partitions), so a crash never leaves half a report visible.
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
    Engine,
    Float,
    Integer,
    LargeBinary,
    create_engine,
    event,
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


def _duck_type(t: TypeEngine[Any]) -> str:
    if isinstance(t, Boolean):
        return "BOOLEAN"
    if isinstance(t, BigInteger | Integer):
        return "BIGINT"
    if isinstance(t, Float):
        return "DOUBLE"
    if isinstance(t, DateTime):
        return "TIMESTAMP"
    if isinstance(t, Date):
        return "DATE"
    if isinstance(t, LargeBinary):
        return "BLOB"
    return "VARCHAR"


def schema(table: str) -> Any:
    """The Arrow schema of ``table``: the model's columns and types."""
    import pyarrow as pa

    cols = MODELS[table].__table__.columns
    return pa.schema([pa.field(c.name, _arrow_type(c.type)) for c in cols])


# ---------------------------------------------------------------- ids and partitions


def report_id(sha256: str) -> int:
    """A report's id: the first 52 bits of its sha256."""
    return int(sha256[:13], 16)


def region_of(agency: str | None, level: str | None = None) -> str:
    """The partition's region: the province, 中央, or 未知."""
    if level == "state_council":
        return CENTRAL
    if not agency:
        return UNKNOWN
    units, _ = split_units(agency)
    if units:
        return units[0]
    return CENTRAL if level == "state_council" else UNKNOWN


def _safe(value: str) -> str:
    """A partition value that is one path segment."""
    return re.sub(r"[/\\\x00=]", "_", value) or UNKNOWN


def rows_of(ingested: Ingested) -> tuple[dict[str, list[dict[str, Any]]], tuple[int | None, str]]:
    """The rows of every table for one file, with the dataset's ids; and its partition."""
    rid = report_id(ingested.sha256)
    rows = ingested.rows(rid)
    for i, f in enumerate(rows["findings"]):
        f["id"] = rid * 2048 + i
    info = ingested.agency
    rep = rows["reports"][0]
    if info is not None:
        rep["agency_key"] = info.key
        rows["agencies"] = [
            {
                "id": int(hashlib.sha256(info.key.encode()).hexdigest()[:13], 16),
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


def _partition_dir(root: Path, table: str, part: tuple[int | None, str]) -> Path:
    year = "__HIVE_DEFAULT_PARTITION__" if part[0] is None else str(part[0])
    return root / table / f"year={year}" / f"region={_safe(part[1])}"


@dataclass
class Prepared:
    """One file's rows as Arrow tables, made where the file was read (a worker).

    The driver then only concatenates and writes: the conversion of a
    report's rows — most of the cost of writing — is spread over the cluster.
    """

    name: str
    sha256: str
    part: tuple[int | None, str]
    tables: dict[str, Any]
    agency: dict[str, Any] | None = None


def _arrow(table: str, rows: list[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema(table))


def prepare(ingested: Ingested) -> Prepared:
    """The rows of a read file as Arrow tables, with its partition (runs on a worker)."""
    rows, part = rows_of(ingested)
    agencies = rows.pop("agencies", [])
    tables = {t: _arrow(t, rs) for t, rs in rows.items() if rs}
    return Prepared(ingested.name, ingested.sha256, part, tables, agencies[0] if agencies else None)


def _write_table(path: Path, tbl: Any) -> None:
    """``tbl`` at ``path``, whole or not at all (a temporary name, then renamed)."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(tbl, tmp, compression="zstd")
    os.replace(tmp, path)


def write_batch(root: str | Path, batch: Iterable[Ingested | Prepared]) -> str:
    """Write ``batch`` (read files only; failures are left out) as one committed batch.

    Returns the batch id. Each (table, partition) becomes one file; the
    ``sources`` files are renamed into place last.
    """
    import pyarrow as pa

    p = Path(root)
    bid = uuid.uuid4().hex
    by_part: dict[tuple[int | None, str], dict[str, list[Any]]] = defaultdict(
        lambda: defaultdict(list)
    )
    agencies: dict[str, dict[str, Any]] = {}
    for item in batch:
        if isinstance(item, Ingested):
            if not item.ok:
                continue
            item = prepare(item)
        if item.agency is not None:
            agencies[item.agency["key"]] = item.agency
        for table, tbl in item.tables.items():
            by_part[item.part][table].append(tbl)
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

    def write(job: tuple[str, tuple[int | None, str], list[Any]]) -> None:
        table, part, parts = job
        _write_table(_partition_dir(p, table, part) / f"{bid}.parquet", pa.concat_tables(parts))

    # Arrow writes outside the GIL: the tables in parallel, ``sources`` last
    # (its file commits the batch's partition)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        list(pool.map(write, [j for j in jobs if j[0] != "sources"]))
    for job in jobs:
        if job[0] == "sources":
            write(job)
    return bid


def committed(root: str | Path) -> set[tuple[str, str]]:
    """(batch id, partition path) of every committed batch partition."""
    out = set()
    src = Path(root) / "sources"
    for f in src.glob("*/*/*.parquet"):
        m = _BATCH.match(f.name)
        if m:
            out.add((m.group("batch"), str(f.parent.relative_to(src))))
    return out


def clean(root: str | Path) -> int:
    """Remove what an interrupted batch left; returns the number of files removed."""
    p = Path(root)
    done = committed(p)
    removed = 0
    for f in p.rglob(".*.tmp"):
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
    return removed


def known_sha256(root: str | Path) -> set[str]:
    """The sha256 of every source committed in the dataset."""
    import pyarrow.parquet as pq

    out: set[str] = set()
    for f in sorted((Path(root) / "sources").glob("*/*/*.parquet")):
        out.update(pq.read_table(f, columns=["sha256"]).column("sha256").to_pylist())
    return out


# ---------------------------------------------------------------- reading


def is_dataset(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / MARKER).is_file()


def _columns(table: str) -> str:
    cols = MODELS[table].__table__.columns
    return ", ".join(f'CAST("{c.name}" AS {_duck_type(c.type)}) AS "{c.name}"' for c in cols)


def _empty(table: str) -> str:
    cols = MODELS[table].__table__.columns
    body = ", ".join(f'CAST(NULL AS {_duck_type(c.type)}) AS "{c.name}"' for c in cols)
    return f"SELECT {body} WHERE false"


def _source(root: Path, table: str) -> str | None:
    pattern = "*.parquet" if table == "agencies" else "*/*/*.parquet"
    if not any((root / table).glob(pattern)):
        return None
    glob = str(root / table / pattern).replace("'", "''")
    return f"read_parquet('{glob}', union_by_name = true, hive_partitioning = false)"


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _reports_view(src: str) -> str:
    """Reports with ``version`` and ``current`` computed: the latest file of an agency's year."""
    every = [c.name for c in ReportRow.__table__.columns]
    kept = [c for c in every if c not in ("version", "current")]
    group = "PARTITION BY coalesce(agency_key, sha256), year"
    inner = (
        f"SELECT {_quoted(kept)}, "
        f"CAST(row_number() OVER (w ORDER BY added_at, sha256) AS BIGINT) AS version, "
        f"row_number() OVER (w ORDER BY added_at DESC, sha256 DESC) = 1 AS current "
        f"FROM (SELECT {_columns('reports')} FROM {src}) WINDOW w AS ({group})"
    )
    return f"SELECT {_quoted(every)} FROM ({inner})"


def view_sql(root: str | Path) -> list[str]:
    """The statements that create a view per table over the dataset's files."""
    p = Path(root)
    out = []
    for table in MODELS:
        src = _source(p, table)
        if src is None:
            body = _empty(table)
        elif table == "reports":
            body = _reports_view(src)
        elif table == "agencies":
            body = (
                f"SELECT {_columns(table)} FROM {src} "
                "QUALIFY row_number() OVER (PARTITION BY key ORDER BY length(name) DESC, name) = 1"
            )
        else:
            body = f"SELECT {_columns(table)} FROM {src}"
        out.append(f'CREATE OR REPLACE VIEW "{table}" AS {body}')
    return out


def open_dataset(root: str | os.PathLike[str]) -> Engine:
    """A DuckDB engine (in memory) whose views are the corpus tables over ``root``'s files.

    The corpus's analysis functions run on it unchanged; it is read-only.
    """
    p = Path(root)
    if not is_dataset(p):
        raise DatasetError(f"{p}: not a gongkai Parquet dataset (no {MARKER})")
    statements = view_sql(p)
    engine = create_engine("duckdb:///:memory:")

    @event.listens_for(engine, "connect")
    def _views(dbapi_conn: Any, _record: Any) -> None:
        # blanks sort as in SQLite, the default database (first ascending)
        dbapi_conn.execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'")
        for sql in statements:
            dbapi_conn.execute(sql)

    return engine
