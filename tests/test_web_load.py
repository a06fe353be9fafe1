"""A bounded load test on loopback: concurrent checks against a real ``gongkai serve``.

N clients post a report to ``/api/check`` for a few seconds (at most a few
hundred requests, 127.0.0.1 only). Every answer must be a correct check
result; latency p50/p95 are recorded (``record_property``) and printed.
Speed goals live in ``bench/web.py``; this test asserts only correctness
under concurrency.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from webserver import serve

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 6
SECONDS = 4.0
MAX_REQUESTS = 300


async def _hammer(base: str, data: bytes) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS
    sent = 0

    async def client() -> None:
        nonlocal sent
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            while time.monotonic() < deadline and sent < MAX_REQUESTS:
                sent += 1
                t = time.perf_counter()
                r = await c.post("/api/check", files={"file": ("report.txt", data)})
                latencies.append(time.perf_counter() - t)
                if r.status_code != 200:
                    errors.append(f"{r.status_code}: {r.text[:200]}")
                elif r.json()["report"]["year"] != 2024:
                    errors.append("wrong result")

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return latencies, errors


@pytest.mark.slow
def test_concurrent_checks(tmp_path: Path, record_property: Callable[[str, object], None]) -> None:
    data = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_bytes()
    with serve("--workers", "2", "--checks-per-minute", "0", log=tmp_path / "serve.log") as base:
        httpx.post(f"{base}/api/check", files={"file": ("warm.txt", data)}, timeout=60)
        latencies, errors = asyncio.run(_hammer(base, data))
    assert not errors, errors[:3]
    assert len(latencies) >= CLIENTS
    q = statistics.quantiles(latencies, n=20)
    p50, p95 = statistics.median(latencies), q[18]
    record_property("requests", len(latencies))
    record_property("p50_ms", round(p50 * 1000, 1))
    record_property("p95_ms", round(p95 * 1000, 1))
    print(
        f"\nload: {len(latencies)} checks by {CLIENTS} clients in {SECONDS:g} s: "
        f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
    )
