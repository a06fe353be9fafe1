"""Shared fixtures: the reference corpus in ../shared/corpus (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pg import db_url, postgres_cluster, postgres_url, sqlite_url  # noqa: F401  (fixtures)

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


def reference_diff(
    got: dict[str, Any], path: Path, *, skip: tuple[str, ...] = (), agency_by_key: bool = False
) -> dict[str, Any]:
    """Every field where ``got`` differs from the reference record of ``path``, as
    {key: (got, expected)}; keys starting with ``skip`` are left out. With
    ``agency_by_key`` agencies compare by agency key (a reference may name the
    agency without its parent city)."""
    from gongkai.agencies import agency_key
    from gongkai.record import flat_cells

    expected = reference(path)
    expected.pop("notes", None)
    a, b = flat_cells(got), flat_cells(expected)
    out = {
        k: (a.get(k), b.get(k))
        for k in sorted(set(a) | set(b))
        if a.get(k) != b.get(k) and not k.startswith(skip)
    }
    agency = out.get("agency")
    if (
        agency_by_key
        and agency
        and agency[0]
        and agency[1]
        and agency_key(agency[0]) == agency_key(agency[1])
    ):
        del out["agency"]
    return out


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
