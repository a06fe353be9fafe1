"""The agency's own text of a synthetic report, different every year.

Each part is put together from banks of sentence patterns with slots
(fields of work, channels, measures), drawn by the report's own random
generator, so two years of one agency share little prose (the text-reuse
rule stays silent on clean reports, tested) while the whole reads like a
report. Figures the prose states are never ones the checker compares with
the tables (no 申请 … 件, no 行政复议 … 件); the sentences that do carry the
table figures are the writer's own (``{{复议诉讼}}`` and the part 一/三
summaries), so they cannot contradict the tables.
"""

from __future__ import annotations

import random

FIELDS = (
    "社会救助",
    "养老服务",
    "义务教育",
    "医疗卫生",
    "就业创业",
    "生态环境",
    "住房保障",
    "食品安全",
    "安全生产",
    "乡村振兴",
    "财政预决算",
    "重大建设项目",
    "公共资源配置",
    "减税降费",
    "营商环境",
    "农村饮水",
    "交通出行",
    "文化旅游",
    "应急管理",
    "市场监管",
)
CHANNELS = (
    "门户网站政府信息公开专栏",
    "政务新媒体账号",
    "政务服务大厅公开查阅点",
    "档案馆和图书馆查阅点",
    "新闻发布会",
    "政务公开专区",
    "微信公众号",
    "便民服务中心公示栏",
)
MEASURES = (
    "逐条核对公开属性",
    "建立月度更新台账",
    "实行清单化管理",
    "落实三级审核制度",
    "开展交叉检查",
    "定期通报问题",
    "纳入绩效考核",
    "组织专题培训",
    "开展第三方评估",
    "推行首问负责",
)

