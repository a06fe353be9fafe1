"""An upload, from the request to a check result, within limits.

:func:`receive` reads the multipart file in chunks up to the size cap and
sniffs its type from the bytes (the reader's own detection: a PNG named
``.pdf`` is refused as an image); :func:`check_upload` writes it into a
private temporary directory, has a sandboxed worker run the CLI's check on
it, and removes the directory whatever happens. Every failure becomes a
:class:`~gongkai.web.problems.Problem` whose detail is the CLI's message.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import UploadFile

from gongkai.errors import InputError
from gongkai.i18n import Lang, pick
from gongkai.web.problems import Problem
from gongkai.web.sandbox import JobFailed, Sandbox
from gongkai.web.settings import Limits

#: HTTP status of each reader error code (anything else unreadable: 422)
STATUS: dict[str, int] = {"unknown-format": 415, "too-large": 413}

PASTED = "pasted.txt"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A report received from a user: its (safe) file name, bytes and sniffed format."""

    name: str
    data: bytes
    format: str


def safe_name(name: str | None, default: str = "upload") -> str:
    """The last part of a client's file name, without control or path characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", base).strip(" .")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:100] + dot + ext[:16]) if dot else base[:120]
    return base or default


def too_large(limits: Limits, lang: Lang) -> Problem:
    return Problem(
        413,
        "too-large",
        pick(
            ("上传内容超过 {n:.0f} MB 上限", "the upload is over the limit of {n:.0f} MB"),
            lang,
            n=limits.upload_bytes / 1048576,
        ),
    )


def sniff(data: bytes, name: str, lang: Lang) -> str:
    """The format of ``data`` by its bytes; a :class:`Problem` when it is no report format."""
    from gongkai.reading.formats import detect

    if not data.strip():
        raise Problem(422, "empty", pick(("{n}: 文件为空", "{n}: The file is empty"), lang, n=name))
    try:
        return detect(data, name)
    except InputError as exc:
        exc.source = name
        raise Problem(STATUS.get(exc.code, 422), exc.code, exc.message(lang)) from None


async def receive(file: UploadFile, limits: Limits, lang: Lang) -> Upload:
    """Read ``file`` (at most the cap) and sniff it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await file.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > limits.upload_bytes:
            raise too_large(limits, lang)
        chunks.append(chunk)
    data = b"".join(chunks)
    name = safe_name(file.filename)
    return Upload(name, data, sniff(data, name, lang))


def pasted(text: str, limits: Limits, lang: Lang) -> Upload:
    data = text.encode("utf-8")
    if len(data) > limits.upload_bytes:
        raise too_large(limits, lang)
    return Upload(PASTED, data, sniff(data, PASTED, lang))


_FAILED: dict[str, tuple[int, str, tuple[str, str]]] = {
    "timeout": (
        422,
        "too-slow",
        (
            "{n}: 读取超过 {s} 秒仍未完成，已停止（文件过大或过于复杂）",
            "{n}: reading took longer than {s} s and was stopped (the file is too large or too complex)",
        ),
    ),
    "memory": (
        413,
        "too-large",
        (
            "{n}: 读取所需内存超过 {m} MB 上限，已停止（可能是压缩炸弹）",
            "{n}: reading needed more than {m} MB of memory and was stopped (a zip bomb?)",
        ),
    ),
    "busy": (
        503,
        "busy",
        ("服务器正忙，请稍后再试", "the server is busy; try again shortly"),
    ),
    "crashed": (
        500,
        "worker-crashed",
        (
            "{n}: 读取时进程意外退出，请报告此问题",
            "{n}: the reader stopped unexpectedly; please report it",
        ),
    ),
}


async def check_upload(sandbox: Sandbox, upload: Upload, lang: Lang) -> dict[str, Any]:
    """The check result of ``upload`` (the JSON of ``gongkai check --json``)."""
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-upload-"))
    try:
        path = workdir / upload.name
        path.write_bytes(upload.data)
        try:
            answer = await sandbox.run("gongkai.web.jobs:check_file", str(path), upload.name, lang)
        except JobFailed as exc:
            status, code, pair = _FAILED[exc.kind]
            detail = pick(
                pair,
                lang,
                n=upload.name,
                s=f"{sandbox.limits.seconds:g}",
                m=sandbox.limits.memory_mb,
            )
            headers = {"Retry-After": "5"} if exc.kind == "busy" else None
            raise Problem(status, code, detail, headers) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not answer["ok"]:
        raise Problem(STATUS.get(answer["code"], 422), answer["code"], answer["message"])
    result: dict[str, Any] = answer["result"]
    return result
