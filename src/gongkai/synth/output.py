"""Writing a synthetic corpus to a directory, with its ground truth.

The directory holds ``<year>/<agency id>.<suffix>`` files, ``truth.jsonl``
(one line a file: the agency, the record printed, the slip and the findings
it must cause — see :meth:`~gongkai.synth.corpus.Entry.truth`),
``agencies.jsonl`` and ``corpus.json`` (the parameters). Files are written
whole or not at all (a temporary name, then renamed); ``truth.jsonl`` is
renamed into place last, so a directory with one is complete. An existing
corpus is never overwritten unless asked.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.errors import DataError
from gongkai.synth.corpus import Entry
from gongkai.write.data import ReportData

TRUTH = "truth.jsonl"
AGENCIES = "agencies.jsonl"
PARAMS = "corpus.json"
#: PDF documents converted in one LibreOffice run
PDF_BATCH = 100


@dataclass
class Written:
    """What :func:`write_corpus` wrote."""

    out: Path
    files: int = 0
    seconds: float = 0.0
    formats: Counter[str] = field(default_factory=Counter)
    slips: Counter[str] = field(default_factory=Counter)


def write_atomic(path: Path, payload: bytes) -> None:
    """``payload`` at ``path``, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(payload)
    os.replace(tmp, path)


def _flush_pdfs(out: Path, pending: list[tuple[Entry, ReportData]]) -> None:
    from gongkai.write.pdf import render_pdfs

    if not pending:
        return
    pdfs = render_pdfs([data for _, data in pending])
    for (entry, _), pdf in zip(pending, pdfs, strict=True):
        write_atomic(out / entry.name, pdf)
    pending.clear()


def write_corpus(
    out: str | Path,
    entries: Iterable[Entry],
    *,
    overwrite: bool = False,
    params: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Render every entry into ``out`` with its ground truth.

    Raises :class:`DataError` when ``out`` already holds a corpus (unless
    ``overwrite``) or is a file. ``progress`` is called with the number of
    files written after each one.
    """
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise DataError(f"{root}: is a file, not a directory")
    if (root / TRUTH).exists() and not overwrite:
        raise DataError(f"{root}: already holds a corpus ({TRUTH}); choose another directory")
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = Written(root)
    truth_tmp = root / f".{TRUTH}.tmp"
    agencies: dict[str, dict[str, Any]] = {}
    pending: list[tuple[Entry, ReportData]] = []
    from gongkai.write.render import render_bytes

    with truth_tmp.open("w", encoding="utf-8") as truth:
        for entry in entries:
            data, slip = entry.build()
            if entry.format == "pdf":
                pending.append((entry, data))
                if len(pending) >= PDF_BATCH:
                    _flush_pdfs(root, pending)
            else:
                payload = render_bytes(data, entry.format, layout=entry.layout or "cells")
                write_atomic(root / entry.name, payload)
            line = json.dumps(entry.truth((data, slip)), ensure_ascii=False)
            truth.write(line + "\n")
            agencies.setdefault(entry.agency.id, entry.agency.to_dict())
            result.files += 1
            result.formats[entry.format + (f"/{entry.layout}" if entry.layout else "")] += 1
            result.slips[slip.kind if slip is not None else "none"] += 1
            if progress is not None:
                progress(result.files)
        _flush_pdfs(root, pending)
    lines = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in agencies.values())
    write_atomic(root / AGENCIES, lines.encode("utf-8"))
    meta = {**(params or {}), "files": result.files}
    write_atomic(root / PARAMS, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    os.replace(truth_tmp, root / TRUTH)
    result.seconds = time.perf_counter() - started
    return result


def load_truth(root: str | Path) -> list[dict[str, Any]]:
    """The ground truth of a corpus written by :func:`write_corpus`."""
    path = Path(root) / TRUTH
    if not path.exists():
        raise DataError(f"{root}: no {TRUTH} (not a synthetic corpus, or not complete)")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
