"""The rules page: the catalogue, from the same registry as the checker and ``gongkai rules``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from gongkai.checks.registry import SCOPES, catalogue, severity_name
from gongkai.i18n import pick
from gongkai.web.pages import Ctx, context, twin

router = APIRouter()


class RuleView(BaseModel):
    id: str
    severity: str
    severity_name: str
    scope: str
    title: str
    doc: str
    #: in the catalogue of interchange.md §3 (False: defined by this project)
    catalogue: bool
    #: reports of the corpus where the rule found something (links), when there is a corpus
    examples: list[dict[str, str]] = []


class ScopeView(BaseModel):
    scope: str
    name: str
    rules: list[RuleView]


class RulesPage(BaseModel):
    scopes: list[ScopeView]
    total: int


def rule_examples(ctx: Ctx) -> dict[str, list[dict[str, str]]]:
    """Examples of each rule from the corpus (none without a corpus)."""
    hook = getattr(ctx.request.app.state, "rule_examples", None)
    return hook(ctx) if hook is not None else {}


@twin(router, "/rules", "rules.html", model=RulesPage, summary="the rule catalogue")
def rules_page(ctx: Ctx = Depends(context)) -> RulesPage:
    examples = rule_examples(ctx)
    rules = [
        RuleView(
            id=r.id,
            severity=r.severity,
            severity_name=severity_name(r.severity, ctx.lang),
            scope=r.scope,
            title=pick(r.title, ctx.lang),
            doc=pick(r.doc, ctx.lang),
            catalogue=r.spec,
            examples=examples.get(r.id, []),
        )
        for r in catalogue()
    ]
    scopes = [
        ScopeView(scope=s, name=pick(names, ctx.lang), rules=[r for r in rules if r.scope == s])
        for s, names in SCOPES.items()
    ]
    return RulesPage(scopes=[s for s in scopes if s.rules], total=len(rules))
