"""Read HTML pages with the compiled walk (``_htmlwalk``: ``Walker``, and ``lean`` before
the parse) and with ``html._Reader`` on the page as it is, in one process, and print
every page whose Document differs (blocks, cells, lines, meta, warnings, refusals); the
last line is ``pages N differ M cut K unmarked U`` (K: pages ``lean`` cut attributes
out of; U: pages ``may_hide`` passed, each checked against ``mark_hidden``). Run by
``tests/test_compiled.py`` with the compiled wheel on PYTHONPATH.

    python tests/walk_worker.py [--random N]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(HERE))

_INLINE = ["span", "font", "b", "o:p", "a", "strong", "i", "sup", "em"]
_BLOCKS = ["p", "div", "h2", "h3", "li", "pre", "section", "center", "blockquote"]
_WORDS = [
    "行政许可", "0", "12", "三、收到和处理政府信息公开申请情况", "（一）予以公开", "总计",
    "政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况", " ", "\n", "\t",
    "自然人", "&nbsp;", "&amp;", "&#21457;", "a\u200bb", "3 4", "第二行\n第三行", "",
]  # fmt: skip
_HIDING = ["", ' style="display:none"', ' style="font-size:12pt"', " hidden", ' class="x"']
#: the styles of a page's elements: mostly none that may hide one (the pages whose
#: attributes ``lean`` may cut), sometimes some
_STYLES = list(_HIDING)
#: attributes as Word, WPS and site editors write them, and as they should not be written
_ATTRIBUTES = [
    "", ' class=MsoNormal', ' align="center"', " width=120", ' STYLE="mso-x:1;\nfont:9pt"',
    " valign=top nowrap", ' lang=EN-US style=\'font-size:10.5pt\'', ' id="t1"', ' name=x',
    ' class = "a"', ' face="宋体"', ' title="a>b"', " align=center/", ' x:num="12"',
    ' class="a"class="b"', " =x", ' a"b=1', " data-x='<p>'", ' class="unclosed',
    ' href="http://example.cn/a?b=1&amp;c=2"', " colspan=2 style=x", ' style=""',
]  # fmt: skip
#: what pages hold besides elements: doctypes, Word's conditional comments, comments, raw text
_MARKUP = [
    "<!DOCTYPE html>", "<![if !supportLists]>1.<![endif]>", "<!-- <p class=x> -->",
    "<!--[if gte mso 9]><xml><w:x class=a/></xml><![endif]-->", "<!-- a -- b --->",
    "<script>document.write('<p style=\"x\">隐藏</p>')</script>",
    "<script><!-- <script class=a></script> --></script>", "<style>td {width: 1px}</style>",
    "<title>标题<b class=x>粗</b></title>", "<textarea class=a><p class=b></textarea>",
    "</td class=x>", "<br class=x/>", "<!-->", "<!--->", "<!-- a --!>", "</ a>", "<?xml a?>",
    "<xmp><p class=x>原样</p></xmp>", "<img src=a.png alt='图' width=9>", "<plaintext>",
    "< p>", "<p\nclass=a\nalign=left>换行</p>", "<a href=#x class=b>链接</a>",
]  # fmt: skip


def _text(rng: random.Random) -> str:
    return rng.choice(_WORDS)


def _inline(rng: random.Random, depth: int) -> str:
    if depth > 3 or rng.random() < 0.4:
        return _text(rng)
    if rng.random() < 0.1:
        return rng.choice(_MARKUP)
    tag = rng.choice(_INLINE)
    if rng.random() < 0.5:
        tag += rng.choice(_ATTRIBUTES)
    inner = "".join(_inline(rng, depth + 1) for _ in range(rng.randint(0, 3)))
    if rng.random() < 0.1:
        inner += "<br>"
    if rng.random() < 0.05:
        inner += "<!-- 注释 -->"
    end = tag.split()[0]
    return f"<{tag}{rng.choice(_STYLES)}>{inner}</{end}>{_text(rng) if rng.random() < 0.3 else ''}"


def _cell(rng: random.Random, depth: int) -> str:
    tag = "th" if rng.random() < 0.1 else "td"
    attrs = ""
    if rng.random() < 0.15:
        attrs += f' colspan="{rng.choice(["2", "3", "0", "x", " 2", "1"])}"'
    if rng.random() < 0.15:
        attrs += f" rowspan={rng.choice(['2', '3', '0', '9'])}"
    if rng.random() < 0.05:
        attrs += rng.choice(_STYLES)
    if rng.random() < 0.5:
        attrs += rng.choice(_ATTRIBUTES)
    roll = rng.random()
    if roll < 0.5:
        inner = _text(rng)
    elif roll < 0.8:
        inner = "".join(_inline(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    elif roll < 0.9:
        inner = "".join(
            f"<p{rng.choice(_STYLES)}>{_inline(rng, depth + 1)}</p>{_text(rng) if rng.random() < 0.2 else ''}"
            for _ in range(rng.randint(1, 3))
        )
    elif depth < 2 and roll < 0.95:
        inner = _table(rng, depth + 1)
    else:
        inner = f"<div>{_inline(rng, depth + 1)}</div><pre>一\n二</pre>"
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _table(rng: random.Random, depth: int) -> str:
    rows = []
    for _ in range(rng.randint(0, 5)):
        cells = "".join(_cell(rng, depth) for _ in range(rng.randint(0, 5)))
        rows.append(f"<tr>{cells}</tr>")
    body = "\n".join(rows)
    if rng.random() < 0.4:
        body = f"<tbody>{body}</tbody>"
    caption = f"<caption>{_inline(rng, 2)}</caption>" if rng.random() < 0.2 else ""
    return f"<table{rng.choice(_STYLES)}>{caption}{body}</table>"


def _block(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if roll < 0.3 and depth < 3:
        return _table(rng, depth)
    if roll < 0.4:
        return f"<script>var s = '<p>{_text(rng)}</p>';</script>{_text(rng)}"
    if roll < 0.45:
        return "<style>p {color: red}</style>"
    tag = rng.choice(_BLOCKS)
    if rng.random() < 0.5:
        tag += rng.choice(_ATTRIBUTES)
    inner = "".join(
        _block(rng, depth + 1) if rng.random() < 0.2 and depth < 4 else _inline(rng, 1)
        for _ in range(rng.randint(0, 4))
    )
    tail = _text(rng) if rng.random() < 0.3 else ""
    return f"<{tag}{rng.choice(_STYLES)}>{inner}</{tag.split()[0]}>{tail}"


def random_page(rng: random.Random) -> bytes:
    """A page of random blocks, tables (spans, nested tables, paragraphs in cells), inline
    runs, hidden styles, scripts and comments."""
    _STYLES[:] = _HIDING if rng.random() < 0.3 else ["", ' style="font-size:12pt"']
    head = "<html><head><title>报告</title><meta name=PubDate content=2024-01-20></head><body>"
    if rng.random() < 0.2:
        head = "<body>"
    blocks = "\n".join(_block(rng, 0) for _ in range(rng.randint(1, 8)))
    if rng.random() < 0.3:
        blocks = f"<div class=article>{blocks}</div>"
    page = head + blocks + ("</body></html>" if rng.random() < 0.8 else "")
    if rng.random() < 0.1:  # past libxml2's 65,534 lines
        page = "\n" * 70_000 + page
    return page.encode("utf-8" if rng.random() < 0.9 else "gb18030", "replace")


#: pieces of pages that mark_hidden looks at: CSS properties and values, white space
#: (and the white space and letters past ASCII that \s and re.I match), the hidden word
_CSS = [
    "display", "visibility", "font-size", "text-indent", "margin-left", "left", "width",
    "height", "opacity", "color", "margin", "mso-x", "DISPLAY", "Text-Indent", "top", "x" * 45,
    "ſ", "\u212a", "İ", "-", "lef\u212at", "wıdth",
]  # fmt: skip
_VALUES = [
    "none", "NONE", "hidden", "hİdden", "hıdden", "collapse", "collapſe", "0", "0cm", ".0",
    ".5", "-999", "- 999", "-99", "-１２３", "block", "nothing", "c", "h", "n",
]  # fmt: skip
_SPACES = ["", " ", "\t", "\n", "\u3000", "\xa0", "\x1c", "\u2003", "\x85"]
_AROUND = ["<p ", '<p style="', "<span class=x ", "<", "> ", "电话", "<1 ", "</p>", " ", "\n"]


def hiding_page(rng: random.Random) -> bytes:
    """A page of the pieces ``mark_hidden`` reads (in tags, in text, next to characters
    past ASCII): ``may_hide`` must say True wherever mark_hidden marks a tag."""
    parts = []
    for _ in range(rng.randint(1, 12)):
        roll = rng.random()
        if roll < 0.6:
            parts.append(
                rng.choice(_AROUND)
                + rng.choice(_SPACES)
                + rng.choice(_CSS)
                + rng.choice(_SPACES)
                + ":"
                + rng.choice(_SPACES)
                + rng.choice(_VALUES)
                + rng.choice([";", '">', "", " ", "!important"])
            )
        elif roll < 0.85:
            parts.append(
                rng.choice(_AROUND)
                + rng.choice([*_SPACES, "x", "报"])
                + rng.choice(["hidden", "HIDDEN", "Hidden"])
                + rng.choice([" ", ">", "=", "/", "", "x", "\t"])
            )
        else:
            parts.append(rng.choice(_AROUND) + rng.choice(_WORDS))
    return ("<html><body>" + "".join(parts) + "</body></html>").encode()


def pages(n: int) -> Iterator[tuple[str, bytes]]:
    from fuzzing import mutate, seeds

    trees = [SHARED / "corpus", ROOT / "examples", HERE / "fixtures"]
    for tree in trees:
        if tree.is_dir():
            for path in sorted(tree.rglob("*.htm*")):
                yield str(path), path.read_bytes()
    rng = random.Random(5)
    seed = seeds(("html",))["html"]
    for i in range(n):
        yield f"fuzz/{i}.html", mutate(rng, "html", seed)
    for i in range(n):
        yield f"random/{i}.html", random_page(rng)
    for i in range(n):
        yield f"hiding/{i}.html", hiding_page(rng)
    yield from byte_strings(rng, n)


def utf8_clean(data: bytes) -> bool:
    """What ``_htmlwalk.utf8_clean`` says, in Python: strict UTF-8, no BOM, no control
    byte of ``html._CONTROL``."""
    from gongkai.reading.formats import html

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not text.startswith("\ufeff") and html._CONTROL.search(text) is None


def byte_strings(rng: random.Random, n: int) -> Iterator[tuple[str, bytes]]:
    """Short runs of bytes near the edges of UTF-8 (lead and continuation bytes, encoded
    surrogates, overlong forms, code points past U+10FFFF, control bytes, BOMs), as pages."""
    edges = [
        b"\x00", b"\x09", b"\x0b", b"\x1b", b"\x1f", b"\x7f", b"\x80", b"\xbf", b"\xc0",
        b"\xc1", b"\xc2", b"\xdf", b"\xe0", b"\xe0\x9f", b"\xe0\xa0", b"\xed\x9f",
        b"\xed\xa0", b"\xef\xbb\xbf", b"\xf0\x8f", b"\xf0\x90", b"\xf4\x8f",
        b"\xf4\x90", b"\xf5", b"\xff", b"\xfe", "报".encode(), "𠀀".encode(), b"a" * 9,
        b"<p>", b"\r\n", b"\x0c",
    ]  # fmt: skip
    for i in range(n):
        data = b"".join(rng.choice(edges) for _ in range(rng.randint(1, 12)))
        yield f"bytes/{i}.html", b"<p>" + data if rng.random() < 0.5 else data


def document(data: bytes, name: str) -> object:
    """The Document as plain values (or the refusal)."""
    from gongkai.errors import GongkaiError
    from gongkai.reading.document import Para
    from gongkai.reading.formats import html

    try:
        doc = html.read(data, name)
    except GongkaiError as exc:
        return f"refused {exc}"
    blocks: list[object] = []
    for b in doc.blocks:
        if isinstance(b, Para):
            blocks.append((b.text, b.loc.as_dict(), b.heading))
        else:
            rows = [[(c.text, c.loc.as_dict(), c.col, c.origin) for c in r] for r in b.rows]
            blocks.append((rows, b.loc.as_dict(), b.grid))
    meta = repr(sorted((k, repr(v)) for k, v in doc.meta.items()))
    return blocks, meta, [repr(w) for w in doc.warnings]


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--random", type=int, default=1500)
    args = ap.parse_args(argv[1:])
    from gongkai.reading.formats import html
    from gongkai.reading.formats.html_signals import mark_hidden

    walk, lean, may_hide, clean = html.WALK, html.LEAN, html.MAY_HIDE, html.UTF8_CLEAN
    if walk is None or lean is None or may_hide is None or clean is None:
        print("no compiled walk, or lean cannot run with this libxml2")
        return 1
    count = differ = cut = unmarked = 0
    for name, data in pages(args.random):
        count += 1
        cut += lean(data) not in (None, data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None and not may_hide(data):
            unmarked += 1
            if mark_hidden(text)[1]:
                differ += 1
                print("may_hide says no, mark_hidden marks", name, repr(data[:300]))
        if clean(data) != utf8_clean(data):
            differ += 1
            print("utf8_clean is wrong on", name, repr(data[:300]))
        html.WALK, html.LEAN, html.MAY_HIDE, html.UTF8_CLEAN = walk, lean, may_hide, clean
        got = document(data, name)
        html.WALK = html.LEAN = html.MAY_HIDE = html.UTF8_CLEAN = None
        want = document(data, name)
        if got != want:
            differ += 1
            print("differ", name, repr(data[:300]))
    # 600,000 candidates in one tag, far from its '<': a walk back from each to the '<'
    # would take hours (C code does not hear the time limit); the scan looks once
    big = b'<p style="' + b"left:0;" * 600_000 + b'">x</p>'
    if not may_hide(big) or may_hide(big.replace(b"<p", b"p")):
        differ += 1
        print("may_hide is wrong on 600,000 colons")
    print("pages", count, "differ", differ, "cut", cut, "unmarked", unmarked)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
