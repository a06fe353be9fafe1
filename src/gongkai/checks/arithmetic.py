"""Arithmetic of the tables: rules A1–A5 of ``template.md``.

A blank cell (``null``) is never summed as 0: a relation with a blank term
is checked only where the printed terms alone prove it wrong (counts are
never negative, so printed parts above a printed total are wrong whatever
the blanks hold); the blanks themselves are ``blank-cell``'s business. A
total left blank beside non-zero parts is an error, and a 总计 column
left blank in several rows is one finding, not one a row. A row whose values the parser could not place is
left out of every sum: one with a cell the parser left null because it was
unsure (``x_unsure``: several placements fit, or none), one it marked
``long-row`` (more values than cells) or ``short-row`` with every cell null;
``arithmetic-unsure`` says which rows were left out, ``missing-cell`` reports
the short ones. A finding never rests on a cell the reader was unsure of.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gongkai.checks.facts import (
    T3_TOTAL,
    T3_WIDTH,
    T4_TOTAL,
    as_int,
    column_label,
    flagged_rows,
    money,
    row_label,
    rows,
    t3_outcome_keys,
    t3_rows_in_order,
    table2_column,
    unsure_rows,
)
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.national.names import TABLE_NAMES, table_name


def _shown(total: int | None) -> dict[str, Any]:
    """How a printed total reads in a message: its value, or blank."""
    if total is None:
        return {"shown": "空白", "shown_en": "is blank"}
    return {"shown": f"为 {total}", "shown_en": f"is {total}"}


def _usable(ctx: Context, table: str) -> dict[str, list[int | None]]:
    long_rows = flagged_rows(ctx.report, "long-row")
    short = flagged_rows(ctx.report, "short-row")
    unsure = unsure_rows(ctx.report)
    placed = ctx.report.evidence.placed is not None  # a reader that says how it placed cells
    return {
        k: v
        for k, v in rows(ctx.report, table).items()
        if (table, k) not in unsure
        and not ((table, k) in long_rows and not placed)
        and not ((table, k) in short and all(x is None for x in v))
    }


@rule(
    "arithmetic-unsure",
    "info",
    "arithmetic",
    title=("勾稽检查跳过了无法确定的单元格", "arithmetic skipped cells the reader was unsure of"),
    doc=(
        "解析器无法确定位置而记为空的单元格（x_unsure）不参与任何勾稽关系检查；本提示列出被跳过的行。",
        "Cells the reader could not place with certainty and left null (x_unsure) take part "
        "in no arithmetic check; this lists the rows left out.",
    ),
)
def arithmetic_unsure(ctx: Context) -> Iterator[Hit]:
    for (table, key), cols in sorted(unsure_rows(ctx.report).items()):
        if table not in ("table2", "table3", "table4"):
            continue
        yield hit(
            (
                "{table}「{row}」行有 {n} 格解析器无法确定而记为空，涉及这一行的勾稽关系检查已跳过，请对照原文核对。",
                '{table_en} row "{row}": {n} cells could not be placed with certainty and are null; '
                "the arithmetic checks involving this row were skipped; check it against the page.",
            ),
            where={"table": table, "row": key},
            table=table_name(table, "zh"),
            table_en=table_name(table, "en").capitalize(),
            row=row_label(table, key),
            n=len(cols),
        )


@rule(
    "t3-balance",
    "error",
    "arithmetic",
    title=("表三勾稽关系不平", "table 3 does not balance"),
    doc=(
        "表三每一列：一、本年新收 + 二、上年结转 应等于（七）总计 + 四、结转下年度继续办理（表头注明的勾稽关系）。",
        "In every table-3 column, 新收 + 上年结转 must equal （七）总计 + 结转下年度 "
        "(the relation printed in the table header).",
    ),
)
def t3_balance(ctx: Context) -> Iterator[Hit]:
    t3 = _usable(ctx, "table3")
    need = ("new", "carried_over", "total", "carried_forward")
    if not all(k in t3 for k in need):
        return
    for c in range(T3_WIDTH):
        terms = [t3[k][c] for k in need]
        if any(v is None for v in terms):
            continue  # a blank is not a zero: the balance is unknown
        new, co, total, cf = (as_int(v) for v in terms)
        if new + co != total + cf:
            yield hit(
                (
                    "表三「{col}」列：新收 {new} + 上年结转 {co} = {lhs}，"
                    "但（七）总计 {total} + 结转下年度 {cf} = {rhs}，请核对这一列。",
                    'Table 3 column "{col}": new {new} + carried over {co} = {lhs}, '
                    "but total {total} + carried forward {cf} = {rhs}; check this column.",
                ),
                where={"table": "table3", "row": "total", "column": c},
                expected=new + co,
                actual=total + cf,
                col=column_label("table3", c),
                new=new,
                co=co,
                lhs=new + co,
                total=total,
                cf=cf,
                rhs=total + cf,
            )


@rule(
    "t3-row-total",
    "error",
    "arithmetic",
    title=("表三行合计不符", "table-3 row total is wrong"),
    doc=(
        "表三每一行的「总计」应等于六个申请人列之和；空白的总计而各列不为零也算错误。",
        "Each table-3 row's 总计 must be the sum of its six applicant columns; "
        "a blank 总计 with non-zero parts breaks it too.",
    ),
)
def t3_row_total(ctx: Context) -> Iterator[Hit]:
    t3 = _usable(ctx, "table3")
    yield from _row_totals("table3", [(k, t3[k]) for k in t3_rows_in_order(t3)], T3_TOTAL)


def _row_totals(table: str, items: list[tuple[str, list[int | None]]], at: int) -> Iterator[Hit]:
    """Each row's total against its parts; blank totals beside non-zero parts in one finding."""
    blank: list[tuple[str, int]] = []
    for key, cells in items:
        printed = [v for v in cells[:at] if v is not None]
        parts, total = sum(printed), cells[at]
        unknown = len(printed) < at  # some parts are blank
        if total is None:
            if parts:
                blank.append((key, parts))
            continue
        if parts == total or (unknown and parts < total):
            continue
        yield _row_total_hit(table, key, cells, parts, total, unknown)
    if len(blank) == 1:
        key, parts = blank[0]
        yield _row_total_hit(table, key, dict(items)[key], parts, None, False)
    elif blank:
        names = "、".join(f"「{row_label(table, k)}」" for k, _ in blank)
        names_en = ", ".join(row_label(table, k) for k, _ in blank)
        yield hit(
            (
                "{table}「总计」列有 {n} 行空白，而这些行的各列之和不为零：{rows}。请填写总计。",
                "{table_en}: the total is blank in {n} rows whose columns are not zero "
                "({rows_en}); fill in the totals.",
            ),
            where={"table": table, "column": at},
            table=_TABLES[table][0],
            table_en=_TABLES[table][1],
            n=len(blank),
            rows=names,
            rows_en=names_en,
            extra={"rows": [k for k, _ in blank]},
        )


