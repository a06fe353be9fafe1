"""The checker: ``check(report, previous=None) -> CheckResult``.

Every rule of the catalogue (``interchange.md`` §3, plus a few defined by
this project) is a small registered function in one of the modules of this
package, grouped by scope:

========================  ==============================================
``structure``             parts, tables, cells, edition, year
``arithmetic``            A1–A5 of ``template.md``
``across_years``/``reuse``  carry-over, stock-flow, text reuse; pairing
``prose``                 figures in the prose against the tables
``timeliness``            publication deadline
``tamper``                injected spam, foreign e-mails, scripts
``agency``                another agency named as author
========================  ==============================================

:func:`check` never raises on a record it is given (a :class:`Report`
validates on construction); a rule lacking what it needs stays silent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gongkai.checks.registry import (
    Context,
    Level,
    Options,
    Rule,
    catalogue,
    rules_markdown,
    run,
    select,
)
from gongkai.i18n import Lang
from gongkai.record import CheckResult, Report


def check(
    report: Report,
    previous: Report | None = None,
    *,
    lang: Lang | None = None,
    pick: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    level: Level | None = None,
    deadline: dt.date | None = None,
    strict: bool = False,
) -> CheckResult:
    """Check ``report`` (and, given last year's ``previous`` of the same agency, across years).

    ``pick``/``skip`` choose rules by id or scope name (ValueError names an
    unknown one); ``level`` says whether the agency is a government
    (本级 report) or a department, overriding what its name implies;
    ``deadline`` overrides the publication deadline; ``lang`` the language of
    the messages (default: ``GONGKAI_LANG``, else Chinese). ``strict`` lets a
    failing rule raise instead of reporting ``internal-error`` (for tests).
    """
    options = Options(lang=lang, level=level, deadline=deadline)
    ctx = Context(report=report, previous=previous, options=options)
    findings = run(ctx, select(pick, skip), strict=strict)
    return CheckResult(report=report, findings=findings)


__all__ = ["Options", "Rule", "catalogue", "check", "rules_markdown", "select"]
