"""Markdown headings (issue 9 #8), a NUL byte before table 2 and a UTF-8 file with a few
bad bytes (issue 10): read as what they show, with a warning naming what was repaired."""

from __future__ import annotations

from gongkai import read
from gongkai.reading.formats.decode import decode_text
from gongkai.write.data import from_dict
from gongkai.write.render import render_bytes
from records import AGENCY, example

PARTS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def _pipe(rec: dict[str, object] | None = None) -> str:
    return render_bytes(from_dict(rec or example("2021")), "txt", layout="pipe").decode()


def test_atx_headings_are_headings_not_text() -> None:
    text = _pipe()
    title = text.splitlines()[0]
    md = text.replace(title, f"# {title}", 1)
    for p in PARTS:
        md = md.replace(f"\n{p}\n", f"\n## {p}\n", 1)
    assert md.count("## ") == 6
    for name in ("report.md", "report.txt"):
        got = read(md.encode("utf-8"), "text", name=name)
        assert got.agency == AGENCY and "#" not in (got.extra("x_title") or "")
        assert [s["part"] for s in got.extra("x_sections") if s.get("where")] == [1, 2, 3, 4, 5, 6]
        assert got.to_dict(private=False) == from_dict(example("2021")).report.to_dict(
            private=False
        )


def test_markdown_escapes_written_by_gongkai_read_back() -> None:
    rec = example("2021")
    shown = "解读形式*较为*单一，<b>待改进</b>，详见[附件]&amp;。"
    rec["x_narrative"] = {"parts": {5: f"{shown}\n# 不是标题，是正文。"}}
    md = render_bytes(from_dict(rec), "md")
    got = read(md, "text", name="r.md")
    part5 = next(s["text"] for s in got.extra("x_sections") if s["part"] == 5)
    assert shown in part5 and "# 不是标题，是正文。" in part5
    assert b"\\*" in md and b"&lt;b&gt;" in md  # inert in the Markdown itself


def test_nul_byte_before_table_2_labels_keeps_the_table() -> None:
    text = _pipe()
    assert "\n规章 |" in text
    broken = text.replace("\n规章 |", "\n\x00规章 |", 1).replace(
        "\n行政规范性文件 |", "\n\x00\x01行政规范性文件 |", 1
    )
    got = read(broken.encode("utf-8"), "text", name="nul.txt")
    assert got.t2() == from_dict(example("2021")).report.t2()
    codes = [w["code"] for w in got.extra("x_warnings")]
    assert "control-characters" in codes


def test_a_few_invalid_bytes_do_not_turn_utf8_into_gb18030() -> None:
    raw = _pipe().encode("utf-8")
    at = raw.index("规章".encode())
    broken = raw[:at] + b"\xff" + raw[at:] + b"\xc3"
    d = decode_text(broken)
    assert d.codec == "utf-8" and d.bad_offsets == [at, len(broken) - 1]
    got = read(broken, "text", name="bad-bytes.txt")
    assert got.agency == AGENCY and got.t3() == from_dict(example("2021")).report.t3()
    warning = next(w for w in got.extra("x_warnings") if w["code"] == "invalid-bytes")
    assert str(at) in warning["message"] and warning["encoding"] == "utf-8"


def test_gbk_is_still_gbk() -> None:
    raw = _pipe().encode("gb18030")
    assert decode_text(raw).codec == "gb18030"
    assert read(raw, "text", name="gbk.txt").agency == AGENCY


def test_nul_byte_in_an_html_cell_keeps_table_2() -> None:
    data = from_dict(example("2021"))
    page = render_bytes(data, "html", embed=False).decode()
    at = page.index(">规章<") + 1
    got = read((page[:at] + "\x00" + page[at:]).encode(), "html", name="nul.html")
    assert got.t2() == data.report.t2()
    assert "control-characters" in [w["code"] for w in got.extra("x_warnings")]
