"""Reading: any published report → a report record (``gongkai.read``).

    >>> import gongkai
    >>> report = gongkai.read("report.pdf")          # doctest: +SKIP
    >>> report.template, report.table3.new           # doctest: +SKIP

One package, in the order the bytes travel:

- :mod:`gongkai.reading.formats` — detect the format; one reader a format turns
  bytes into a :class:`~gongkai.reading.document.Document` (paragraphs and
  tables, with where each came from);
- :mod:`gongkai.reading.interpret` — the one step every format shares: title,
  agency, year and date, the six parts, rows and cells placed on the national
  format;
- :mod:`gongkai.reading.explain` — which text became which cell.

Where a copy of the record written by ``gongkai render`` is embedded in the
file, the visible report is still what is read; the two are compared and
every disagreement is listed under ``x_embedded_diff``.
"""

from __future__ import annotations

import os
from typing import Any

from gongkai.evidence import ParseWarning
from gongkai.reading.document import Document
from gongkai.reading.formats import load_document
from gongkai.reading.interpret.assemble import build_report
from gongkai.reading.limits import Limits, applied, check_time
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
    limits: Limits | None = None,
) -> Report:
    """Read one report (a path, bytes, or its text) into a validated report record.

    Raises an :class:`~gongkai.errors.InputError` naming the file when it
    cannot be read as a report (:class:`~gongkai.errors.OverLimit` past one
    of ``limits``: :mod:`gongkai.reading.limits`).
    """
    return read_with_document(source, format, name=name, limits=limits)[0]


def read_with_document(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    name: str | None = None,
    limits: Limits | None = None,
) -> tuple[Report, Document]:
    """The report record and the document it was read from (``--explain``), in one reading."""
    given = name or (
        "<bytes>"
        if isinstance(source, bytes)
        else "<text>"
        if isinstance(source, str) and "\n" in source
        else os.fspath(source)
    )
    with applied(limits, given):
        return _read(source, format, name)


def _read(
    source: str | os.PathLike[str] | bytes, format: str | None, name: str | None
) -> tuple[Report, Document]:
    doc = load_document(source, format, name)
    label = str(
        doc.meta.get("source") or name or source
        if not isinstance(source, bytes)
        else name or "<bytes>"
    )
    report = build_report(doc, label)
    check_time(label)
    ocr_cells = doc.meta.get("ocr_cells")
    if ocr_cells:
        from gongkai.reading.ocr.verify import settle

        report = settle(report, ocr_cells, doc.meta.get("ocr"))
    embedded = doc.meta.get("embedded")
    if isinstance(embedded, dict):
        diff = compare_embedded(report, embedded)
        extra = dict(report.model_extra or {})
        extra["x_embedded_diff"] = diff
        forced = embedded.get("x_forced")
        if isinstance(forced, dict) and forced.get("forced"):
            # written by gongkai render --force past error findings: say so
            extra["x_forced"] = forced
            rules = "、".join(str(r) for r in forced.get("errors") or [])
            extra["x_warnings"] = [
                *(extra.get("x_warnings") or []),
                ParseWarning.make(
                    "forced-output",
                    (
                        f"本报告由 gongkai 强制生成，数据未通过检查：{rules}",
                        f"gongkai wrote this report by force past errors: {rules}",
                    ),
                ).to_json(),
            ]
        # only x_ keys change: a copy, not a second serialisation and validation
        report = report.model_copy(update=extra)
    return report, doc


#: the public fields of a record compared with an embedded copy
_COMPARED = frozenset(
    {"agency", "year", "template", "published", "table2", "table3", "table4", "legacy"}
)


def compare_embedded(report: Report, embedded: dict[str, Any]) -> list[dict[str, Any]]:
    """Every public field where the visible report and the embedded copy differ."""
    visible = report.to_dict(private=False)
    keys: set[str] = set()
    flat_visible: dict[str, Any] = {}
    flat_other: dict[str, Any] = {}
    for top in _COMPARED:
        a, b = visible.get(top), embedded.get(top)
        if a == b:  # the common case: a whole table alike, nothing to flatten
            continue
        va = flat_cells({top: a}) if top in visible else {}
        vb = flat_cells({top: b}) if top in embedded else {}
        flat_visible.update(va)
        flat_other.update(vb)
        keys.update(va, vb)
    diff = []
    for key in sorted(keys):
        a, b = flat_visible.get(key), flat_other.get(key)
        if a != b:
            diff.append({"key": key, "visible": a, "embedded": b})
    return diff
