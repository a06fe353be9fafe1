"""The synthetic national corpus: which reports exist, and each one made on demand.

:func:`plan` lists the reports — one per (agency, year), its output format
and its slip — without making any (cheap: a plan of 100,000 reports takes
about a second). :meth:`Entry.build` makes the record and the narrative,
:meth:`Entry.render` the published file, :meth:`Entry.truth` the ground
truth. Everything is a function of the seed, the agency and the year, so
an entry is the same whichever process makes it, in whatever order
(entries pickle small: a Dask task can make its own files).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from gongkai.agencies import same_body
from gongkai.checks.agency import deadline, level
from gongkai.national.editions import EDITION_2019, edition_for_year
from gongkai.national.model import Edition
from gongkai.synth.agencies import Agency, agencies, national_name
from gongkai.synth.prose import contact, narrative_parts
from gongkai.synth.slips import ACROSS_YEARS, BEFORE_TABLES, SLIPS, Draft, Slip
from gongkai.synth.tables import SCALE, rng, table2, table3, table4
from gongkai.write.content import default_preamble
from gongkai.write.data import ReportData, from_dict
from gongkai.write.render import OutputFormat
from gongkai.write.text import TextLayout

#: what the generator can write: a format and, for text, its table layout
Variant = tuple[OutputFormat, TextLayout | None]
VARIANTS: dict[str, tuple[Variant, ...]] = {
    "txt": (("txt", "cells"), ("txt", "pipe")),
    "html": (("html", None),),
    "md": (("md", None),),
    "docx": (("docx", None),),
    "pdf": (("pdf", None),),
}
#: the formats made when none are named (PDF needs LibreOffice and is slow)
DEFAULT_FORMATS: tuple[str, ...] = ("txt", "html", "md", "docx")
SUFFIX: dict[str, str] = {
    "txt": ".txt",
    "html": ".html",
    "md": ".md",
    "docx": ".docx",
    "pdf": ".pdf",
}
#: the reader's name for each output format
READ_FORMAT: dict[str, str] = {
    "txt": "text",
    "md": "text",
    "html": "html",
    "docx": "docx",
    "pdf": "pdf",
}
#: slips that apply to any report (the fallback when a chosen kind cannot apply)
ALWAYS: tuple[str, ...] = (
    "row-total",
    "balance",
    "results-total",
    "t4-total",
    "negative",
    "missing-part",
    "wrong-year",
    "late",
    "other-agency",
    "prose-figure",
    "spam",
)


class WithoutPart(ReportData):
    """A report printed without one of its six parts (the ``missing-part`` slip)."""

    dropped: int = 0

    @property
    def edition(self) -> Edition:
        base = super().edition
        parts = tuple(p for p in base.parts if p.number != self.dropped)
        return dataclasses.replace(base, parts=parts)


@dataclass(frozen=True)
class Entry:
    """One report of the corpus: who, which year, in which format, with which slip."""

    seed: int
    agency: Agency
    year: int
    first_year: int
    format: OutputFormat
    layout: TextLayout | None
    slip_rate: float
    kinds: tuple[str, ...]
    other_agency: str
    variants: tuple[Variant, ...] = (("txt", "cells"),)

    @classmethod
    def make(
        cls,
        seed: int,
        agency: Agency,
        year: int,
        first_year: int,
        variants: tuple[Variant, ...],
        slip_rate: float,
        kinds: tuple[str, ...],
        other_agency: str,
    ) -> Entry:
        """The entry of (agency, year), its format drawn from ``variants``."""
        fmt, layout = rng(seed, agency, year, "format").choice(variants)
        return cls(
            seed, agency, year, first_year, fmt, layout, slip_rate, kinds, other_agency, variants
        )

    # ------------------------------------------------------------- names
    @property
    def name(self) -> str:
        """The file's path in the corpus: ``<year>/<agency id>.<suffix>``."""
        return f"{self.year}/{self.agency.id}{SUFFIX[self.format]}"

    @property
    def read_format(self) -> str:
        return READ_FORMAT[self.format]

    def previous(self) -> Entry | None:
        """Last year's entry of the same agency, if the corpus holds it."""
        if self.year - 1 < self.first_year:
            return None
        return Entry.make(
            self.seed,
            self.agency,
            self.year - 1,
            self.first_year,
            self.variants,
            self.slip_rate,
            self.kinds,
            self.other_agency,
        )

    # ------------------------------------------------------------- slip
    def slip_kind(self) -> str | None:
        """The slip this report carries (decided before anything is made)."""
        r = rng(self.seed, self.agency, self.year, "slip")
        if not self.kinds or r.random() >= self.slip_rate:
            return None
        kind = r.choice(self.kinds)
        fallback = [k for k in ALWAYS if k in self.kinds] or list(ALWAYS)
        if kind in ACROSS_YEARS:
            prev = self.previous()
            if prev is None or prev.slip_kind() is not None:
                kind = r.choice(fallback)
        if kind == "old-edition" and self.year < 2021:
            kind = r.choice(fallback)
        return kind

    def edition(self) -> Edition:
        kind = self.slip_kind()
        return EDITION_2019 if kind in BEFORE_TABLES else edition_for_year(self.year)

    # ------------------------------------------------------------- making
    def _parts(self, edition: Edition, t3: dict[str, list[int | None]]) -> dict[int, str]:
        unpaid = t3.get("other_unpaid_fee")
        fees = edition.id == "2021" and bool(unpaid and unpaid[-1])
        r = rng(self.seed, self.agency, self.year, "prose")
        return narrative_parts(r, self.agency.name, self.year, SCALE[self.agency.level], fees)

    def base_parts(self) -> dict[int, str]:
        """The agency's text before any slip."""
        edition = self.edition()
        return self._parts(edition, table3(self.seed, self.agency, self.year, edition))

    def _published(self) -> tuple[dt.date, dt.date]:
        due = deadline(self.year, level(self.agency.name))
        start = dt.date(self.year + 1, 1, 4)
        r = rng(self.seed, self.agency, self.year, "published")
        return start + dt.timedelta(days=r.randint(0, (due - start).days)), due

    def draft(self) -> tuple[Draft, Slip | None]:
        """The record and narrative as dicts, with the slip applied."""
        a, y = self.agency, self.year
        edition = self.edition()
        t3 = table3(self.seed, a, y, edition)
        published, due = self._published()
        record: dict[str, Any] = {
            "agency": a.name,
            "year": y,
            "template": edition.id,
            "published": published.isoformat(),
            "table2": table2(self.seed, a, y, edition),
            "table3": t3,
            "table4": table4(self.seed, a, y),
        }
        r = rng(self.seed, a, y, "narrative")
        narrative: dict[str, Any] = {
            "contact": contact(r, a.name),
            "parts": self._parts(edition, t3),
        }
        kind = self.slip_kind()
        prev = self.previous()
        draft = Draft(
            record=record,
            narrative=narrative,
            edition=edition,
            r=rng(self.seed, a, y, "slip-apply"),
            previous_parts=(
                prev.base_parts() if prev is not None and kind == "reused-prose" else None
            ),
            other_agency=self.other_agency,
            deadline=due,
        )
        slip = None
        if kind is not None:
            slip = SLIPS[kind](draft)
            if slip is None:  # cannot apply here: a slip that always can
                draft.r = rng(self.seed, a, y, "slip-fallback")
                slip = SLIPS[draft.r.choice(ALWAYS)](draft)
        return draft, slip

    def build(self) -> tuple[ReportData, Slip | None]:
        """The report to write (validated) and its slip."""
        draft, slip = self.draft()
        data = from_dict({**draft.record, "x_narrative": draft.narrative}, self.name)
        if draft.period_year is not None:  # the preamble's statistics period names another year
            preamble = default_preamble(data).replace(f"{self.year}年", f"{draft.period_year}年")
            narrative = data.narrative.model_copy(update={"preamble": preamble})
            data = ReportData(report=data.report, narrative=narrative)
        if draft.drop_part is not None:
            data = WithoutPart(
                report=data.report, narrative=data.narrative, dropped=draft.drop_part
            )
        return data, slip

    def render(self) -> bytes:
        """The published file (PDF through LibreOffice: slow; see :func:`render_many`)."""
        from gongkai.write.render import render_bytes

        data, _ = self.build()
        return render_bytes(data, self.format, layout=self.layout or "cells")

    def truth(self, built: tuple[ReportData, Slip | None] | None = None) -> dict[str, Any]:
        """The ground truth: the agency, the record printed, the slip and its findings.

        ``built`` is what :meth:`build` returned, if already made.
        """
        data, slip = built if built is not None else self.build()
        prev = self.previous()
        return {
            "file": self.name,
            "format": self.format,
            "layout": self.layout,
            "agency": self.agency.to_dict(),
            "year": self.year,
            "region": self.agency.region,
            "previous": prev.name if prev is not None else None,
            "record": data.report.to_dict(private=False),
            "slip": slip.to_dict() if slip is not None else None,
        }


