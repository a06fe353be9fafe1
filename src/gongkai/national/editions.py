"""The national format of the annual report, as data.

Source: ``shared/spec/template.md`` (国办公开办函〔2019〕60号, 〔2021〕30号) and
``shared/spec/interchange.md``. Labels are spelled exactly as printed; the
``variants`` hold the spellings seen in the wild. Adding an edition means
adding data here, not code elsewhere.
"""

from __future__ import annotations

import re

from gongkai.national.model import Column, Edition, Part, Row, SubTable, Table

# ---------------------------------------------------------------- parts

PARTS: tuple[Part, ...] = (
    Part(1, "一", "总体情况", ("总体公开情况", "概述", "总体概述", "基本情况", "总体工作情况")),
    Part(
        2,
        "二",
        "主动公开政府信息情况",
        ("主动公开政府信息", "主动公开情况"),
        keywords=(("主动公开",),),
    ),
    Part(
        3,
        "三",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "依申请公开政府信息情况", "依申请公开情况"),
        keywords=(("申请",),),
    ),
    Part(
        4,
        "四",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "政府信息公开行政复议及行政诉讼情况",
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "因政府信息公开被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "行政复议、行政诉讼情况",
        ),
        keywords=(("复议",), ("诉讼",)),
    ),
    Part(
        5,
        "五",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题及整改措施",
            "存在的主要问题和改进情况",
            "存在的主要问题及改进措施",
            "存在问题及改进措施",
            "存在的问题及改进情况",
        ),
        keywords=(("问题", "不足"), ("改进", "整改")),
    ),
    Part(
        6,
        "六",
        "其他需要报告的事项",
        ("其他需要报告事项", "其他需要说明的事项", "其他应报告的事项", "其他事项"),
        keywords=(("其他",), ("报告", "说明", "事项")),
    ),
)

# ---------------------------------------------------------------- table 3

T3_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other", "其他"),
    Column("total", "总计"),
)

_T3_GROUP_RESULTS = "三、本年度办理结果"
_G3 = "（三）不予公开"
_G4 = "（四）无法提供"
_G5 = "（五）不予处理"
_G6 = "（六）其他处理"

_T3_HEAD: tuple[Row, ...] = (
    Row(
        "new",
        "一、本年新收政府信息公开申请数量",
        ("本年新收政府信息公开申请数量", "本年新收申请数量"),
    ),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请数量",)),
    Row("granted", "（一）予以公开", group=_T3_GROUP_RESULTS, number="一", outcome=True),
    Row(
        "partially_granted",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ("（二）部分公开",),
        group=_T3_GROUP_RESULTS,
        number="二",
        outcome=True,
    ),
    Row("denied_state_secret", "1.属于国家秘密", group=_G3, number="1", outcome=True),
    Row(
        "denied_prohibited_by_law",
        "2.其他法律行政法规禁止公开",
        ("2.法律行政法规禁止公开",),
        group=_G3,
        number="2",
        outcome=True,
    ),
    Row("denied_three_safeties", "3.危及“三安全一稳定”", group=_G3, number="3", outcome=True),
    Row("denied_third_party", "4.保护第三方合法权益", group=_G3, number="4", outcome=True),
    Row("denied_internal_affairs", "5.属于三类内部事务信息", group=_G3, number="5", outcome=True),
    Row("denied_process_info", "6.属于四类过程性信息", group=_G3, number="6", outcome=True),
    Row("denied_enforcement_files", "7.属于行政执法案卷", group=_G3, number="7", outcome=True),
    Row("denied_query_matters", "8.属于行政查询事项", group=_G3, number="8", outcome=True),
    Row("unavailable_not_held", "1.本机关不掌握相关政府信息", group=_G4, number="1", outcome=True),
    Row(
        "unavailable_needs_creation",
        "2.没有现成信息需要另行制作",
        group=_G4,
        number="2",
        outcome=True,
    ),
    Row("unavailable_unclear", "3.补正后申请内容仍不明确", group=_G4, number="3", outcome=True),
    Row("rejected_petition", "1.信访举报投诉类申请", group=_G5, number="1", outcome=True),
    Row("rejected_duplicate", "2.重复申请", group=_G5, number="2", outcome=True),
    Row("rejected_publication", "3.要求提供公开出版物", group=_G5, number="3", outcome=True),
    Row("rejected_excessive", "4.无正当理由大量反复申请", group=_G5, number="4", outcome=True),
    Row(
        "rejected_confirmation",
        "5.要求行政机关确认或重新出具已获取信息",
        group=_G5,
        number="5",
        outcome=True,
    ),
)

