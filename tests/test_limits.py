"""Limits per file: refused past one, with the limit named and a way to raise it.

Before, a 60 MB text file took 1.8 GB and half a minute to check; a FIFO
hung ``gongkai.read``; a missing file raised FileNotFoundError outside the
documented error tree.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli.check import command as check_command
from gongkai.errors import FileMissing, InputError, NotAFile, OverLimit, TooLarge
from gongkai.reading import limits
from gongkai.reading.limits import Limits

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "examples" / "qingshan-minzheng-2024.txt"


def _big_text(tmp_path: Path, lines: int) -> Path:
    p = tmp_path / "big.txt"
    filler = "本机关持续推进政府信息公开工作，规章 5 件，规范性文件 12 件。\n" * lines
    p.write_text(REPORT.read_text(encoding="utf-8") + filler, encoding="utf-8")
    return p


def test_characters_past_the_limit_are_refused_naming_it(tmp_path: Path) -> None:
    p = _big_text(tmp_path, 3000)
    with pytest.raises(OverLimit) as exc:
        gongkai.read(p, limits=Limits(chars=50_000))
    msg = exc.value.message("zh")
    assert "文字字符数" in msg and "50,000" in msg and "--limit chars=" in msg
    assert gongkai.read(p, limits=Limits(chars=500_000)).agency == "青山市示范区民政局"


def test_cells_and_size_limits(tmp_path: Path) -> None:
    html = ROOT / "examples" / "qingshan-minzheng-2024.html"
    with pytest.raises(OverLimit, match="table cells"):
        gongkai.read(html, limits=Limits(cells=50))
    with pytest.raises(TooLarge):
        gongkai.read(html, limits=Limits(size=1000))


def test_time_limit_stops_a_slow_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import gongkai.reading as reading

    def slow(*args: object, **kw: object) -> object:
        time.sleep(5)
        raise AssertionError("not stopped")

    monkeypatch.setattr(reading, "build_report", slow)
    start = time.monotonic()
    with pytest.raises(OverLimit, match="seconds"):
        gongkai.read(REPORT, limits=Limits(seconds=0.3))
    assert time.monotonic() - start < 3


def test_alarm_handler_put_back_as_it_was() -> None:
    """A read under the time limit leaves SIGALRM's handler as it found it (the default,
    ignored, or a program's own), and its alarm off."""
    import signal

    def own(signum: int, frame: object) -> None:
        raise AssertionError("not reached")

    before = signal.getsignal(signal.SIGALRM)
    try:
        for handler in (signal.SIG_DFL, signal.SIG_IGN, own):
            signal.signal(signal.SIGALRM, handler)
            with limits.applied(None, "x"):
                assert signal.getsignal(signal.SIGALRM) not in (handler, None)
                assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
            assert signal.getsignal(signal.SIGALRM) == handler
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, before if before is not None else signal.SIG_DFL)


def test_default_limits_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The defaults are made once per setting of GONGKAI_LIMITS, and follow it when it changes."""
    monkeypatch.setenv("GONGKAI_LIMITS", "chars=5000")
    assert limits.default().chars == 5000
    monkeypatch.setenv("GONGKAI_LIMITS", "chars=6000,pages=7")
    assert (limits.default().chars, limits.default().pages) == (6000, 7)
    monkeypatch.setenv("GONGKAI_LIMITS", "lines=5")
    for _ in range(2):  # (a setting that does not parse is refused every time)
        with pytest.raises(ValueError, match="lines"):
            limits.default()
    monkeypatch.delenv("GONGKAI_LIMITS")
    assert limits.default() == Limits()


def test_limit_option_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _big_text(tmp_path, 3000)
    run = CliRunner().invoke
    res = run(
        check_command(), [str(p)], env={"GONGKAI_LANG": "zh", "GONGKAI_LIMITS": "chars=50000"}
    )
    assert res.exit_code == 2 and "超过上限" in res.stderr
    res = run(
        check_command(),
        [str(p), "--limit", "chars=1e6"],
        env={"GONGKAI_LANG": "zh", "GONGKAI_LIMITS": "chars=50000"},
    )
    assert res.exit_code in (0, 1), res.output
    res = run(check_command(), [str(p), "--limit", "lines=5"], env={"GONGKAI_LANG": "zh"})
    assert res.exit_code == 2 and "lines" in res.output
    assert limits.parse(["size=2MB,seconds=1.5"]).size == 2 * 1024 * 1024


def test_read_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(FileMissing) as exc:
        gongkai.read(tmp_path / "missing.pdf")
    assert isinstance(exc.value, InputError) and "文件不存在" in exc.value.message("zh")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(NotAFile):
        gongkai.read(fifo)
    with pytest.raises(NotAFile):
        gongkai.read(Path("/dev/zero"))
    with pytest.raises(NotAFile):
        gongkai.read(tmp_path)
