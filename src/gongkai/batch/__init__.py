"""Loading reports and running batches: the one way every command gets reports.

    >>> from gongkai.batch import load_report, check_files
    >>> report = load_report("2024.pdf")                       # doctest: +SKIP
    >>> for o in check_files(["2024/"], previous="2023/"):      # doctest: +SKIP
    ...     print(o.path, o.status, o.previous, o.result and len(o.result.findings))

:func:`load_report` reads any file a person may give (a published report, a
report record, the data staff fill in); :func:`check_files` and
:func:`read_files` take files and folders and yield one :class:`Outcome`
per file — read, skipped (with why) or failed (with the error) — in input
order, on ``jobs`` processes, with flat memory. The CLI, the web server and
the corpus call these.
"""

from __future__ import annotations

from gongkai.batch.files import Entry, discover
from gongkai.batch.load import DATA_EXTENSIONS, load_data, load_report, regular_file
from gongkai.batch.run import (
    CheckOptions,
    Outcome,
    Status,
    check_files,
    pair_reports,
    read_files,
)

__all__ = [
    "DATA_EXTENSIONS",
    "CheckOptions",
    "Entry",
    "Outcome",
    "Status",
    "check_files",
    "discover",
    "load_data",
    "load_report",
    "pair_reports",
    "read_files",
    "regular_file",
]
