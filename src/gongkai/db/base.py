"""The declarative base every table of gongkai is declared on."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: constraint names that are the same on SQLite and PostgreSQL (Alembic needs names)
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """SQLAlchemy 2 typed base (``Mapped[...]``) for the corpus and the ledger."""

    metadata = MetaData(naming_convention=NAMING)