_T3_OTHER_2019: tuple[Row, ...] = (
    Row("other", "（六）其他处理", group=_T3_GROUP_RESULTS, number="六", outcome=True),
)

_T3_OTHER_2021: tuple[Row, ...] = (
    Row(
        "other_no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("1.申请人无正当理由逾期不补正",),
        group=_G6,
        number="1",
        outcome=True,
    ),
    Row(
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("2.申请人逾期未按收费通知要求缴纳费用",),
        group=_G6,
        number="2",
        outcome=True,
    ),
    Row("other_misc", "3.其他", group=_G6, number="3", outcome=True),
)

_T3_TAIL: tuple[Row, ...] = (
    Row("total", "（七）总计", group=_T3_GROUP_RESULTS, number="七"),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理",)),
)

T3_GROUP_LABELS: tuple[str, ...] = (_T3_GROUP_RESULTS, _G3, _G4, _G5, _G6)
#: The header over table 3's columns 2–6 (applicants that are not natural persons).
T3_LEGAL_PERSONS = "法人或其他组织"
T3_HEADER_LABELS: tuple[str, ...] = (
    "申请人情况",
    T3_LEGAL_PERSONS,
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    *(c.label for c in T3_COLUMNS),
)

T3_TITLE = "三、收到和处理政府信息公开申请情况"


def _table3(other: tuple[Row, ...]) -> Table:
    return Table(
        key="table3",
        part=3,
        title=T3_TITLE,
        rows=(*_T3_HEAD, *other, *_T3_TAIL),
        columns=T3_COLUMNS,
        header_labels=T3_HEADER_LABELS,
    )


# ---------------------------------------------------------------- table 4

T4_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)

TABLE4 = Table(
    key="table4",
    part=4,
    title="四、政府信息公开行政复议、行政诉讼情况",
    rows=(
        Row("review", "行政复议"),
        Row("litigation_direct", "未经复议直接起诉", group="行政诉讼"),
        Row("litigation_after_review", "复议后起诉", group="行政诉讼"),
    ),
    columns=T4_COLUMNS,
    header_labels=(
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
        *(c.label for c in T4_COLUMNS),
    ),
)

# ---------------------------------------------------------------- table 2

_C2019_DOCS = (
    Column("made", "本年新制作数量", variants=("本年新制作", "本年新")),
    Column("published", "本年新公开数量", variants=("本年新公开", "本年新")),
    Column("total", "对外公开总数量", variants=("对外公开总数",)),
)
_C2019_ITEMS = (
    Column("prev_items", "上一年项目数量", variants=("上一年项目数",)),
    Column("change", "本年增/减", kind="signed", variants=("本年增减", "本年增／减")),
    Column("decisions", "处理决定数量", variants=("处理决定数",)),
)
_C2019_FEES = _C2019_ITEMS[:2]
_C2019_PROCUREMENT = (
    Column("items", "采购项目数量", variants=("采购项目数",)),
    Column("amount", "采购总金额", kind="money"),
)

_CAP1 = "第二十条第（一）项"
_CAP5 = "第二十条第（五）项"
_CAP6 = "第二十条第（六）项"
_CAP8 = "第二十条第（八）项"
_CAP9 = "第二十条第（九）项"

TABLE2_2019 = Table(
    key="table2",
    part=2,
    title="二、主动公开政府信息情况",
    rows=(
        Row("rules", "规章", caption=_CAP1, columns=_C2019_DOCS),
        Row(
            "normative_documents",
            "规范性文件",
            ("行政规范性文件",),
            caption=_CAP1,
            columns=_C2019_DOCS,
        ),
        Row("licensing", "行政许可", caption=_CAP5, columns=_C2019_ITEMS),
        Row("other_services", "其他对外管理服务事项", caption=_CAP5, columns=_C2019_ITEMS),
        Row("penalty", "行政处罚", caption=_CAP6, columns=_C2019_ITEMS),
        Row("coercion", "行政强制", caption=_CAP6, columns=_C2019_ITEMS),
        Row("fees", "行政事业性收费", caption=_CAP8, columns=_C2019_FEES),
        Row("procurement", "政府集中采购", caption=_CAP9, columns=_C2019_PROCUREMENT),
    ),
    subtables=(
        SubTable(_CAP1, _C2019_DOCS, ("rules", "normative_documents")),
        SubTable(_CAP5, _C2019_ITEMS, ("licensing", "other_services")),
        SubTable(_CAP6, _C2019_ITEMS, ("penalty", "coercion")),
        SubTable(_CAP8, _C2019_FEES, ("fees",)),
        SubTable(_CAP9, _C2019_PROCUREMENT, ("procurement",)),
    ),
    header_labels=("信息内容",),
)

