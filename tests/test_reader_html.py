"""The HTML reader: real crawler pages, encodings, grids, layout tables, tamper signals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.errors import CorruptFile, EmptyInput
from gongkai.reading.document import Cell, Document, Para, TableBlock
from gongkai.reading.formats.html import read

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SHUYANG = CORPUS / "dev" / "shuyang-fgj-2023.html"

PARTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及整改措施",
    "六、其他需要报告的事项",
]


def page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paras()]


def values(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def unquote(text: str) -> str:
    return text.replace("“", '"').replace("”", '"')


def table_with(doc: Document, word: str) -> TableBlock:
    return next(t for t in doc.tables() if any(word in c.text for r in t.rows for c in r))


def row_starting(table: TableBlock, label: str) -> list[Cell]:
    return next(r for r in table.rows if r and r[0].text.startswith(label))


# -- the real page ------------------------------------------------------------------


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
    # the label spans three columns: three positions, one origin
    assert [c.col for c in row] == list(range(10))
    assert len({c.origin for c in row[:3]}) == 1 and len({c.origin for c in row[3:]}) == 7
    assert row[0].loc.table == t3.loc.table and row[0].loc.col == 1 and row[3].loc.col == 4


def test_shuyang_split_labels_are_joined(shuyang: Document) -> None:
    cells = {unquote(c.text) for t in shuyang.tables() for r in t.rows for c in r}
    for label in ("（一）予以公开", "三、本年度办理结果", '3.危及"三安全一稳定"', "自然人", "总计"):
        assert label in cells
    # "三、本年度办理结果" spans 22 rows
    t3 = table_with(shuyang, "本年新收")
    assert sum(r[0].text == "三、本年度办理结果" for r in t3.rows) == 22


def test_shuyang_table4_and_table2(shuyang: Document) -> None:
    t4 = table_with(shuyang, "行政复议")
    assert values(t4.rows[-1]) == ["0", "0", "0", "1", "1"] + ["0"] * 10
    t2 = table_with(shuyang, "第二十条")
    assert len(t2.rows) == 14 and all(len(r) == 4 for r in t2.rows)
    assert values(row_starting(t2, "规范性文件")) == ["规范性文件", "8", "0", "18"]
    assert values(row_starting(t2, "规章")) == ["规章", "0", "0", "0"]
    licensing = row_starting(t2, "行政许可")
    assert len({c.origin for c in licensing}) == 2  # the value spans three columns
    assert {c.text for c in row_starting(t2, "行政事业性收费")[1:]} == {"0"}


def test_shuyang_prose(shuyang: Document) -> None:
    paras = texts(shuyang)
    for part in PARTS:
        assert part in paras
    assert paras.index(PARTS[0]) < paras.index(PARTS[5])
    assert "沭阳县发展和改革局" in paras and "2024年1月17日" in paras
    lines = SHUYANG.read_text("utf-8").splitlines()
    para = next(p for p in shuyang.paras() if p.text == PARTS[0])
    assert para.loc.line is not None and PARTS[0] in lines[para.loc.line - 1]


def test_shuyang_meta(shuyang: Document) -> None:
    meta = shuyang.meta
    assert meta["encoding"] == "utf-8"
    assert meta["title"].startswith("沭阳县发展和改革局2023年政府信息公开年度报告")
    assert meta["crawler"]["单位"] == "沭阳县发改局"
    assert meta["url"].startswith("http://www.shuyang.gov.cn/")
    assert meta["content"]["found"] and meta["content"]["tag"] == "ucapcontent"
    start, stop = meta["content"]["blocks"]
    inner = [b.text for b in shuyang.blocks[start:stop] if isinstance(b, Para)]
    assert PARTS[0] in inner and "标题：" not in "".join(inner)
    assert meta["scripts"] and not any(s["in_content"] for s in meta["scripts"])
    text = shuyang.text()
    assert "websiteId" not in text and "getFullYear" not in text and "font-family" not in text
    assert meta["hidden_text"] == [] and meta["emails"] == []
    assert meta["iframes"][0]["src"] == "/shuyang/footer/footer.shtml"


# -- encodings -----------------------------------------------------------------------------


def test_gb2312_declared_page_with_a_gbk_only_character() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    html += "<title>年度报告</title></head><body><p>朱镕基同志</p></body></html>"
    doc = read(html.encode("gb18030"), "gb.html")
    assert doc.meta["encoding"] == "gb18030" and texts(doc) == ["朱镕基同志"]
    assert doc.meta["title"] == "年度报告"


def test_undeclared_gbk_page() -> None:
    doc = read("<html><body><p>政府信息公开工作年度报告</p></body></html>".encode("gbk"), "x.htm")
    assert doc.meta["encoding"] == "gb18030" and texts(doc) == ["政府信息公开工作年度报告"]


def test_utf8_page_declared_gb2312() -> None:
    html = '<html><head><meta charset="gb2312"></head><body><p>依申请公开</p></body></html>'
    doc = read(html.encode("utf-8"), "x.html")
    assert doc.meta["encoding"] == "utf-8" and texts(doc) == ["依申请公开"]


def test_xml_declaration_with_encoding() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>第一行</p>\n<p>第二行</p></body></html>'
    doc = read(html.encode(), "x.xhtml")
    assert [(p.text, p.loc.line) for p in doc.paras()] == [("第一行", 2), ("第二行", 3)]


# -- grids and layout -----------------------------------------------------------------------


def test_rowspan_colspan_grid() -> None:
    doc = read(
        page(
            "<table>"
            "<tr><td rowspan='2'>A</td><td colspan='2'>B</td></tr>"
            "<tr><td>&nbsp;</td><td><o:p> </o:p></td></tr>"
            "<tr><td>C</td><td colspan=2>D<br>E</td></tr>"
            "</table>"
        ),
        "g.html",
    )
    (t,) = doc.tables()
    assert [values(r) for r in t.rows] == [["A", "B", "B"], ["A", "", ""], ["C", "D\nE", "D\nE"]]
    assert t.rows[0][0].origin == t.rows[1][0].origin
    assert t.rows[0][1].origin == t.rows[0][2].origin != t.rows[0][0].origin
    assert [c.col for c in t.rows[1]] == [0, 1, 2]
    assert (t.rows[1][0].loc.row, t.rows[1][0].loc.col, t.loc.table) == (2, 1, 1)
    assert len({c.origin for r in t.rows for c in r}) == 6


def test_paragraphs_in_a_cell_become_lines() -> None:
    cell = "<td><p><span>商业</span></p><p><span>企</span><span>业</span></p></td>"
    doc = read(page(f"<table><tr>{cell}<td>1</td></tr></table>"), "c.html")
    assert values(doc.tables()[0].rows[0]) == ["商业\n企业", "1"]


def test_nested_layout_table_is_read_as_prose() -> None:
    inner = "<table><tr><td>自然人</td><td>总计</td></tr><tr><td>3</td><td>3</td></tr></table>"
    doc = read(
        page(
            f"<table><tr><td><p>一、总体情况</p>{inner}<p>落款</p></td><td>侧栏</td></tr></table>"
        ),
        "n.html",
    )
    assert texts(doc) == ["一、总体情况", "落款", "侧栏"]
    (t,) = doc.tables()
    assert t.loc.table == 1 and [values(r) for r in t.rows] == [["自然人", "总计"], ["3", "3"]]
    assert isinstance(doc.blocks[1], TableBlock)


def test_single_cell_table_is_prose() -> None:
    doc = read(page("<table><tr><td><p>第一段</p><p>第二段</p></td></tr></table>"), "s.html")
    assert texts(doc) == ["第一段", "第二段"] and doc.tables() == []


def test_br_lines_and_headings() -> None:
    doc = read(page("<h2>标题</h2><p>甲<br>乙<br/>\n丙</p><div>丁<div>戊</div>己</div>"), "b.html")
    assert texts(doc) == ["标题", "甲", "乙", "丙", "丁", "戊", "己"]
    assert [p.heading for p in doc.paras()][:2] == [True, False]


def test_colspan_bomb_is_bounded() -> None:
    rows = "".join(
        f"<tr><td colspan='99999'>{i}</td><td rowspan='99999'>x</td></tr>" for i in range(50)
    )
    doc = read(page(f"<table>{rows}</table>"), "bomb.html")
    (t,) = doc.tables()
    assert sum(len(r) for r in t.rows) <= 200_000


# -- broken and empty input --------------------------------------------------------------------


def test_broken_unclosed_tags() -> None:
    html = b"<html><body><div><p>one<p>two<span>three<table><tr><td>a<td>b<tr><td>c</table></font></i>four"
    doc = read(html, "broken.html")
    assert texts(doc)[:2] == ["one", "twothree"]
    assert [values(r) for r in doc.tables()[0].rows] == [["a", "b"], ["c"]]
    assert "four" in doc.text()


def test_too_deep_nesting_is_reported() -> None:
    doc = read(b"<p>start</p>" + b"<div>" * 3000 + b"lost", "deep.html")
    assert texts(doc) == ["start"]
    assert [w.code for w in doc.warnings] == ["html-parse-stopped"]


def test_empty_and_garbage() -> None:
    with pytest.raises(EmptyInput):
        read(b"", "empty.html")
    with pytest.raises(EmptyInput):
        read(b" \n\t ", "blank.html")
    with pytest.raises(EmptyInput):
        read(b"<html><head><script>var a=1;</script></head><body>  </body></html>", "x.html")
    with pytest.raises(CorruptFile) as e:
        read(bytes(range(256)) * 40, "garbage.html")
    assert "garbage.html" in e.value.message("zh")


def test_a_page_showing_replacement_characters_is_text() -> None:
    """U+FFFD the page itself spells (a writer showing control characters so) is text;
    only characters the decoding replaced count toward binary data."""
    shown = "某局报告" + "\ufffd" * 200 + "公开"
    doc = read(page(f"<p>{shown}</p>"), "shown.html")
    assert [b.text for b in doc.blocks if isinstance(b, Para)] == [shown]
    with pytest.raises(CorruptFile):  # the same count of bytes that are no UTF-8 at all
        read(page("<p>某局报告</p>").replace(b"</p>", b"\xff" * 200 + b"</p>"), "bad.html")


# -- tamper signals -----------------------------------------------------------------------------


REPORT = (
    "<div id='c'><h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>{extra}"
    "<p>二、主动公开政府信息情况</p><table><tr><td>第二十条第（一）项</td><td>1</td></tr></table>"
    "<p>三、收到和处理政府信息公开申请情况</p></div>"
)


@pytest.mark.parametrize(
    "style",
    [
        "display:none",
        "DISPLAY: NONE",
        "visibility:hidden",
        "font-size:0",
        "font-size: 0px;color:red",
        "position:absolute;left:-9999px",
        "height:0;overflow:hidden",
    ],
)
def test_hidden_spam_is_recorded_not_emitted(style: str) -> None:
    extra = f'<p>正文<span style="{style}">即时比分 开奖直播</span>继续</p>'
    doc = read(page(REPORT.format(extra=extra)), "h.html")
    assert "即时比分" not in doc.text() and "正文继续" in texts(doc)
    (hidden,) = doc.meta["hidden_text"]
    assert hidden["text"] == "即时比分 开奖直播" and hidden["in_content"] is True
    assert hidden["line"] == 1


@pytest.mark.parametrize(
    "style",
    ["font-size:0.8em", "margin-left:-20px", "line-height:0", "overflow:hidden", "color:#000"],
)
def test_visible_styles_are_kept(style: str) -> None:
    extra = f'<p>正文<span style="{style}">可见文字</span></p>'
    doc = read(page(REPORT.format(extra=extra)), "v.html")
    assert "正文可见文字" in texts(doc) and doc.meta["hidden_text"] == []


def test_hidden_attribute_outside_the_content() -> None:
    doc = read(
        page(REPORT.format(extra="") + "<div hidden>六合彩 开奖结果</div><p>页脚</p>"), "a.html"
    )
    assert doc.meta["hidden_text"] == [{"text": "六合彩 开奖结果", "line": 1, "in_content": False}]
    assert texts(doc)[-1] == "页脚"


def test_scripts_links_frames_images_emails() -> None:
    extra = (
        "<script src='https://stats.example-ads.com/a.js'></script>"
        "<script>document.write('spam')</script>"
        "<p>联系邮箱：office@lucky-spin.net</p><a href='mailto:gk@example.gov.cn'>写信</a>"
        "<a href='http://www.pj888.com'>百家乐</a><iframe src='http://casino.cc/x'></iframe>"
        "<img src='t3.png' alt='表三'>"
    )
    html = (
        "<html><head><meta charset='utf-8'><meta http-equiv='refresh' content='0; url=http://jump.example.com'>"
        f"<script src='/js/jquery.js'></script></head><body>{REPORT.format(extra=extra)}"
        "<a href='/index.html'>首页</a></body></html>"
    )
    doc = read(html.encode(), "s.html")
    meta = doc.meta
    assert [(s["src"], s["in_content"]) for s in meta["scripts"]] == [
        ("/js/jquery.js", False),
        ("https://stats.example-ads.com/a.js", True),
        (None, True),
    ]
    assert meta["scripts"][2]["inline"] == "document.write('spam')"
    assert "document.write" not in doc.text()
    links = {link["href"]: link["in_content"] for link in meta["links"]}
    assert links == {
        "mailto:gk@example.gov.cn": True,
        "http://www.pj888.com": True,
        "/index.html": False,
    }
    assert {e["email"] for e in meta["emails"]} == {"gk@example.gov.cn", "office@lucky-spin.net"}
    assert all(e["in_content"] for e in meta["emails"])
    assert meta["iframes"] == [{"src": "http://casino.cc/x", "line": 1, "in_content": True}]
    assert meta["images"] == [{"src": "t3.png", "alt": "表三", "line": 1, "in_content": True}]
    assert meta["meta_refresh"] == [
        {
            "url": "http://jump.example.com",
            "content": "0; url=http://jump.example.com",
            "line": 1,
            "in_content": False,
        }
    ]
    assert meta["content"]["found"] is True and meta["content"]["tag"] == "div"


def test_no_container_falls_back_to_body() -> None:
    doc = read(page("<p>今天晴。</p><script src='x.js'></script>"), "w.html")
    assert doc.meta["content"]["found"] is False and doc.meta["scripts"][0]["in_content"] is True


def test_embedded_record() -> None:
    record = {"agency": "某局", "year": 2023}
    body = f"<p>报告</p><script type='application/json' id='gongkai-record'>{json.dumps(record)}</script>"
    doc = read(page(body), "e.html")
    assert doc.meta["embedded"] == record and doc.meta["scripts"] == [] and texts(doc) == ["报告"]
    bad = read(
        page("<p>报告</p><script type='application/json' id='gongkai-record'>{oops</script>"),
        "e.html",
    )
    assert "embedded" not in bad.meta
    assert [w.code for w in bad.warnings] == ["embedded-invalid"]


def test_crawler_header() -> None:
    body = (
        "<div><strong>标题：</strong>某局年报</div><div><strong>来源：</strong>"
        "<a href='http://x.gov.cn/a.html'>http://x.gov.cn/a.html</a></div>"
        "<div><strong>采集时间：</strong>2025-01-01</div><p>正文</p>"
    )
    doc = read(page(body), "c.html")
    assert doc.meta["crawler"] == {
        "标题": "某局年报",
        "来源": "http://x.gov.cn/a.html",
        "采集时间": "2025-01-01",
    }
    assert doc.meta["url"] == "http://x.gov.cn/a.html"
    assert texts(doc)[0] == "标题：某局年报"
