"""The work a sandboxed worker does for the server (see :mod:`gongkai.web.sandbox`).

:func:`check_file` is what ``gongkai check --json FILE`` does for one file —
the same batch API (:func:`gongkai.batch.check_files`, the one loader and
the checker) — with the upload's own name in place of the temporary path,
so the answer is the JSON the CLI prints for that file. Errors come back
as data (code and message in the CLI's words), never as exceptions across
the process boundary.
"""

from __future__ import annotations

import os
from typing import Any

from gongkai.i18n import Lang, tr


def _renamed(result: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    """``result`` with the temporary ``path`` replaced by the upload's ``name``."""
    report = result.get("report")
    if isinstance(report, dict):
        source = report.get("x_source")
        if isinstance(source, dict) and source.get("path") == path:
            report["x_source"] = {**source, "path": name}
    return result


def check_file(path: str, name: str, lang: Lang) -> dict[str, Any]:
    """``{"ok": True, "result": <check result>}`` or ``{"ok": False, "code", "message"}``."""
    os.environ["GONGKAI_LANG"] = lang
    from gongkai.batch import CheckOptions, check_files

    try:
        outcomes = list(check_files([path], None, CheckOptions(lang=lang)))
    except MemoryError:
        raise
    except Exception as exc:  # a bug: named like the CLI names it
        message = tr("error.unexpected", lang, path=name, kind=type(exc).__name__)
        return {"ok": False, "code": "unexpected", "message": message}
    outcome = outcomes[0]
    if outcome.result is not None:
        return {"ok": True, "result": _renamed(outcome.result.to_dict(), path, name)}
    error = outcome.error
    if error is None:  # pragma: no cover - an outcome is a result or an error
        return {"ok": False, "code": "unexpected", "message": name}
    error.source = name
    message = error.message(lang).replace(path, name)
    return {"ok": False, "code": error.code, "message": message}


def ingest_file(path: str, name: str, lang: Lang) -> Any:
    """What ``gongkai corpus add`` does to one file before storing it (read and
    check, :func:`gongkai.corpus.ingest.process`); the server stores the result."""
    os.environ["GONGKAI_LANG"] = lang
    from pathlib import Path

    from gongkai.corpus.ingest import process

    return process(Path(path), name=name, lang=lang)
