"""Hostile data given to the writer: one clear refusal, never a traceback or a hang;
output that shows every string from the data as text (issue 10)."""

from __future__ import annotations

import io
import json
import re
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import example as also
from hypothesis import strategies as st

from gongkai.cli.main import main
from gongkai.errors import DataError
from gongkai.reading import read
from gongkai.record import Report
from gongkai.structured import StructuredError, loads
from gongkai.write.data import from_dict, load_data, one_line
from gongkai.write.formula import MAX_RANGE_CELLS, Evaluator, FormulaError, evaluate
from gongkai.write.html import render_html
from gongkai.write.text import render_markdown
from records import example


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


# ---------------------------------------------------------------- data files


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000, "嵌套超过"),
        ("deep.yaml", "- " * 50_000 + "x\n", "嵌套超过"),
        ("flow.yaml", "[" * 100_000 + "]" * 100_000, "嵌套超过"),
        ("feb30.yaml", "agency: 青山县\nyear: 2024\npublished: 2024-02-30\n", "发布日期"),
        ("year0.yaml", "agency: 青山县\nyear: 2024\npublished: 0000-01-01\n", "发布日期"),
        ("huge.json", '{"agency": "a", "year": ' + "9" * 5000 + "}", "5000 位"),
        ("huge.yaml", "agency: a\nyear: 2024\ntable3:\n  new: [" + "9" * 5000 + "]\n", "5000 位"),
        ("alias.yaml", "a: &x [1, 2]\nb: *x\n", "别名"),
        ("list.yaml", "- 1\n- 2\n", "应为报告记录"),
        ("bad.json", '{"agency": ', "不是有效的 JSON"),
    ],
)
def test_data_files_that_crashed_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, words: str
) -> None:
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    code, _, err = _run(["render", str(src), "--to", "txt", "-o", str(tmp_path / "o.txt")], capsys)
    assert code == 2, err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and str(src) in lines[0] and words in lines[0], err
    assert "Traceback" not in err and not (tmp_path / "o.txt").exists()


