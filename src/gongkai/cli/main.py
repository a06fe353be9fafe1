"""The ``gongkai`` command: a thin layer over the library.

Each sub-command lives in a module of this package that defines
``command() -> click.Command``; the command is built when the CLI starts, in
the language the user asked for (``--lang en`` anywhere on the line, or
``GONGKAI_LANG=en``), so ``--help`` is Chinese by default and English on
request. Every command: parse arguments → call the library → turn library
errors into one line naming the file, and an exit code (0 ok, 1 findings of
error severity, 2 unreadable input or usage error).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

import click

from gongkai.cli import clickzh
from gongkai.i18n import current_lang, tr

#: Sub-command modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = (
    "parse",
    "check",
    "rules",
    "template",
    "render",
    "schema",
    "corpus",
    "serve",
    "synth",
    "ledger",
)


def _lang_from_argv(argv: Sequence[str]) -> str | None:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return None


def build(lang: str | None = None) -> click.Group:
    """Build the command group with help texts in ``lang``."""
    if lang:
        os.environ["GONGKAI_LANG"] = "en" if lang.lower().startswith("en") else "zh"
    clickzh.install(current_lang() == "zh")

    @click.group(help=tr("help.root"), context_settings={"help_option_names": ["-h", "--help"]})
    @click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help=tr("help.lang"))
    @click.version_option(package_name="gongkai", help=tr("help.version"))
    def cli(lang: str | None) -> None:
        if lang:
            os.environ["GONGKAI_LANG"] = lang

    for name in COMMANDS:
        try:
            module = importlib.import_module(f"gongkai.cli.{name}")
        except ModuleNotFoundError as e:  # a command whose optional part is absent
            if e.name != f"gongkai.cli.{name}":
                raise
            continue
        cli.add_command(module.command(), name=name)
    for cmd in (cli, *cli.commands.values()):
        _localise_help_option(cmd)
    return cli


def _localise_help_option(cmd: click.Command) -> None:
    """``-h/--help`` explained in the user's language (click's text is English)."""
    original = cmd.get_help_option

    def get_help_option(ctx: click.Context) -> click.Option | None:
        opt = original(ctx)
        if opt is not None:
            opt.help = tr("help.help")
        return opt

    cmd.get_help_option = get_help_option  # type: ignore[method-assign]


def _terminated(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C: every ``with`` and ``finally`` runs, so temporary
    # directories (LibreOffice profiles, conversions) and half-written files are removed
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(args)
    # --lang is accepted anywhere on the line; click wants it before the sub-command.
    cleaned: list[str] = []
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a == "--lang" and i + 1 < len(args):
            skip = True
            continue
        if a.startswith("--lang="):
            continue
        cleaned.append(a)
    if lang:
        cleaned = ["--lang", lang, *cleaned]
    build(lang).main(args=cleaned, prog_name="gongkai")


if __name__ == "__main__":  # pragma: no cover
    main()
