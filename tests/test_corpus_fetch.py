"""``corpus fetch``/``add URL``: against a local HTTP server on loopback that
serves pages the tests make (the suite never touches the network)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import EXAMPLES
from gongkai.corpus.fetch import FetchOptions, fetch_all
from gongkai.corpus.ingest import process

REPORT_HTML = (EXAMPLES / "qingshan-minzheng-2024.html").read_text("utf-8")
GBK_PAGE = (
    REPORT_HTML.replace('<meta charset="utf-8">', "")
    .replace("</body>", '<p>附件：<a href="/files/szf-2024.txt">市政府年报</a></p></body>')
    .encode("gbk")
)
ATTACHMENT = (EXAMPLES / "qingshan-szf-2024.txt").read_bytes()
LIST_PAGE = """<html><head><meta charset="gb2312"></head><body><ul>
<li><a href="/reports/minzheng-2024.html">青山市示范区民政局2024年政府信息公开工作年度报告</a></li>
<li><a href="/about.html">关于我们</a></li>
<li><a href="http://other.example/x.html">外站年度报告</a></li>
</ul></body></html>""".encode("gbk")

Route = tuple[int, dict[str, str], bytes]


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route | list[Route]] = {}
        self.hits: Counter[str] = Counter()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits[self.path] += 1
                route = site.routes.get(self.path, (404, {}, b"not found"))
                if isinstance(route, list):
                    route = route.pop(0) if len(route) > 1 else route[0]
                status, headers, body = route
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return H


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.routes = {
        "/robots.txt": (
            200,
            {"Content-Type": "text/plain"},
            b"User-agent: *\nDisallow: /private/\n",
        ),
        "/reports/minzheng-2024.html": (200, {"Content-Type": "text/html; charset=GBK"}, GBK_PAGE),
        "/files/szf-2024.txt": (200, {"Content-Type": "text/plain; charset=utf-8"}, ATTACHMENT),
        "/list.html": (200, {"Content-Type": "text/html"}, LIST_PAGE),
        "/about.html": (
            200,
            {"Content-Type": "text/html"},
            "<html><body>关于我们</body></html>".encode(),
        ),
        "/private/report.txt": (200, {}, ATTACHMENT),
        "/big.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF" + b"0" * 5000),
        "/moved": (302, {"Location": "/files/szf-2024.txt"}, b""),
        "/flaky.txt": [
            (503, {}, b"busy"),
            (503, {"Retry-After": "0"}, b"busy"),
            (200, {}, ATTACHMENT),
        ],
    }
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


FAST = FetchOptions(allow_private=True, delay=0.0, backoff=0.01, timeout=5)


def test_report_page_with_gbk_from_the_header_and_its_attachment(site: Site) -> None:
    items, failures = fetch_all([site.base + "/reports/minzheng-2024.html"], FAST)
    assert failures == []
    assert [i.url for i in items] == [
        site.base + "/reports/minzheng-2024.html",
        site.base + "/files/szf-2024.txt",
    ]
    page = items[0]
    assert page.original == GBK_PAGE  # the bytes as served are what is kept
    got = process(page.source, name=page.name, url=page.url, original=page.original)
    assert got.ok and got.report["agency"] == "青山市示范区民政局"
    assert got.content == GBK_PAGE and got.url == page.url


def test_list_page_leads_to_report_pages_on_the_same_site(site: Site) -> None:
    items, failures = fetch_all([site.base + "/list.html"], FAST)
    urls = [i.url for i in items]
    assert site.base + "/reports/minzheng-2024.html" in urls
    assert site.base + "/files/szf-2024.txt" in urls
    assert not any("other.example" in u or "about" in u for u in urls)
    assert failures == []


def test_polite_and_safe(site: Site) -> None:
    items, failures = fetch_all(
        [
            site.base + "/private/report.txt",
            site.base + "/big.pdf",
            site.base + "/nothing.pdf",
            "ftp://example.org/report.pdf",
            site.base + "/about.html",
        ],
        FetchOptions(allow_private=True, delay=0.0, backoff=0.01, timeout=5, max_bytes=1000),
    )
    assert items == []
    msgs = dict(failures)
    assert "robots.txt" in msgs[site.base + "/private/report.txt"]
    assert "1000" in msgs[site.base + "/big.pdf"]
    assert "404" in msgs[site.base + "/nothing.pdf"]
    assert "http" in msgs["ftp://example.org/report.pdf"]
    assert "不是年度报告" in msgs[site.base + "/about.html"]
    assert site.hits["/private/report.txt"] == 0
    assert all("\n" not in m for m in msgs.values())


def test_loopback_refused_unless_allowed(site: Site) -> None:
    items, failures = fetch_all([site.base + "/files/szf-2024.txt"], FetchOptions(delay=0.0))
    assert items == [] and "127.0.0.1" in failures[0][1]
    assert site.hits["/files/szf-2024.txt"] == 0
    # a redirect is followed, each hop checked
    items, failures = fetch_all([site.base + "/moved"], FAST)
    assert [i.url for i in items] == [site.base + "/files/szf-2024.txt"] and not failures


def test_retries_with_back_off(site: Site) -> None:
    items, failures = fetch_all([site.base + "/flaky.txt"], FAST)
    assert len(items) == 1 and not failures
    assert site.hits["/flaky.txt"] == 3


def test_rate_limit_per_host(site: Site) -> None:
    t0 = time.monotonic()
    items, _ = fetch_all(
        [site.base + "/files/szf-2024.txt", site.base + "/reports/minzheng-2024.html"],
        FetchOptions(allow_private=True, delay=0.3, timeout=5),
    )
    # robots.txt, the attachment, the page: three requests to one host, 0.3 s apart
    assert len(items) == 2
    assert time.monotonic() - t0 >= 0.6


def test_unreachable_in_one_line(tmp_path: Path) -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    items, failures = fetch_all(
        [f"http://127.0.0.1:{port}/r.pdf"],
        FetchOptions(allow_private=True, retries=1, backoff=0.01, delay=0.0, timeout=2),
    )
    assert items == [] and len(failures) == 1 and "\n" not in failures[0][1]


def test_add_url_through_the_cli(site: Site, tmp_path: Path) -> None:
    from test_corpus_cli import run

    db = str(tmp_path / "c.db")
    r = run(
        "fetch", "--allow-private", "--delay", "0", site.base + "/reports/minzheng-2024.html", db=db
    )
    assert r.exit_code == 0, r.output
    assert "新存入 2 个" in r.output
    r = run("add", site.base + "/reports/minzheng-2024.html", db=db)
    assert r.exit_code == 2 and "127.0.0.1" in r.output
