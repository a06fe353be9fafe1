"""Applications and their events: the ledger's data, without storage.

An :class:`Application` is what was received; an :class:`Event` is one thing
that happened to it, appended and never rewritten (who recorded it and when
are part of the event). Everything else — the state, the deadline, the
tables — is derived from these by pure functions (:mod:`gongkai.ledger.state`).

Row and column keys come from the national format
(:mod:`gongkai.national.editions`): the applicant types are the columns of
table 3, an answer's outcome is a row of table 3 of the edition in force,
the review and suit results are the columns of table 4.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from gongkai.national.editions import EDITION_2019, EDITION_2021, TABLE4, edition_for_year
from gongkai.national.model import Edition

# ------------------------------------------------------------- vocabulary

Channel = Literal["in_person", "post_registered", "post_ordinary", "online", "fax"]

#: Channels of receipt (art. 31) and what decides the date of receipt.
CHANNELS: dict[str, tuple[str, str]] = {
    "in_person": ("当面提交（提交之日）", "in person (the day submitted)"),
    "post_registered": ("邮寄，需签收（签收之日）", "registered post (the day signed for)"),
    "post_ordinary": ("邮寄，无需签收（与申请人确认之日）", "ordinary post (the day confirmed)"),
    "online": ("互联网渠道（双方确认之日）", "online (the day both sides confirm)"),
    "fax": ("传真（双方确认之日）", "fax (the day both sides confirm)"),
}

_T3 = EDITION_2021.table("table3")
#: The applicant columns of table 3 (every column but the total).
APPLICANT_TYPES: tuple[str, ...] = tuple(c.key for c in _T3.columns if c.key != "total")
#: Table-4 rows (the kinds of case) and the results a case can end with.
CASE_KINDS: tuple[str, ...] = TABLE4.row_keys
CASE_RESULTS: tuple[str, ...] = tuple(
    c.key for c in TABLE4.columns if c.key not in ("pending", "total")
)
CASE_PENDING = "pending"
CASE_AFTER_REVIEW = "litigation_after_review"
CASE_REVIEW = "review"
CASE_DIRECT = "litigation_direct"

EventKind = Literal[
    "correction_requested",
    "correction_received",
    "correction_lapsed",
    "third_party_consulted",
    "third_party_answered",
    "agency_consulted",
    "agency_answered",
    "extended",
    "fee_noticed",
    "fee_paid",
    "fee_lapsed",
    "answered",
    "withdrawn",
    "case_filed",
    "case_decided",
]

EVENT_KINDS: dict[str, tuple[str, str]] = {
    "correction_requested": ("发出补正通知（第三十条）", "correction requested (art. 30)"),
    "correction_received": ("收到补正后的申请", "corrected application received"),
    "correction_lapsed": ("逾期未补正", "no correction by the deadline"),
    "third_party_consulted": (
        "书面征求第三方意见（第三十二条）",
        "third party consulted (art. 32)",
    ),
    "third_party_answered": ("第三方答复", "third party answered"),
    "agency_consulted": ("征求其他机关意见（第三十四条）", "other agency consulted (art. 34)"),
    "agency_answered": ("其他机关答复", "other agency answered"),
    "extended": ("延长答复期限（第三十三条）", "deadline extended (art. 33)"),
    "fee_noticed": ("发出收费通知", "fee notice sent"),
    "fee_paid": ("申请人缴费", "fee paid"),
    "fee_lapsed": ("逾期未缴费", "fee not paid in time"),
    "answered": ("作出答复", "answered"),
    "withdrawn": ("申请人撤回申请", "withdrawn by the applicant"),
    "case_filed": ("申请行政复议或提起行政诉讼", "administrative review or suit filed"),
    "case_decided": ("复议或诉讼结果", "review or suit decided"),
}

#: Row keys of table 3 that a closing event other than an answer counts in,
#: by edition (checked against the format data by the tests and at import).
LAPSE_ROWS: dict[str, dict[str, str]] = {
    "2019": {"correction_lapsed": "other", "fee_lapsed": "other", "withdrawn": "other"},
    "2021": {
        "correction_lapsed": "other_no_correction",
        "fee_lapsed": "other_unpaid_fee",
        "withdrawn": "other_misc",
    },
}

FeeMethod = Literal["per_application", "per_volume"]


_OUTCOMES: dict[str, tuple[str, ...]] = {}


def outcome_rows(edition: Edition) -> tuple[str, ...]:
    """The table-3 rows an answer can be counted in, in ``edition``."""
    rows = _OUTCOMES.get(edition.id)
    if rows is None:
        rows = _OUTCOMES[edition.id] = tuple(
            r.key for r in edition.table("table3").rows if r.outcome
        )
    return rows


@functools.cache
def _edition_of_year(year: int) -> Edition:
    edition = edition_for_year(year)
    return edition if edition.has_table("table3") else EDITION_2019


def edition_of(date: dt.date) -> Edition:
    """The edition whose tables count what happened on ``date`` (the 2019 one
    for earlier dates: the tables did not exist before)."""
    return _edition_of_year(date.year)


# ------------------------------------------------------------- records


#: What an application says of itself (its columns in the database and in an import file).
APPLICATION_FIELDS = (
    "number",
    "received",
    "channel",
    "applicant_type",
    "applicant_name",
    "applicant_contact",
    "request",
)


@dataclass(frozen=True)
class Application:
    """One application for government information.

    ``received`` is the date of receipt as art. 31 defines it for the
    ``channel``. ``applicant_name`` and ``applicant_contact`` are personal
    data: they never leave the ledger in aggregates, and ``--redact`` drops
    them from row-level exports.
    """

    number: str
    received: dt.date
    channel: str
    applicant_type: str
    applicant_name: str = ""
    applicant_contact: str = ""
    request: str = ""
    recorded_by: str = ""
    recorded_at: dt.datetime | None = None

    PERSONAL = ("applicant_name", "applicant_contact")

    def redacted(self) -> Application:
        return replace(self, applicant_name="", applicant_contact="")

    def to_dict(self, *, redact: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "number": self.number,
            "received": self.received.isoformat(),
            "channel": self.channel,
            "applicant_type": self.applicant_type,
            "applicant_name": self.applicant_name,
            "applicant_contact": self.applicant_contact,
            "request": self.request,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }
        if redact:
            for k in self.PERSONAL:
                d.pop(k)
        return d


@dataclass(frozen=True)
class Event:
    """One thing that happened to an application, on ``date``.

    ``outcome`` (answered: a table-3 row key), ``case`` and ``result``
    (reviews and suits: table-4 keys), ``reason`` (an extension's reason, a
    note), ``fee`` (fee notices: method, quantity, yuan). ``seq``,
    ``actor`` and ``recorded_at`` are the audit trail.
    """

    kind: str
    date: dt.date
    outcome: str | None = None
    case: str | None = None
    result: str | None = None
    reason: str = ""
    fee: dict[str, Any] = field(default_factory=dict)
    actor: str = ""
    recorded_at: dt.datetime | None = None
    seq: int | None = None

    def payload(self) -> dict[str, Any]:
        """The event's own data (what is stored beside kind, date and the audit fields)."""
        d: dict[str, Any] = {}
        for k in ("outcome", "case", "result"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.reason:
            d["reason"] = self.reason
        if self.fee:
            d["fee"] = dict(self.fee)
        return d

    @classmethod
    def from_payload(
        cls,
        kind: str,
        date: dt.date,
        payload: dict[str, Any],
        *,
        actor: str = "",
        recorded_at: dt.datetime | None = None,
        seq: int | None = None,
    ) -> Event:
        return cls(
            kind=kind,
            date=date,
            outcome=payload.get("outcome"),
            case=payload.get("case"),
            result=payload.get("result"),
            reason=str(payload.get("reason") or ""),
            fee=dict(payload.get("fee") or {}),
            actor=actor,
            recorded_at=recorded_at,
            seq=seq,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "date": self.date.isoformat(),
            **self.payload(),
            "actor": self.actor,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }
