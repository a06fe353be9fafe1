"""LibreOffice, headless: one isolated run converts many files.

Each run gets a profile of its own (``-env:UserInstallation`` in a fresh
temporary directory), so runs at the same time never share a profile — the
usual cause of silent failures — and a batch pays the start-up once. The
writer converts DOCX to PDF with it; the reader converts old Word ``.doc``
files to DOCX.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gongkai.errors import GongkaiError, MissingDependency

#: Seconds a conversion may take, plus this much per extra document of a batch.
TIMEOUT = float(os.environ.get("GONGKAI_SOFFICE_TIMEOUT", "120"))
TIMEOUT_PER_DOC = 10.0


class ConversionError(GongkaiError):
    """LibreOffice did not produce the converted file."""


def soffice() -> str:
    """The LibreOffice executable (``GONGKAI_SOFFICE`` overrides), or MissingDependency."""
    for name in (os.environ.get("GONGKAI_SOFFICE"), "soffice", "libreoffice"):
        if name:
            found = shutil.which(name)
            if found:
                return found
    raise MissingDependency(
        "LibreOffice (soffice) is needed for PDF output and .doc input and was not found; install it "
        "(Debian/Ubuntu: apt-get install libreoffice-writer fonts-noto-cjk) or set GONGKAI_SOFFICE"
    )


def run(
    cmd: list[str], timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd`` in its own process group; on timeout, Ctrl-C or SIGTERM kill the whole group."""
    # Ctrl-C and SIGTERM wait until the process is started and known, so it is never left
    # running without its parent (and its temporary profile removed under it)
    held = {signal.SIGINT, signal.SIGTERM}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, mask),
        )
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        raise
    with proc:
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionError(
                f"LibreOffice did not finish within {timeout:.0f} s (GONGKAI_SOFFICE_TIMEOUT)"
            ) from None
        except BaseException:  # Ctrl-C or SIGTERM: stop LibreOffice too, so its profile goes
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def convert_files(
    files: Sequence[Path],
    outdir: Path,
    target: str,
    suffix: str,
    *,
    registry: str | None = None,
    timeout: float | None = None,
) -> list[Path]:
    """Convert ``files`` with one LibreOffice run to ``target`` (a ``--convert-to``
    argument) in ``outdir``; returns the outputs (``stem + suffix``).

    ``registry`` is written as the profile's ``registrymodifications.xcu``.
    Input file names must have distinct stems.
    """
    if not files:
        return []
    exe = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    limit = timeout or TIMEOUT + TIMEOUT_PER_DOC * (len(files) - 1)
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as profile:
        user = Path(profile, "user")
        user.mkdir()
        if registry is not None:
            (user / "registrymodifications.xcu").write_text(registry, encoding="utf-8")
        cmd = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *(str(p) for p in files),
        ]
        scratch = Path(profile, "tmp")  # LibreOffice's own temporary files go with the profile
        scratch.mkdir()
        proc = run(cmd, limit, env={**os.environ, "TMPDIR": str(scratch)})
    outputs = [outdir / (Path(p).stem + suffix) for p in files]
    missing = [p for p in outputs if not p.exists() or p.stat().st_size == 0]
    if missing:
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(
            f"LibreOffice did not write {', '.join(p.name for p in missing)}"
            f" (exit {proc.returncode}{': ' + detail[-1] if detail else ''})"
        )
    return outputs
