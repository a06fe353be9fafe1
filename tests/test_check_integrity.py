"""The checker says what it found: an edited file against its embedded record,
values no agency can have, and the file's own line numbers.

Before: the embedded record's disagreement was read (``x_embedded_diff``) but
``check`` said nothing; -5 applications or 3,000,000,000 were accepted; a
tampering finding said 第4行 for line 7 of the file (blank lines skipped).
"""

from __future__ import annotations

import re
from pathlib import Path

import gongkai
from check_records import clean, findings, run
from gongkai.write.data import load_data
from gongkai.write.render import render_bytes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "examples" / "qingshan-minzheng-2024.yaml"


def test_a_cell_edited_after_writing_is_a_tampering_finding_naming_it() -> None:
    data = load_data(DATA)
    html = render_bytes(data, "html").decode("utf-8")
    untouched = gongkai.check(gongkai.read(html.encode(), name="r.html")).findings
    assert not [f for f in untouched if f.rule == "embedded-mismatch"]
    total = data.report.t3()["new"][6]
    assert total is not None
    # the visible 「一、本年新收」 total changed by hand: the first cell printing it
    row = re.search(r"本年新收.*?</tr>", html, re.S)
    assert row is not None
    edited_row = re.sub(rf">{total}<", f">{total + 100}<", row.group(0))
    edited = html.replace(row.group(0), edited_row)
    report = gongkai.read(edited.encode(), name="edited.html")
    got = [f for f in gongkai.check(report, lang="zh").findings if f.rule == "embedded-mismatch"]
    assert got, "an edited cell must be a finding"
    f = got[0]
    assert f.severity == "error" and f.where.table == "table3" and f.where.row == "new"
    assert "本年新收" in f.message and str(total + 100) in f.message and str(total) in f.message


def test_implausible_values_are_named() -> None:
    d = clean()
    d["table3"]["new"] = [5, 1, 0, 0, 0, 0, 3_000_000_000]
    d["table4"]["review"] = [1, 0, 0, -1, 0]
    d["table2"]["fees"]["amount"] = "250000000000"
    got = findings(run(d), "implausible-value")
    cells = {(f.where.table, f.where.row, f.where.column) for f in got}
    assert ("table3", "new", 6) in cells and ("table2", "fees", "amount") in cells
    assert any("全国人口" in f.message for f in got) and any("一万亿元" in f.message for f in got)
    # a negative count is negative-value's, once
    assert ("table4", "review", 3) not in cells
    assert [f.where.row for f in findings(run(d), "negative-value")] == ["review"]
    assert findings(run(clean()), "implausible-value") == []


def test_tampering_finding_gives_the_files_line(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "qingshan-minzheng-2024.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    # blank lines before the injected phrase: its line in the file is not its line in the text
    lines[4:4] = ["", "", "欢迎访问百家乐真人娱乐城，注册送彩金", ""]
    target = lines.index("欢迎访问百家乐真人娱乐城，注册送彩金") + 1
    p = tmp_path / "r.txt"
    p.write_text("\n".join(lines), encoding="utf-8")
    got = [f for f in gongkai.check(gongkai.read(p)).findings if f.rule == "tampered-content"]
    assert got and got[0].where.line == target


def test_the_embedded_diff_is_read_through_the_typed_evidence() -> None:
    """The rule reads ``report.evidence.embedded_diff``: a diff written by another tool in
    another shape is read as absent (named in ``unreadable``), never half-read."""
    d = clean()
    d["x_embedded_diff"] = [{"key": "table3.new.6", "visible": 9, "embedded": 6}]
    (f,) = findings(run(d), "embedded-mismatch")
    assert f.where.table == "table3" and (f.actual, f.expected) == (9, 6)
    d["x_embedded_diff"] = [{"visible": 9}, "table3.new.6"]
    assert findings(run(d), "embedded-mismatch") == []
    d["x_embedded_diff"] = "table3.new.6"
    assert findings(run(d), "embedded-mismatch") == []
