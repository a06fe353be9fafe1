"""Shared fixtures: the reference corpus in ../shared/corpus (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
EXAMPLES = ROOT / "examples"


def corpus_files() -> list[Path]:
    """Every report of the reference corpus that has a reference record."""
    if not CORPUS.is_dir():
        return []
    out = []
    for p in sorted(CORPUS.glob("*/*")):
        if p.name.endswith(".gt.json") or p.name == "README.md":
            continue
        if (p.parent / (p.name.rsplit(".", 1)[0] + ".gt.json")).exists():
            out.append(p)
    return out


def reference(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (path.parent / (path.name.rsplit(".", 1)[0] + ".gt.json")).read_text("utf-8")
    )
    return data


def corpus_params() -> list[Any]:
    files = corpus_files()
    if not files:
        return [
            pytest.param(
                None,
                marks=pytest.mark.skip(
                    reason="../shared/corpus is absent: no reference corpus beside the repository"
                ),
            )
        ]
    return [pytest.param(p, id=p.name) for p in files]


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent: no reference corpus beside the repository")
    return CORPUS


@pytest.fixture(autouse=True)
def chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts in the default language (the CLI sets GONGKAI_LANG)."""
    monkeypatch.setenv("GONGKAI_LANG", "zh")