_PROACTIVE = (
    "围绕{f1}、{f2}等领域，通过{c1}及时发布政策文件和工作动态，全年主动公开政府信息{n}条。",
    "聚焦{f1}和{f2}，依托{c1}发布各类信息{n}条，重要政策同步配发解读材料。",
    "坚持以公开为常态、不公开为例外，在{c1}集中发布{f1}领域信息，累计公开{n}条。",
    "{f1}领域信息做到应公开尽公开，经{c1}推送政策解读和办事指南{n}条。",
    "按照年度政务公开要点，细化{f1}、{f2}两个领域的公开标准目录，发布信息{n}条。",
    "对{f1}资金分配和使用情况按季度公开，在{c1}设置专题栏目，发布相关信息{n}条。",
)
_ON_REQUEST = (
    "严格执行依申请公开受理、登记、审核、答复流程，{m1}，所有答复均告知救济途径。",
    "规范依申请公开办理工作，{m1}，疑难件由法律顾问参与审查。",
    "完善依申请公开工作机制，明确承办责任，{m1}，按时答复率保持稳定。",
    "对涉及第三方权益的申请书面征求意见，{m1}，答复文书格式统一规范。",
    "优化依申请公开线上渠道，申请人可通过{c1}提交并查询办理进度，{m1}。",
)
_MANAGEMENT = (
    "落实公开属性源头认定制度，拟制公文时同步明确公开属性，{m1}。",
    "对本机关制发的文件开展清理，{m1}，清理结果及时向社会公布。",
    "健全政府信息发布协调机制，{m1}，防止出现泄密和不当公开。",
    "加强政府信息公开保密审查，{m1}，全年未发生失泄密事件。",
    "完善政策文件库，按主题分类集中展示现行有效文件，{m1}。",
)
_PLATFORM = (
    "优化{c1}栏目设置，新增{f1}专题，与{c2}内容同步更新。",
    "推进{c1}集约化建设，统一页面标识和检索功能，{c2}同步转载重要信息。",
    "加强{c1}日常监测，发现错链断链即时整改，提升{f1}信息的可读性。",
    "依托{c1}开展在线访谈，围绕{f1}回应社会关切，同时在{c2}公布访谈实录。",
)
_OVERSIGHT = (
    "将政府信息公开工作{m1}，主要负责同志专题研究部署。",
    "建立政务公开工作联络员制度，{m1}，做到问题发现一处整改一处。",
    "邀请人大代表、政协委员和群众代表参与评议，{m1}。",
    "开展政务公开工作自查，{m1}，本年度未发生因政府信息公开工作被追责的情况。",
)
_PART2 = (
    "本年度主动公开政府信息情况见下表。",
    "本机关主动公开政府信息的有关数据统计如下。",
    "主动公开政府信息情况统计如下表。",
    "本年度各类主动公开信息的数量见下表。",
)
_PART3 = (
    "本机关在法定期限内答复全部申请，未发生超期答复情况。",
    "所有申请均在法定期限内办结，答复内容依法告知救济渠道。",
    "办理过程中注重与申请人沟通，确保答复准确、依据充分。",
    "对申请内容不明确的，一次性告知补正事项和合理期限。",
)
_PART4 = (
    "",
    "对行政复议、行政诉讼案件认真总结，举一反三改进答复工作。",
    "本机关将继续规范答复文书，防范法律风险。",
)
_PROBLEMS = (
    "一是{f1}领域政策解读形式较单一，图解、音视频解读偏少",
    "一是部分栏目信息更新不够及时，{f1}信息存在滞后",
    "一是依申请公开答复的说理性有待加强",
    "一是基层工作人员业务能力有待提高，对《条例》理解不够深入",
    "一是{c1}的检索功能不够便捷，群众查找信息不够方便",
)
_PROBLEMS2 = (
    "二是{f2}信息公开的主动性和针对性还需提升。",
    "二是政策发布与解读同步率不高。",
    "二是公众参与渠道还不够畅通。",
    "二是信息公开与政务服务融合不够紧密。",
)
_FIXES = (
    "下一步，本机关将{m1}，丰富{f1}政策解读形式，提高解读质量。",
    "下一步，将{m1}，加强{c1}建设，确保信息及时准确发布。",
    "针对上述问题，将{m1}，健全{f2}领域信息发布机制。",
    "今后将{m1}，持续提升工作人员业务能力和答复质量。",
)
_PART6_FEE_NONE = (
    "本年度未收取政府信息公开信息处理费。",
    "本机关本年度未发出收费通知，未收取信息处理费。",
)
_PART6_FEE_SOME = (
    "本年度依据《政府信息公开信息处理费管理办法》向申请人发出收费通知，申请人逾期未缴纳费用的按规定终止办理。",
    "本年度按规定对超出合理范围的申请收取信息处理费，逾期未缴费的申请依法终止办理。",
)
_PART6_OTHER = (
    "本年度共办理人大代表建议{k1}件、政协委员提案{k2}件，办理结果已按规定公开。",
    "本机关无其他需要报告的事项。",
    "本年度落实政务公开工作要点情况已在门户网站专栏公布。",
    "本年度组织政务公开业务培训{k1}次，参训{k2}人次。",
)
_SUBHEADS = (
    "（一）主动公开",
    "（二）依申请公开",
    "（三）政府信息管理",
    "（四）平台建设",
    "（五）监督保障",
)


def _index(r: random.Random, n: int) -> int:
    """A random index below ``n`` (one call of ``random()``: the generator's cheapest draw)."""
    return int(r.random() * n)


def _two(r: random.Random, bank: tuple[str, ...]) -> tuple[str, str]:
    i = _index(r, len(bank))
    j = (i + 1 + _index(r, len(bank) - 1)) % len(bank)
    return bank[i], bank[j]


def _fill(r: random.Random, pattern: str, scale: int) -> str:
    slots: dict[str, str | int] = {}
    if "{f" in pattern:
        slots["f1"], slots["f2"] = _two(r, FIELDS)
    if "{c" in pattern:
        slots["c1"], slots["c2"] = _two(r, CHANNELS)
    if "{m1}" in pattern:
        slots["m1"] = MEASURES[_index(r, len(MEASURES))]
    if "{n}" in pattern:
        slots["n"] = (20 + _index(r, 381)) * scale
    if "{k" in pattern:
        slots["k1"], slots["k2"] = 1 + _index(r, 20), 2 + _index(r, 59)
    return pattern.format(**slots)


