"""``gongkai parse --explain``: which text became which table, row and cell.

For every cell of the record, the value, where it was read (line, page,
table cell) and the printed text there; then the parse warnings and the
rows the format does not have.
"""

from __future__ import annotations

from typing import Any

from gongkai.evidence import Place
from gongkai.i18n import Lang, pick
from gongkai.national.labels import row_spec
from gongkai.reading.document import Document, Loc, TableBlock
from gongkai.record import Report


def _loc(where: Place) -> Loc:
    return Loc(line=where.line, page=where.page, table=where.table, row=where.row, col=where.col)


def _source_text(doc: Document, where: Place) -> str:
    loc = _loc(where)
    for b in doc.blocks:
        if isinstance(b, TableBlock):
            for row in b.rows:
                for c in row:
                    if c.loc == loc:
                        return c.text
        elif b.loc == loc or (
            loc.line is not None and b.loc.line == loc.line and b.loc.page == loc.page
        ):
            return b.text
    return ""


_BY = {
    "grid": ("表格列", "grid column"),
    "label": ("随行标签", "by its label"),
    "order": ("按顺序", "by order"),
    "arithmetic": ("勾稽关系确定", "by the arithmetic"),
}


def _where(where: Place | None, lang: Lang = "en") -> str:
    return _loc(where).describe(lang) if where else "?"


def explain_lines(report: Report, doc: Document, lang: Lang = "zh") -> list[str]:
    evidence = report.evidence
    prov = evidence.provenance
    unsure = {f"{u.table}.{u.row}.{u.column}" for u in evidence.unsure}
    out: list[str] = []
    for key in ("table2", "table3", "table4"):
        info = evidence.tables.get(key)
        found = info is not None and info.found
        status = pick(("找到", "found"), lang) if found else pick(("未找到", "not found"), lang)
        out.append(
            f"[{key}] {status} {_where(info.where, lang) if info and found else ''}".rstrip()
        )
        data: dict[str, Any]
        if key == "table2":
            data = dict(report.t2())
        else:
            data = dict(report.t3() if key == "table3" else report.t4())
        for row, cells in data.items():
            spec = row_spec(key, row)
            printed = evidence.labels.get(f"{key}.{row}")
            label = printed.text if printed else (spec.label if spec else row)
            items = cells.items() if isinstance(cells, dict) else enumerate(cells)
            for col, value in items:
                pkey = f"{key}.{row}.{col}"
                where = prov.get(pkey)
                text = _source_text(doc, where) if where else ""
                by = _BY.get(str(where.by)) if where else None
                origin = (
                    f"{_where(where, lang)} “{text.strip()[:40]}”"
                    + (f" [{pick(by, lang)}]" if by else "")
                    + (f" [OCR {where.ocr:.2f}]" if where.ocr is not None else "")
                    if where
                    else pick(("（无来源）", "(no source)"), lang)
                )
                if pkey in unsure:
                    origin = pick(
                        ("无法确定，记为空（见解析提示）", "unsure, left null (see warnings)"), lang
                    )
                out.append(f"  {pkey:<42} = {value!s:<10} ← {label} · {origin}")
    placed = evidence.placed or {}
    if placed:
        out.append(
            pick(("[放置方式]", "[how cells were placed]"), lang)
            + " "
            + "  ".join(f"{pick(_BY.get(k, (k, k)), lang)} {n}" for k, n in sorted(placed.items()))
            + (f"  {pick(('无法确定', 'unsure'), lang)} {len(unsure)}" if unsure else "")
        )
    if evidence.warnings:
        out.append(pick(("[解析提示]", "[parse warnings]"), lang))
        for w in evidence.warnings:
            msg = w.message_en if lang == "en" and w.message_en else w.message
            out.append(f"  {w.code}: {msg} ({_where(w.where, lang)})")
    if evidence.extra_rows:
        out.append(pick(("[格式以外的行]", "[rows the format does not have]"), lang))
        for r in evidence.extra_rows:
            out.append(f"  {r.label}: {' '.join(r.values)} ({_where(r.where, lang)})")
    return out
