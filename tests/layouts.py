"""Reports the tests build themselves, in the flattened layouts real sites publish.

Independent of gongkai's writer: the parser is tested against text laid out
here from the national format data, the way real pages come:

* ``cells`` — one cell per line, blank lines between rows (blank cells as ``/``);
* ``pipe`` — ``label |`` one cell per line with ``||||`` runs, as sites flatten tables;
* ``tabs`` — tab-indented cells from Word, with a ``[bookmark: _GoBack]`` artefact;
* ``markdown`` — ``| label | 0 | 0 |`` rows;
* ``spaces`` — ``label 0 0 0`` rows as PDF text extraction gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.national.editions import EDITIONS, T3_COLUMNS, TABLE4, table3_all_rows

LAYOUTS = ("cells", "pipe", "tabs", "markdown", "spaces")


def _fmt(v: Any) -> str:
    return "/" if v is None else str(v)


def table_rows(record: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    """(label, values) in print order; values None for caption/header rows."""
    ed = EDITIONS[record["template"]]
    rows: list[tuple[str, list[str] | None]] = [("二、主动公开政府信息情况", None)]
    t2 = ed.table("table2")
    for sub in t2.subtables:
        rows.append((sub.caption, None))
        rows.append(("信息内容 " + " ".join(c.label for c in sub.columns), None))
        for key in sub.rows:
            data = record["table2"][key]
            rows.append((t2.row(key).label, [_fmt(data[c.key]) for c in sub.columns]))
    rows.append(("三、收到和处理政府信息公开申请情况", None))
    rows.append(("申请人情况", None))
    rows.append(("自然人 法人或其他组织 总计", None))
    rows.append((" ".join(c.label for c in T3_COLUMNS[1:6]), None))
    groups_done: set[str] = set()
    for row in table3_all_rows():
        if row.key not in record["table3"]:
            continue
        if row.key == "granted":
            rows.append(("三、本年度办理结果", None))
        if row.group and row.group not in groups_done and row.group.startswith("（"):
            groups_done.add(row.group)
            rows.append((row.group, None))
        rows.append((row.label, [_fmt(v) for v in record["table3"][row.key]]))
    rows.append(("四、政府信息公开行政复议、行政诉讼情况", None))
    rows.append(("行政复议 行政诉讼", None))
    rows.append((" ".join(c.label for c in TABLE4.columns) + " 未经复议直接起诉 复议后起诉", None))
    rows.append((" ".join(c.label for c in TABLE4.columns) * 2, None))
    values: list[str] = []
    for r in TABLE4.rows:
        values += [_fmt(v) for v in record["table4"][r.key]]
    rows.append(("", values))
    return rows


def _prose(record: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    year = record["year"]
    head = [
        record["agency"],
        f"{year}年政府信息公开工作年度报告",
        f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自{year}年1月1日至{year}年12月31日。",
        "一、总体情况",
        f"{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政务公开工作，不断提升公开质量和实效。",
    ]
    tail = [
        "五、存在的主要问题及改进情况",
        "政务公开工作仍存在公开内容不够全面、政策解读形式较为单一等问题，下一步将加强培训，完善工作机制。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费，无其他需要报告的事项。",
        record["agency"],
        f"{year + 1}年1月20日",
    ]
    return head, [], tail


def _is_heading(label: str) -> bool:
    return label.startswith(("二、主动", "三、收到", "四、政府"))


def render(record: dict[str, Any], layout: str) -> str:
    head, _, tail = _prose(record)
    out: list[str] = [*head]
    for label, values in table_rows(record):
        if _is_heading(label):
            out += ["", label, ""]
            continue
        out.extend(RENDER[layout](label, values))
    out += ["", *tail, ""]
    return "\n".join(out)


def _cells(label: str, values: list[str] | None) -> list[str]:
    lines = [w for w in label.split(" ") if w] if values is None else ([label] if label else [])
    return [*lines, *(values or []), ""]


def _pipe(label: str, values: list[str] | None) -> list[str]:
    if values is None:
        return [f"{w} |" for w in label.split(" ") if w] + ["||||"]
    return ([f"{label} |"] if label else []) + [f"{v} |" for v in values]


def _tabs(label: str, values: list[str] | None) -> list[str]:
    if values is None:
        return [f"\t{w}" for w in label.split(" ") if w] + [""]
    cells = ([f"\t{label}"] if label else []) + [f"\t{v}" for v in values]
    if len(cells) > 1:
        cells[1] = "\t[bookmark: _GoBack]" + cells[1][1:]
    return [*cells, ""]


def _markdown(label: str, values: list[str] | None) -> list[str]:
    if values is None:
        words = [w for w in label.split(" ") if w]
        return ["| " + " | ".join(words) + " |", "|" + "---|" * len(words)]
    vals = ["" if v == "/" else v for v in values]
    return ["| " + " | ".join([label, *vals] if label else vals) + " |"]


def _spaces(label: str, values: list[str] | None) -> list[str]:
    if values is None:
        return [label]
    return [" ".join([label, *values]) if label else " ".join(values)]


RENDER: dict[str, Callable[[str, list[str] | None], list[str]]] = {
    "cells": _cells,
    "pipe": _pipe,
    "tabs": _tabs,
    "markdown": _markdown,
    "spaces": _spaces,
}