_LEADS = (
    "年内",
    "上半年",
    "下半年",
    "第一季度",
    "汛期前后",
    "年初",
    "结合年度重点任务",
    "按照上级部署",
    "对照考核指标",
    "围绕群众关切",
    "在日常工作中",
    "针对往年短板",
)
_ACTIONS = (
    "牵头梳理了",
    "集中修订了",
    "逐项核查了",
    "分批更新了",
    "专门编制了",
    "组织评估了",
    "重新整合了",
    "全面复核了",
    "优化调整了",
    "试点推行了",
    "同步上线了",
    "联合审定了",
)
_OBJECTS = (
    "办事指南和服务清单",
    "公开目录和标准规范",
    "政策问答库",
    "历史文件数据库",
    "解读材料模板",
    "栏目导航和检索入口",
    "答复文书范本",
    "基层公开事项清单",
    "涉企政策汇编",
    "重点领域信息台账",
    "意见征集工作流程",
    "保密审查记录表",
)
_EFFECTS = (
    "群众查询更加便捷",
    "信息发布的准确性进一步提高",
    "办理时限明显缩短",
    "重复咨询有所减少",
    "基层反映的问题得到解决",
    "公开质量稳步提升",
    "工作衔接更加顺畅",
    "企业获取政策更加及时",
    "差错率较上年下降",
    "社会评价总体良好",
    "信息更新做到及时准确",
    "各环节责任更加清晰",
)


def _composed(r: random.Random, n: int) -> str:
    """``n`` sentences put together from short phrases (little repeats across years)."""
    out = []
    for _ in range(n):
        lead, action, obj, effect = (
            bank[_index(r, len(bank))] for bank in (_LEADS, _ACTIONS, _OBJECTS, _EFFECTS)
        )
        field = FIELDS[_index(r, len(FIELDS))]
        out.append(f"{lead}{action}{field}领域的{obj}，{effect}。")
    return "".join(out)


def _listing(r: random.Random, bank: tuple[str, ...], k: int) -> str:
    """``k`` items of ``bank`` in a random order (different every year)."""
    return "、".join(r.sample(bank, k))


def narrative_parts(
    r: random.Random, agency: str, year: int, scale: int, fees: bool
) -> dict[int, str]:
    """The text of parts 一…六 (``fees``: part 六 reports fees charged or noticed)."""
    banks = (_PROACTIVE, _ON_REQUEST, _MANAGEMENT, _PLATFORM, _OVERSIGHT)
    part1 = [
        f"{year}年，{agency}深入贯彻《中华人民共和国政府信息公开条例》，扎实推进政府信息公开工作。"
    ]
    for head, bank in zip(_SUBHEADS, banks, strict=True):
        picked = bank[_index(r, len(bank))]
        part1 += [head, _fill(r, picked, scale) + _composed(r, 4)]
    part1.append(
        f"全年重点公开了{_listing(r, FIELDS, 6)}等领域的信息，"
        f"主要渠道为{_listing(r, CHANNELS, 4)}，"
        f"工作中注重{_listing(r, MEASURES, 4)}。"
    )
    part5 = (
        "存在的主要问题："
        + _fill(r, r.choice(_PROBLEMS), 1)
        + "；"
        + _fill(r, r.choice(_PROBLEMS2), 1)
        + "\n"
        + _fill(r, r.choice(_FIXES), 1)
        + _composed(r, 4)
        + f"明年将重点抓好{_listing(r, FIELDS, 5)}等领域的公开，并{_listing(r, MEASURES, 3)}。"
    )
    six = [r.choice(_PART6_FEE_SOME if fees else _PART6_FEE_NONE)]
    six += [_fill(r, p, 1) for p in r.sample(_PART6_OTHER, 2)]
    return {
        1: "\n".join(part1),
        2: r.choice(_PART2),
        3: r.choice(_PART3) + f"答复中涉及{_listing(r, FIELDS, 4)}等事项。" + _composed(r, 2),
        4: "\n".join(x for x in ("{{复议诉讼}}", r.choice(_PART4), _composed(r, 1)) if x),
        5: part5,
        6: "\n".join(six),
    }


def contact(r: random.Random, agency: str) -> str:
    phone = f"0{r.randint(100, 999)}-{r.randint(10_000_000, 99_999_999)}"
    return (
        f"本报告电子版可在{agency}门户网站查阅或下载。如对本报告有疑问，"
        f"请与{agency}政务公开工作机构联系（电话：{phone}）。"
    )
