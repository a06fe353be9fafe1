"""Findings as an Excel workbook: one row per finding, for people who sort and filter.

:func:`findings_workbook` takes check results (the JSON of ``gongkai check
--json``) and returns the bytes of an ``.xlsx`` file: a sheet of findings
(report, rule, severity, message, where, expected, actual) and a sheet of
reports (agency, year, template, counts). Text from a report is written as
text, never as a formula: a message or an agency name starting with ``=``
stays a string.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.checks.registry import severity_name
from gongkai.i18n import Lang, pick

_FINDING_HEADS = (
    ("报告", "report"),
    ("序号", "no."),
    ("规则", "rule"),
    ("严重程度", "severity"),
    ("说明", "message"),
    ("表", "table"),
    ("行", "row"),
    ("列", "column"),
    ("部分", "part"),
    ("页", "page"),
    ("行号", "line"),
    ("应为", "expected"),
    ("实为", "actual"),
)
_REPORT_HEADS = (
    ("报告", "report"),
    ("机关", "agency"),
    ("年度", "year"),
    ("格式版本", "template"),
    ("发布日期", "published"),
    ("错误", "errors"),
    ("警告", "warnings"),
    ("提示", "notes"),
)


def _put(ws: Worksheet, row: int, col: int, value: Any) -> None:
    cell: Cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value


def _sheet(ws: Worksheet, heads: tuple[tuple[str, str], ...], lang: Lang) -> None:
    for c, pair in enumerate(heads, 1):
        _put(ws, 1, c, pick(pair, lang))
        ws.cell(row=1, column=c).font = Font(bold=True)
    ws.freeze_panes = "A2"


def findings_workbook(results: Iterable[tuple[str, dict[str, Any]]], lang: Lang = "zh") -> bytes:
    """An ``.xlsx`` of the findings of ``results`` (pairs of a name and a check result)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = pick(("检查结果", "findings"), lang)
    _sheet(ws, _FINDING_HEADS, lang)
    reports = wb.create_sheet(pick(("报告", "reports"), lang))
    _sheet(reports, _REPORT_HEADS, lang)
    r = 2
    for i, (name, result) in enumerate(results, 2):
        record = result.get("report") or {}
        findings = result.get("findings") or []
        counts = {
            s: sum(1 for f in findings if f.get("severity") == s)
            for s in ("error", "warning", "info")
        }
        row = (
            name,
            record.get("agency"),
            record.get("year"),
            record.get("template"),
            record.get("published"),
            counts["error"],
            counts["warning"],
            counts["info"],
        )
        for c, v in enumerate(row, 1):
            _put(reports, i, c, v)
        for n, f in enumerate(findings, 1):
            where = f.get("where") or {}
            values = (
                name,
                n,
                f.get("rule"),
                severity_name(str(f.get("severity")), lang),
                f.get("message"),
                where.get("table"),
                where.get("row"),
                where.get("column"),
                where.get("section"),
                where.get("page"),
                where.get("line"),
                f.get("expected"),
                f.get("actual"),
            )
            for c, v in enumerate(values, 1):
                _put(ws, r, c, v)
            r += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["E"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
