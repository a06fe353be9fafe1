"""What every command shares: reading many files, one-line errors, JSON output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console

from gongkai.i18n import current_lang, pick, tr

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


def lang() -> str:
    return current_lang()


def err(message: str) -> None:
    click.echo(message, err=True)


def fail(message: str) -> None:
    """The one error printer: ``错误：…`` (``error: …``) on stderr."""
    click.echo(tr("error.prefix") + message, err=True)


def usage_error(message: str) -> None:
    """A usage error: ``用法错误：…`` (``usage error: …``) on stderr."""
    click.echo(tr("error.usage") + tr("error.colon") + message, err=True)


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


def console_for(stream: Any) -> Console:
    """A console for ``stream``; piped output is never cut at 80 columns."""
    tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(
        file=stream,
        highlight=False,
        soft_wrap=True,
        width=None if tty else 400,
    )


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback ``(phase, done, total)``, drawn on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield lambda phase, done, total: None
        return
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{label} {phase}", total=total)
            bar.update(tasks[phase], completed=done)

        yield update


@contextmanager
def files_bar(console: Console, label: str, total: int) -> Iterator[Callable[[], None]]:
    """``advance()``: one more of ``total`` files done, drawn as a bar on ``console``
    when it is a terminal and there is more than one file (else nothing is drawn)."""
    if not (console.is_terminal and total > 1):
        yield lambda: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


def limit_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--limit NAME=VALUE`` (repeatable): raise a reading limit for this run."""
    from gongkai.reading import limits

    def convert(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
        if not value:
            return None
        try:
            return limits.parse(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    names = ", ".join(limits.NAMES)
    return click.option(
        "--limit",
        "limits",
        multiple=True,
        metavar="NAME=VALUE",
        callback=convert,
        help=pick(
            (
                f"提高读取上限（{names}），例如 --limit chars=5000000 --limit size=200MB",
                f"raise a reading limit ({names}), e.g. --limit chars=5000000 --limit size=200MB",
            ),
            current_lang(),
        ),
    )
