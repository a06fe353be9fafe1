"""Figures that old (2008–2018) prose reports state, as data.

Each key of the record's ``legacy`` block has the phrases that state it; the
first phrase that matches in the report gives the number. ``ZERO`` phrases
state that there were none (没有收到…复议…).
"""

from __future__ import annotations

import re

_N = r"(\d[\d,]*)"

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
        r"(?:没有?|未)(?:收到|受理)(?:政府信息公开|信息公开|依申请公开)?申请",
    ),
    "fees": (r"(?:没有?|未)(?:收取|发生收取)[^。；]{0,10}费",),
}

COMPILED: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p) for p in v) for k, v in PHRASES.items()
}
COMPILED_ZERO: dict[str, tuple[re.Pattern[str], ...]] = {
    k: tuple(re.compile(p) for p in v) for k, v in ZERO.items()
}