_TABLES = {"table3": ("表三", "Table 3"), "table4": ("表四", "Table 4")}


def _row_total_hit(
    table: str, key: str, cells: list[int | None], parts: int, total: int | None, unknown: bool
) -> Hit:
    where = {"table": table, "row": key, "column": T3_TOTAL if table == "table3" else T4_TOTAL}
    more = ("（空白的格未计入）", " (blank cells not counted)") if unknown else ("", "")
    if table == "table3":
        return hit(
            (
                "表三「{row}」行：六个申请人列之和为 {parts}{more}，但总计{shown}，请更正总计或各列。",
                'Table 3 row "{row}": the six applicant columns add up to {parts}{more_en}, '
                "but the total {shown_en}; correct the total or the columns.",
            ),
            where=where,
            expected=None if unknown else parts,
            actual=total,
            row=row_label("table3", key),
            parts=parts,
            more=more[0],
            more_en=more[1],
            **_shown(total),
        )
    upheld, corrected, other, pending = (_num(v) for v in cells[:T4_TOTAL])
    return hit(
        (
            "表四「{row}」：维持 {a} + 纠正 {b} + 其他 {c} + 尚未审结 {d} = {parts}{more}，"
            "但总计{shown}，请更正总计。",
            'Table 4 "{row}": upheld {a} + corrected {b} + other {c} + pending {d} = {parts}{more_en}, '
            "but the total {shown_en}; correct the total.",
        ),
        where=where,
        expected=None if unknown else parts,
        actual=total,
        row=row_label("table4", key),
        a=upheld[0],
        b=corrected[0],
        c=other[0],
        d=pending[0],
        parts=parts,
        more=more[0],
        more_en=more[1],
        **_shown(total),
    )


def _num(v: int | None) -> tuple[str, str]:
    return ("空白", "blank") if v is None else (str(v), str(v))


