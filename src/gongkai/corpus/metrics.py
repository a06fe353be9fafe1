"""The corpus's metrics, defined once: each is the sum of named cells.

A metric sums the cells at its interchange paths (``table3.new.6`` is the 总计
column of 一、本年新收) over the current version of every report chosen; a
blank cell adds nothing and is never read as a zero (the count of reports
whose cells were all blank is kept beside each sum). Rates are ratios of
metrics. ``docs/corpus.md`` prints this table (``metrics_markdown``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.national.editions import EDITION_2019, EDITION_2021, OTHER_HANDLING_WORDS, TABLE4

_T3 = EDITION_2021.table("table3")
_T3_2019 = EDITION_2019.table("table3")
TOTAL = 6  # the 总计 column of table 3
T4_TOTAL, T4_CORRECTED, T4_PENDING = 4, 1, 3


@dataclass(frozen=True)
class Metric:
    key: str
    title: tuple[str, str]
    paths: tuple[str, ...]
    group: str = "applications"

    def label(self, lang: str = "zh") -> str:
        return self.title[1] if lang == "en" else self.title[0]


def _t3(key: str) -> str:
    return f"table3.{key}.{TOTAL}"


def _rows(prefix: str) -> tuple[str, ...]:
    return tuple(r.key for r in _T3.rows if r.key.startswith(prefix))


def _row_label(key: str) -> str:
    for t in (_T3, _T3_2019):
        try:
            return t.row(key).label
        except KeyError:
            continue
    return key


METRICS: tuple[Metric, ...] = (
    Metric(
        "received",
        ("新收申请", "applications received"),
        (_t3("new"), "legacy.applications_received"),
    ),
    Metric("carried_over", ("上年结转", "carried over from last year"), (_t3("carried_over"),)),
    Metric("granted", ("予以公开", "granted"), (_t3("granted"), "legacy.granted"), "outcomes"),
    Metric(
        "partially_granted",
        ("部分公开", "partially granted"),
        (_t3("partially_granted"), "legacy.partially_granted"),
        "outcomes",
    ),
    Metric(
        "denied",
        ("不予公开", "denied"),
        (*(_t3(k) for k in _rows("denied_")), "legacy.denied"),
        "outcomes",
    ),
    *(
        Metric(
            k,
            (
                f"不予公开：{_row_label(k)}",
                f"denied: {k.removeprefix('denied_').replace('_', ' ')}",
            ),
            (_t3(k),),
            "denied",
        )
        for k in _rows("denied_")
    ),
    Metric(
        "unavailable",
        ("无法提供", "cannot be provided"),
        tuple(_t3(k) for k in _rows("unavailable_")),
        "outcomes",
    ),
    Metric(
        "rejected",
        ("不予处理", "not processed"),
        tuple(_t3(k) for k in _rows("rejected_")),
        "outcomes",
    ),
    Metric(
        "other",
        (OTHER_HANDLING_WORDS, "other handling"),
        (_t3("other"), *(_t3(k) for k in _rows("other_"))),
        "outcomes",
    ),
    Metric("handled", ("办理总计", "handled in total"), (_t3("total"),)),
    Metric("carried_forward", ("结转下年度", "carried forward"), (_t3("carried_forward"),)),
    Metric(
        "unpaid_fee",
        ("逾期未缴费不再处理", "dropped: fee notice unpaid"),
        (_t3("other_unpaid_fee"),),
        "fees",
    ),
    *(
        Metric(
            f"{g.key}_{part}",
            (
                f"{g.label}：{TABLE4.columns[i].label}",
                f"{g.key.replace('_', ' ')}: {TABLE4.columns[i].key}",
            ),
            (f"table4.{g.key}.{i}",),
            "redress",
        )
        for g in TABLE4.rows
        for part, i in (("total", T4_TOTAL), ("corrected", T4_CORRECTED), ("pending", T4_PENDING))
    ),
    Metric(
        "review_total_legacy",
        ("行政复议（旧格式）", "reviews (old format)"),
        ("legacy.review",),
        "redress",
    ),
    Metric(
        "litigation_total_legacy",
        ("行政诉讼（旧格式）", "suits (old format)"),
        ("legacy.litigation",),
        "redress",
    ),
)
BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}


@dataclass(frozen=True)
class Rate:
    key: str
    title: tuple[str, str]
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()
    doc: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.title[1] if lang == "en" else self.title[0]

    def value(self, sums: dict[str, int | None]) -> float | None:
        num = sum(sums.get(k) or 0 for k in self.numerator)
        den = sum(sums.get(k) or 0 for k in self.denominator) - sum(
            sums.get(k) or 0 for k in self.minus
        )
        return None if den <= 0 else num / den


_LIT = tuple(g.key for g in TABLE4.rows if g.key.startswith("litigation"))
RATES: tuple[Rate, ...] = (
    Rate(
        "grant_rate",
        ("公开率", "share granted"),
        ("granted", "partially_granted"),
        ("handled",),
        doc="(予以公开 + 部分公开) / 总计",
    ),
    Rate(
        "denial_rate",
        ("不予公开率", "share denied"),
        ("denied",),
        ("handled",),
        doc="不予公开 / 总计",
    ),
    Rate(
        "review_correction",
        ("复议纠错率", "review correction rate"),
        ("review_corrected",),
        ("review_total",),
        ("review_pending",),
        "复议结果纠正 / (复议总计 − 尚未审结)",
    ),
    Rate(
        "litigation_correction",
        ("诉讼纠错率", "suit correction rate"),
        tuple(f"{k}_corrected" for k in _LIT),
        tuple(f"{k}_total" for k in _LIT),
        tuple(f"{k}_pending" for k in _LIT),
        "诉讼结果纠正 / (诉讼总计 − 尚未审结)",
    ),
)


def all_paths() -> tuple[str, ...]:
    return tuple(sorted({p for m in METRICS for p in m.paths}))


def metrics_markdown() -> str:
    lines = ["| metric | 指标 | cells summed |", "|---|---|---|"]
    lines += [
        f"| `{m.key}` | {m.title[0]} | {', '.join(f'`{p}`' for p in m.paths)} |" for m in METRICS
    ]
    lines += ["", "| rate | 比率 | formula |", "|---|---|---|"]
    lines += [f"| `{r.key}` | {r.title[0]} | {r.doc} |" for r in RATES]
    return "\n".join(lines)
