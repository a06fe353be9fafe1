"""What an OCR'd report may state: values the engine was sure of, or that the
report's own arithmetic confirms; everything else null with a warning.

For each row that has a printed total (table 3: six applicant columns and
their 总计; table 4: four results and their 总计), the values read are kept
when they add up — a value the engine was unsure of is then confirmed by the
arithmetic (placed by ``arithmetic``). When they do not add up, the row is
left null: an OCR misreading and a slip of the report cannot be told apart,
and a finding must not rest on a digit the engine may have got wrong. Cells
outside such rows (table 2) are kept only where the engine was sure; in a column
that may print a negative number (本年增/减), a positive value is never sure on its
own: a thin minus sign is what a noisy low-resolution scan loses first, and the
engine then reads ``-2`` as a confident ``2``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from gongkai.evidence import ParseWarning
from gongkai.national.editions import EDITIONS
from gongkai.reading.ocr.page import OcrCell
from gongkai.record import Report

#: Confidence at which a clean number is taken as read without confirmation.
SURE = 0.93

_Key = tuple[int, int, int, int]


def _where(loc: dict[str, Any] | None) -> _Key | None:
    if not loc or any(k not in loc for k in ("page", "table", "row", "col")):
        return None
    return (int(loc["page"]), int(loc["table"]), int(loc["row"]), int(loc["col"]))


def _aligned(locs: list[dict[str, Any] | None]) -> bool:
    """Whether the values of a row came from side-by-side cells of one grid
    row (a cell skipped as unreadable would shift the values after it)."""
    if any(loc is None or "col" not in loc for loc in locs):
        return False
    cols = [int(loc["col"]) for loc in locs if loc is not None]
    return all(b == a + 1 for a, b in pairwise(cols))


def _sure(cell: OcrCell) -> bool:
    return cell.number_like and not cell.guessed and cell.score >= SURE


def _warning(key: str, cell: OcrCell, why_zh: str, why_en: str) -> dict[str, Any]:
    return ParseWarning.make(
        "ocr-unsure",
        (
            f"{key}：OCR 识别为“{cell.raw}”（置信度 {cell.score:.2f}），{why_zh}，记为空",
            f"{key}: OCR read '{cell.raw}' (confidence {cell.score:.2f}); {why_en}; left null",
        ),
        cell=key,
        candidates=[cell.text] if cell.text else [],
        confidence=round(cell.score, 3),
    ).to_json()


def _signed_columns(template: str) -> frozenset[str]:
    """Table 2's columns that may print a negative number in ``template``'s edition."""
    edition = EDITIONS.get(template)
    if edition is None or edition.id == "legacy":
        return frozenset()
    table = edition.table("table2")
    return frozenset(
        c.key for r in table.rows for c in table.row_columns(r.key) if c.kind == "signed"
    )


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def settle(
    report: Report, cells: dict[_Key, OcrCell], facts: dict[str, Any] | None = None
) -> Report:
    """``report`` with every OCR value it cannot vouch for set to null; ``facts``
    (engine, pages, seconds, skew) are kept as ``x_ocr``."""
    data = report.to_dict()
    provenance: dict[str, dict[str, Any]] = data.get("x_provenance") or {}
    warnings: list[dict[str, Any]] = list(data.get("x_warnings") or [])

    def ocr(key: str) -> OcrCell | None:
        where = _where(provenance.get(key))
        return cells.get(where) if where is not None else None

    def drop(
        table: dict[str, Any], row: str, index: int, key: str, cell: OcrCell, zh: str, en: str
    ) -> None:
        table[row][index] = None
        warnings.append(_warning(key, cell, zh, en))

    for name, width in (("table3", 7), ("table4", 5)):
        table = data.get(name)
        if not isinstance(table, dict):
            continue
        for row, values in table.items():
            if not isinstance(values, list) or len(values) != width:
                continue
            keys = [f"{name}.{row}.{i}" for i in range(width)]
            read = [ocr(k) for k in keys]
            if not any(read):
                continue
            whole = all(isinstance(v, int) for v in values)
            adds_up = whole and sum(values[:-1]) == values[-1]
            aligned = _aligned([provenance.get(k) for k in keys])
            for i, (key, cell) in enumerate(zip(keys, read, strict=True)):
                if cell is None or values[i] is None:
                    continue
                if not aligned:
                    drop(
                        table,
                        row,
                        i,
                        key,
                        cell,
                        "本行有格子未识别为数字，各数值所在列无法确定",
                        "a cell of the row was not read as a number, so the columns cannot be told",
                    )
                    continue
                if adds_up:
                    if not _sure(cell):
                        provenance[key] = {**provenance.get(key, {}), "how": "arithmetic"}
                    continue
                if not whole:  # blanks in the row: nothing to confirm with
                    if not _sure(cell):
                        drop(table, row, i, key, cell, "识别不确定", "the engine was not sure")
                    continue
                drop(
                    table,
                    row,
                    i,
                    key,
                    cell,
                    "本行数值相加不符，无法区分识别错误与报告笔误",
                    "the row does not add up, so a misreading cannot be told from a slip of the report",
                )
    table2 = data.get("table2")
    signed = _signed_columns(str(data.get("template")))
    if isinstance(table2, dict):
        for row, columns in table2.items():
            if not isinstance(columns, dict):
                continue
            for column, value in list(columns.items()):
                key = f"table2.{row}.{column}"
                cell = ocr(key)
                if cell is None or value is None:
                    continue
                if column in signed and _positive(value):
                    columns[column] = None
                    zh, en = (
                        "该列可为负数，负号可能未识别出",
                        "the column may be negative and a minus sign may have been missed",
                    )
                    warnings.append(_warning(key, cell, zh, en))
                elif not _sure(cell):
                    columns[column] = None
                    warnings.append(_warning(key, cell, "识别不确定", "the engine was not sure"))
    for key, loc in provenance.items():
        cell = ocr(key)
        if cell is not None:
            loc.setdefault("ocr", round(cell.score, 3))
    data["x_provenance"] = provenance
    data["x_warnings"] = warnings
    data["x_ocr"] = {
        **(facts or {}),
        "cells": len(cells),
        "unsure": sum(w.get("code") == "ocr-unsure" for w in warnings),
    }
    return Report.model_validate(data)
