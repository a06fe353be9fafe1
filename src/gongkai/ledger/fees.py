"""Information processing fees of 国办函〔2020〕109号.

Two methods, one per application:

* **per application** (按件): counted per applicant per calendar month —
  the 1st to 10th application of the month are free, the 11th to 30th cost
  100 元 each, and from the 31st on the price rises by 100 元 for every
  further block of 10 (31st–40th 200 元, 41st–50th 300 元, …);
* **per volume** (按量): by the pages of one application — up to 30 pages
  free, pages 31–100 at 10 元, 101–200 at 20 元, from 201 at 40 元 a page.

Every result lists the bands applied, so a fee notice can show its sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gongkai.i18n import Lang, pick

FREE_APPLICATIONS = 10
FIRST_PAID_BLOCK_END = 30
BLOCK = 10
STEP_YUAN = 100

#: (first page, last page or None, yuan a page)
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)

_MSG = {
    "band": (
        "第 {lo}–{hi} {unit}：{n} {unit} × {price} 元 = {amount} 元",
        "{unit_en} {lo}–{hi}: {n} × {price} yuan = {amount} yuan",
    ),
    "total": ("合计 {fee} 元", "total {fee} yuan"),
    "per_application": (
        "按件计收（同一申请人同一自然月累计 {n} 件）",
        "per application ({n} in the calendar month, same applicant)",
    ),
    "per_volume": ("按量计收（本件 {n} 页）", "per volume ({n} pages)"),
    "negative": ("数量不能为负数：{n}", "the number cannot be negative: {n}"),
}


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None
    price: int
    count: int

    @property
    def amount(self) -> int:
        return self.price * self.count

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.first,
            "to": self.last,
            "yuan_each": self.price,
            "count": self.count,
            "yuan": self.amount,
        }


@dataclass(frozen=True)
class Fee:
    """A fee and how it was reached."""

    method: str
    quantity: int
    bands: tuple[Band, ...]

    @property
    def yuan(self) -> int:
        return sum(b.amount for b in self.bands)

    def lines(self, lang: Lang | None = None) -> list[str]:
        head = pick(_MSG[self.method], lang, n=self.quantity)
        unit = ("件", "applications") if self.method == "per_application" else ("页", "pages")
        out = [head]
        for b in self.bands:
            if b.count == 0:
                continue
            out.append(
                "  "
                + pick(
                    _MSG["band"],
                    lang,
                    lo=b.first,
                    hi=b.last,
                    n=b.count,
                    price=b.price,
                    amount=b.amount,
                    unit=unit[0],
                    unit_en=unit[1].capitalize(),
                )
            )
        out.append(pick(_MSG["total"], lang, fee=self.yuan))
        return out

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        return {
            "fee": self.yuan,
            "method": self.method,
            "quantity": self.quantity,
            "bands": [b.to_dict() for b in self.bands if b.count],
            "explanation": self.lines(lang),
        }


class FeeError(ValueError):
    def __init__(self, n: int) -> None:
        self.n = n
        super().__init__(pick(_MSG["negative"], "en", n=n))

    def message(self, lang: Lang | None = None) -> str:
        return pick(_MSG["negative"], lang, n=self.n)


def application_price(nth: int) -> int:
    """The price of the ``nth`` application of an applicant in a calendar month."""
    if nth <= FREE_APPLICATIONS:
        return 0
    if nth <= FIRST_PAID_BLOCK_END:
        return STEP_YUAN
    return STEP_YUAN * (2 + (nth - FIRST_PAID_BLOCK_END - 1) // BLOCK)


def per_application(count: int, *, already: int = 0) -> Fee:
    """The fee for ``count`` applications of one applicant in a calendar month,
    ``already`` of them earlier in the same month having been counted before
    (so the fee of the 12th alone is ``per_application(1, already=11)``)."""
    if count < 0 or already < 0:
        raise FeeError(min(count, already))
    bands: list[Band] = []
    for nth in range(already + 1, already + count + 1):
        price = application_price(nth)
        if bands and bands[-1].price == price:
            b = bands[-1]
            bands[-1] = Band(b.first, nth, price, b.count + 1)
        else:
            bands.append(Band(nth, nth, price, 1))
    return Fee("per_application", already + count, tuple(bands))


def per_volume(pages: int) -> Fee:
    """The fee for ``pages`` pages provided in answer to one application."""
    if pages < 0:
        raise FeeError(pages)
    bands = []
    for first, last, price in PAGE_BANDS:
        top = pages if last is None else min(pages, last)
        n = max(0, top - first + 1)
        bands.append(Band(first, top, price, n))
    return Fee("per_volume", pages, tuple(bands))
