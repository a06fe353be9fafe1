"""A real PostgreSQL for the tests: a throwaway cluster started with Debian's
initdb/pg_ctl in a temporary directory, listening on a unix socket only.

``postgres_url`` gives each test a fresh database in that cluster (psycopg 3
URL); ``db_url`` runs a test on SQLite and on PostgreSQL. Where PostgreSQL
truly cannot start (binaries absent, no unprivileged user to run it as), the
PostgreSQL tests are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BINDIRS = [Path(os.environ["GONGKAI_PG_BINDIR"])] if os.environ.get("GONGKAI_PG_BINDIR") else []
PG_BINDIRS += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
_counter = itertools.count(1)


class Cluster:
    def __init__(self, bindir: Path, root: Path, user: str | None) -> None:
        self.bindir, self.root, self.user = bindir, root, user
        self.data = root / "data"
        self.socket = root / "socket"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> str | None:
        """None when started, else why not."""
        self.socket.mkdir()
        if self.user:
            pw = pwd.getpwnam(self.user)
            for p in (self.root, self.socket):
                os.chown(p, pw.pw_uid, pw.pw_gid)
        r = self.run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        if r.returncode != 0:
            return f"initdb failed: {r.stderr.strip()[-300:]}"
        opts = f"-c listen_addresses='' -c unix_socket_directories={self.socket} -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        r = self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if r.returncode != 0:
            log = (
                (self.root / "log").read_text(errors="replace")[-300:]
                if (self.root / "log").exists()
                else ""
            )
            return f"pg_ctl start failed: {r.stderr.strip()[-300:]} {log}"
        return None

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{db}?host={self.socket}"


def _unprivileged_user() -> str | None:
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    return None


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    bindir = next(
        (d for d in PG_BINDIRS if (d / "initdb").exists() and (d / "pg_ctl").exists()), None
    )
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (Debian package postgresql: `make deb-test`)")
    user = None
    if os.geteuid() == 0:
        user = _unprivileged_user()
        if user is None or shutil.which("runuser") is None:
            pytest.skip(
                "running as root and no unprivileged user (postgres/nobody) to start PostgreSQL as"
            )
    root = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))
    root.chmod(0o755)
    cluster = Cluster(bindir, root, user)
    why = cluster.start()
    if why is not None:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL cannot start here: {why}")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database in the throwaway cluster."""
    import sqlalchemy as sa

    name = f"t{os.getpid()}_{next(_counter)}"
    admin = sa.create_engine(postgres_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_cluster.url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gongkai.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on a SQLite file and on a real PostgreSQL database."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    return url
