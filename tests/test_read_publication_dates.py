"""Publication dates on the page patterns real sites use (issue 9 #7): 「时间：…」, ``<meta
name="PubDate">``, a signature in Chinese numerals inside a flattened line."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import read

BODY = (
    "一、总体情况\n本年度依法公开政府信息。\n二、主动公开政府信息情况\n"
    "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
)
TITLE = "平潭综合实验区2024年政府信息公开工作年度报告"


def _html(head: str, body: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'>{head}<title>{TITLE}</title></head>"
        f"<body>{body}</body></html>"
    ).encode()


def test_time_label_on_the_page() -> None:
    page = _html(
        "",
        f"<h1>{TITLE}</h1><p>来源：平潭综合实验区 时间：2025-03-10 15:35</p>"
        + "".join(f"<p>{x}</p>" for x in BODY.splitlines()),
    )
    r = read(page, "html", name="p.html")
    assert r.published == dt.date(2025, 3, 10)
    assert r.extra("x_published_sources")["page"] == "2025-03-10"


@pytest.mark.parametrize("name", ["PubDate", "pubdate", "firstpublishedtime"])
def test_pubdate_meta_tag(name: str) -> None:
    page = _html(
        f'<meta name="{name}" content="2025-03-10 15:35">',
        f"<h1>{TITLE}</h1>" + "".join(f"<p>{x}</p>" for x in BODY.splitlines()),
    )
    r = read(page, "html", name="p.html")
    assert r.published == dt.date(2025, 3, 10)


def test_signature_in_chinese_numerals_inside_a_flattened_line() -> None:
    text = (
        f"{TITLE}\n"
        + BODY.replace("\n", " ")
        + " 平潭县财政局 二○一二年二月二十日 附表： 指标名称 计量单位\n"
    )
    r = read(text.encode("utf-8"), "text", name="flat.txt")
    assert r.published == dt.date(2012, 2, 20)


@pytest.mark.parametrize(
    "line",
    [
        "统计时间：2024-01-01 至 2024-12-31",
        "办理时间：2024-03-01",
        "本报告统计时间：2024年1月1日至2024年12月31日",
    ],
)
def test_other_times_are_not_the_publication_date(line: str) -> None:
    text = f"{TITLE}\n{line}\n{BODY}"
    assert read(text.encode("utf-8"), "text", name="t.txt").published is None
