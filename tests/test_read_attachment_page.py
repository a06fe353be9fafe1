"""A page that only links to the report as an attachment (issue 9 #9): say so and name the
attachment, not a false ``legacy-format`` error."""

from __future__ import annotations

from gongkai import check, read

PAGE = """<html><head><meta charset="utf-8"><title>{t}</title></head>
<body><div class="article"><h1>{t}</h1><p>发布时间：2024-01-30</p>
<p>附件：<a href="/u/2024/{t}.{ext}">{t}.{ext}</a></p></div></body></html>"""
TITLE = "平潭综合实验区2023年政府信息公开工作年度报告"


def test_attachment_page_names_the_attachment() -> None:
    for ext in ("pdf", "doc", "docx"):
        page = PAGE.format(t=TITLE, ext=ext).encode("utf-8")
        report = read(page, "html", name="list.html")
        assert report.extra("x_attachments")[0]["href"].endswith(f".{ext}")
        rules = {f.rule: f for f in check(report).findings}
        assert "legacy-format" not in rules
        assert f"{TITLE}.{ext}" in rules["report-in-attachment"].message
        assert "report-in-attachment" in [w["code"] for w in report.extra("x_warnings")]


def test_a_legacy_report_with_its_own_text_is_not_an_attachment_page() -> None:
    body = "".join(
        f"<p>{p}</p>"
        for p in (
            "一、概述",
            "本年度依法公开。",
            "二、主动公开政府信息的情况",
            "主动公开信息120条。",
            "三、依申请公开政府信息的情况",
            "收到申请3件。",
            "四、复议诉讼情况",
            "无。",
        )
    )
    page = (
        f"<html><head><meta charset='utf-8'></head><body><h1>青山县民政局2015年政府信息公开"
        f"工作年度报告</h1>{body}<a href='/x/附表.xls'>附表.xls</a></body></html>"
    )
    report = read(page.encode(), "html", name="old.html")
    assert report.template == "legacy" and not report.extra("x_attachments")
