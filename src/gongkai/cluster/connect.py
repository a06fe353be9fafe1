"""Which Dask cluster: ``local:N`` (a LocalCluster of N worker processes) or a scheduler's address.

:func:`start` gives a :class:`Cluster` — the ``distributed.Client``, the
local cluster it started (closed with it), and the dashboard's address or
why there is none (the dashboard needs bokeh). Dask's own logging is kept to
errors, so the terminal shows gongkai's progress bar, not Dask's chatter.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from dataclasses import dataclass
from typing import Any

from gongkai.errors import GongkaiError, MissingDependency

_LOCAL = re.compile(r"^local(?::(\d+))?$")
_REMOTE = re.compile(r"^(tcp|tls|ucx|ws|wss|inproc)://\S+$")


class ClusterError(GongkaiError):
    """The cluster named cannot be started or reached."""


@dataclass
class Cluster:
    """A connected client, the local cluster if we started one, and its dashboard."""

    client: Any
    local: Any | None
    spec: str
    dashboard: str | None
    #: why there is no dashboard (None when there is one)
    no_dashboard: str | None = None

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def worker_pids(self) -> dict[str, int]:
        """Worker address → process id (to watch them, or to kill one in a fault test)."""
        import os

        pids: dict[str, int] = self.client.run(os.getpid)
        return pids

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self.local is not None:
                self.local.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse(spec: str) -> tuple[str, int | str]:
    """``local:4`` → ("local", 4); ``tcp://host:8786`` → ("remote", address)."""
    s = spec.strip()
    m = _LOCAL.match(s)
    if m:
        n = int(m.group(1) or 0) or 1
        if n > 512:
            raise ValueError(f"{spec}: at most 512 local worker processes")
        return "local", n
    if _REMOTE.match(s):
        return "remote", s
    raise ValueError(f"{spec}: a cluster is local:N or a scheduler address such as tcp://host:8786")


def has_dashboard() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def require() -> None:
    """Raise :class:`MissingDependency` when Dask's distributed scheduler is not installed."""
    if importlib.util.find_spec("distributed") is None:
        raise MissingDependency("dask.distributed is not installed: pip install 'gongkai[cluster]'")


def start(spec: str, *, timeout: float = 30.0) -> Cluster:
    """Start (``local:N``) or reach (an address) the cluster ``spec`` names."""
    require()
    kind, value = parse(spec)
    for name in ("distributed", "distributed.worker", "distributed.nanny", "distributed.scheduler"):
        logging.getLogger(name).setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    dashboard = has_dashboard()
    why = None if dashboard else "bokeh is not installed (pip install bokeh)"
    local = None
    try:
        if kind == "local":
            assert isinstance(value, int)
            local = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=value,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: never fails on a busy 8787
                silence_logs=logging.CRITICAL,  # a closing worker's heartbeat is not news
            )
            client = Client(local, timeout=timeout)  # type: ignore[no-untyped-call]
        else:
            client = Client(str(value), timeout=timeout)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, RuntimeError) as exc:
        if local is not None:
            local.close()
        raise ClusterError(f"{spec}: cannot reach the cluster ({exc})") from None
    link = client.dashboard_link if dashboard else None
    return Cluster(client, local, spec, link, why)
