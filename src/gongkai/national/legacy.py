"""Figures that old (2008–2018) prose reports state, as data.

Each key of the record's ``legacy`` block has the phrases that state it; the
first phrase that matches in the report gives the number. ``ZERO`` phrases
state that there were none (没有收到…复议…).
"""

from __future__ import annotations

import re

# a count in digits or Chinese numerals (两件, 十二件, 一百零五件)
_N = r"(\d[\d,]*|[一二两三四五六七八九十百千零〇]+)"

PHRASES: dict[str, tuple[str, ...]] = {
    "proactive_items": (
        r"主动公开(?:各类)?(?:政府)?信息(?:共计|共)?" + _N + r"条",
        r"主动公开(?:各类)?(?:政府)?信息(?:共计|共)?" + _N + r"件",
    ),
    "applications_received": (
        r"(?:共|全年)?(?:受理|收到)(?:各类)?(?:政府信息公开|信息公开|依申请公开)?申请(?:共计|共)?"
        + _N
        + r"件",
        r"(?:共|全年)?(?:受理|收到)(?:各类)?(?:政府信息公开|信息公开)?申请(?:共计|共)?"
        + _N
        + r"(?:份|个|条)",
        r"(?:共|全年)?(?:受理|收到)"
        + _N
        + r"(?:件|条|份|个)(?:政府)?(?:信息公开|依申请公开)(?:的)?申请",
    ),
    "applications_in_person": (r"当面(?:提出)?申请" + _N + r"件",),
    "applications_online": (r"(?:网络|网上|在线|互联网)(?:提交|提出)?申请" + _N + r"件",),
    "applications_letter": (r"信函(?:形式)?(?:提交|提出)?申请" + _N + r"件",),
    "applications_fax": (r"传真(?:形式)?申请" + _N + r"件",),
    "applications_email": (r"(?:电子邮件|电子邮箱)(?:形式)?申请" + _N + r"件",),
    "answered_on_time": (r"按时答复" + _N + r"件", r"按期答复" + _N + r"件"),
    "granted": (r"(?<!不)(?<!部分)(?:同意公开|予以公开|全部公开|同意提供)" + _N + r"件",),
    "partially_granted": (r"部分公开" + _N + r"件", r"同意部分公开" + _N + r"件"),
    "denied": (r"不予公开" + _N + r"件", r"不同意公开" + _N + r"件", r"不公开" + _N + r"件"),
    "not_exist": (r"(?:政府)?信息不存在" + _N + r"件",),
    "not_this_agency": (
        r"不属于(?:本机关|本单位|本部门|我[厅局委办]|本[厅局委办])(?:的)?(?:公开范围|职责范围|信息|范围)?(?:的)?"
        + _N
        + r"件",
        r"非本(?:机关|单位|部门)(?:职责范围|政府信息|信息)" + _N + r"件",
    ),
    "unclear_or_other_channel": (r"申请内容不明确(?:或告知通过其他途径办理)?" + _N + r"件",),
    "review": (r"(?:行政)?复议(?:案件|申请)?(?:共)?" + _N + r"(?:件|起)",),
    "litigation": (r"(?:行政)?诉讼(?:案件)?(?:共)?" + _N + r"(?:件|起)",),
    "fees": (r"收取(?:检索|复制|邮寄|信息处理)?(?:等)?(?:费用|费)(?:共计|共)?(\d+(?:\.\d+)?)元",),
}

ZERO: dict[str, tuple[str, ...]] = {
    "review": (
        r"(?:没有?|未)(?:收到|发生|出现|受理)[^。；]{0,24}复议",
        r"复议[^。；]{0,6}(?:为零|为0|0件|零件)",
        r"无(?:行政)?复议",
    ),
    "litigation": (
        r"(?:没有?|未)(?:收到|发生|出现|受理)[^。；]{0,24}诉讼",
        r"诉讼[^。；]{0,6}(?:为零|为0|0件|零件)",
        r"无(?:行政)?诉讼",
    ),
    "applications_received": (
        r"(?:没有?|未)(?:收到|受理)(?:有关|任何)?(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请",
    ),
    "fees": (r"(?:没有?|未)(?:收取|发生收取)[^。；]{0,10}费",),
}

