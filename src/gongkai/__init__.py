"""gongkai: read, check, write and analyse 政府信息公开工作年度报告.

The public API::

    read(source, format=None) -> Report        any published report -> record
    check(report, previous=None) -> CheckResult the format's rules and the law
    Report, Finding, CheckResult               the interchange records
    report_schema()                            JSON Schema of the record

Errors are drawn in :mod:`gongkai.errors`.
"""

from __future__ import annotations

from typing import Any

from gongkai.errors import GongkaiError, InputError
from gongkai.reading import read
from gongkai.record import CheckResult, Finding, Report, report_schema

__version__ = "0.1.0"


def check(report: Report, previous: Report | None = None, **options: Any) -> CheckResult:
    """Check ``report`` (and, given last year's ``previous``, across years).

    Options (``lang``, ``pick``, ``skip``, ``level``, ``deadline``): see
    :func:`gongkai.checks.check`.
    """
    from gongkai.checks import check as _check

    return _check(report, previous, **options)


__all__ = [
    "CheckResult",
    "Finding",
    "GongkaiError",
    "InputError",
    "Report",
    "__version__",
    "check",
    "read",
    "report_schema",
]