_C2021_DOCS = (
    Column("issued", "本年制发件数", variants=("本年制发",)),
    Column("repealed", "本年废止件数", variants=("本年废止",)),
    Column("in_force", "现行有效件数", variants=("现行有效",)),
)
_C2021_DECISIONS = (Column("decisions", "本年处理决定数量", variants=("处理决定数量",)),)
_C2021_FEES = (
    Column("amount", "本年收费金额（单位：万元）", kind="money", variants=("本年收费金额",)),
)

TABLE2_2021 = Table(
    key="table2",
    part=2,
    title="二、主动公开政府信息情况",
    rows=(
        Row("rules", "规章", caption=_CAP1, columns=_C2021_DOCS),
        Row(
            "normative_documents",
            "行政规范性文件",
            ("规范性文件",),
            caption=_CAP1,
            columns=_C2021_DOCS,
        ),
        Row("licensing", "行政许可", caption=_CAP5, columns=_C2021_DECISIONS),
        Row("penalty", "行政处罚", caption=_CAP6, columns=_C2021_DECISIONS),
        Row("coercion", "行政强制", caption=_CAP6, columns=_C2021_DECISIONS),
        Row("fees", "行政事业性收费", caption=_CAP8, columns=_C2021_FEES),
    ),
    subtables=(
        SubTable(_CAP1, _C2021_DOCS, ("rules", "normative_documents")),
        SubTable(_CAP5, _C2021_DECISIONS, ("licensing",)),
        SubTable(_CAP6, _C2021_DECISIONS, ("penalty", "coercion")),
        SubTable(_CAP8, _C2021_FEES, ("fees",)),
    ),
    header_labels=("信息内容",),
)

# ---------------------------------------------------------------- editions

EDITION_2019 = Edition(
    id="2019",
    issued_with="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    parts=PARTS,
    tables=(TABLE2_2019, _table3(_T3_OTHER_2019), TABLE4),
    markers=(
        "本年新制作数量",
        "对外公开总数量",
        "上一年项目数量",
        "其他对外管理服务事项",
        "政府集中采购",
        "采购总金额",
    ),
)

EDITION_2021 = Edition(
    id="2021",
    issued_with="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    parts=PARTS,
    tables=(TABLE2_2021, _table3(_T3_OTHER_2021), TABLE4),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
)

LEGACY = Edition(
    id="legacy",
    issued_with="《中华人民共和国政府信息公开条例》（2007）",
    first_year=2008,
    last_year=2018,
    parts=(),
)

EDITIONS: dict[str, Edition] = {e.id: e for e in (EDITION_2019, EDITION_2021, LEGACY)}


def edition(edition_id: str) -> Edition:
    """Return the edition ``"2019"``, ``"2021"`` or ``"legacy"``."""
    try:
        return EDITIONS[edition_id]
    except KeyError:
        raise KeyError(f"unknown edition {edition_id!r}") from None


def edition_for_year(year: int) -> Edition:
    """The edition the law requires for the report of ``year``."""
    for e in (EDITION_2021, EDITION_2019, LEGACY):
        if e.covers(year):
            return e
    return LEGACY


def table3_all_rows() -> tuple[Row, ...]:
    """Table-3 rows of every edition, in print order (2019 （六） before the 2021 ones)."""
    return (*_T3_HEAD, *_T3_OTHER_2019, *_T3_OTHER_2021, *_T3_TAIL)


def table3_row_order() -> tuple[str, ...]:
    return tuple(r.key for r in table3_all_rows())


# Deadlines of the 条例 (art. 49): month/day by which last year's report is due.
DEADLINE_DEPARTMENT = (1, 31)
DEADLINE_GOVERNMENT = (3, 31)
DEADLINE_BEFORE_2019 = (3, 31)

