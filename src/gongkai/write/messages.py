"""What is wrong with data to write, said in Chinese and in English.

The writer's data comes from staff (a workbook, a YAML file) and from other
reports. Its errors are :class:`~gongkai.errors.DataError` with both texts;
this module words them: pydantic's validation errors become
「表三「（一）予以公开」「总计」列：应为整数，实为 '3件'」, and a place in the
record becomes a workbook cell (``表三!D31``) when the data came from one.

A *locator* maps a place in the record — ``("year",)``, ``("table3", "new",
6)``, ``("table2", "fees", "amount")`` — to the workbook cell holding it, or
``None``; :func:`gongkai.write.xlsx.locator` builds one for a workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from gongkai.errors import DataError
from gongkai.national.names import TABLE_NAMES

Place = tuple[str | int, ...]
Locator = Callable[[Place], str | None]

#: Record keys as the workbook and the report name them.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "agency": ("机关名称", "agency"),
    "year": ("统计年度", "year"),
    "template": ("格式版本", "edition"),
    "published": ("发布日期", "date"),
    "title": ("标题", "title"),
    "signature": ("落款机关", "signature"),
    "contact": ("联系方式", "contact"),
    "preamble": ("前言", "preamble"),
    "parts": ("正文", "parts"),
}


def place_name(place: Place, lang: str = "zh") -> str:
    """``("table3", "new", 6)`` → ``表三「第一项…」「总计」列`` (or ``table3.new.6``)."""
    if not place:
        return ""
    head = str(place[0])
    if head in TABLE_NAMES and lang == "zh":
        from gongkai.checks.facts import column_label, row_label, table2_column

        out = TABLE_NAMES[head][0]
        if len(place) > 1:
            row = str(place[1])
            out += f"「{row_label(head, row)}」"
            if len(place) > 2:
                col = place[2]
                if head == "table2":
                    spec = table2_column(row, str(col))
                    label = spec.label if spec is not None else str(col)
                elif isinstance(col, int):
                    label = column_label(head, col)
                else:
                    label = str(col)
                out += f"「{label}」列"
        return out
    if head in FIELD_NAMES and len(place) == 1:
        return FIELD_NAMES[head][0 if lang == "zh" else 1]
    return ".".join(str(p) for p in place)


def where(source: str, place: Place, locate: Locator | None, lang: str) -> str:
    """``FILE: 表三!D31（表三「…」「总计」列）`` — the file, the cell if known, the place."""
    cell = locate(place) if locate is not None else None
    name = place_name(place, lang)
    colon = "：" if lang == "zh" else ": "
    if cell and name:
        return f"{source}{colon}{cell}（{name}）" if lang == "zh" else f"{source}: {cell} ({name})"
    if cell or name:
        return f"{source}{colon}{cell or name}"
    return source


def data_error(
    source: str, place: Place, en: str, zh: str, locate: Locator | None = None
) -> DataError:
    """A :class:`DataError` naming the file, the cell and the place, in both languages."""
    sep_en, sep_zh = (": ", "：")
    return DataError(
        f"{where(source, place, locate, 'en')}{sep_en}{en}",
        f"{where(source, place, locate, 'zh')}{sep_zh}{zh}",
    )


def _zh_reason(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = repr(given) if isinstance(given, str | int | float) else ""
    got = f"，实为 {shown}" if shown else ""
    if kind == "missing":
        return "缺少此项"
    if kind == "extra_forbidden":
        return "不认识的项目"
    if kind == "too_short":
        return f"应有 {ctx.get('min_length')} 项，实有 {ctx.get('actual_length')} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项，实有 {ctx.get('actual_length')} 项"
    if kind.startswith("int_") or kind == "int_type":
        return f"应为整数{got}"
    if kind.startswith(("date_", "datetime_")):
        return f"应为存在的日期，如 2025-01-20{got}"
    if kind.startswith("string_"):
        return f"应为文字{got}"
    if kind.startswith(("dict_", "model_")):
        return "应为键值表（映射）"
    if kind.startswith("list_"):
        return "应为列表"
    msg = str(err.get("msg", ""))
    if "not an amount of money" in msg:
        return f"应为金额（如 12.5 或 287.54万元）{got}"
    if "parts are numbered" in msg:
        return "正文部分的编号应为 1 至 6"
    if "unknown key" in msg:
        return (
            msg.replace("Value error, ", "")
            .replace("unknown key", "不认识的键")
            .replace("keys of a parser's own must start with 'x_'", "解析器自有的键须以 x_ 开头")
        )
    return msg


def _place(err: dict[str, Any], prefix: Place) -> Place:
    from gongkai.national.editions import EDITION_2019, EDITION_2021

    loc = tuple(p for p in err.get("loc", ()) if not str(p).startswith("function-"))
    table2_rows = {k for e in (EDITION_2019, EDITION_2021) for k in e.table("table2").row_keys}
    if loc and str(loc[0]) in table2_rows:
        return ("table2", *loc)  # table 2 is validated as a model of its own
    if loc and str(loc[0]) not in TABLE_NAMES and prefix:
        return (*prefix, *loc)
    return loc


def validation_error(
    source: str, exc: ValidationError, locate: Locator | None = None, prefix: Place = ()
) -> DataError:
    """The first error of ``exc`` (and how many more) as a :class:`DataError`."""
    errs = exc.errors()
    e = dict(errs[0])
    place = _place(e, prefix)
    en = str(e["msg"]).replace("Value error, ", "")
    zh = _zh_reason(e)
    if len(errs) > 1:
        en += f" (and {len(errs) - 1} more)"
        zh += f"（另有 {len(errs) - 1} 处）"
    return data_error(source, place, en, zh, locate)
