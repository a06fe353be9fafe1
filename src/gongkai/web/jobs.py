"""The work a sandboxed worker does for the server (see :mod:`gongkai.web.sandbox`).

:func:`check_file` is what ``gongkai check --json FILE`` does for one file —
the same loader (:func:`gongkai.cli.check.load`) and the same checker
(:func:`gongkai.checks.check`) — with the upload's own name in place of the
temporary path, so the answer is the JSON the CLI prints for that file.
Errors come back as data (code and message in the CLI's words), never as
exceptions across the process boundary.
"""

from __future__ import annotations

import os
from typing import Any

from gongkai.errors import GongkaiError, InputError
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
    try:
        from gongkai.checks import check
        from gongkai.cli.check import load

        report = load(path)
        result = check(report, None, lang=lang, pick=None, skip=(), level=None, deadline=None)
        return {"ok": True, "result": _renamed(result.to_dict(), path, name)}
    except InputError as exc:
        exc.source = name
        return {"ok": False, "code": exc.code, "message": exc.message(lang)}
    except GongkaiError as exc:
        return {"ok": False, "code": "error", "message": f"{name}: {exc}".replace(path, name)}
    except OSError as exc:
        return {"ok": False, "code": "os-error", "message": f"{name}: {exc.strerror or exc}"}
    except MemoryError:
        raise
    except Exception as exc:  # a reader's bug: named like the CLI names it
        return {
            "ok": False,
            "code": "unexpected",
            "message": tr("error.unexpected", lang, path=name, kind=type(exc).__name__),
        }
