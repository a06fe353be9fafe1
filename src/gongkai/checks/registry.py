"""The rule registry: one small function per rule id, and the catalogue.

A rule is a function ``(Context) -> Iterable[Hit]`` registered with
:func:`rule`, which gives it its stable kebab-case id, its severity, its
scope (the group it belongs to), a title and a short doc in Chinese and
English. :func:`run` turns the hits of every selected rule into
:class:`~gongkai.record.Finding` records; :func:`catalogue` lists the rules
(``gongkai rules``) and :func:`rules_markdown` writes ``docs/rules.md`` from
the same data.

A rule never raises on a record it is given: it stays silent when what it
needs is absent (a parser's ``x_`` key, last year's report). As a last guard
:func:`run` turns an unexpected exception into an ``internal-error`` finding of
severity error (the report was not wholly checked, so it does not pass) unless
``strict`` is set (tests set it).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from gongkai.i18n import Lang, pick
from gongkai.national.names import edition_name
from gongkai.record import Finding, Report, Severity, Where

Scope = Literal[
    "structure",
    "arithmetic",
    "across-years",
    "prose",
    "timeliness",
    "tampering",
    "agency",
    "plausibility",
]

#: Scopes in the order the catalogue lists them, with their names.
SCOPES: dict[str, tuple[str, str]] = {
    "structure": ("结构与格式", "Structure and format"),
    "arithmetic": ("表内算术", "Arithmetic of the tables"),
    "across-years": ("跨年度", "Across years"),
    "prose": ("正文与表格", "Prose against the tables"),
    "timeliness": ("发布时限", "Timeliness"),
    "tampering": ("页面篡改", "Tampering"),
    "agency": ("发布机关", "Agency"),
    "plausibility": ("数值可信度", "Plausibility"),
}

#: Modules that register rules, imported on first use of the catalogue.
RULE_MODULES: tuple[str, ...] = (
    "gongkai.checks.structure",
    "gongkai.checks.arithmetic",
    "gongkai.checks.across_years",
    "gongkai.checks.prose",
    "gongkai.checks.tamper",
    "gongkai.checks.agency",
    "gongkai.checks.integrity",
)

Level = Literal["government", "department"]


@dataclass(frozen=True)
class Options:
    """How to check: language of messages, overrides of what the name implies."""

    lang: Lang | None = None
    #: the kind of issuing body: a government's own (本级) report or a department's
    level: Level | None = None
    #: a publication deadline that overrides the one the law gives
    deadline: dt.date | None = None
    #: share of last year's prose above which text-reuse warns
    reuse_threshold: float = 0.6


@dataclass
class Context:
    """What a rule sees: the report, last year's report if given, the options."""

    report: Report
    previous: Report | None = None
    options: Options = field(default_factory=Options)


@dataclass
class Hit:
    """What a rule found, before it becomes a finding in one language."""

    message: tuple[str, str]
    where: Where = field(default_factory=Where)
    expected: int | float | str | None = None
    actual: int | float | str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def hit(
    message: tuple[str, str],
    *,
    where: dict[str, Any] | None = None,
    expected: int | float | str | None = None,
    actual: int | float | str | None = None,
    extra: dict[str, Any] | None = None,
    **params: Any,
) -> Hit:
    """A :class:`Hit`; ``params`` fill the ``{}`` fields of both messages."""
    w = Where(**{k: v for k, v in (where or {}).items() if v is not None})
    return Hit(message, w, expected, actual, params, extra or {})


