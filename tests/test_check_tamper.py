"""Tampering: spam phrases, foreign e-mails, scripts — and ordinary words that must not fire."""

from __future__ import annotations

from typing import Any

import pytest

from check_records import clean, findings, gt, rules, run

LEGACY: dict[str, Any] = {
    "agency": "某省民政厅",
    "year": 2017,
    "template": "legacy",
    "published": None,
}


def test_spam_phrase_replacing_a_name() -> None:
    text = "对照《即时比分办公厅关于做好政务公开工作的通知》要求。\n版权所有：即时比分\n"
    got = findings(run({**LEGACY, "x_text": text}), "tampered-content")
    assert [(f.severity, f.actual, f.where.line) for f in got] == [("error", "即时比分", 1)]
    assert "2 处" in got[0].message


@pytest.mark.parametrize(
    "text",
    [
        "通过辽宁福彩等政务微信公开政府信息。",
        "按时公开了中央、省彩票公益金使用情况。",
        "规范福利彩票和体育彩票销售管理。",
        "社区老年活动中心设有棋牌室、阅览室。",
        "开展打击跨境赌博和网络博彩专项行动。",
    ],
)
def test_ordinary_words_stay_silent(text: str) -> None:
    assert not rules(run({**LEGACY, "x_text": text}), "tampered-content")


@pytest.mark.parametrize("word", ["六合彩", "百家乐", "棋牌", "博彩"])
def test_spam_words_fire(word: str) -> None:
    assert rules(
        run({**LEGACY, "x_text": f"欢迎访问{word}官方平台，注册即可。"}), "tampered-content"
    )


def test_email_domains() -> None:
    bad = findings(run({**LEGACY, "x_emails": ["mhwz@yaoyejob.com"]}), "tampered-content")
    assert [f.actual for f in bad] == ["mhwz@yaoyejob.com"]
    fine = ["hazwgkc@163.com", "hzzwgk@126.com", "gk@mz.ln.gov.cn", "a@qq.com", "b@sina.cn"]
    assert not rules(run({**LEGACY, "x_emails": fine}), "tampered-content")
    in_text = {**LEGACY, "x_text": "联系邮箱：office@lucky-spin.net"}
    assert [f.where.line for f in findings(run(in_text), "tampered-content")] == [1]


def test_html_signals_inside_the_content() -> None:
    html = {
        "scripts": [
            {"src": "https://stats.example-ads.com/a.js", "in_content": True, "line": 40},
            {"src": "https://stats.example-ads.com/b.js", "in_content": False, "line": 5},
            {"text": "document.write(unescape('%3Ca'))", "in_content": True, "line": 41},
            {"text": "var fontSize = 14;", "in_content": True, "line": 42},
        ],
        "iframes": [{"src": "http://casino-live.cc/x", "in_content": True, "line": 50}],
        "meta_refresh": [{"content": "0;url=http://jump.example-bet.com", "line": 3}],
        "links": [
            {"href": "http://www.pj888.com", "text": "百家乐", "in_content": True},
            {"href": "http://www.gov.cn", "text": "中国政府网", "in_content": True},
            {"href": "http://news.example.com/a", "text": "新闻", "in_content": True},
        ],
        "hidden_text": [{"text": "六合彩 开奖", "in_content": False, "line": 9}],
    }
    got = findings(run(clean(x_html=html)), "tampered-content")
    assert sorted(f.where.line for f in got if f.where.line) == [3, 9, 40, 41, 50]
    assert len(got) == 6


def test_site_chrome_and_word_markup_stay_silent() -> None:
    html = {
        "scripts": [
            {"src": "/js/jquery.js", "in_content": False},
            {"src": "https://hm.baidu.com/hm.js", "in_content": True},
        ],
        "hidden_text": [{"text": "　", "in_content": True}],
        "iframes": [{"src": "/player.html", "in_content": True}],
    }
    assert not rules(run(clean(x_html=html)), "tampered-content")


def test_liaoning_record_with_its_text() -> None:
    d = gt("liaoning-minzheng-2017")
    assert not run(d).findings  # the record alone: nothing to see
    d["x_text"] = (
        "辽宁福彩微信。彩票公益金使用情况。《即时比分办公厅通知》。\n联系邮箱:mhwz@yaoyejob.com\n"
    )
    got = findings(run(d), "tampered-content")
    assert {f.actual for f in got} == {"即时比分", "mhwz@yaoyejob.com"}
    assert "legacy-format" not in rules(run(d))
