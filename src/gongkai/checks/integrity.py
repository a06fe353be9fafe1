"""Integrity: the visible tables against the file's own record, and values no agency can have.

* ``embedded-mismatch``. gongkai embeds a machine-readable copy of the
  record in the DOCX, PDF and HTML it writes. The reader compares it with
  the visible report (``x_embedded_diff``); a cell that differs was edited
  after the report was written — by hand or by an intruder. Each differing
  cell is a finding naming the table, row and column, with both values.
* ``implausible-value``. More applications (or of any count) than the
  country has people, a fee of more than a thousand billion yuan: values no
  agency can have, found as read (a count below zero is ``negative-value``). The
  finding names each cell; the arithmetic rules may add nothing, since an
  implausible value can still add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from gongkai.checks.facts import column_label, money, row_label, rows, table2_column
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.national.names import TABLE_NAMES

#: people in China (2023), the most applications any count may hold
POPULATION = 1_410_000_000
#: the largest fee believable in one report, in 万元 (a thousand billion yuan)
MAX_FEE_WAN = Decimal(100_000_000)
#: cells of a mismatch named one by one; the rest are counted in one more finding
MAX_NAMED = 12


def _cell(key: str) -> tuple[dict[str, Any], str, str]:
    """``table3.new.6`` → (where, Chinese name, English name) of the cell."""
    parts = key.split(".")
    table = parts[0]
    if table not in TABLE_NAMES or len(parts) < 2:
        return {}, key, key
    zh_t, en_t = TABLE_NAMES[table]
    row = parts[1]
    label = row_label(table, row)
    if len(parts) < 3:
        return {"table": table, "row": row}, f"{zh_t}「{label}」", f"{en_t} {label}"
    col: int | str = parts[2]
    if table in ("table3", "table4") and parts[2].isdigit():
        col = int(parts[2])
        col_name = column_label(table, col)
    else:
        spec = table2_column(row, parts[2])
        col_name = spec.label if spec is not None else parts[2]
    where = {"table": table, "row": row, "column": col}
    return where, f"{zh_t}「{label}」「{col_name}」", f'{en_t} {label}, column "{col_name}"'


def _shown(value: Any) -> str:
    return "空白" if value is None else str(value)


def _shown_en(value: Any) -> str:
    return "blank" if value is None else str(value)


@rule(
    "embedded-mismatch",
    "error",
    "tampering",
    title=("内嵌数据与可见表格不一致", "embedded record disagrees with the tables"),
    doc=(
        "gongkai 生成的文件内嵌一份机器可读的报告数据。可见表格中的数字与内嵌数据不一致，"
        "说明文件在生成后被修改过（手工改动或被篡改），逐格列出不一致之处。",
        "Files gongkai writes carry a machine-readable copy of the record. A visible cell that "
        "differs from that copy was changed after the file was written (by hand or by an "
        "intruder); each differing cell is named.",
    ),
    spec=False,
)
def embedded_mismatch(ctx: Context) -> Iterator[Hit]:
    # a diff of another shape is read as absent (Evidence.unreadable): silent, not a guess
    items = ctx.report.evidence.embedded_diff or []
    for d in items[:MAX_NAMED]:
        where, zh, en = _cell(d.key)
        visible, embedded = d.visible, d.embedded
        yield hit(
            (
                "{cell}：页面上为 {visible}，文件内嵌的数据为 {embedded}，文件在生成后被修改过，请核实。",
                "{cell_en}: the page shows {visible_en}, the record embedded in the file "
                "{embedded_en}: the file was changed after it was written; check it.",
            ),
            where=where,
            expected=embedded if isinstance(embedded, int | float | str) else None,
            actual=visible if isinstance(visible, int | float | str) else None,
            cell=zh,
            cell_en=en,
            visible=_shown(visible),
            embedded=_shown(embedded),
            visible_en=_shown_en(visible),
            embedded_en=_shown_en(embedded),
        )
    if len(items) > MAX_NAMED:
        yield hit(
            (
                "另有 {n} 处与内嵌数据不一致（见 x_embedded_diff）。",
                "{n} more cells differ from the embedded record (see x_embedded_diff).",
            ),
            n=len(items) - MAX_NAMED,
        )


@rule(
    "implausible-value",
    "error",
    "plausibility",
    title=("不可能的数值", "implausible value"),
    doc=(
        "超过全国人口的件数、超过一万亿元的收费金额，任何机关都不可能有，"
        "多为录入或识别错误，也可能是篡改。逐格列出（负数见 negative-value）。",
        "A count larger than the country's population, a fee of more than a thousand billion "
        "yuan: no agency can have them; a slip, a misreading or tampering. Each cell is named "
        "(negative counts: negative-value).",
    ),
    spec=False,
)
def implausible_value(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    for table in ("table3", "table4"):
        for row, values in rows(report, table).items():
            for index, n in enumerate(values):
                if n is None or n <= POPULATION:
                    continue  # negative counts: negative-value
                where, zh, en = _cell(f"{table}.{row}.{index}")
                why = (
                    ("为负数", "is negative")
                    if n < 0
                    else (
                        f"超过全国人口（约 {POPULATION:,}）",
                        f"exceeds the population ({POPULATION:,})",
                    )
                )
                yield hit(
                    ("{cell}为 {v}，{why}，不可能是真实件数。", "{cell_en} is {v}: it {why_en}."),
                    where=where,
                    actual=n,
                    cell=zh,
                    cell_en=en,
                    v=n,
                    why=why[0],
                    why_en=why[1],
                )
    for row, cells in report.t2().items():
        if not isinstance(cells, dict):
            continue
        for col, value in cells.items():
            where, zh, en = _cell(f"table2.{row}.{col}")
            spec = table2_column(row, str(col))
            v: Any = value
            if spec is not None and spec.kind == "money":
                amount = money(v)
                if amount is None or amount <= MAX_FEE_WAN:
                    continue  # negative amounts: negative-value
                why = ("超过一万亿元", "is more than a thousand billion yuan")
            elif isinstance(v, int) and not isinstance(v, bool) and abs(v) > POPULATION:
                why = ("超过全国人口", "exceeds the population")
            else:
                continue
            yield hit(
                ("{cell}为 {v}，{why}，不可能是真实数值。", "{cell_en} is {v}: it {why_en}."),
                where=where,
                actual=str(v),
                cell=zh,
                cell_en=en,
                v=v,
                why=why[0],
                why_en=why[1],
            )
