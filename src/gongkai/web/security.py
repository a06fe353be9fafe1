"""What keeps the server safe: headers, language, body size, writers, request limits.

- :class:`Guard` (ASGI middleware) puts the shared security headers on every
  answer — a Content-Security-Policy that allows no inline script and no
  script from elsewhere, no framing, no sniffing, no referrer — picks the
  language of the request (``?lang=en`` or the ``lang`` cookie; Chinese by
  default) and turns away a body larger than the upload cap before it is read.
- :func:`require_writer` is the dependency of every route that writes: the
  token given at start, as ``Authorization: Bearer …`` or the signed cookie
  of the token form; without a configured token nothing is ever written.
- :class:`RateLimit` bounds how many checks one client starts per minute.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request

from gongkai.i18n import pick
from gongkai.web.problems import Problem, request_lang
from gongkai.web.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the policy of every page: scripts and styles only from this server, no inline script
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: an SVG chart opened on its own: its own styles, nothing else
CSP_SVG = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)

LANG_COOKIE = "lang"
WRITER_COOKIE = "gongkai_writer"


def _lang_of(scope: Scope) -> tuple[str, bool]:
    """The language of a request, and whether the query chose it."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if "lang" in query:
        return ("en" if query["lang"][0].lower().startswith("en") else "zh"), True
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k == LANG_COOKIE:
                    return ("en" if v.startswith("en") else "zh"), False
    return "zh", False


class Guard:
    """ASGI middleware: security headers, language, and the body-size cap."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang, chosen = _lang_of(scope)
        scope.setdefault("state", {})["lang"] = lang

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if b"content-security-policy" not in names:
                    policy = CSP_SVG if ctype.startswith(b"image/svg") else CSP
                    headers.append((b"content-security-policy", policy.encode()))
                headers.extend(h for h in HEADERS if h[0] not in names)
                if chosen:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax".encode(),
                        )
                    )
                message["headers"] = headers
            await send(message)

        length = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await self._too_large(scope, receive, send_with_headers, lang)
            return
        await self.app(scope, receive, send_with_headers)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, lang: str) -> None:
        import json

        mib = self.max_body / 1048576
        detail = pick(
            ("上传内容超过 {n:.0f} MB 上限", "the upload is over the limit of {n:.0f} MB"),
            "en" if lang == "en" else "zh",
            n=mib,
        )
        body = json.dumps(
            {
                "type": "/problems/too-large",
                "title": pick(("文件过大", "Upload too large"), "en" if lang == "en" else "zh"),
                "status": 413,
                "detail": detail,
                "code": "too-large",
                "instance": scope.get("path", ""),
            },
            ensure_ascii=False,
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


# ------------------------------------------------------------------ writers


def writer_cookie(settings: Settings) -> str:
    """The value of the cookie that marks a browser whose user gave the token."""
    token = settings.token or ""
    return hmac.new(settings.secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def may_write(request: Request) -> bool:
    """Whether this request carries the write token (header or signed cookie)."""
    settings: Settings = request.app.state.settings
    if not settings.token:
        return False
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and hmac.compare_digest(
        auth[7:].strip().encode(), settings.token.encode()
    ):
        return True
    cookie = request.cookies.get(WRITER_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie, writer_cookie(settings))


def require_writer(request: Request) -> None:
    """Dependency of every route that writes; refuses with 403 (no token set) or 401."""
    settings: Settings = request.app.state.settings
    lang = request_lang(request)
    if not settings.token:
        raise Problem(
            403,
            "read-only",
            pick(
                (
                    "本服务器只读：启动时未设置写入令牌（gongkai serve --token …）",
                    "this server is read-only: it was started without a write token "
                    "(gongkai serve --token …)",
                ),
                lang,
            ),
        )
    if not may_write(request):
        raise Problem(
            401,
            "token-required",
            pick(
                (
                    "写入需要令牌（Authorization: Bearer …）",
                    "writing needs the token (Authorization: Bearer …)",
                ),
                lang,
            ),
            {"WWW-Authenticate": "Bearer"},
        )


# ------------------------------------------------------------- rate limits


class RateLimit:
    """At most ``per_minute`` events per client in any minute (a token bucket)."""

    def __init__(self, per_minute: int, clients: int = 10_000) -> None:
        self.per_minute = per_minute
        self.clients = clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> float:
        """0 if ``client`` may go on, else the seconds until it may."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1.0 - tokens) / rate
            while len(self._buckets) > self.clients:
                self._buckets.popitem(last=False)
        return wait

    def check(self, request: Request) -> None:
        """Raise a 429 problem when the client of ``request`` is over its limit."""
        client = request.client.host if request.client else "?"
        wait = self.allow(client)
        if wait:
            raise Problem(
                429,
                "rate-limited",
                pick(
                    (
                        "检查请求过于频繁（每分钟最多 {n} 次），请 {s} 秒后再试",
                        "too many checks (at most {n} a minute); try again in {s} s",
                    ),
                    request_lang(request),
                    n=self.per_minute,
                    s=int(wait) + 1,
                ),
                {"Retry-After": str(int(wait) + 1)},
            )
