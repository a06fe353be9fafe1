"""The docs rendered from the code: ``python -m gongkai.docs [DIR]`` (``make docs``) writes them.

Each file of :data:`GENERATED` is rendered from a registry or a model, and a
test keeps the committed file equal to what the code renders, so the docs
cannot drift from the code they describe.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from gongkai.checks.registry import rules_markdown
from gongkai.evidence import extras_markdown

#: File name under ``docs/`` → the function that renders it.
GENERATED: dict[str, Callable[[], str]] = {
    "rules.md": rules_markdown,
    "record-extras.md": extras_markdown,
}


def write(folder: Path) -> list[Path]:
    """Render every generated doc into ``folder``; returns the files written."""
    out = []
    for name, render in GENERATED.items():
        path = folder / name
        path.write_text(render(), encoding="utf-8")
        out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in write(Path(args[0] if args else "docs")):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
