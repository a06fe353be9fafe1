"""``gongkai rules``: the rule catalogue, from the same registry as the checker and docs."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gongkai.checks.registry import SCOPES, catalogue, rules_markdown, severity_name
from gongkai.i18n import current_lang, pick

_HELP = {
    "cmd": (
        "列出检查规则（id、严重程度、类别、说明）。",
        "List the check rules (id, severity, scope, what each finds).",
    ),
    "json": ("以 JSON 输出", "print the catalogue as JSON"),
    "markdown": (
        "以 Markdown 输出（即 docs/rules.md）",
        "print the catalogue as Markdown (docs/rules.md)",
    ),
}


def command() -> click.Command:
    lang = current_lang()

    @click.command(name="rules", help=pick(_HELP["cmd"], lang))
    @click.option("--json", "as_json", is_flag=True, help=pick(_HELP["json"], lang))
    @click.option("--markdown", is_flag=True, help=pick(_HELP["markdown"], lang))
    def cmd(as_json: bool, markdown: bool) -> None:
        rules = catalogue()
        if markdown:
            click.echo(rules_markdown(), nl=False)
            return
        if as_json:
            out = [
                {
                    "id": r.id,
                    "severity": r.severity,
                    "scope": r.scope,
                    "title": {"zh": r.title[0], "en": r.title[1]},
                    "doc": {"zh": r.doc[0], "en": r.doc[1]},
                    "catalogue": r.spec,
                }
                for r in rules
            ]
            click.echo(json.dumps(out, ensure_ascii=False, indent=1))
            return
        heads = pick(("规则|严重程度|类别|说明", "rule|severity|scope|what it finds"), lang).split(
            "|"
        )
        table = Table(
            title=pick(
                ("检查规则（✱ 为本项目新增）", "Check rules (✱ defined by this project)"), lang
            )
        )
        for h in heads:
            table.add_column(h)
        for r in rules:
            table.add_row(
                r.id + ("" if r.spec else " ✱"),
                severity_name(r.severity, lang),
                pick(SCOPES[r.scope], lang),
                escape(pick(r.title, lang)),
            )
        Console(soft_wrap=True, highlight=False, file=sys.stdout).print(table)

    return cmd
