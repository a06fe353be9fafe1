"""A small real corpus for the web tests: the reference reports, the examples and a hostile one."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def hostile_text(path: Path) -> Path:
    """An example report whose agency name and prose carry scripts (as tampered pages do)."""
    text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")
    text = text.replace("青山市示范区民政局", "<script>alert(1)</script>青山市示范区民政局", 1)
    text = text.replace(
        "一、总体情况\n",
        "一、总体情况\n<script>window.__pwned=1</script><img src=x onerror=alert(2)>",
        1,
    )
    path.write_text(text, encoding="utf-8")
    return path


def build(db: Path, scratch: Path) -> str:
    """A SQLite corpus at ``db`` holding every report file there is; its URL."""
    from gongkai.batch import discover
    from gongkai.corpus.ingest import process, store
    from gongkai.db import connect, unit_of_work, upgrade

    engine = connect(str(db))
    upgrade(engine)
    roots = [str(ROOT / "examples")]
    if CORPUS.is_dir():
        roots.insert(0, str(CORPUS))
    files = [e.path for e in discover(roots) if e.skip is None and not e.path.endswith(".json")]
    files.append(str(hostile_text(scratch / "evil-2024.txt")))
    for path in files:
        got = process(Path(path), lang="zh")
        with unit_of_work(engine) as session:
            store(session, got, lang="zh")
    engine.dispose()
    return str(db)
