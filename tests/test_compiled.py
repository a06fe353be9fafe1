"""The compiled reader is the Python reader: a wheel is built as ``pip install .`` builds it
(setup.py compiles the reader's hot modules with mypyc), and every input of
``compiled_worker.py`` — the shared corpus in every format, the examples, the converter
fixtures, reports in every flattened layout, mutated tables, fuzzed pages — reads and
checks to the same record, provenance, findings and refusals as with the Python modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "tests" / "compiled_worker.py"
sys.path.insert(0, str(ROOT / "bench"))

from compiled import build, why_not  # noqa: E402  (bench/compiled.py)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel pip builds, unpacked: the directory to put on PYTHONPATH."""
    why = why_not()
    if why:
        pytest.skip(why)
    site, messages = build(tmp_path_factory.mktemp("compiled"))
    # a compiler that fails leaves a pure wheel (setup.py says why): that fails here
    assert site is not None, messages[-3000:]
    return site


def _run(pythonpath: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, str(WORKER)], capture_output=True, text=True, env=env, timeout=1200
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.mark.slow
def test_compiled_reader_reads_every_input_as_the_python_reader(compiled: Path) -> None:
    got = _run(compiled)
    want = _run(ROOT / "src")
    assert got[0].endswith(".so"), got[0]  # the compiled modules were the ones loaded
    assert want[0].endswith(".py"), want[0]
    assert len(got) == len(want) > 3000
    differ = [(a, b) for a, b in zip(got[1:], want[1:], strict=True) if a != b]
    assert not differ, f"{len(differ)} inputs differ, first: {differ[:5]}"


@pytest.mark.slow
def test_compiled_html_walk_reads_every_page_as_the_python_walk(compiled: Path) -> None:
    """The Cython parts of the HTML reader (``_htmlwalk``: the walk over libxml2's nodes,
    ``lean``, ``may_hide``, ``utf8_clean``) give the Document the Python reader gives on
    the page as it is, on every HTML page of the corpus, the examples and the fixtures,
    fuzzed pages, 1,500 random pages (spans, nested tables, paragraphs in cells,
    ``<pre>``, hidden styles, scripts, comments, quirky attributes and markup, lines past
    65,534), 1,500 pages of what mark_hidden reads and 1,500 runs of bytes at the edges
    of UTF-8; ``may_hide`` never passes a page mark_hidden marks, ``utf8_clean`` is
    strict UTF-8 without a BOM or a control byte."""
    env = {**os.environ, "PYTHONPATH": str(compiled), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "walk_worker.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    last = done.stdout.splitlines()[-1].split()
    assert last[0] == "pages" and int(last[1]) > 6000, done.stdout[-3000:]
    assert last[3] == "0", done.stdout[-3000:]
