"""Reading a Parquet dataset (:mod:`gongkai.cluster.parquet`): DuckDB views that
make it look like the corpus database.

:func:`open_dataset` is a SQLAlchemy engine (DuckDB, in memory) with one view
a table of :mod:`gongkai.corpus.models`, same names, columns and types, over
the dataset's committed files only (a batch half-written by a run that died
is not seen). The corpus's analysis functions — portable SQLAlchemy Core —
run on it unchanged.

What the database works out when it stores a file, the views work out when
read, so nothing written is ever rewritten:

- ``version`` and ``current``: the files of an agency's year in the order
  they were added (then by sha256); the latest is current;
- ``versions-differ``: a second version whose cells differ from the version
  before it gets the database path's finding — same rule, scope ``corpus``,
  message, ``other_report_id`` and ``detail`` (the cells that differ), and
  one more warning counted on the report;
- a finding's ``id``: numbered in the order of (report, seq).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

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
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql.type_api import TypeEngine

from gongkai.cluster.parquet import (
    MARKER,
    MODELS,
    DatasetError,
    columns,
    committed,
    committed_files,
)
from gongkai.corpus.models import FindingRow

#: the differing cells a versions-differ message names (the rest: …)
SHOWN = 8


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


def is_dataset(path: str | os.PathLike[str]) -> bool:
    return (Path(path) / MARKER).is_file()


def _names(table: str) -> list[str]:
    return [c.name for c in MODELS[table].__table__.columns]


def _columns(table: str) -> str:
    return ", ".join(f'CAST("{n}" AS {_duck_type(t)}) AS "{n}"' for n, t in columns(table))


def _empty(table: str) -> str:
    body = ", ".join(f'CAST(NULL AS {_duck_type(t)}) AS "{n}"' for n, t in columns(table))
    return f"SELECT {body} WHERE false"


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _raw(root: Path, table: str, done: set[tuple[str, str]]) -> str:
    """The table's committed rows, typed as the model says."""
    files = committed_files(root, table, done)
    if not files:
        return _empty(table)
    listed = ", ".join(_lit(str(f)) for f in files)
    src = f"read_parquet([{listed}], union_by_name = true, hive_partitioning = false)"
    return f"SELECT {_columns(table)} FROM {src}"


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def _template_sql(template: str, values: dict[str, str]) -> str:
    """A ``str.format`` template as a SQL concatenation of its text and ``values``."""
    parts = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2:
            parts.append(f"CAST({values[piece]} AS VARCHAR)")
        elif piece:
            parts.append(_lit(piece))
    return " || ".join(parts) or "''"


def view_sql(root: str | Path, lang: Literal["zh", "en"] | None = None) -> list[str]:
    """The statements that create the views over the dataset's committed files."""
    from gongkai.corpus.ingest import _MSG
    from gongkai.i18n import current_lang

    p = Path(root)
    done = committed(p)
    out = [f"CREATE OR REPLACE VIEW raw_{t} AS {_raw(p, t, done)}" for t in MODELS]
    # the versions of an agency's year (a report without agency or year is alone)
    group = (
        "PARTITION BY CASE WHEN agency_key IS NULL OR year IS NULL THEN sha256 "
        "ELSE agency_key END, year"
    )
    out.append(
        "CREATE OR REPLACE TABLE ranked AS SELECT id, "
        "CAST(row_number() OVER (w ORDER BY added_at, sha256) AS BIGINT) AS version, "
        "row_number() OVER (w ORDER BY added_at DESC, sha256 DESC) = 1 AS current, "
        "lag(id) OVER (w ORDER BY added_at, sha256) AS prev_id, "
        "lag(sha256) OVER (w ORDER BY added_at, sha256) AS prev_sha "
        f"FROM raw_reports WINDOW w AS ({group})"
    )
    # the cells where each later version differs from the one before it
    out.append(
        "CREATE OR REPLACE TABLE version_diffs AS "
        "WITH pairs AS (SELECT id, prev_id, prev_sha FROM ranked WHERE prev_id IS NOT NULL), "
        "n AS (SELECT p.id, c.path, c.value, c.text FROM pairs p "
        "JOIN raw_cells c ON c.report_id = p.id), "
        "o AS (SELECT p.id, c.path, c.value, c.text FROM pairs p "
        "JOIN raw_cells c ON c.report_id = p.prev_id), "
        "d AS (SELECT coalesce(n.id, o.id) AS id, coalesce(n.path, o.path) AS path "
        "FROM n FULL OUTER JOIN o ON n.id = o.id AND n.path = o.path "
        "WHERE n.path IS NULL OR o.path IS NULL "
        "OR n.value IS DISTINCT FROM o.value OR n.text IS DISTINCT FROM o.text) "
        "SELECT d.id, p.prev_id, p.prev_sha, list_sort(list(d.path)) AS paths "
        "FROM d JOIN pairs p ON p.id = d.id GROUP BY d.id, p.prev_id, p.prev_sha"
    )
    every = _names("reports")
    cols = [
        "r.n_warnings + CASE WHEN v.id IS NULL THEN 0 ELSE 1 END AS n_warnings"
        if c == "n_warnings"
        else f'k."{c}"'
        if c in ("version", "current")
        else f'r."{c}"'
        for c in every
    ]
    out.append(
        f"CREATE OR REPLACE VIEW reports AS SELECT {', '.join(cols)} FROM raw_reports r "
        "JOIN ranked k ON k.id = r.id LEFT JOIN version_diffs v ON v.id = r.id"
    )
    out.append(_findings_view(lang or current_lang(), _MSG["versions_differ"]))
    out.append(
        "CREATE OR REPLACE VIEW agencies AS SELECT * FROM raw_agencies "
        "QUALIFY row_number() OVER (PARTITION BY key ORDER BY length(name) DESC, name) = 1"
    )
    out.append(
        "CREATE OR REPLACE VIEW report_records AS SELECT id AS report_id, record_z FROM raw_reports"
    )
    for t in MODELS:
        if t not in ("reports", "findings", "agencies"):
            out.append(f'CREATE OR REPLACE VIEW "{t}" AS SELECT * FROM raw_{t}')
    return out