RuleFunc = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: stable id, severity, scope, title and doc, function."""

    id: str
    severity: Severity
    scope: Scope
    title: tuple[str, str]
    doc: tuple[str, str]
    func: RuleFunc
    #: in the catalogue of interchange.md §3 (False: defined by this project)
    spec: bool = True
    #: what ``expected`` and ``actual`` hold: numbers and cell values, or edition ids
    compares: Literal["values", "editions"] = "values"

    def findings(self, ctx: Context) -> list[Finding]:
        lang = ctx.options.lang
        out: list[Finding] = []
        for h in self.func(ctx):
            out.append(
                Finding(
                    rule=self.id,
                    severity=self.severity,
                    message=pick(h.message, lang, **h.params),
                    where=h.where,
                    expected=h.expected,
                    actual=h.actual,
                    **h.extra,
                )
            )
        return out


_RULES: dict[str, Rule] = {}


def rule(
    id: str,
    severity: Severity,
    scope: Scope,
    *,
    title: tuple[str, str],
    doc: tuple[str, str],
    spec: bool = True,
    compares: Literal["values", "editions"] = "values",
) -> Callable[[RuleFunc], RuleFunc]:
    """Register the decorated function as rule ``id``."""

    def deco(func: RuleFunc) -> RuleFunc:
        if id in _RULES and _RULES[id].func is not func:
            raise ValueError(f"rule {id!r} registered twice")
        _RULES[id] = Rule(id, severity, scope, title, doc, func, spec, compares)
        return func

    return deco


def _load() -> None:
    for name in RULE_MODULES:
        importlib.import_module(name)


def catalogue() -> list[Rule]:
    """Every rule, grouped by scope in the order of :data:`SCOPES`."""
    _load()
    order = list(SCOPES)
    rules = list(_RULES.values())
    return sorted(rules, key=lambda r: order.index(r.scope))


def get(rule_id: str) -> Rule:
    _load()
    return _RULES[rule_id]


def shown_value(rule_id: str, value: int | float | str | None, lang: Lang | None = None) -> str:
    """A finding's ``expected`` or ``actual`` as a person reads it: a blank for None, an
    edition by its name where the rule compares editions (``legacy`` is no word of a
    Chinese sentence), else the value as it is."""
    if value is None:
        return pick(("空白", "blank"), lang)
    _load()
    rule = _RULES.get(rule_id)
    if rule is not None and rule.compares == "editions":
        return edition_name(str(value), lang)
    return str(value)


def select(picked: Iterable[str] | None = None, skipped: Iterable[str] | None = None) -> list[Rule]:
    """Rules chosen by id or scope name; raises ValueError naming an unknown one."""
    rules = catalogue()
    known = {r.id for r in rules} | set(SCOPES)

    def names(values: Iterable[str] | None) -> set[str] | None:
        if values is None:
            return None
        out = {v.strip() for item in values for v in item.split(",") if v.strip()}
        unknown = sorted(out - known)
        if unknown:
            raise ValueError(", ".join(unknown))
        return out

    want, drop = names(picked), names(skipped) or set()
    return [
        r
        for r in rules
        if (want is None or r.id in want or r.scope in want)
        and r.id not in drop
        and r.scope not in drop
    ]


_RANK = {"error": 0, "warning": 1, "info": 2}

#: The finding of a rule that crashed: an error, since the report was not wholly checked.
INTERNAL_ERROR = "internal-error"


def run(ctx: Context, rules: Iterable[Rule], *, strict: bool = False) -> list[Finding]:
    """Findings of ``rules`` on ``ctx``, errors first, each group in catalogue order."""
    found: list[Finding] = []
    for r in rules:
        try:
            found.extend(r.findings(ctx))
        except Exception as exc:  # a rule must not stop the check of the others
            if strict:
                raise
            found.append(
                Finding(
                    rule=INTERNAL_ERROR,
                    severity="error",
                    message=pick(
                        (
                            "规则 {rule} 未能完成（{kind}），请报告此问题",
                            "rule {rule} could not finish ({kind}); please report it",
                        ),
                        ctx.options.lang,
                        rule=r.id,
                        kind=type(exc).__name__,
                    ),
                )
            )
    return sorted(found, key=lambda f: _RANK[f.severity])


_SEVERITY_NAMES = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
}


def severity_name(severity: str, lang: Lang | None = None) -> str:
    return pick(_SEVERITY_NAMES.get(severity, (severity, severity)), lang)


def rules_markdown() -> str:
    """``docs/rules.md``: the catalogue, in both languages, from the registry."""
    lines = [
        "# 检查规则 / Check rules",
        "",
        "Generated from the rule registry (`gongkai.checks.registry.rules_markdown()`);",
        "do not edit by hand. `gongkai rules` prints the same catalogue.",
        "Rules marked ✱ are defined by this project; the others are the catalogue of",
        "`interchange.md` §3. `--pick` and `--skip` take rule ids or scope names.",
        "A rule that fails on an unexpected record is reported as `internal-error` (an error:",
        "`check` exits 1 and `render` refuses, since the report was not wholly checked), and",
        "the other rules still run.",
        "",
        "| id | severity | scope | 规则 | rule |",
        "|---|---|---|---|---|",
    ]
    rules = catalogue()
    for r in rules:
        mark = "" if r.spec else " ✱"
        lines.append(f"| `{r.id}`{mark} | {r.severity} | {r.scope} | {r.title[0]} | {r.title[1]} |")
    for scope, (zh, en) in SCOPES.items():
        members = [r for r in rules if r.scope == scope]
        if not members:
            continue
        lines += ["", f"## {zh} / {en} (`{scope}`)"]
        for r in members:
            mark = " ✱" if not r.spec else ""
            lines += [
                "",
                f"### `{r.id}`{mark} — {r.severity}",
                "",
                f"{r.title[0]}。{r.doc[0]}",
                "",
                f"{r.title[1][:1].upper()}{r.title[1][1:]}. {r.doc[1]}",
            ]
    return "\n".join(lines) + "\n"
