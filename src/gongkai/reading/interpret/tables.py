"""From recognised rows to the three tables of the record.

Each row's values are placed into the cells of its template row. When a row
shows as many values as it has cells, they go in order. When it shows fewer
(a flattened page where blank cells vanished), a value is placed only where
the format leaves one reading:

* a table-2 row of three cells showing two values: the first and the last
  cell (the middle, 本年增/减 or 本年新公开, is the one pages leave blank);
* a table-3 row showing k < 7 values whose last equals the sum of the
  others: the leading applicant columns and 总计;
* anything else: every cell null, with a ``short-row`` warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.national.editions import EDITIONS, TABLE4, table3_row_order
from gongkai.national.model import Column
from gongkai.reading.interpret.rows import RowHit, RowScan, Token


@dataclass
class Tables:
    table2: dict[str, dict[str, int | str | None]] = field(default_factory=dict)
    table3: dict[str, list[int | None]] = field(default_factory=dict)
    table4: dict[str, list[int | None]] = field(default_factory=dict)
    provenance: dict[str, dict[str, int]] = field(default_factory=dict)
    blank_cells: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    extra_rows: list[dict[str, Any]] = field(default_factory=list)
    where: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)


def _warn(t: Tables, code: str, zh: str, en: str, **kw: Any) -> None:
    t.warnings.append({"code": code, "message": zh, "message_en": en, **kw})


def _place(values: list[Token], n: int, table: str) -> list[Token | None] | None:
    k = len(values)
    if k == n:
        return list(values)
    if k > n:
        return list(values[:n])
    if table == "table2" and n == 3 and k == 2:
        return [values[0], None, values[1]]
    if table == "table3" and k >= 2:
        nums = [v.value.number if v.value is not None else None for v in values]
        if all(isinstance(x, int) for x in nums):
            ints = [int(x) for x in nums if isinstance(x, int)]
            if sum(ints[:-1]) == ints[-1]:
                lead: list[Token | None] = list(values[:-1])
                return lead + [None] * (n - k) + [values[-1]]
    return None


def _cell(tok: Token | None, col: Column | None) -> tuple[int | str | None, bool]:
    """(value for the record, printed blank?)."""
    if tok is None or tok.value is None:
        return None, False
    v = tok.value
    if v.blank:
        return None, True
    if col is not None and col.kind == "money":
        return v.text, False
    if v.kind == "int" and isinstance(v.number, int):
        return v.number, False
    return None, False


def _loc(tok: Token | None) -> dict[str, int] | None:
    return tok.loc.as_dict() if tok is not None else None


def _fill(
    t: Tables,
    table: str,
    key: str,
    hit: RowHit,
    cols: tuple[Column, ...] | None,
    n: int,
    label_zh: str,
) -> list[int | str | None]:
    placed = _place(hit.values, n, table)
    if placed is None:
        _warn(
            t,
            "short-row",
            f"{label_zh}：本行显示 {len(hit.values)} 个数值，应有 {n} 个，无法确定各数值所在列，均记为空",
            f"{label_zh}: this row shows {len(hit.values)} values for {n} cells; they cannot be placed and are left null",
            table=table,
            row=key,
            expected=n,
            actual=len(hit.values),
            where=hit.loc.as_dict(),
        )
        placed = [None] * n
    elif len(hit.values) != n:
        what = "多于" if len(hit.values) > n else "少于"
        _warn(
            t,
            "short-row" if len(hit.values) < n else "long-row",
            f"{label_zh}：本行显示 {len(hit.values)} 个数值，{what}应有的 {n} 个，已按格式推断位置",
            f"{label_zh}: this row shows {len(hit.values)} values for {n} cells; placed by the format's rules",
            table=table,
            row=key,
            expected=n,
            actual=len(hit.values),
            where=hit.loc.as_dict(),
        )
    out: list[int | str | None] = []
    for i, tok in enumerate(placed):
        col = cols[i] if cols is not None and i < len(cols) else None
        value, blank = _cell(tok, col)
        ckey = col.key if (table == "table2" and col is not None) else str(i)
        if blank:
            t.blank_cells.append(
                {
                    "table": table,
                    "row": key,
                    "column": ckey if table == "table2" else i,
                    "text": tok.text if tok else "",
                }
            )
        if tok is not None and tok.value is not None and not tok.value.blank and value is None:
            _warn(
                t,
                "not-a-count",
                f"{label_zh} 第 {i + 1} 格“{tok.text}”不是整数，记为空",
                f"{label_zh}, cell {i + 1}: '{tok.text}' is not a whole number; left null",
                table=table,
                row=key,
                where=tok.loc.as_dict(),
            )
        loc = _loc(tok)
        if loc is not None:
            t.provenance[f"{table}.{key}.{ckey}"] = loc
        out.append(value)
    return out


def build_tables(scan: RowScan, edition: str) -> Tables:
    """The tables of the record from the rows ``scan`` found, for ``edition``."""
    t = Tables()
    ed = EDITIONS[edition]
    t2_spec = ed.table("table2")
    seen: set[tuple[str, str]] = set()
    for hit in scan.hits:
        ident = (hit.table, hit.key)
        if ident in seen:
            _warn(
                t,
                "duplicate-row",
                f"“{hit.label}”重复出现，采用第一次出现的数值",
                f"'{hit.label}' appears again; the first one is kept",
                table=hit.table,
                row=hit.key,
                where=hit.loc.as_dict(),
            )
            continue
        if hit.table == "table2":
            if hit.key not in t2_spec.row_keys:
                t.extra_rows.append(
                    {
                        "table": "table2",
                        "label": hit.label,
                        "values": [v.text for v in hit.values],
                        "where": hit.loc.as_dict(),
                    }
                )
                _warn(
                    t,
                    "other-edition-row",
                    f"表二“{hit.label}”是另一版格式的行，未计入",
                    f"table 2 row '{hit.label}' belongs to the other edition; kept aside",
                    table="table2",
                    row=hit.key,
                    where=hit.loc.as_dict(),
                )
                seen.add(ident)
                continue
            cols = t2_spec.row_columns(hit.key)
            cells = _fill(t, "table2", hit.key, hit, cols, len(cols), hit.label)
            t.table2[hit.key] = {c.key: v for c, v in zip(cols, cells, strict=True)}
        elif hit.table == "table3":
            cells = _fill(t, "table3", hit.key, hit, None, 7, hit.label)
            t.table3[hit.key] = [c if isinstance(c, int) or c is None else None for c in cells]
        elif hit.table == "table4":
            if hit.key == "*":
                groups = [r.key for r in TABLE4.rows]
                cells = _fill(t, "table4", "*", hit, None, 15, "表四")
                for gi, g in enumerate(groups):
                    if (hit.table, g) in seen:
                        continue
                    part = cells[gi * 5 : gi * 5 + 5]
                    t.table4[g] = [c if isinstance(c, int) or c is None else None for c in part]
                    for ci in range(5):
                        loc = t.provenance.pop(f"table4.*.{gi * 5 + ci}", None)
                        if loc is not None:
                            t.provenance[f"table4.{g}.{ci}"] = loc
                    seen.add(("table4", g))
                for b in t.blank_cells:
                    if b["table"] == "table4" and b["row"] == "*":
                        i = int(b["column"])
                        b["row"], b["column"] = groups[i // 5], i % 5
                for w in t.warnings:
                    if w.get("table") == "table4" and w.get("row") == "*":
                        w["row"] = None
            else:
                cells = _fill(t, "table4", hit.key, hit, None, 5, hit.label)
                t.table4[hit.key] = [c if isinstance(c, int) or c is None else None for c in cells]
        t.where.setdefault(hit.table, hit.loc.as_dict())
        if hit.label:
            t.labels[f"{hit.table}.{hit.key}"] = {"text": hit.label, "where": hit.loc.as_dict()}
        seen.add(ident)
    for extra in scan.extra:
        t.extra_rows.append(
            {
                "table": extra.table,
                "label": extra.label,
                "values": [v.text for v in extra.values],
                "where": extra.loc.as_dict(),
            }
        )
    # keep print order
    order3 = table3_row_order()
    t.table3 = {k: t.table3[k] for k in order3 if k in t.table3}
    t.table2 = {k: t.table2[k] for k in t2_spec.row_keys if k in t.table2}
    t.table4 = {r.key: t.table4[r.key] for r in TABLE4.rows if r.key in t.table4}
    return t