def test_structured_loader_bounds() -> None:
    assert loads('{"a": [1, {"b": 2}]}', "json") == {"a": [1, {"b": 2}]}
    assert loads("published: 2025-01-20\n", "yaml")["published"].isoformat() == "2025-01-20"
    assert loads("d: 2024-02-30\n", "yaml") == {"d": "2024-02-30"}  # kept as text
    for text, kind in (("[" * 65 + "]" * 65, "json"), ("a: " + "9" * 31, "yaml")):
        with pytest.raises(StructuredError):
            loads(text, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize("dash", ["—5", "－5", "−5", "—12.5"])
def test_money_printed_with_a_dash_is_read_not_a_traceback(dash: str) -> None:
    rec = example("2021")
    rec["table2"]["fees"]["amount"] = dash
    report = Report.model_validate(rec)
    assert report.t2()["fees"]["amount"] == "-" + dash[1:]
    page = (
        "青山县民政局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
        "第二十条第（八）项\n信息内容 | 本年收费金额（单位：万元）\n"
        f"行政事业性收费 | {dash}\n"
    )
    got = read(page.encode("utf-8"), "text", name="dash.txt")
    assert got.t2()["fees"]["amount"] == "-" + dash[1:]


# ---------------------------------------------------------------- formulas


def test_formula_self_reference_is_refused_naming_the_cells() -> None:
    cells = {"A1": "=B1+1", "B1": "=A1"}
    with pytest.raises(FormulaError, match="A1 → B1 → A1"):
        evaluate("=A1", cells.get)


def test_formula_long_chain_is_bounded() -> None:
    cells: dict[str, Any] = {f"A{i}": f"=A{i + 1}+1" for i in range(1, 5000)}
    cells["A5000"] = 1
    with pytest.raises(FormulaError, match="levels deep"):
        evaluate("=A1", cells.get)


def test_formula_huge_range_and_fan_out_are_bounded() -> None:
    with pytest.raises(FormulaError, match="range"):
        evaluate("=SUM(A1:XFD1048576)", {}.get)
    # each row sums the whole row below: exponential without a memo, a budget with one
    cells: dict[str, Any] = {}
    for r in range(1, 40):
        for c in "ABCDEFGHIJ":
            cells[f"{c}{r}"] = f"=SUM(A{r + 1}:J{r + 1})"
    t0 = time.monotonic()
    assert evaluate("=A1", cells.get) == 0
    assert time.monotonic() - t0 < 5
    with pytest.raises(FormulaError, match="nested"):
        evaluate("=" + "(" * 500 + "1" + ")" * 500, {}.get)
    assert MAX_RANGE_CELLS >= 1000


def test_formula_evaluator_computes_each_cell_once() -> None:
    seen: list[str] = []

    def get(ref: str) -> Any:
        seen.append(ref)
        return {"A1": 1, "B1": "=A1*2"}.get(ref)

    ev = Evaluator(get)
    assert evaluate("=B1+B1+A1", get, ev) == 5
    assert seen.count("B1") == 1 and seen.count("A1") == 1


def test_workbook_with_a_circular_formula_is_refused_naming_the_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    from gongkai.national.editions import EDITION_2021
    from gongkai.write.xlsx import cell_places, write_template

    path = write_template(tmp_path / "t.xlsx", EDITION_2021, data=from_dict(example("2021")))
    cell = cell_places(EDITION_2021)[("table3", "granted", 0)]
    other = cell_places(EDITION_2021)[("table3", "granted", 1)]
    sheet, coord = cell.split("!")
    wb = load_workbook(path)
    wb[sheet][coord] = f"={other.split('!')[1]}+{coord}"
    wb.save(path)
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert cell in exc.value.message("zh") and "循环引用" in exc.value.message("zh")
    code, _, err = _run(["render", str(path), "--to", "txt", "-o", str(tmp_path / "o.txt")], capsys)
    assert code == 2 and cell in err and "Traceback" not in err


# ---------------------------------------------------------------- escaping

HOSTILE = [
    "<!--",
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "[链接](javascript:alert(4))",
    "# 标题\n- 列表\n1. 编号",
    "*粗*_斜_`代码`|竖线|",
    "&amp; &lt;",
    '=HYPERLINK("http://x","点我")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
]


def _hostile_data(s: str) -> Any:
    rec = example("2021")
    rec["agency"] = f"青山县{s}民政局"
    rec["table2"]["fees"]["amount"] = "12.5"
    rec["x_narrative"] = {
        "title": f"标题{s}",
        "preamble": f"前言{s}",
        "contact": f"联系{s}",
        "signature": f"落款{s}",
        "parts": {i: f"第{i}部分{s}\n（一）小标题{s}" for i in range(1, 7)},
    }
    return from_dict(rec)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment opened by the data: {data[:40]!r}")


@pytest.mark.parametrize("s", HOSTILE)
def test_html_shows_hostile_strings_as_text_in_every_field(s: str) -> None:
    data = _hostile_data(s)
    page = render_html(data)
    p = _Collect()
    p.feed(page)
    p.close()
    assert p.tags.count("script") == 1 and "img" not in p.tags and "a" not in p.tags
    text = "".join(p.text)
    for field in ("标题", "前言", "联系", "落款", "第1部分", "第6部分", "小标题"):
        assert f"{field}{s.splitlines()[0]}" in text, field
    (record,) = p.scripts
    # the agency is one line: a line break in it is a space (write.data.one_line)
    assert json.loads(record)["agency"] == one_line(f"青山县{s}民政局")
    assert re.search(r"<script|<!--|</script", record, re.IGNORECASE) is None


@pytest.mark.parametrize("s", HOSTILE)
def test_markdown_shows_hostile_strings_as_text_in_every_field(s: str) -> None:
    md = render_markdown(_hostile_data(s))
    assert "<" not in md.replace("&lt;", "")
    # no line the data wrote starts a heading, list, quote or HTML block
    for line in md.splitlines():
        if "第" in line or "标题" in line or "前言" in line or "落款" in line:
            assert not re.match(r"\s*(#|-|\+|>|\d+\.|<)", line), line
    assert re.search(r"(?<!\\)\]\(", md) is None  # no live link
    assert re.search(r"(?<!\\)[*_`]", md.replace("\\\\", "")) is None  # no live emphasis


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="<>!-/&\"'[]()*_#`|=+@script \n", min_size=1, max_size=30))
def test_html_never_lets_data_open_a_tag(s: str) -> None:
    page = render_html(_hostile_data(s))
    p = _Collect()
    p.feed(page)
    p.close()
    assert p.tags.count("script") == 1
    assert sorted(set(p.tags)) <= sorted(
        {"html", "head", "meta", "title", "style", "script", "body", "main", "h1", "h2", "p"}
        | {"table", "colgroup", "col", "thead", "tbody", "tr", "th", "td"}
    )


# ---------------------------------------------------------------- every writer, read back

