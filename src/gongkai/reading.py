"""``gongkai.read``: any published report → a report record.

    >>> import gongkai
    >>> report = gongkai.read("report.pdf")          # doctest: +SKIP
    >>> report.template, report.table3.new           # doctest: +SKIP

The format is detected (or given), read into a :class:`~gongkai.document.Document`
by the reader of that format, and mapped onto the national format by the
layout step. Where a copy of the record written by ``gongkai render`` is
embedded in the file, the visible report is still what is read; the two are
compared and every disagreement is listed under ``x_embedded_diff``.
"""

from __future__ import annotations

import os
from typing import Any

from gongkai.document import Document
from gongkai.layout.assemble import build_report
from gongkai.readers import load_document
from gongkai.record import Report, flat_cells


def read_document(
    source: str | os.PathLike[str] | bytes, format: str | None = None, *, name: str | None = None
) -> Document:
    """The intermediate document of ``source`` (for ``--explain`` and debugging)."""
    return load_document(source, format, name)


def read(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    name: str | None = None,
) -> Report:
    """Read one report (a path, bytes, or its text) into a validated report record.

    Raises an :class:`~gongkai.errors.InputError` naming the file when it
    cannot be read as a report.
    """
    doc = load_document(source, format, name)
    label = str(
        doc.meta.get("source") or name or source
        if not isinstance(source, bytes)
        else name or "<bytes>"
    )
    report = build_report(doc, label)
    embedded = doc.meta.get("embedded")
    if isinstance(embedded, dict):
        diff = compare_embedded(report, embedded)
        extra = dict(report.model_extra or {})
        extra["x_embedded_diff"] = diff
        report = Report.model_validate({**report.to_dict(), **extra})
    return report


def compare_embedded(report: Report, embedded: dict[str, Any]) -> list[dict[str, Any]]:
    """Every public field where the visible report and the embedded copy differ."""
    visible = flat_cells(report.to_dict(private=False))
    other = flat_cells(
        {k: v for k, v in embedded.items() if not k.startswith("x_") and k != "notes"}
    )
    diff = []
    for key in sorted(set(visible) | set(other)):
        a, b = visible.get(key), other.get(key)
        if a != b:
            diff.append({"key": key, "visible": a, "embedded": b})
    return diff
