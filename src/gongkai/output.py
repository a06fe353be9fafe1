"""Writing files safely: whole or not at all, never over an input, never over each other.

* :func:`atomic_write` writes to a temporary file beside the target and
  renames it into place, so an interrupted run never leaves half a file
  (and a reader never sees one).
* :func:`refuse_input` refuses an output that is one of the inputs.
* :class:`Outputs` names the files a batch writes into one folder: two
  inputs of the same name (``2023/a.pdf``, ``2024/a.pdf``) get unique names
  (``a.pdf.json``, ``a-2.pdf.json``), and :meth:`Outputs.renamed_notes`
  says so.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from gongkai.errors import GongkaiError


class OutputRefused(GongkaiError):
    """The output would overwrite one of the inputs."""

    code = "overwrite"

    def __init__(self, target: str, source: str) -> None:
        self.target = target
        self.source = source
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"{self.target}: 输出文件就是输入文件 {self.source}，拒绝覆盖"
        return f"{self.target}: the output is the input {self.source}; not overwritten"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: the process's file-creation mask, read once (os.umask can only be read by setting it)
_UMASK = _umask()


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to ``path`` whole: a temporary file, then a rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); an output gets the mode any new file gets
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` name one file (links and ``..`` resolved)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_input(target: str | os.PathLike[str], inputs: Iterable[str]) -> None:
    """Raise :class:`OutputRefused` when ``target`` is one of ``inputs``."""
    for source in inputs:
        if same_file(target, source):
            raise OutputRefused(os.fspath(target), source)


class Outputs:
    """The files a batch writes into the folder ``outdir``, each under a name of its own."""

    def __init__(self, outdir: str | os.PathLike[str], suffix: str = ".json") -> None:
        self.outdir = Path(outdir)
        self.suffix = suffix
        self.used: set[str] = set()
        self.renamed: list[tuple[str, Path]] = []

    def target(self, source: str, name: str | None = None) -> Path:
        """The path ``source``'s output gets (``name`` + suffix, made unique)."""
        base = name if name is not None else Path(source).name + self.suffix
        candidate, n = base, 1
        while candidate.lower() in self.used:
            n += 1
            stem, dot, ext = base.partition(".")
            candidate = f"{stem}-{n}{dot}{ext}"
        self.used.add(candidate.lower())
        path = self.outdir / candidate
        if candidate != base:
            self.renamed.append((source, path))
        return path

    def write(self, source: str, data: bytes | str, name: str | None = None) -> Path:
        """Write ``source``'s output whole; refuse to overwrite ``source`` itself."""
        path = self.target(source, name)
        refuse_input(path, [source])
        return atomic_write(path, data)

    def renamed_notes(self, lang: str = "zh") -> list[str]:
        """One line for every output that got another name than its input's."""
        if lang == "zh":
            return [f"{src} 与其他输入文件同名，已写为 {p}" for src, p in self.renamed]
        return [f"{src} has the name of another input; written as {p}" for src, p in self.renamed]


__all__ = ["OutputRefused", "Outputs", "atomic_write", "refuse_input", "same_file"]
