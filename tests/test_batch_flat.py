"""A batch's pairing index on disk: pairing as before, memory flat, nothing left behind.

Before, ``check_files`` kept an (agency, year) → file index of every file in
Python dicts (≈ 0.8 KB a file: 80/87/164 MB at 1k/10k/100k reports) and
``discover`` sorted a folder's ``Path`` objects in memory; the memory test
here failed then.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from check_records import clean
from gongkai.batch import CheckOptions, check_files, discover, load_report, pair_reports
from gongkai.batch.index import sorted_names
from gongkai.errors import InputError

# agencies of which some pair (short forms of one agency) and some never do
AGENCIES = ["淮安市洪泽区人民政府", "洪泽区人民政府", "测试县民政局", "北京市", "北京市民政局"]
OPTIONS = CheckOptions(lang="zh", pick=("carry-over",))

# one file of a batch: a report (agency, year), a broken report, or a file passed over
File = tuple[str, int | None]
files_st = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(AGENCIES), st.integers(2021, 2024)),
        st.sampled_from([("broken", None), ("skipped", None), ("no-year", None)]),
    ),
    max_size=8,
)


def _lay(folder: Path, files: list[File]) -> None:
    folder.mkdir(parents=True)
    for i, (agency, year) in enumerate(files):
        if agency == "broken":
            (folder / f"{i:02}.json").write_text("{not json", encoding="utf-8")
        elif agency == "skipped":
            (folder / f"{i:02}.xlsx").write_bytes(b"PK")
        elif agency == "no-year":
            d = clean(agency="测试县民政局", year=2023)
            d["year"] = None
            (folder / f"{i:02}.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")
        else:
            d = clean(agency=agency, year=year)
            (folder / f"{i:02}.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")


def _before(batch: Path, pool: Path | None) -> list[str | None]:
    """The pairing the batch made before, from the in-memory pairing of every report read."""

    def readable(folder: Path) -> list[tuple[str, Any]]:
        out = []
        for e in discover([str(folder)]):
            if e.skip is None:
                with contextlib.suppress(InputError):
                    out.append((e.path, load_report(e.path)))
        return out

    items = readable(batch)
    paired = pair_reports(items, readable(pool) if pool is not None else [])
    by_path = {path: paired[i][0] if i in paired else None for i, (path, _) in enumerate(items)}
    return [by_path.get(e.path) for e in discover([str(batch)])]


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=files_st, pool=st.one_of(st.none(), files_st), cache=st.sampled_from([0, 2, 256]))
def test_pairing_is_what_it_was(
    tmp_path_factory: pytest.TempPathFactory, files: list[File], pool: list[File] | None, cache: int
) -> None:
    root = tmp_path_factory.mktemp("pairing")
    _lay(root / "batch", files)
    if pool is not None:
        _lay(root / "pool", pool)
    outs = list(
        check_files(
            [str(root / "batch")],
            previous=root / "pool" if pool is not None else None,
            options=OPTIONS,
            cache=cache,
        )
    )
    assert [o.path for o in outs] == [e.path for e in discover([str(root / "batch")])]
    assert [o.previous for o in outs] == _before(root / "batch", root / "pool" if pool else None)
    broken = [
        o for o in outs if o.path.endswith(".json") and Path(o.path).read_bytes()[:4] == b"{not"
    ]
    assert all(o.status == "failed" and o.error is not None for o in broken)


def test_two_processes_pair_alike_and_pairing_off_pairs_nothing(tmp_path: Path) -> None:
    files: list[File] = [
        ("洪泽区人民政府", 2023),
        ("broken", None),
        ("淮安市洪泽区人民政府", 2024),
        ("skipped", None),
        ("测试县民政局", 2022),
        ("测试县民政局", 2023),
        ("测试县民政局", 2023),
    ]
    _lay(tmp_path / "b", files)

    def digest(**kw: Any) -> list[Any]:
        return [
            (o.path, o.status, o.previous, o.result.to_dict() if o.result else None)
            for o in check_files([str(tmp_path / "b")], options=OPTIONS, **kw)
        ]

    one = digest()
    assert [p for _, _, p, _ in one if p] == [
        str(tmp_path / "b" / "00.json"),
        str(tmp_path / "b" / "04.json"),
        str(tmp_path / "b" / "04.json"),
    ]
    assert digest(jobs=2) == one
    assert digest(jobs=2, cache=0) == one
    assert all(p is None for _, _, p, _ in digest(pair=False))
    assert [s for _, s, _, _ in digest(pair=False)] == [s for _, s, _, _ in one]


def test_a_large_folder_is_listed_in_order_on_disk() -> None:
    names = [f"{i * 7919 % 10007:05}" for i in range(10007)]
    names += ["报告.pdf", "a\udcff.txt", "Z", "\U0001f600.html", "é"]
    assert list(sorted_names(iter(names), in_memory=100)) == sorted(names)
    assert list(sorted_names(iter(names[:50]), in_memory=100)) == sorted(names[:50])


def _clean_env(tmp: Path) -> dict[str, str]:
    # a child without coverage tracing (it would inflate memory); its own temporary folder
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_CORE", "COVERAGE"))}
    return {**env, "TMPDIR": str(tmp), "SQLITE_TMPDIR": str(tmp), "GONGKAI_LANG": "en"}


def test_the_index_is_on_disk_and_unlinked_at_once(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    script = textwrap.dedent(
        """
        import sys
        from gongkai.batch.index import Index
        index = Index(cache_kb=256)
        for i in range(20000):
            index.add(f"/some/long/folder/of/reports/{i:07}.json")
        print("ready", flush=True)
        sys.stdin.readline()
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_clean_env(tmp),
    ) as proc:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "ready"
        opened = _open_in(proc.pid, tmp)
        listed = list(tmp.iterdir())
        proc.stdin.write("\n")
        proc.stdin.close()
        assert proc.wait(timeout=30) == 0
    # a file in the temporary folder is open (the index is on disk), and already unlinked
    assert len(opened) == 1 and opened[0].endswith("(deleted)"), opened
    assert listed == [] and list(tmp.iterdir()) == []


