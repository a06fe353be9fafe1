"""Ctrl-C and SIGTERM in the middle of a LibreOffice conversion leave nothing behind.

Before, SIGTERM killed gongkai outright (no clean-up ran) and Ctrl-C waited
for LibreOffice to finish; the temporary profile and conversion folders
stayed in the temporary directory.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.office


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_interrupted_pdf_render_removes_its_temporary_folders(
    tmp_path: Path, sig: signal.Signals
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out.pdf"
    env = {**os.environ, "TMPDIR": str(tmp), "GONGKAI_LANG": "zh"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gongkai.cli.main",
            "render",
            str(ROOT / "examples" / "qingshan-minzheng-2024.yaml"),
            "--to",
            "pdf",
            "-o",
            str(out),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # a loaded machine can take a minute or more to get as far as starting LibreOffice
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and not any(tmp.glob("gongkai-lo-*")):
        if proc.poll() is not None:
            pytest.fail("the conversion ended before it could be interrupted")
        time.sleep(0.05)
    assert any(tmp.glob("gongkai-lo-*")), "LibreOffice's profile folder never appeared"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    left = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    assert left == [], (left, err.decode()[-2000:])
    assert not out.exists() and not list(tmp_path.glob(".out.pdf.*"))
