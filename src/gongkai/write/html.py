"""The report as one self-contained, accessible, printable HTML page.

No external resources: the style sheet is inline and the fonts are named
with fallbacks (仿宋 → Noto Serif CJK SC → serif). Tables carry the official
merged headers with ``rowspan``/``colspan``; every header cell is a ``<th>``
with ``scope`` (``col``/``colgroup`` for column headers, ``row``/``rowgroup``
for row labels), and each table is labelled by its part heading. The record
travels inside the page as ``<script type="application/json"
id="gongkai-record">``.
"""

from __future__ import annotations

from html import escape

from gongkai.write.content import Block, compose
from gongkai.write.data import ReportData
from gongkai.write.grid import GridCell, GridTable

SCRIPT_ID = "gongkai-record"

_CSS = """
:root { --ink: #111; --rule: #000; }
html { background: #fff; color: var(--ink); }
body { max-width: 46em; margin: 2em auto; padding: 0 1em;
  font-family: "仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC",
    "Source Han Serif SC", serif;
  font-size: 16pt; line-height: 1.75; }
h1 { font-family: "方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong",
    "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 22pt; font-weight: bold; text-align: center; line-height: 1.5;
  margin: 0 0 1em; }
h1 span { display: inline-block; max-width: 100%; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  font-size: 16pt; font-weight: normal; margin: .6em 0 .2em; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.sub { font-family: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", "Noto Serif CJK SC", serif; }
p.sign, p.date { text-align: right; text-indent: 0; padding-right: 2em; }
p.sign { margin-top: 2em; }
p.forced { text-indent: 0; color: #c00000; font-weight: bold; border: 2px solid #c00000;
  padding: .3em .6em; margin: 0 0 1em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; table-layout: fixed;
  font-size: 10.5pt; line-height: 1.35; }
table.t4 { font-size: 9pt; }
th, td { border: 1px solid var(--rule); padding: .25em .3em; vertical-align: middle;
  word-wrap: break-word; overflow-wrap: anywhere; }
th { font-weight: normal; text-align: center; }
th[scope=row] { text-align: left; }
td { text-align: center; font-family: "Times New Roman", "Noto Serif CJK SC", serif; }
thead th { background: #f2f2f2; }
th.cap { text-align: left; background: #f7f7f7; }
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  body { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr, th, td { page-break-inside: avoid; break-inside: avoid; }
  h2 { page-break-after: avoid; break-after: avoid; }
  thead th, th.cap { background: none; }
}
"""


def _cell(cell: GridCell) -> str:
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    text = escape(cell.text)
    if cell.role == "value":
        return f"<td{attrs}>{text}</td>"
    cls = ' class="cap"' if cell.role == "caption" else ""
    return f'<th scope="{cell.scope}"{attrs}{cls}>{text}</th>'


def title_html(title: str, agency: str) -> str:
    """The title in pieces that wrap whole: after the agency's name, before 政府信息公开….

    A long title breaks between ``平潭综合实验区`` and ``2024年政府信息公开工作年度报告``
    (as the DOCX does), never inside a name or a word, on screen and in print.
    """
    pieces: list[str] = []
    rest = title
    if agency and rest.startswith(agency) and len(rest) > len(agency):
        pieces.append(agency)
        rest = rest[len(agency) :]
    cut = rest.find("政府信息公开")
    if cut > 0:
        pieces.extend([rest[:cut], rest[cut:]])
    else:
        pieces.append(rest)
    return "<wbr>".join(f"<span>{escape(p)}</span>" for p in pieces if p)


def table_html(table: GridTable, labelled_by: str | None = None) -> str:
    """One table with its merged headers; ``labelled_by`` is the id of its heading."""
    label = f' aria-labelledby="{labelled_by}"' if labelled_by else ""
    cols = "".join(f'<col style="width:{w * 100:.2f}%">' for w in table.widths)
    lines = [
        f'<table class="{table.key.replace("table", "t")}"{label}>',
        f"<colgroup>{cols}</colgroup>",
    ]
    lines.append("<thead>" if table.header_rows else "<tbody>")
    for i, row in enumerate(table.rows):
        if table.header_rows and i == table.header_rows:
            lines.append("</thead><tbody>")
        lines.append("<tr>" + "".join(_cell(c) for c in row) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def embedded_json(data: ReportData) -> str:
    """The record for ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` are written as JSON escapes (``\\u003c`` …), so no
    text from the data — ``</script>``, ``<!--``, ``<script`` — can end the
    element or switch the HTML parser's state; JSON reads them back unchanged.
    """
    return data.to_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(data: ReportData, *, embed: bool = True) -> str:
    """The report as one HTML page."""
    blocks: list[Block] = compose(data)
    body: list[str] = []
    heading_id = ""
    for b in blocks:
        t = escape(b.text)
        if b.kind == "title":
            body.append(f"<h1>{title_html(b.text, data.agency)}</h1>")
        elif b.kind == "heading":
            heading_id = f"part{b.part}"
            body.append(f'<h2 id="{heading_id}">{t}</h2>')
        elif b.kind == "notice":
            body.append(f'<p class="forced" role="alert">{t}</p>')
        elif b.kind == "subheading":
            body.append(f'<p class="sub">{t}</p>')
        elif b.kind in ("para", "preamble"):
            body.append(f"<p>{t}</p>")
        elif b.kind == "table" and b.table is not None:
            body.append(table_html(b.table, heading_id or None))
        elif b.kind == "signature":
            body.append(f'<p class="sign">{t}</p>')
        elif b.kind == "date":
            body.append(f'<p class="date">{t}</p>')
    script = ""
    if embed:
        script = (
            f'<script type="application/json" id="{SCRIPT_ID}">{embedded_json(data)}</script>\n'
        )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="gongkai">\n'
        f"<title>{escape(data.title)}</title>\n<style>{_CSS}</style>\n{script}</head>\n"
        "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n"
    )
