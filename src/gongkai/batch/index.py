"""A batch's files and pairing keys, on disk: memory stays flat however many files.

Pairing the reports of a batch with each other across years needs, for
every file, its place in the batch and its key (agency, year). Held in
Python that costs about 0.8 KB a file (164 MB at 100,000 files); here it is
a private SQLite database in the temporary folder: SQLite unlinks its file
as soon as it is opened, so nothing is left behind on exit, Ctrl-C,
SIGTERM or even SIGKILL, and only a small page cache stays in memory.

:class:`Index` holds, in batch order, every file given (the batch's own,
and those of a ``previous`` folder as the pool), what was already decided
about some (skipped, failed: a pickled :class:`~gongkai.batch.run.Outcome`)
and the key of each report read. :meth:`Index.partners` gives, for each file
of the batch, last year's file of its agency: the first of the pool, else the
first of the batch, with that key — the pairing the batch always made.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator
from types import TracebackType
from typing import Any

_SCHEMA = (
    # every file: the batch's own (pool = 0) and a previous folder's (pool = 1), in order
    "CREATE TABLE entry (seq INTEGER PRIMARY KEY, pool INTEGER NOT NULL, path TEXT NOT NULL,"
    " outcome BLOB)",
    # the key of a report read
    "CREATE TABLE key (seq INTEGER PRIMARY KEY, agency TEXT NOT NULL, year INTEGER NOT NULL)",
    # the first file with each key: the pool's first, else the batch's first
    "CREATE TABLE first (agency TEXT NOT NULL, year INTEGER NOT NULL, path TEXT NOT NULL,"
    " PRIMARY KEY (agency, year)) WITHOUT ROWID",
)

#: rows fetched a query: what the index holds in memory at a time
PAGE = 500


def _blob(value: Any) -> bytes | None:
    return None if value is None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _value(blob: bytes | None) -> Any:
    # only ever what this process pickled into its own private, unlinked database
    return None if blob is None else pickle.loads(blob)


def _private_db(cache_kb: int = 512) -> sqlite3.Connection:
    # "" is a private temporary database on disk, deleted when closed
    db = sqlite3.connect("", isolation_level=None)
    for pragma in (
        f"cache_size = -{cache_kb}",
        "temp_store = FILE",
        "journal_mode = OFF",
        "synchronous = OFF",
    ):
        db.execute(f"PRAGMA {pragma}")
    return db


def sorted_names(names: Iterator[str], in_memory: int = 1024) -> Iterator[str]:
    """``sorted(names)``, sorted on disk past ``in_memory`` names (a folder of 100,000 files).

    The on-disk order is Python's: names are kept as UTF-32-BE (surrogates of
    undecodable bytes included), whose bytes compare as the code points do.
    """
    head: list[str] = []
    for name in names:
        head.append(name)
        if len(head) > in_memory:
            break
    else:
        yield from sorted(head)
        return
    db = _private_db(1024)
    try:
        db.execute("CREATE TABLE name (key BLOB NOT NULL)")
        db.execute("BEGIN")
        rows = ((n.encode("utf-32-be", "surrogatepass"),) for n in head)
        db.executemany("INSERT INTO name VALUES (?)", rows)
        del head
        rows = ((n.encode("utf-32-be", "surrogatepass"),) for n in names)
        db.executemany("INSERT INTO name VALUES (?)", rows)
        db.execute("CREATE INDEX name_key ON name (key)")
        last = b""
        while True:
            page = db.execute(
                "SELECT key FROM name WHERE key > ? ORDER BY key LIMIT ?", (last, PAGE)
            ).fetchall()
            if not page:
                return
            for (key,) in page:
                yield bytes(key).decode("utf-32-be", "surrogatepass")
            last = page[-1][0]
    finally:
        db.close()


class Index:
    """The files of one batch, their outcomes decided early, and their pairing keys."""

    def __init__(self, cache_kb: int = 512) -> None:
        self.db = _private_db(cache_kb)
        for sql in _SCHEMA:
            self.db.execute(sql)
        self.db.execute("BEGIN")
        self._last = 0

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def add(self, path: str, *, pool: bool = False, outcome: Any = None) -> int:
        """A file, in order; ``outcome``: what became of it already (skipped). Its number."""
        self._last += 1
        self.db.execute(
            "INSERT INTO entry (seq, pool, path, outcome) VALUES (?, ?, ?, ?)",
            (self._last, int(pool), path, _blob(outcome)),
        )
        return self._last

    def count(self, *, pool: bool, undecided: bool = True) -> int:
        """How many files of the batch (or of the pool), those not yet decided by default."""
        sql = "SELECT count(*) FROM entry WHERE pool = ?"
        if undecided:
            sql += " AND outcome IS NULL"
        row = self.db.execute(sql, (int(pool),)).fetchone()
        return int(row[0])

    def undecided(self, *, pool: bool) -> Iterator[tuple[int, str]]:
        """(number, path) of the batch's (or the pool's) files still to read, in order."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT seq, path FROM entry WHERE seq > ? AND pool = ? AND outcome IS NULL"
                " ORDER BY seq LIMIT ?",
                (last, int(pool), PAGE),
            ).fetchall()
            if not rows:
                return
            for seq, path in rows:
                yield int(seq), str(path)
            last = int(rows[-1][0])

    def decide(self, seq: int, outcome: Any) -> None:
        """What became of file ``seq`` (it failed to read)."""
        self.db.execute("UPDATE entry SET outcome = ? WHERE seq = ?", (_blob(outcome), seq))

    def key(self, seq: int, path: str, key: tuple[str, int]) -> None:
        """The pairing key of file ``seq``; the first file with a key stands for it."""
        self.db.execute("INSERT INTO key (seq, agency, year) VALUES (?, ?, ?)", (seq, *key))
        self.db.execute(
            "INSERT OR IGNORE INTO first (agency, year, path) VALUES (?, ?, ?)", (*key, path)
        )

    def partners(self) -> Iterator[tuple[str, Any, str | None]]:
        """Every file of the batch in order: (path, outcome decided or None, last year's file)."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT e.seq, e.path, e.outcome, f.path FROM entry AS e"
                " LEFT JOIN key AS k ON k.seq = e.seq"
                " LEFT JOIN first AS f ON f.agency = k.agency AND f.year = k.year - 1"
                " WHERE e.seq > ? AND e.pool = 0 ORDER BY e.seq LIMIT ?",
                (last, PAGE),
            ).fetchall()
            if not rows:
                return
            for _, path, outcome, partner in rows:
                yield str(path), _value(outcome), None if partner is None else str(partner)
            last = int(rows[-1][0])


__all__ = ["Index", "sorted_names"]
