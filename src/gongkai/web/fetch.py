"""Fetching a report from a URL, only when enabled, never from a private address.

``gongkai serve --fetch-urls`` lets the check page take a URL. Each hop
(redirects are followed by hand, at most :data:`MAX_REDIRECTS`) is checked
before it is requested: http or https only, and every address the host
resolves to must be a global one — loopback, private (10/8, 172.16/12,
192.168/16), link-local, multicast, reserved and the like are refused, so
the server cannot be used to reach the machines around it. The connection
is made to the address that was checked (the name is sent as ``Host``), so
a second DNS answer cannot swap in a private address. The body is read up
to the upload cap.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import httpx

from gongkai.i18n import Lang, pick
from gongkai.web.problems import Problem
from gongkai.web.settings import Limits
from gongkai.web.uploads import Upload, safe_name, sniff, too_large

MAX_REDIRECTS = 3
TIMEOUT = 20.0


def _refuse(url: str, why: tuple[str, str], lang: Lang) -> Problem:
    return Problem(
        400,
        "url-refused",
        pick(("不能获取 {u}：", "cannot fetch {u}: "), lang, u=url) + pick(why, lang),
    )


def public_address(host: str) -> str:
    """A global address of ``host``; ValueError if any address it has is not global."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    addresses = {str(info[4][0]) for info in infos}
    if not addresses:
        raise ValueError(host)
    for a in addresses:
        ip = ipaddress.ip_address(a.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise ValueError(a)
    return sorted(addresses)[0]


def check_url(url: str, lang: Lang) -> tuple[str, str]:
    """``(address, host)`` to connect to for ``url``, or a :class:`Problem`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(url, ("只接受 http 或 https 网址", "only http and https URLs"), lang)
    host = parts.hostname
    try:
        address = public_address(host)
    except socket.gaierror:
        raise _refuse(url, ("无法解析主机名", "the host name does not resolve"), lang) from None
    except ValueError:
        raise _refuse(
            url,
            (
                "目标是本机或内网地址，出于安全原因拒绝",
                "it points to this machine or a private network, which is refused",
            ),
            lang,
        ) from None
    return address, host


def fetch(url: str, limits: Limits, lang: Lang) -> Upload:
    """Download ``url`` (within the limits) as an :class:`Upload`."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        address, host = check_url(current, lang)
        parts = urlsplit(current)
        ip = ipaddress.ip_address(address)
        netloc = f"[{address}]" if ip.version == 6 else address
        if parts.port:
            netloc += f":{parts.port}"
        pinned = parts._replace(netloc=netloc).geturl()
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        try:
            with (
                httpx.Client(timeout=TIMEOUT, follow_redirects=False, verify=True) as client,
                client.stream(
                    "GET", pinned, headers={"Host": host}, extensions=extensions
                ) as response,
            ):
                if response.is_redirect:
                    current = urljoin(current, response.headers.get("location", ""))
                    continue
                if response.status_code >= 400:
                    raise _refuse(
                        url,
                        (
                            f"服务器回答 {response.status_code}",
                            f"the server said {response.status_code}",
                        ),
                        lang,
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limits.upload_bytes:
                        raise too_large(limits, lang)
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise _refuse(
                url,
                (f"网络错误（{type(exc).__name__}）", f"network error ({type(exc).__name__})"),
                lang,
            ) from None
        data = b"".join(chunks)
        name = safe_name(urlsplit(current).path, default="download.html")
        return Upload(name, data, sniff(data, name, lang))
    raise _refuse(url, ("重定向次数过多", "too many redirects"), lang)
