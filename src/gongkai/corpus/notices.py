"""``corpus notices``: a 整改通知 (notice to correct) per agency, as DOCX in
the official layout of :mod:`gongkai.write.docx`.

Each notice names the agency's reports and quotes every finding: its rule,
what is wrong, where (table, row, column, line or page), the printed value of
the cell it rests on, and what the numbers should satisfy (expected against
printed). The reviewer's name and the reply deadline are filled in.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from gongkai.corpus.export import findings_select, where_text
from gongkai.corpus.models import CellRow
from gongkai.corpus.query import ALL, Filter, _conn, finding_dict
from gongkai.errors import GongkaiError
from gongkai.i18n import Lang, pick
from gongkai.output import atomic_write

C = CellRow.__table__.c
_NUMERALS = "一二三四五六七八九十"
_SEVERITY = {"error": "错误", "warning": "问题", "info": "提示"}


class NoticeError(GongkaiError):
    def message(self, lang: str = "zh") -> str:
        return str(self)


@dataclass
class NoticeItem:
    year: int | None
    file: str
    rule: str
    severity: str
    message: str
    where: str
    printed: str | None = None
    expected: Any = None
    actual: Any = None


@dataclass
class Notice:
    agency_key: str
    agency: str
    items: list[NoticeItem] = field(default_factory=list)

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(f"{i.year}年（{i.file}）" for i in self.items))


def collect_notices(
    conn: Engine | Connection,
    flt: Filter = ALL,
    severities: tuple[str, ...] = ("error", "warning"),
    lang: Lang = "zh",
) -> list[Notice]:
    with _conn(conn) as c:
        rows = list(c.execute(findings_select(flt, severities)))
        printed: dict[tuple[int, str], str] = {}
        wanted = {
            (r.report_id, f"{r.tbl}.{r.row_key}.{r.col_key}")
            for r in rows
            if r.tbl and r.row_key and r.col_key is not None
        }
        ids = sorted({rid for rid, _p in wanted})
        for chunk in range(0, len(ids), 500):
            for rid, path, value, text in c.execute(
                select(C.report_id, C.path, C.value, C.text).where(
                    C.report_id.in_(ids[chunk : chunk + 500])
                )
            ):
                if (rid, path) in wanted:
                    shown = text if text is not None else ("空白" if value is None else str(value))
                    printed[(rid, path)] = shown
    groups: dict[str, Notice] = {}
    for row in rows:
        key = row.agency_key or row.agency or "—"
        n = groups.setdefault(key, Notice(key, row.canonical or row.agency or key))
        f = finding_dict(row)
        path = f"{row.tbl}.{row.row_key}.{row.col_key}"
        n.items.append(
            NoticeItem(
                row.year,
                row.file,
                f["rule"],
                f["severity"],
                f["message"],
                where_text(f.get("where") or {}, lang),
                printed.get((row.report_id, path)),
                f.get("expected"),
                f.get("actual"),
            )
        )
    return list(groups.values())


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "agency"


def notice_docx(n: Notice, *, reviewer: str, deadline: dt.date, issued: dt.date) -> bytes:
    from gongkai.write.docx import official_document, official_paragraph

    doc = official_document()
    years = sorted({i.year for i in n.items if i.year})
    year_text = "、".join(str(y) for y in years)
    official_paragraph(
        doc, f"关于{n.agency}{year_text}年政府信息公开工作年度报告问题的整改通知", "GkTitle"
    )
    p = official_paragraph(doc, f"{n.agency}：")
    p.paragraph_format.first_line_indent = 0
    official_paragraph(
        doc,
        f"经审查，你单位发布的政府信息公开工作年度报告{'、'.join(n.files)}存在以下{len(n.items)}个问题。"
        "请对照《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》逐项核实，"
        f"更正后重新发布，并于{deadline.year}年{deadline.month}月{deadline.day}日前将整改情况书面报送{reviewer}。",
    )
    by_year: dict[int | None, list[NoticeItem]] = defaultdict(list)
    for item in n.items:
        by_year[item.year].append(item)
    for k, (year, items) in enumerate(sorted(by_year.items(), key=lambda kv: kv[0] or 0)):
        official_paragraph(
            doc, f"{_NUMERALS[min(k, 9)]}、{year or ''}年度报告（{items[0].file}）", "GkHeading"
        )
        for j, item in enumerate(items, start=1):
            official_paragraph(
                doc, f"（{j}）{_SEVERITY.get(item.severity, '问题')}：{item.message}", "GkSub"
            )
            detail = []
            if item.where:
                detail.append(f"位置：{item.where}")
            if item.printed is not None:
                detail.append(f"报告所列数值：{item.printed}")
            if item.expected is not None or item.actual is not None:
                detail.append(
                    f"按勾稽关系应为 {_show(item.expected)}，报告所列为 {_show(item.actual)}"
                )
            detail.append(f"规则：{item.rule}")
            official_paragraph(doc, "；".join(detail) + "。")
    official_paragraph(doc, "")
    official_paragraph(doc, reviewer, "GkSign")
    official_paragraph(doc, f"{issued.year}年{issued.month}月{issued.day}日", "GkSign")
    props = doc.core_properties
    props.title = f"{n.agency} 整改通知"
    props.author = reviewer
    props.comments = "written by gongkai"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _show(v: Any) -> str:
    if v is None:
        return "—"
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def write_notices(
    conn: Engine | Connection,
    outdir: str | Path,
    flt: Filter = ALL,
    *,
    reviewer: str = "政务公开工作主管部门",
    deadline: dt.date | None = None,
    severities: tuple[str, ...] = ("error", "warning"),
    force: bool = False,
    today: dt.date | None = None,
) -> list[Path]:
    """One DOCX an agency with findings into ``outdir``; returns the files."""
    issued = today or dt.date.today()
    due = deadline or issued + dt.timedelta(days=15)
    out = Path(outdir)
    files = []
    for n in collect_notices(conn, flt, severities):
        target = out / f"{_safe_name(n.agency)}-整改通知.docx"
        if target.exists() and not force:
            raise NoticeError(
                pick(
                    (
                        "{p}：文件已存在，加 --force 覆盖",
                        "{p}: the file exists; --force overwrites it",
                    ),
                    p=target,
                )
            )
        atomic_write(target, notice_docx(n, reviewer=reviewer, deadline=due, issued=issued))
        files.append(target)
    return files
