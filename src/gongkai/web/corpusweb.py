"""What the corpus pages share: the database, the filter of a request, report items.

The engine is opened once when the app is made (``Settings.db``) and
migrated to the current tables; a route gets it through :func:`engine`,
which answers a problem when the server has no corpus. :func:`filters`
turns the query string (``year``, ``level``, ``region``, ``agency``,
``rule``) into the corpus's :class:`~gongkai.corpus.query.Filter`.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from fastapi import Query
from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass
from sqlalchemy import Engine

from gongkai.corpus.query import Filter, ReportSummary
from gongkai.web.pages import Ctx
from gongkai.web.problems import Problem

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "state_council": ("国务院部门", "State Council"),
    "province": ("省级", "province"),
    "city": ("市级", "city"),
    "county": ("县级", "county"),
    "township": ("乡镇", "township"),
}


def open_corpus(url: str) -> Engine:
    """The engine of the corpus at ``url``, migrated to the current tables."""
    from gongkai.db import connect, upgrade

    engine = connect(url)
    upgrade(engine)
    return engine


def engine(ctx: Ctx) -> Engine:
    """The corpus of this server, or a 404 problem saying how to give one."""
    got: Engine | None = getattr(ctx.request.app.state, "engine", None)
    if got is None:
        raise Problem(
            404,
            "no-corpus",
            ctx.t("corpus.none"),
        )
    return got


class FilterView(BaseModel):
    """The filter of a request, as given."""

    year: list[int] = Field(default_factory=list)
    level: str | None = None
    region: str | None = None
    agency: str | None = None
    rule: str | None = None

    def to_filter(self) -> Filter:
        return Filter(
            years=tuple(self.year),
            level=self.level or None,
            region=self.region or None,
            agency=self.agency or None,
            rule=self.rule or None,
        )

    def query(self, **extra: Any) -> str:
        """The query string of this filter (and ``extra``)."""
        items: list[tuple[str, Any]] = [("year", y) for y in self.year]
        items += [
            (k, v)
            for k, v in (
                ("level", self.level),
                ("region", self.region),
                ("agency", self.agency),
                ("rule", self.rule),
            )
            if v
        ]
        items += [(k, v) for k, v in extra.items() if v is not None]
        return urlencode(items)


def generation(ctx: Ctx) -> int:
    """The corpus's generation (:mod:`gongkai.corpus.cache`): one small query."""
    from gongkai.corpus.cache import generation as read

    with engine(ctx).connect() as c:
        return read(c)


def filters(
    year: list[int] = Query(default=[], description="statistics year (repeatable)"),
    level: str | None = Query(
        default=None, description="state_council|province|city|county|township"
    ),
    region: str | None = Query(default=None, description="region, or part of its name"),
    agency: str | None = Query(default=None, description="agency name or key, or part of it"),
    rule: str | None = Query(default=None, description="only reports with a finding of this rule"),
) -> FilterView:
    """Dependency: the filter of the query string."""
    return FilterView(year=year, level=level, region=region, agency=agency, rule=rule)


@pydantic_dataclass(frozen=True)
class ReportItem(ReportSummary):
    """A report in a listing (the library's :class:`ReportSummary`), with the
    URLs of its page and record."""

    page: str
    api: str


def item(s: ReportSummary) -> ReportItem:
    return ReportItem(**asdict(s), page=f"/corpus/report/{s.id}", api=f"/api/reports/{s.id}")
