"""The one loader of reports, for every command and the library.

:func:`load_report` turns a file into a :class:`~gongkai.record.Report`,
whatever it holds: a published report (HTML, text, DOCX, PDF…, through
:func:`gongkai.read`), a report record as JSON (from ``parse --json``, or a
check result holding one), or the data staff fill in for ``render`` (YAML,
JSON or a workbook from ``template``). :func:`load_data` gives the same as
writer data (with the narrative: signature, contact), for ``template --from``
and ``render --previous``. Both refuse anything but a regular local file
with an :class:`~gongkai.errors.InputError` naming it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from gongkai.errors import DataError, RecordError, RemoteInput
from gongkai.reading.limits import Limits, applied, check
from gongkai.record import Report

if TYPE_CHECKING:
    from gongkai.reading.document import Document
    from gongkai.write.data import ReportData

#: Files of data staff fill in (``gongkai template`` / ``render``); also report records.
DATA_EXTENSIONS: frozenset[str] = frozenset({".json", ".yaml", ".yml", ".xlsx", ".xlsm"})

_URL_SCHEMES = ("http://", "https://", "ftp://", "file://", "www.")


def report_extensions() -> frozenset[str]:
    """File endings of published reports (the readers' one list)."""
    from gongkai.reading.formats import REPORT_EXTENSIONS

    return REPORT_EXTENSIONS


def regular_file(path: str | os.PathLike[str]) -> Path:
    """``path`` as a :class:`Path` if it is a regular local file, else an InputError.

    Nothing is opened: a FIFO or a device would block or never end, so they
    are named and refused from their ``stat``.
    """
    name = os.fspath(path)
    if name.lower().startswith(_URL_SCHEMES):
        raise RemoteInput(name)
    from gongkai.reading.formats import regular_file as regular

    return regular(name, name)


def _bad(path: str, detail: str, zh_detail: str | None = None) -> RecordError:
    return RecordError(path, detail, zh_detail if zh_detail is not None else detail)


def _from_data_error(path: str, exc: DataError) -> RecordError:
    """The writer's message in both languages, without the file name it starts with."""
    return _bad(
        path,
        exc.en.removeprefix(f"{path}: "),
        exc.zh.removeprefix(f"{path}：").removeprefix(f"{path}: "),
    )


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in first.get("loc", ()))
    return f"{loc}: {first.get('msg', '')}".strip(": ")


def _json(p: Path) -> Any:
    from gongkai.write.data import load_structured

    try:
        return load_structured(p)  # bounded: depth, digits, size
    except DataError as exc:
        raise _from_data_error(str(p), exc) from None


def _record(raw: Any, source: str) -> Report:
    """A report record (or a check result holding one) as it was written."""
    if isinstance(raw, dict) and isinstance(raw.get("report"), dict):
        raw = raw["report"]
    if not isinstance(raw, dict):
        raise _bad(source, f"expected a JSON object, got {type(raw).__name__}")
    if "template" not in raw:
        return _data(raw, source).report
    try:
        return Report.model_validate(raw)
    except ValidationError as exc:
        first = _first_error(exc)
    try:  # data written by hand (money as numbers, rows left out)
        return _data(raw, source).report
    except RecordError:
        raise _bad(source, first) from None


def _data(raw: Any, source: str) -> ReportData:
    from gongkai.write.data import from_dict

    try:
        return from_dict(raw, source)
    except DataError as exc:
        raise _from_data_error(source, exc) from None


def load_report(
    path: str | os.PathLike[str], format: str | None = None, *, limits: Limits | None = None
) -> Report:
    """The report record of the file ``path``, whatever kind of file it is.

    Raises an :class:`~gongkai.errors.InputError` naming the file when it
    cannot be read as a report.
    """
    return load_with_document(path, format, limits=limits)[0]


def load_with_document(
    path: str | os.PathLike[str], format: str | None = None, *, limits: Limits | None = None
) -> tuple[Report, Document | None]:
    """:func:`load_report`, and the document a published report was read from."""
    p = regular_file(path)
    suffix = p.suffix.lower()
    if format is None and suffix in DATA_EXTENSIONS:
        with applied(limits, os.fspath(path)):
            check("size", os.fspath(path), p.stat().st_size)
    if format is None and suffix == ".json":
        return _record(_json(p), str(path)), None
    if format is None and suffix in DATA_EXTENSIONS:
        return load_data(p).report, None
    from gongkai.reading import read_with_document

    return read_with_document(p, format, name=os.fspath(path), limits=limits)


def load_data(path: str | os.PathLike[str]) -> ReportData:
    """Writer data of ``path``: a workbook, YAML/JSON data or record, or any report.

    A published report gives data without a narrative (the tables and the
    names as read).
    """
    from gongkai.write.data import ReportData
    from gongkai.write.data import load_data as load_writer_data

    p = regular_file(path)
    suffix = p.suffix.lower()
    if suffix == ".json":
        raw = _json(p)
        if isinstance(raw, dict) and isinstance(raw.get("report"), dict):
            raw = raw["report"]
        if isinstance(raw, dict) and isinstance(raw.get("x_narrative"), dict):
            return _data(raw, str(path))
        return ReportData(report=_record(raw, str(path)))
    if suffix in DATA_EXTENSIONS:
        try:
            return load_writer_data(p)
        except DataError as exc:
            raise _from_data_error(str(p), exc) from None
    return ReportData(report=load_report(p))


__all__ = ["DATA_EXTENSIONS", "load_data", "load_report", "regular_file", "report_extensions"]