PIECES = [
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "]]>",
    '=HYPERLINK("http://x","点我")',
    "+1+1",
    "-2",
    "@SUM(1)",
    "[/bold]",
    "[red]红[/red]",
    "[link=http://x]链接[/link]",
    "*粗*_斜_`代码`|",
    "# ",
    "&amp;",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\r\n",
    "\t",
    "\u202e",
    "\u200f",
    "\u2066",
    "\ufeff",
    "\u00a0",
    "\udcff",
]
#: a 10,000-character line, at most once a string: more copies in every field make a
#: DOCX member of over 1 MB that compresses 200:1, which the reader takes for a zip bomb
LONG_LINE = "公开" * 5000
hostile_text = st.tuples(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), min_size=1, max_size=5),
    st.booleans(),
).map(lambda t: "".join(t[0]) + (LONG_LINE if t[1] else ""))

# what may be in a DOCX body: the document's own structure, never a field, link or import
_DOCX_ACTIVE = ("hyperlink", "fldSimple", "instrText", "fldChar", "altChunk", "object")


def _said(part: int, s: str) -> str:
    """A paragraph of prose with ``s`` inside (a sentence each side of any line break)."""
    return f"本机关落实第{part}项要求。{s}本年度持续推进。"


def _hostile_everywhere(s: str) -> Any:
    rec = example("2021")
    rec["agency"] = f"青山县{s}民政局"
    rec["x_narrative"] = {
        "preamble": f"前言{s}",
        "contact": f"联系{s}",
        "parts": {i: f"{_said(i, s)}\n（一）小标题{s}" for i in range(1, 7)},
    }
    return from_dict(rec)


def _squeezed(text: str) -> str:
    """Text as the reader compares it: NFKC, no white space, no invisible format characters."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")
    return unicodedata.normalize("NFKC", text)  # 「A´」 → 「A ́」 → 「Á」 once the space is gone


def _safe_docx(payload: bytes) -> None:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        for name in z.namelist():
            if name.endswith(".rels"):
                assert b'TargetMode="External"' not in z.read(name), name
        body = etree.fromstring(z.read("word/document.xml"))
    tags = {etree.QName(e).localname for e in body.iter() if isinstance(e.tag, str)}
    assert not tags & set(_DOCX_ACTIVE), tags & set(_DOCX_ACTIVE)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(hostile_text)
@also("\x80" * 6)  # C1 controls shown as U+FFFD, dense enough once to look like binary
@also("\x80" * 64)  # the HTML reader took a page spelling many U+FFFD itself for binary data
@also("\r\n# ")  # plain text whose prose lines began "# " was read back as Markdown
def test_every_writer_reads_back_hostile_strings_and_runs_none(s: str) -> None:
    """Hostile strings in every field, written in every format and read back: tables and
    year exactly, the agency as written or not at all (never another), the parts' prose
    as written; nothing in the output that runs, links or formats."""
    from gongkai.reading.interpret.sections import is_prose
    from gongkai.write.data import visible
    from gongkai.write.render import render_bytes

    data = _hostile_everywhere(s)
    shown = visible(s)
    assert data.agency == one_line(f"青山县{s}民政局")
    want = data.report.to_dict(private=False)
    for to, fmt in (("html", "html"), ("md", "text"), ("txt", "text"), ("docx", "docx")):
        payload = render_bytes(data, to)  # type: ignore[arg-type]
        if to == "html":
            p = _Collect()
            p.feed(payload.decode("utf-8"))
            p.close()
            assert p.tags.count("script") == 1 and not {"a", "img", "iframe"} & set(p.tags)
        elif to == "docx":
            _safe_docx(payload)
        else:
            text = payload.decode("utf-8")
            assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None, to
            if to == "md":
                assert "<" not in text.replace("&lt;", "")
        got = read(payload, fmt, name=f"hostile.{to}")
        seen = got.to_dict(private=False)
        agency = seen.pop("agency")
        assert agency is None or _squeezed(agency) == _squeezed(data.agency), (to, agency)
        assert seen == {k: v for k, v in want.items() if k != "agency"}, to
        if to == "md":
            continue  # Markdown's escapes stay in the text read back
        sections = {p.part: _squeezed(p.text) for p in got.evidence.sections or []}
        for i in (1, 2, 6):
            for line in _said(i, shown).splitlines():
                if is_prose(line):  # a short line without a sentence is not prose to the reader
                    assert _squeezed(line) in sections.get(i, ""), (to, i, line)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_workbook_round_trips_hostile_strings_as_text(tmp_path_factory: Any, s: str) -> None:
    """``template --from``: every text cell is text (never a formula), read back as written."""
    from openpyxl import load_workbook

    from gongkai.write.xlsx import write_template

    data = _hostile_everywhere(s)
    path = write_template(tmp_path_factory.mktemp("wb") / "t.xlsx", data.edition, data=data)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "青山县" in cell.value:
                    assert cell.data_type == "s", cell.coordinate
    back = load_data(path)
    assert back.agency == data.agency
    assert back.narrative == data.narrative
    assert back.report.to_dict(private=False) == data.report.to_dict(private=False)