@rule(
    "t3-results-total",
    "error",
    "arithmetic",
    title=("表三办理结果合计不符", "table-3 results total is wrong"),
    doc=(
        "表三每一列的（七）总计应等于全部办理结果行之和：（一）（二）、（三）1–8、（四）1–3、（五）1–5、（六）。",
        "In every table-3 column, （七）总计 must be the sum of all outcome rows "
        "((一), (二), (三)1–8, (四)1–3, (五)1–5, (六)).",
    ),
)
def t3_results_total(ctx: Context) -> Iterator[Hit]:
    t3 = _usable(ctx, "table3")
    printed = rows(ctx.report, "table3")
    outcomes = [k for k in t3_outcome_keys() if k in printed]
    if "total" not in t3 or not outcomes or any(k not in t3 for k in outcomes):
        return  # an outcome row whose values could not be placed: the sum is unknown
    for c in range(T3_WIDTH):
        cells = [t3[k][c] for k in outcomes if t3[k][c] is not None]
        total_cell = t3["total"][c]
        if total_cell is None or not cells:
            continue  # a blank total or no outcome printed: nothing to compare
        parts, total = sum(x for x in cells if x is not None), total_cell
        if parts == total or (len(cells) < len(outcomes) and parts < total):
            continue  # equal, or short only by blanks that may hold the rest
        yield hit(
            (
                "表三「{col}」列：各项办理结果之和为 {parts}{more}，但（七）总计为 {total}，请核对这一列的办理结果。",
                'Table 3 column "{col}": the outcome rows add up to {parts}{more_en}, '
                "but （七）总计 is {total}; check the outcomes of this column.",
            ),
            where={"table": "table3", "row": "total", "column": c},
            expected=None if len(cells) < len(outcomes) else parts,
            more="（空白的格未计入）" if len(cells) < len(outcomes) else "",
            more_en=" (blank cells not counted)" if len(cells) < len(outcomes) else "",
            actual=total,
            col=column_label("table3", c),
            parts=parts,
            total=total,
        )


@rule(
    "t4-total",
    "error",
    "arithmetic",
    title=("表四合计不符", "table-4 total is wrong"),
    doc=(
        "表四每一组（行政复议、未经复议直接起诉、复议后起诉）的总计应等于结果维持 + 结果纠正 + 其他结果 + 尚未审结。",
        "In table 4 each group's 总计 must be 维持 + 纠正 + 其他 + 尚未审结 "
        "(review, direct suits, suits after review).",
    ),
)
def t4_total(ctx: Context) -> Iterator[Hit]:
    t4 = _usable(ctx, "table4")
    yield from _row_totals("table4", list(t4.items()), T4_TOTAL)


_NEGATIVE = (
    "{table}「{row}」「{col}」为 {value}，数量不能为负数，请核对。",
    '{table_en} "{row}" "{col}" is {value}: a count cannot be negative; check it.',
)


@rule(
    "negative-value",
    "error",
    "arithmetic",
    title=("出现负数", "negative count"),
    doc=(
        "除 2019 版表二「本年增/减」外，各项数量和金额都不能小于零。",
        "Counts and amounts cannot be below zero, except the 2019 table-2 column 本年增/减.",
    ),
)
def negative_value(ctx: Context) -> Iterator[Hit]:
    names = {k: (zh, en.capitalize()) for k, (zh, en) in TABLE_NAMES.items()}
    for row_key, row_cells in ctx.report.t2().items():
        if not isinstance(row_cells, dict):
            continue
        for col_key, value in row_cells.items():
            col = table2_column(row_key, col_key)
            if col is None or col.kind == "signed":
                continue
            number = money(value) if col.kind == "money" else value
            if isinstance(number, str) or number is None or number >= 0:
                continue
            yield hit(
                _NEGATIVE,
                where={"table": "table2", "row": row_key, "column": col_key},
                actual=str(value) if col.kind == "money" else int(number),
                table=names["table2"][0],
                table_en=names["table2"][1],
                row=row_label("table2", row_key),
                col=col.label,
                value=value,
            )
    for table in ("table3", "table4"):
        for key, cells in rows(ctx.report, table).items():
            for c, v in enumerate(cells):
                if v is not None and v < 0:
                    yield hit(
                        _NEGATIVE,
                        where={"table": table, "row": key, "column": c},
                        actual=v,
                        table=names[table][0],
                        table_en=names[table][1],
                        row=row_label(table, key),
                        col=column_label(table, c),
                        value=v,
                    )
    for key, figure in (ctx.report.legacy or {}).items():
        if isinstance(figure, int) and not isinstance(figure, bool) and figure < 0:
            yield hit(
                (
                    "正文数字「{key}」为 {value}，数量不能为负数，请核对。",
                    'The figure "{key}" stated in the prose is {value}: a count cannot be negative.',
                ),
                where={"table": "legacy", "row": key},
                actual=figure,
                key=key,
                value=figure,
            )


__all__ = [
    "arithmetic_unsure",
    "negative_value",
    "t3_balance",
    "t3_results_total",
    "t3_row_total",
    "t4_total",
]