#: a word every phrase of the key holds: a report without it is not searched for the key
NEEDS: dict[str, str] = {
    "proactive_items": "主动公开",
    "applications_received": "申请",
    "applications_in_person": "当面",
    "applications_online": "申请",
    "applications_letter": "信函",
    "applications_fax": "传真",
    "applications_email": "电子",
    "answered_on_time": "答复",
    "partially_granted": "部分公开",
    "not_exist": "不存在",
    "unclear_or_other_channel": "不明确",
    "review": "复议",
    "litigation": "诉讼",
    "fees": "费",
}

COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p) for p in v) for k, v in PHRASES.items()
}
COMPILED_ZERO: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p) for p in v) for k, v in ZERO.items()
}


# ------------------------------------------------------------------ the old statistics table
#
# Reports of 2008–2018 often append 政府信息公开情况统计表: rows 指标名称 | 计量单位 |
# 年度数 (| 历年累计). Each row: its key, the printed labels (longest first does not
# matter: the longest that fits wins), and whether its value is one of the
# record's ``legacy`` keys (the rest are kept in ``x_legacy_table`` only).

TABLE_ROWS: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (
        "proactive_items",
        ("主动公开信息数", "主动公开文件数", "主动公开政府信息数", "主动公开政府信息总数"),
        True,
    ),
    ("proactive_website", ("网站公开", "政府网站公开数", "网站公开数"), False),
    ("proactive_gazette", ("政府公报公开", "政府公报公开数", "公报公开数"), False),
    (
        "applications_received",
        (
            "受理依申请公开信息总数",
            "受理政府信息公开申请总数",
            "受理申请总数",
            "依申请公开信息总数",
            "受理依申请公开申请总数",
        ),
        True,
    ),
    ("applications_in_person", ("当面申请数", "当面申请书"), False),
    ("applications_fax", ("传真申请数",), False),
    ("applications_email", ("电子邮件申请数",), False),
    ("applications_online", ("网上申请数", "网络申请数"), False),
    ("applications_letter", ("信函申请数",), False),
    ("applications_letter_fax", ("信函,传真申请数", "信函传真申请数"), False),
    ("applications_other", ("其他形式申请数",), False),
    ("answers_total", ("对申请的答复总数", "答复总数"), False),
    ("granted", ("同意公开答复数",), True),
    ("partially_granted", ("同意部分公开答复数",), True),
    ("denied", ("否决公开答复总数", "不予公开答复数", "不同意公开答复数", "否决公开答复数"), True),
    ("not_exist", ("信息不存在答复数", "信息不存在数"), True),
    ("not_this_agency", ("非本机关职责范围答复数", "不属于本机关职责范围答复数"), True),
    ("unclear_or_other_channel", ("申请内容不明确答复数",), True),
    ("other", ("其他类型答复数", "其他答复数"), True),
    ("fee_amount", ("政府信息公开收费减免金额", "收费减免金额", "收费金额"), False),
    ("complaints", ("接受行政申诉,举报数", "接受行政诉讼,举报数", "行政申诉数", "申诉数"), False),
    ("review", ("行政复议数",), True),
    ("litigation", ("行政诉讼数",), True),
)

#: parts that add up to a row of the table (both the year and the cumulative column)
TABLE_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("proactive_items", ("proactive_website", "proactive_gazette")),
    (
        "applications_received",
        (
            "applications_in_person",
            "applications_fax",
            "applications_email",
            "applications_online",
            "applications_letter",
            "applications_letter_fax",
            "applications_other",
        ),
    ),
    (
        "answers_total",
        ("granted", "partially_granted", "denied", "not_exist", "not_this_agency", "other"),
    ),
)

#: keys every record read from such a table carries (null where the table has no row)
STANDARD_KEYS = (
    "proactive_items",
    "applications_received",
    "granted",
    "partially_granted",
    "denied",
    "not_exist",
    "not_this_agency",
    "review",
    "litigation",
)
TABLE_UNITS = ("条", "件", "元", "个", "项")
