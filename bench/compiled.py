"""Build gongkai's wheel as ``pip install .`` does (setup.py compiles the reader's hot
modules with mypyc) and unpack it: a directory to put on PYTHONPATH. Used by
``bench/throughput.py`` (Python and compiled side by side) and ``tests/test_compiled.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def why_not() -> str | None:
    """Why a compiled wheel cannot be built here, or None."""
    if not (shutil.which("cc") or shutil.which("gcc")):
        return "no C compiler (apt-get install gcc python3-dev)"
    try:
        import mypyc.build  # noqa: F401
        import setuptools
    except ImportError as exc:
        return f"cannot build: {exc} (pip install -e '.[dev]')"
    if int(setuptools.__version__.split(".")[0]) < 77:
        return f"setuptools {setuptools.__version__} is older than pyproject.toml asks"
    return None


def build(dest: Path) -> tuple[Path | None, str]:
    """The unpacked compiled wheel under ``dest`` (None if it has no compiled reader),
    and pip's and setup.py's messages."""
    out = dest / "wheel"
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps"]
    done = subprocess.run(
        [*pip, "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "GONGKAI_PURE"},
        timeout=1800,
        check=False,
    )
    wheels = sorted(out.glob("gongkai-*.whl"))
    if done.returncode != 0 or not wheels:
        return None, done.stderr
    site = dest / "site"
    with zipfile.ZipFile(wheels[0]) as zf:
        zf.extractall(site)
    if not list((site / "gongkai" / "reading" / "formats").glob("text.*.so")):
        return None, done.stderr  # setup.py fell back to pure Python and said why
    return site, done.stderr


def main(argv: list[str]) -> int:
    """``python bench/compiled.py DEST``: build under DEST; print the directory or the
    reason there is none, and exit 1 when there is none (a process of its own: the
    build's imports stay out of the memory a parent's later children inherit as their
    peak)."""
    why = why_not()
    site, messages = (None, why) if why else build(Path(argv[1]))
    last = (messages or "").strip().splitlines()
    print(json.dumps({"site": str(site) if site else None, "why": last[-1] if last else ""}))
    return 0 if site else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
