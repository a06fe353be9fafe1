"""A published report against the ledger: which cells disagree, and why.

For every cell of tables 3 and 4 where the report's figure differs from the
ledger's count, :func:`reconcile` names the cell (row and column labels from
the national format), both figures, and the applications the ledger counts
in it — the list a person goes through to find the slip. A blank cell in
the report is shown as blank, never taken as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.i18n import Lang, pick
from gongkai.ledger.tables import Tally
from gongkai.national.editions import TABLE4
from gongkai.national.model import Table
from gongkai.record import Report

_MSG = {
    "cell": (
        "{table}「{row}」「{column}」：报告 {report}，台账 {ledger}（差 {diff:+d}）",
        "{table} {row} / {column}: report {report}, ledger {ledger} ({diff:+d})",
    ),
    "apps": ("台账计入的申请：{numbers}", "applications the ledger counts here: {numbers}"),
    "none_apps": ("台账在此格没有申请", "the ledger counts no application here"),
    "agree": (
        "报告与台账的表三、表四一致（{n} 个单元格）",
        "the report agrees with the ledger on tables 3 and 4 ({n} cells)",
    ),
    "differ": (
        "报告与台账有 {n} 个单元格不一致",
        "{n} cells of the report disagree with the ledger",
    ),
    "blank": ("空白", "blank"),
    "edition": (
        "报告使用 {report} 版表格，而 {year} 年度应使用 {ledger} 版：按 {ledger} 版比较",
        "the report uses the {report} edition, but {year} requires {ledger}: compared in {ledger}",
    ),
    "t3": ("表三", "table 3"),
    "t4": ("表四", "table 4"),
}


@dataclass(frozen=True)
class Difference:
    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    report: int | None
    ledger: int
    applications: tuple[str, ...]

    def lines(self, lang: Lang | None = None, limit: int = 20) -> list[str]:
        shown = "—" if self.report is None else str(self.report)
        if self.report is None:
            shown = pick(_MSG["blank"], lang)
        head = pick(
            _MSG["cell"],
            lang,
            table=pick(_MSG["t3" if self.table == "table3" else "t4"], lang),
            row=self.row_label,
            column=self.column_label,
            report=shown,
            ledger=self.ledger,
            diff=self.ledger - (self.report or 0),
        )
        if self.applications:
            nums = ", ".join(self.applications[:limit])
            if len(self.applications) > limit:
                nums += f" … (+{len(self.applications) - limit})"
            return [head, "  " + pick(_MSG["apps"], lang, numbers=nums)]
        return [head, "  " + pick(_MSG["none_apps"], lang)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "row_label": self.row_label,
            "column_label": self.column_label,
            "report": self.report,
            "ledger": self.ledger,
            "applications": list(self.applications),
        }


@dataclass
class Reconciliation:
    year: int
    compared: int
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences

    def lines(self, lang: Lang | None = None) -> list[str]:
        out = list(self.notes)
        if self.agrees:
            out.append(pick(_MSG["agree"], lang, n=self.compared))
            return out
        out.append(pick(_MSG["differ"], lang, n=len(self.differences)))
        for d in self.differences:
            out.extend(d.lines(lang))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "cells_compared": self.compared,
            "agrees": self.agrees,
            "differences": [d.to_dict() for d in self.differences],
            "notes": self.notes,
        }


def reconcile(report: Report, tally: Tally, lang: Lang | None = None) -> Reconciliation:
    """Compare ``report``'s tables 3 and 4 with the ledger's ``tally`` of the same year."""
    result = Reconciliation(tally.year, 0)
    if report.template != tally.edition.id:
        result.notes.append(
            pick(
                _MSG["edition"],
                lang,
                report=report.template,
                year=tally.year,
                ledger=tally.edition.id,
            )
        )
    _compare(
        result,
        "table3",
        tally.edition.table("table3"),
        report.t3(),
        tally.table3(),
        tally.t3_numbers,
    )
    _compare(result, "table4", TABLE4, report.t4(), tally.table4(), tally.t4_numbers)
    return result


def _compare(
    result: Reconciliation,
    table_id: str,
    table: Table,
    given_rows: Mapping[str, Sequence[int | None]],
    mine: Mapping[str, Sequence[int]],
    numbers: Callable[[str, str], Iterable[str]],
) -> None:
    """Add a difference for every cell of ``table`` where the report and the ledger disagree."""
    for row in table.rows:
        given = given_rows.get(row.key)
        for i, col in enumerate(table.columns):
            result.compared += 1
            value = given[i] if given is not None else None
            if value != mine[row.key][i]:
                result.differences.append(
                    Difference(
                        table_id,
                        row.key,
                        col.key,
                        _row_label(row.group, row.label),
                        col.label,
                        value,
                        mine[row.key][i],
                        tuple(numbers(row.key, col.key)),
                    )
                )


def _row_label(group: str | None, label: str) -> str:
    return f"{group} {label}" if group else label
