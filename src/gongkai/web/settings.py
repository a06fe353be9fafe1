"""How a server runs: where its data is, who may write, and its limits.

One frozen :class:`Settings` is made when the server starts (``gongkai serve``
or a test) and handed to :func:`gongkai.web.app.create_app`; nothing reads the
environment after that.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field

#: smallest write token accepted when the server listens beyond loopback
MIN_TOKEN_LENGTH = 16


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is only reachable from this machine."""
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Limits:
    """Bounds on one upload and its parsing."""

    #: largest upload accepted, bytes
    upload_bytes: int = 20 * 1024 * 1024
    #: wall-clock seconds a parse may take before its worker is killed
    seconds: float = 60.0
    #: address space of a worker process, MiB (a zip bomb hits this, not the server)
    memory_mb: int = 2048
    #: worker processes that parse uploads
    workers: int = 2
    #: checks a worker runs before it is replaced (bounds slow leaks)
    jobs_per_worker: int = 200
    #: uploads waiting for a worker before the next is turned away (503)
    queue: int = 16
    #: checks one client may start per minute (0: no limit)
    checks_per_minute: int = 30
    #: checked results kept for their pages and downloads
    kept_results: int = 64


@dataclass(frozen=True)
class Settings:
    """Everything a server is started with."""

    #: SQLAlchemy URL of the corpus (None: pages of the corpus say there is none)
    db: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    #: token that allows writing (adding to and deleting from the corpus); None: no writes
    token: str | None = None
    #: whether the check page may fetch a report from a URL (never private addresses)
    fetch_urls: bool = False
    limits: Limits = field(default_factory=Limits)
    #: secret for signing the session cookie of a user who gave the token
    secret: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def writable(self) -> bool:
        return bool(self.token)

    def problems(self) -> list[tuple[str, str]]:
        """Reasons (zh, en) this configuration must not start."""
        out: list[tuple[str, str]] = []
        weak = self.token is not None and len(self.token) < MIN_TOKEN_LENGTH
        if weak and not is_loopback(self.host):
            out.append(
                (
                    f"监听非本机地址 {self.host} 时，写入令牌至少需要 {MIN_TOKEN_LENGTH} 个字符",
                    f"listening on {self.host} (not loopback) needs a write token of at least "
                    f"{MIN_TOKEN_LENGTH} characters",
                )
            )
        return out
