"""One transaction per unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from gongkai.db.engine import translate


@contextmanager
def write_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one write transaction (SQLite: the write lock is taken
    at BEGIN); committed at the end, rolled back whole on any error."""
    try:
        with engine.connect() as conn:
            conn.execution_options(gongkai_write=True)
            with conn.begin():
                yield conn
    except SQLAlchemyError as e:
        raise translate(e, engine) from e


@contextmanager
def unit_of_work(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A session in one transaction: everything done in it is committed together
    at the end, or nothing is (an exception rolls it all back, then propagates;
    database errors become a one-line :class:`~gongkai.db.DatabaseError`)."""
    try:
        with engine.connect() as conn:
            if write:
                conn.execution_options(gongkai_write=True)
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session
    except SQLAlchemyError as e:
        raise translate(e, engine) from e