# ---------------------------------------------------------------- for the reader and writer

#: The editions a report can be written in (the writer, its workbook, ``template``).
WRITABLE_EDITIONS: dict[str, Edition] = {e.id: e for e in (EDITION_2019, EDITION_2021)}

#: Cells of a row of table 3 and of a group of table 4, and of table 4 read as one run.
T3_WIDTH = len(T3_COLUMNS)
T4_WIDTH = len(T4_COLUMNS)
T4_RUN_WIDTH = len(TABLE4.rows) * T4_WIDTH

#: The words of table 4's header rows (its groups and results, not 总计) as printed.
T4_HEADER_WORDS: tuple[str, ...] = tuple(
    w for w in dict.fromkeys(TABLE4.header_labels) if w != T4_COLUMNS[-1].label
)

#: Words only one edition's table 2 prints (its columns), as the reader tells the edition.
TABLE2_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": EDITION_2021.markers,
    "2019": (*EDITION_2019.markers, "本年新公开数量"),
}
#: Rows only one edition's table 3 prints: 2021 splits （六） in three, 2019 keeps one row.
TABLE3_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("申请人无正当理由逾期不补正",),
    "2019": (_G6, _G6.replace("（", "(").replace("）", ")")),
}

#: The word every report's title and text carry.
REPORT_WORD = "信息公开"
#: Words that mark a table of a web page as one of the report's tables.
REPORT_TABLE_WORDS: tuple[str, ...] = (
    "第二十条",
    "申请人情况",
    "予以公开",
    TABLE4.rows[0].label,
    "信息内容",
    "本年新收",
)
#: Words that say a long line of crawled text holds a whole table run together.
FUSED_TABLE_ANCHORS: tuple[str, ...] = (
    "本年新收",
    "予以公开",
    T4_COLUMNS[0].label,
    "信息内容",
    "指标名称",
    "计量单位",
)


def writable_edition(edition_id: str) -> Edition:
    """The edition ``"2019"`` or ``"2021"`` to write a report in; KeyError for another."""
    try:
        return WRITABLE_EDITIONS[edition_id]
    except KeyError:
        raise KeyError(f"no report is written in edition {edition_id!r}") from None


def printed_labels() -> frozenset[str]:
    """Every label the format prints or its variants seen in the wild: part titles, table
    titles and headers, row groups, rows and columns (the format data, as text)."""
    out: set[str] = set()
    for e in EDITIONS.values():
        for p in e.parts:
            out.update((p.title, p.heading, *p.variants))
        out.update(e.markers)
        for t in e.tables:
            out.add(t.title)
            out.update(t.header_labels)
            for r in t.rows:
                out.update((r.label, *r.variants))
                if r.group:
                    out.add(r.group)
            for c in t.columns:
                out.update((c.label, *c.variants))
            for st in t.subtables:
                out.add(st.caption)
                for c in st.columns:
                    out.update((c.label, *c.variants))
    for words in (*TABLE2_MARKERS.values(), *TABLE3_MARKERS.values()):
        out.update(words)
    return frozenset(w for w in out if w)


def _label(table: Table, row: str) -> str:
    return strip_row_numbering(table.row(row).label)


def strip_row_numbering(label: str) -> str:
    """``四、结转下年度继续办理`` → ``结转下年度继续办理``; ``（六）其他处理`` → ``其他处理``."""
    return re.sub(
        r"^(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.．])", "", label
    )


#: Words the writer's sentences, the checker's messages and the displays use for rows
#: and columns, taken from the labels above.
CARRIED_FORWARD_WORDS = _label(EDITION_2021.table("table3"), "carried_forward")
REVIEW_WORD = TABLE4.rows[0].label
LITIGATION_WORD = TABLE4.rows[1].group or ""
OTHER_HANDLING_WORDS = strip_row_numbering(_G6)
T2_CHANGE_LABEL = next(c.label for c in _C2019_ITEMS if c.key == "change")
T2_IN_FORCE_LABEL = next(c.label for c in _C2021_DOCS if c.key == "in_force")


def part_numeral(number: int) -> str:
    """The numeral a part is printed with (3 → 三); the number itself when there is no such part."""
    for part in PARTS:
        if part.number == number:
            return part.numeral
    return str(number)
