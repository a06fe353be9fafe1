"""What every command shares: reading many files, one-line errors, JSON output."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from gongkai.errors import GongkaiError, InputError
from gongkai.i18n import current_lang, tr

T = TypeVar("T")

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


def lang() -> str:
    return current_lang()


def err(message: str) -> None:
    click.echo(message, err=True)


def dump_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


@dataclass
class Failure:
    path: str
    message: str


def expand(paths: tuple[str, ...], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Paths with every directory replaced by the report files in it (recursively,
    by extension: .txt .md .html .docx .pdf …, plus ``extra``; not README files,
    hidden files or reference records), in name order."""
    from gongkai.reading.formats import REPORT_EXTENSIONS

    exts = {*REPORT_EXTENSIONS, *extra}
    out: list[str] = []
    for path in paths:
        p = Path(path)
        if p.is_dir():
            out.extend(
                str(f)
                for f in sorted(p.rglob("*"))
                if f.is_file()
                and f.suffix.lower() in exts
                and not f.name.endswith(".gt.json")
                and not f.name.upper().startswith("README")
                and not f.name.startswith(".")
            )
        else:
            out.append(path)
    return tuple(out)


def each_file(paths: tuple[str, ...], fn: Callable[[str], T]) -> Iterator[tuple[str, T | Failure]]:
    """Apply ``fn`` to every path; a bad file becomes a :class:`Failure` (one line
    naming the file and the problem), and the batch goes on."""
    for path in paths:
        p = Path(path)
        if not p.exists():
            yield path, Failure(path, tr("error.not_found", path=path))
            continue
        if p.is_dir():
            yield path, Failure(path, tr("error.is_dir", path=path))
            continue
        result: T | Failure
        try:
            result = fn(path)
        except InputError as e:
            result = Failure(path, e.message(lang()))
        except GongkaiError as e:
            result = Failure(path, f"{path}: {e}")
        except OSError as e:
            result = Failure(path, f"{path}: {e.strerror or e}")
        except Exception as e:  # a bug must not end a batch: name the file and go on
            if os.environ.get("GONGKAI_DEBUG"):
                traceback.print_exc()
            result = Failure(path, tr("error.unexpected", path=path, kind=type(e).__name__))
        yield path, result


def write_out(outdir: str, source: str, payload: Any, suffix: str = ".json") -> Path:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / (Path(source).name + suffix)
    target.write_text(dump_json(payload) + "\n", encoding="utf-8")
    return target


def exit_with(code: int) -> None:
    sys.exit(code)