def _records(folder: Path, n: int, src: list[Path]) -> None:
    # long paths: the memory a file's path costs was kept a file before
    deep = folder.joinpath(*[f"{i}{'政府信息公开工作年度报告' * 7}" for i in range(10)])
    deep.mkdir(parents=True)
    for i in range(n):
        os.link(src[i % len(src)], deep / f"{'年度报告' * 15}-{i:07}.json")


def _peak_mb(folder: Path, tmp: Path) -> int:
    script = textwrap.dedent(
        """
        import runpy, sys
        sys.argv = ["gongkai", "check", sys.argv[1], "--jsonl", "--pick", "carry-over"]
        try:
            runpy.run_module("gongkai.cli.main", run_name="__main__")
        finally:
            hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
            print("PEAK", int(hwm.split()[1]) // 1024, file=sys.stderr)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_clean_env(tmp),
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return int(proc.stderr.rsplit("PEAK", 1)[1])


@pytest.mark.slow
def test_check_jsonl_memory_is_flat_over_ten_times_the_files(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    src = []
    for i, agency in enumerate(AGENCIES):
        for year in (2022, 2023):
            p = tmp_path / f"src{i}-{year}.json"
            p.write_text(json.dumps(clean(agency=agency, year=year), ensure_ascii=False), "utf-8")
            src.append(p)
    # both past what is held in memory at most: a folder's first 1,024 names (sorted on
    # disk past them) and the index's page cache (full at about 1,000 files here)
    _records(tmp_path / "small", 1500, src)
    _records(tmp_path / "large", 6000, src)
    small, large = _peak_mb(tmp_path / "small", tmp), _peak_mb(tmp_path / "large", tmp)
    # before: 82 → 96 MB for the 4,500 more files (their long paths and keys held in memory);
    # now 104 → 105 (the allocator alone varies by ±3 MB between runs)
    assert large - small <= 5, (small, large)
    assert list(tmp.iterdir()) == []


def test_sigterm_leaves_no_index_behind(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    src = tmp_path / "one.json"
    src.write_text(json.dumps(clean(year=2023), ensure_ascii=False), "utf-8")
    _records(tmp_path / "many", 3000, [src])
    with subprocess.Popen(
        [sys.executable, "-m", "gongkai.cli.main", "check", str(tmp_path / "many"), "--jsonl"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_clean_env(tmp),
    ) as proc:
        deadline = time.monotonic() + 120
        while not _open_in(proc.pid, tmp) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)  # until the index is on disk
        assert _open_in(proc.pid, tmp), "the index never reached the disk"
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert list(tmp.iterdir()) == []


def _open_in(pid: int, folder: Path) -> list[str]:
    """The files process ``pid`` has open in ``folder``."""
    out = []
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(folder)):
                out.append(target)
    except OSError:
        pass
    return out


def test_check_no_pair_reads_each_file_once_and_pairs_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from gongkai.cli.check import command

    _lay(tmp_path / "b", [("洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024)])
    folder = str(tmp_path / "b")

    def entries(*args: str) -> list[Any]:
        res = CliRunner().invoke(command(), [folder, "--jsonl", *args], env={"GONGKAI_LANG": "zh"})
        return [json.loads(x) for x in res.stdout.splitlines()]

    assert [e["previous"] for e in entries()] == [None, str(tmp_path / "b" / "00.json")]
    assert [e["previous"] for e in entries("--no-pair")] == [None, None]
    human = CliRunner().invoke(command(), [folder, "--no-pair"], env={"GONGKAI_LANG": "zh"})
    assert "上一年度报告" not in human.stdout and "合计 2 个文件" in human.stdout
