"""The ledger's tables (SQLAlchemy 2 typed ORM on :class:`gongkai.db.Base`).

``ledger_applications`` holds what was received (personal data in two
columns only); ``ledger_events`` is append-only — rows are inserted, never
updated or deleted, each with who recorded it and when (the audit trail);
``ledger_calendar`` holds the holiday notices supplied for years the
calendar package does not know; ``ledger_meta`` the agency's name.

Changing a table means a new migration in
``gongkai/db/migrations/versions/ledger`` (branch ``ledger``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.db.base import Base


class ApplicationRow(Base):
    """One application for government information."""

    __tablename__ = "ledger_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    received: Mapped[dt.date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(32))
    applicant_type: Mapped[str] = mapped_column(String(32))
    applicant_name: Mapped[str] = mapped_column(Text, default="")
    applicant_contact: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class EventRow(Base):
    """One event (append-only: never updated, never deleted)."""

    __tablename__ = "ledger_events"
    __table_args__ = (Index("ix_ledger_events_application_seq", "application_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_applications.id", ondelete="RESTRICT")
    )
    kind: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    #: the event's own data as JSON (outcome, case, result, reason, fee)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    actor: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CalendarRow(Base):
    """A holiday notice supplied by the user for one year."""

    __tablename__ = "ledger_calendar"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class MetaRow(Base):
    """Settings of the ledger (the agency's name)."""

    __tablename__ = "ledger_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
