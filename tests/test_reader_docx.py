"""The DOCX reader: the real converted page, merged cells, text boxes, hidden runs, bad ZIPs."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gongkai.errors import CorruptFile, EmptyInput, EncryptedFile, TooLarge
from gongkai.reading.document import Cell, Document, TableBlock
from gongkai.reading.formats.docx import read

docx = pytest.importorskip("docx")

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHUYANG = CORPUS / "dev" / "shuyang-fgj-2023.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
PARTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及整改措施",
    "六、其他需要报告的事项",
]


def saved(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paras()]


def values(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def table_with(doc: Document, word: str) -> TableBlock:
    return next(t for t in doc.tables() if any(word in c.text for r in t.rows for c in r))


def row_starting(table: TableBlock, label: str) -> list[Cell]:
    return next(r for r in table.rows if r and r[0].text.startswith(label))


def add_xml(d: Any, xml: str) -> None:
    """Append a raw WordprocessingML block to the body (before the section properties)."""
    from docx.oxml import parse_xml

    body = d.element.body
    body.insert(len(body) - 1, parse_xml(xml))


def with_member(data: bytes, name: str, content: bytes) -> bytes:
    """``data`` (a ZIP) with one member added."""
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            out.writestr(info, src.read(info))
        out.writestr(name, content)
    return buf.getvalue()


# -- the real converted page -------------------------------------------------------------


@pytest.fixture(scope="module")
def shuyang() -> Document:
    if not SHUYANG.exists():
        pytest.skip(f"{SHUYANG} is absent: no reference corpus beside the repository")
    return read(SHUYANG.read_bytes(), SHUYANG.name)


def test_shuyang_table3_grid(shuyang: Document) -> None:
    t3 = table_with(shuyang, "本年新收")
    assert all(len(r) == 10 for r in t3.rows)
    row = row_starting(t3, "一、本年新收政府信息公开申请数量")
    assert values(row)[-7:] == ["26", "", "", "", "", "", "26"]
    assert len({c.origin for c in row[:3]}) == 1  # gridSpan 3
    # vMerge: the group label runs down 22 rows as one origin
    group = [r[0] for r in t3.rows if r[0].text == "三、本年度办理结果"]
    assert len(group) == 22 and len({c.origin for c in group}) == 1
    assert [c.loc.row for c in group] == list(range(6, 28))


def test_shuyang_split_labels_and_tables(shuyang: Document) -> None:
    cells = {
        c.text.replace("“", '"').replace("”", '"')
        for t in shuyang.tables()
        for r in t.rows
        for c in r
    }
    for label in ("（一）予以公开", "三、本年度办理结果", '3.危及"三安全一稳定"', "自然人", "总计"):
        assert label in cells
    assert (
        values(table_with(shuyang, "行政复议").rows[-1]) == ["0", "0", "0", "1", "1"] + ["0"] * 10
    )
    t2 = table_with(shuyang, "第二十条")
    assert values(row_starting(t2, "规范性文件")) == ["规范性文件", "8", "0", "18"]
    assert len(t2.rows) == 14


def test_shuyang_prose_and_meta(shuyang: Document) -> None:
    paras = texts(shuyang)
    for part in PARTS:
        assert part in paras
    assert "沭阳县发展和改革局" in paras and "2024年1月17日" in paras
    lines = [p.loc.line or 0 for p in shuyang.paras()]
    assert lines == sorted(lines) and lines[0] == 1
    assert shuyang.meta["title"] == "沭阳县人民政府"  # what LibreOffice put in core.xml
    assert shuyang.meta["url"].startswith("http://www.shuyang.gov.cn/")
    assert shuyang.meta["active_parts"] and shuyang.meta["hidden_text"] == []


def test_truncated_corpus_docx() -> None:
    if not SHUYANG.exists():
        pytest.skip(f"{SHUYANG} is absent: no reference corpus beside the repository")
    data = SHUYANG.read_bytes()
    with pytest.raises(CorruptFile) as e:
        read(data[: len(data) // 2], "cut.docx")
    assert "cut.docx" in e.value.message("zh")


# -- documents made here ----------------------------------------------------------------------


def test_merged_cells_expand_to_a_grid() -> None:
    d = docx.Document()
    t = d.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            t.cell(r, c).text = f"{r}{c}"
    t.cell(0, 0).merge(t.cell(0, 2)).text = "申请人情况"
    t.cell(1, 0).merge(t.cell(3, 0)).text = "三、本年度办理结果"
    t.cell(2, 2).merge(t.cell(3, 3)).text = "块"
    doc = read(saved(d), "m.docx")
    (grid,) = doc.tables()
    assert [values(r) for r in grid.rows] == [
        ["申请人情况", "申请人情况", "申请人情况", "03"],
        ["三、本年度办理结果", "11", "12", "13"],
        ["三、本年度办理结果", "21", "块", "块"],
        ["三、本年度办理结果", "31", "块", "块"],
    ]
    assert len({c.origin for c in grid.rows[0][:3]}) == 1
    assert len({grid.rows[r][0].origin for r in (1, 2, 3)}) == 1
    block = {grid.rows[r][c].origin for r in (2, 3) for c in (2, 3)}
    assert len(block) == 1 and grid.rows[3][3].col == 3 and grid.rows[3][3].loc.row == 4
    assert len({c.origin for r in grid.rows for c in r}) == 9


def test_paragraphs_breaks_tabs_headings_and_title() -> None:
    d = docx.Document()
    d.core_properties.title = "某局2023年政府信息公开工作年度报告"
    d.add_heading("一、总体情况", level=1)
    p = d.add_paragraph("甲")
    p.add_run().add_break()
    p.add_run("乙\t丙")
    d.add_paragraph("")
    d.add_paragraph("邮箱：gk@example.gov.cn")
    cell = d.add_table(rows=1, cols=2).rows[0].cells
    cell[0].text = "商业"
    cell[0].add_paragraph("企业")
    cell[1].text = "5"
    doc = read(saved(d), "p.docx")
    assert texts(doc) == ["一、总体情况", "甲", "乙 丙", "邮箱：gk@example.gov.cn"]
    assert [p.loc.line for p in doc.paras()] == [1, 2, 2, 4]
    assert [p.heading for p in doc.paras()] == [True, False, False, False]
    assert values(doc.tables()[0].rows[0]) == ["商业\n企业", "5"]
    assert doc.tables()[0].rows[0][0].loc.line == 5
    assert doc.meta["title"] == "某局2023年政府信息公开工作年度报告"
    assert doc.meta["emails"] == [{"email": "gk@example.gov.cn", "line": 4}]


def test_hidden_runs_are_recorded_not_emitted() -> None:
    d = docx.Document()
    p = d.add_paragraph("正文")
    spam = p.add_run("即时比分 开奖直播")
    spam.font.hidden = True
    p.add_run("继续")
    doc = read(saved(d), "h.docx")
    assert texts(doc) == ["正文继续"]
    assert doc.meta["hidden_text"] == [{"text": "即时比分 开奖直播", "line": 1}]


def test_tracked_changes_and_fields() -> None:
    d = docx.Document()
    add_xml(
        d,
        f"<w:p {NS}><w:r><w:t>共收到</w:t></w:r>"
        "<w:del><w:r><w:delText>12</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>26</w:t></w:r></w:ins>"
        '<w:moveFrom><w:r><w:t>旧</w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve">件 </w:t></w:r>'
        '<w:r><w:instrText> HYPERLINK "http://x.gov.cn" </w:instrText></w:r>'
        "<w:r><w:t>网站</w:t></w:r></w:p>",
    )
    doc = read(saved(d), "t.docx")
    assert texts(doc) == ["共收到26件 网站"]
    assert doc.meta["links"] == [{"href": "http://x.gov.cn", "text": "", "line": 1}]


def test_text_box_is_read_once() -> None:
    box = "<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>"
    d = docx.Document()
    add_xml(
        d,
        f"<w:p {NS}><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent>"
        f"<mc:Choice Requires='wps'><w:drawing><wps:txbx>{box.format('框内文字')}</wps:txbx>"
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box.format('框内文字')}"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
    )
    doc = read(saved(d), "b.docx")
    assert texts(doc) == ["正文", "框内文字"]
    assert [p.loc.line for p in doc.paras()] == [1, 2]


def test_nested_table_is_a_layout_container() -> None:
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    left = outer.cell(0, 0)
    left.text = "一、总体情况"
    inner = left.add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"v{r}{c}"
    left.add_paragraph("落款")
    outer.cell(0, 1).text = "侧栏"
    single = d.add_table(rows=1, cols=1)
    single.cell(0, 0).text = "单格表格"
    doc = read(saved(d), "n.docx")
    assert texts(doc) == ["一、总体情况", "落款", "侧栏", "单格表格"]
    (t,) = doc.tables()
    assert t.loc.table == 1 and [values(r) for r in t.rows] == [["v00", "v01"], ["v10", "v11"]]


def test_embedded_record_in_custom_xml() -> None:
    d = docx.Document()
    d.add_paragraph("报告")
    record = {"agency": "某局", "year": 2023}
    part = f'<gk:record xmlns:gk="urn:gongkai:record:1">{json.dumps(record, ensure_ascii=False)}</gk:record>'
    doc = read(with_member(saved(d), "customXml/item90.xml", part.encode()), "e.docx")
    assert doc.meta["embedded"] == record
    bad = part.replace("}", "")
    doc = read(with_member(saved(d), "customXml/item90.xml", bad.encode()), "e.docx")
    assert "embedded" not in doc.meta and [w.code for w in doc.warnings] == ["embedded-invalid"]


def test_strict_ooxml_namespace() -> None:
    d = docx.Document()
    d.add_paragraph("严格模式")
    data = saved(d)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            raw = src.read(info)
            if info.filename == "word/document.xml":
                raw = raw.replace(W.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            out.writestr(info, raw)
    assert texts(read(buf.getvalue(), "s.docx")) == ["严格模式"]


def test_no_external_entities() -> None:
    doc_xml = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>正文&xxe;&d;</w:t></w:r></w:p></w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", doc_xml)
    doc = read(buf.getvalue(), "x.docx")
    assert texts(doc) == ["正文"]


# -- bad archives ----------------------------------------------------------------------------------


def test_zip_bomb_is_rejected_fast(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    zero = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(500):
                fh.write(zero)
    data = path.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    tracemalloc.start()
    t0 = time.perf_counter()
    with pytest.raises(TooLarge) as e:
        read(data, path.name)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1 and peak < 16 * 1024 * 1024
    assert "压缩炸弹" in e.value.message("zh") and "zip bomb" in e.value.message("en")


def test_small_high_ratio_member_is_a_bomb() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/pad.bin", bytes(20 * 1024 * 1024))
    with pytest.raises(TooLarge):
        read(buf.getvalue(), "pad.docx")


def test_not_a_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CorruptFile) as e:
        read(buf.getvalue(), "archive.docx")
    assert "word/document.xml" in e.value.message("en")
    d = docx.Document()
    d.add_paragraph("青山市民政局2023年政府信息公开工作年度报告")
    data = saved(d)
    with pytest.raises(CorruptFile):
        read(data[: len(data) // 2], "cut.docx")
    with pytest.raises(CorruptFile):
        read(b"PK\x03\x04 this is no zip at all" * 10, "fake.docx")


def test_broken_xml_empty_and_encrypted() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    with pytest.raises(CorruptFile):
        read(buf.getvalue(), "broken.docx")
    with pytest.raises(EmptyInput):
        read(b"", "empty.docx")
    with pytest.raises(EmptyInput):
        read(saved(docx.Document()), "blank.docx")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(600)
    with pytest.raises(EncryptedFile):
        read(ole, "secret.docx")