def _findings_view(lang: str, template: tuple[str, str]) -> str:
    """Stored findings and the versions-differ ones, numbered."""
    shown = (
        f"array_to_string(list_slice(v.paths, 1, {SHOWN}), '、') || "
        f"CASE WHEN len(v.paths) > {SHOWN} THEN '…' ELSE '' END"
    )
    message = _template_sql(
        template[1] if lang == "en" else template[0],
        {
            "agency": "coalesce(r.agency, r.agency_key)",
            "year": "r.year",
            "other": "left(v.prev_sha, 12)",
            "n": "len(v.paths)",
            "cells": shown,
        },
    )
    quoted = (
        "list_transform(v.paths, lambda x: '\"' || replace(replace(x, '\\', '\\\\'), '\"', '\\\"') "
        "|| '\"')"
    )
    detail = f"""'{{"cells": [' || array_to_string({quoted}, ', ') || ']}}'"""
    differ = {
        "report_id": "v.id",
        "seq": "coalesce(f.n, 0)",
        "rule": "'versions-differ'",
        "severity": "'warning'",
        "scope": "'corpus'",
        "message": message,
        "actual": "CAST(len(v.paths) AS VARCHAR)",
        "actual_num": "CAST(len(v.paths) AS DOUBLE)",
        "other_report_id": "v.prev_id",
        "detail": detail,
    }
    cols = [c for c in _names("findings") if c != "id"]
    types = {c.name: _duck_type(c.type) for c in FindingRow.__table__.columns}
    made = ", ".join(f'CAST({differ.get(c, "NULL")} AS {types[c]}) AS "{c}"' for c in cols)
    return (
        "CREATE OR REPLACE VIEW findings AS SELECT "
        "CAST(row_number() OVER (ORDER BY report_id, seq) AS BIGINT) AS id, "
        f"{_quoted(cols)} FROM (SELECT {_quoted(cols)} FROM raw_findings UNION ALL "
        f"SELECT {made} FROM version_diffs v JOIN raw_reports r ON r.id = v.id "
        "LEFT JOIN (SELECT report_id, count(*) AS n FROM raw_findings GROUP BY report_id) f "
        "ON f.report_id = v.id)"
    )


def open_dataset(root: str | os.PathLike[str], lang: Literal["zh", "en"] | None = None) -> Engine:
    """A DuckDB engine (in memory) whose views are the corpus tables over ``root``'s files.

    The corpus's analysis functions run on it unchanged; it is read-only.
    ``lang``: of the versions-differ messages (default: the current language).
    """
    p = Path(root)
    if not is_dataset(p):
        raise DatasetError(f"{p}: not a gongkai Parquet dataset (no {MARKER})")
    statements = view_sql(p, lang)
    # a pool of connections, each its own in-memory DuckDB with the views (the
    # default for :memory: is one connection a thread, and the corpus's kept
    # answers open a second connection inside a first)
    engine = create_engine("duckdb:///:memory:", poolclass=QueuePool)

    @event.listens_for(engine, "connect")
    def _views(dbapi_conn: Any, _record: Any) -> None:
        # blanks sort as in SQLite, the default database (first ascending)
        dbapi_conn.execute("SET default_null_order = 'nulls_first_on_asc_last_on_desc'")
        for sql in statements:
            dbapi_conn.execute(sql)

    return engine
