"""``gongkai schema [report|check]``: the JSON Schema of the records."""

from __future__ import annotations

import click

from gongkai.cli.common import dump_json
from gongkai.i18n import tr


def command() -> click.Command:
    @click.command(help=tr("help.schema"))
    @click.argument("kind", type=click.Choice(["report", "check"]), default="report")
    def schema(kind: str) -> None:
        from gongkai.record import check_schema, report_schema

        click.echo(dump_json(report_schema() if kind == "report" else check_schema()))

    return schema
