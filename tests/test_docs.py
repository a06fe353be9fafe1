"""The docs that describe the code are rendered from it, and kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.checks import catalogue
from gongkai.docs import GENERATED, main
from gongkai.evidence import WARNINGS

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_docs_are_current(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == GENERATED[name](), "run: make docs"


def test_every_rule_is_documented() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    missing = [r.id for r in catalogue() if f"### `{r.id}`" not in text]
    assert not missing, f"rules missing from docs/rules.md: {missing} (run: make docs)"


def test_every_warning_code_is_documented() -> None:
    text = (DOCS / "record-extras.md").read_text(encoding="utf-8")
    missing = [code for code in WARNINGS if f"### `{code}`" not in text]
    assert not missing, f"warnings missing from docs/record-extras.md: {missing} (run: make docs)"


def test_make_docs_writes_every_file(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(GENERATED)