def _variants(formats: Sequence[str]) -> list[Variant]:
    out: list[Variant] = []
    for f in formats:
        if f not in VARIANTS:
            raise ValueError(f"unknown format {f!r}; one of {', '.join(VARIANTS)}")
        out.extend(VARIANTS[f])
    return out


def other_body(every: Sequence[Agency], index: int) -> str:
    """A body of another unit than ``every[index]`` (who signs a copied report)."""
    agency = every[index]
    n = len(every)
    for step in range(n):
        other = every[(index * 7919 + 13 + step) % n]
        if other.level == agency.level and not same_body(other.name, agency.name):
            return other.name
    return national_name(index + 1)


def plan(
    n_agencies: int,
    years: Sequence[int] = (2021, 2022, 2023, 2024),
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    seed: int = 1,
    slip_rate: float = 0.2,
    kinds: Sequence[str] | None = None,
) -> Iterator[Entry]:
    """Every report of the corpus, agency by agency, year by year (nothing made yet).

    ``years`` must be consecutive; ``slip_rate`` is the share of reports
    given a slip, of ``kinds`` (default: every kind in :data:`SLIPS`).
    """
    ys = sorted(set(years))
    if not ys:
        raise ValueError("no years")
    if ys != list(range(ys[0], ys[-1] + 1)):
        raise ValueError(f"years must be consecutive, got {ys}")
    if ys[0] < 2019:
        raise ValueError("the generator writes the 2019 and 2021 formats: years from 2019 on")
    if not 0 <= slip_rate <= 1:
        raise ValueError("slip_rate is a share between 0 and 1")
    chosen = tuple(kinds) if kinds is not None else tuple(SLIPS)
    unknown = [k for k in chosen if k not in SLIPS]
    if unknown:
        raise ValueError(f"unknown slip kind(s) {unknown}; known: {', '.join(SLIPS)}")
    variants = tuple(_variants(formats))
    every = agencies(n_agencies)
    for i, agency in enumerate(every):
        other = other_body(every, i)
        for year in ys:
            yield Entry.make(seed, agency, year, ys[0], variants, slip_rate, chosen, other)
