"""Document → report record: the interpretation step every reader shares.

1. flatten the blocks into lines (grid rows as one line each);
2. find the title, agency, year, published date (:mod:`.meta`);
3. cut the six parts (:mod:`.sections`);
4. decide the edition from the tables actually printed (table 2's columns,
   then table 3's （六） rows, then the year);
5. recognise rows (:mod:`.rows`) and place values (:mod:`.tables`);
6. a report without tables is ``legacy``: read the figures its prose states.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from gongkai.errors import NotAReport
from gongkai.evidence import ParseWarning
from gongkai.national.editions import (
    REPORT_WORD,
    TABLE2_MARKERS,
    TABLE3_MARKERS,
    edition_for_year,
)
from gongkai.reading.document import Document, Loc, TableBlock
from gongkai.reading.interpret.columns import read_by_columns
from gongkai.reading.interpret.legacy import LegacyRead, legacy_figures
from gongkai.reading.interpret.meta import Decided, Meta, find_meta
from gongkai.reading.interpret.rows import scan_rows
from gongkai.reading.interpret.sections import Section, cut_sections, split_run_on
from gongkai.reading.interpret.tables import Tables, build_tables
from gongkai.record import Report
from gongkai.written import EMAIL

# Markers are looked for in the text with its white space removed (cheap, unlike
# a full normalisation of a long report); none holds a bracket or a digit.
_MARKERS_2021 = TABLE2_MARKERS["2021"]
_MARKERS_2019 = TABLE2_MARKERS["2019"]
_T3_2021 = TABLE3_MARKERS["2021"]
_T3_2019_OTHER = TABLE3_MARKERS["2019"]


def flatten(doc: Document) -> list[tuple[str, Loc, bool]]:
    """(text, loc, from_grid) lines: paragraphs, and grid rows joined by spaces."""
    lines: list[tuple[str, Loc, bool]] = []
    append = lines.append  # (a line of the report each: the method looked up once)
    for b in doc.blocks:
        if isinstance(b, TableBlock):
            grid = b.grid
            for row in b.printed_rows:
                cells = [t for c in row if (t := c.text.strip())]
                if cells:
                    append((" ".join(cells), row[0].loc, grid))
        elif "\n" not in (text := b.text):
            if len(text) < 300:
                if text and not text.isspace():  # (text.strip(), without making it)
                    append((text, b.loc, False))
            elif not text.isspace():
                lines.extend((t, b.loc, False) for t in split_run_on(text))
        else:
            for part in text.splitlines():
                if part.strip():
                    append((part, b.loc, False))
    return lines


def detect_edition(text: str) -> str | None:
    """The edition of table 2 as printed (its column headers and rows), else None.

    ``text`` is the report's text with white space removed."""
    n21 = sum(1 for m in _MARKERS_2021 if m in text)
    n19 = sum(1 for m in _MARKERS_2019 if m in text)
    if n21 > n19:
        return "2021"
    if n19 > n21:
        return "2019"
    return None


def _table3_style(text: str) -> str | None:
    if any(m in text for m in _T3_2021):
        return "2021"
    if any(m in text for m in _T3_2019_OTHER):
        return "2019"
    return None


_PAGE_KEYS = {
    "发布机构": "page_agency",
    "发文机关": "page_agency",
    "发布单位": "page_agency",
    "公开日期": "page_date",
    "发布日期": "page_date",
    "成文日期": "page_date",
    "发布时间": "page_date",
}


def _grid_key_values(doc: Document) -> dict[str, str]:
    """发布机构 / 公开日期 printed in a page's metadata table."""
    out: dict[str, str] = {}
    for t in doc.tables():
        if len(t.rows) > 12:
            continue
        for row in t.rows:
            for i in range(len(row) - 1):
                cell = row[i].text
                if len(cell) > 8:
                    continue
                target = _PAGE_KEYS.get(cell.replace(" ", "").rstrip(":："))
                nxt = row[i + 1].text.strip()
                if target and nxt and target not in out:
                    out[target] = "".join(nxt.split()) if target == "page_agency" else nxt
    return out


def _emails(text: str) -> list[str]:
    seen: list[str] = []
    if "@" not in text:  # (every address holds one: most reports are searched no further)
        return seen
    for m in EMAIL.finditer(text):
        e = m.group(0).rstrip(".")
        if e not in seen:
            seen.append(e)
    return seen


def decide_edition(t2_edition: str | None, t3_style: str | None, year: int | None) -> Decided[str]:
    """The edition whose tables are printed: table 2's columns, then table 3's （六） rows,
    then the edition in force for the year; the 2019 tables for a legacy year (the rows
    are looked for all the same)."""
    if t2_edition:
        return Decided(t2_edition, "table2")
    if t3_style:
        return Decided(t3_style, "table3")
    if year:
        by_year = edition_for_year(year).id
        return Decided("2019" if by_year == "legacy" else by_year, "year")
    return Decided("2021", "default")


def _filled_at_least(tables: Tables, least: int) -> bool:
    """Whether the tables hold ``least`` filled cells (counted until there are that many:
    table 3 alone most often has them)."""
    filled = 0
    rows: Iterable[Sequence[int | str | None]] = chain(
        tables.table3.values(),
        tables.table4.values(),
        (list(r.values()) for r in tables.table2.values()),
    )
    for cells in rows:
        filled += len(cells) - cells.count(None)
        if filled >= least:
            return True
    return filled >= least


def is_a_report(meta: Meta, sections: list[Section], tables: Tables, ntext: str) -> bool:
    """Enough of an annual report: a title, a year, parts, filled cells, 信息公开."""
    evidence = (
        2 * bool(meta.title)
        + bool(meta.year)
        + 2 * (len(sections) >= 3)
        + 2 * _filled_at_least(tables, 10)
        + (REPORT_WORD in ntext)
    )
    return evidence >= 3 and REPORT_WORD in ntext


#: Files a page may hold the report in.
ATTACHMENT_SUFFIXES = (
    ".pdf",
    ".doc",
    ".docx",
    ".wps",
    ".ofd",
    ".xls",
    ".xlsx",
    ".et",
    ".rtf",
    ".zip",
    ".rar",
)


def report_attachments(
    doc: Document, sections: list[Section], tables: Tables
) -> list[dict[str, Any]]:
    """The attachments a page links to when it holds no report of its own.

    A web page with the report's title but neither its parts nor its tables,
    linking to a PDF/Word/… file: the report is that file (``x_attachments``).
    """
    if len(sections) >= 3 or tables.table2 or tables.table3 or tables.table4:
        return []
    out: list[dict[str, Any]] = []
    for link in doc.meta.get("links") or []:
        href = str(link.get("href") or "")
        text = str(link.get("text") or "")
        path = href.split("?")[0].split("#")[0].lower()
        if path.endswith(ATTACHMENT_SUFFIXES) or text.lower().endswith(ATTACHMENT_SUFFIXES):
            out.append({"href": href, "text": text, "line": link.get("line")})
    return out[:20]


def _edition_guessed(decided: Decided[str], template: str) -> list[ParseWarning]:
    """``edition-guessed`` when neither the tables printed nor the year decided the edition."""
    if decided.source != "default" or template == "legacy":
        return []
    message = (
        f"表格的列和行以及报告年度都不能确定格式版本，按 {decided.value} 版读取，属推测",
        f"neither the tables' columns and rows nor the year decide the edition; read as "
        f"{decided.value}, a guess",
    )
    return [ParseWarning.make("edition-guessed", message, source=decided.source)]


def decide_template(edition: str, tables: Tables, sections: list[Section], year: int | None) -> str:
    """The record's template: the printed edition, or ``legacy`` for a report without
    tables of a legacy year, of no known year, or with fewer than two tabular parts."""
    if tables.table2 or tables.table3 or tables.table4:
        return edition
    by_year = edition_for_year(year).id if year else None
    tabular_parts = sum(1 for s in sections if s.part in (2, 3, 4))
    if by_year == "legacy" or by_year is None or tabular_parts < 2:
        return "legacy"
    return edition


def table_evidence(
    tables: Tables, t2_edition: str | None, t3_style: str | None, images: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """``x_tables``: each table found or not, the edition it was printed in, image-only."""
    in_content = [i for i in images if i.get("in_content", True)]
    out = {}
    for key in ("table2", "table3", "table4"):
        found = bool(getattr(tables, key))
        out[key] = {
            "found": found,
            "edition": (t2_edition if key == "table2" else t3_style if key == "table3" else None)
            if found
            else None,
            "image_only": (not found) and bool(in_content),
            "where": tables.where.get(key),
        }
    return out


def build_report(doc: Document, source: str) -> Report:
    """Map ``doc`` onto the national format; raises NotAReport for other documents."""
    lines = flatten(doc)
    all_text = "\n".join([t for t, _, _ in lines])
    ntext = "".join(all_text.split())  # (as re.sub(r"\s+", "", …), several times faster)
    page_meta: dict[str, Any] = {**doc.meta, **_grid_key_values(doc)}
    meta = find_meta(lines, page_meta, all_text)
    sections, preamble = cut_sections(lines)

    t2_edition = detect_edition(ntext)
    t3_style = _table3_style(ntext)
    decided_edition = decide_edition(t2_edition, t3_style, meta.year)
    edition = decided_edition.value or "2021"
    scan = scan_rows(doc, edition)
    tables = build_tables(scan, edition)
    read_by_columns(doc, edition, tables)
    if not is_a_report(meta, sections, tables, ntext):
        raise NotAReport(
            source,
            "no title, parts or tables of an annual report were found",
            "未找到年度报告的标题、六个部分或统计表",
        )
    template = decide_template(edition, tables, sections, meta.year)

    record: dict[str, Any] = {
        "agency": meta.agency,
        "year": meta.year,
        "template": template,
        "published": meta.published.isoformat() if meta.published else None,
    }
    old = LegacyRead()
    if template == "legacy":
        old = legacy_figures(all_text, meta.agency)
        record["legacy"] = old.figures
    else:
        record["table2"] = tables.table2 or None
        record["table3"] = tables.table3 or None
        record["table4"] = tables.table4 or None
        for k in ("table2", "table3", "table4"):
            if record[k] is None:
                del record[k]

    x_tables = table_evidence(tables, t2_edition, t3_style, doc.meta.get("images", []))
    pages = [loc.page for _, loc, _ in lines]
    record.update(
        {
            "x_source": {
                "path": source,
                "format": doc.format,
                "size": doc.meta.get("size"),
                "encoding": doc.meta.get("encoding"),
            },
            "x_title": meta.title,
            "x_sections": [
                {"part": s.part, "title": s.title, "where": s.loc.as_dict(), "text": s.text}
                for s in sections
            ],
            "x_preamble": "\n".join(preamble),
            "x_text": all_text,
            # the file's line (and page) of each line of x_text, for findings that quote it
            "x_text_lines": [loc.line for _, loc, _ in lines],
            "x_text_pages": pages if any(pages) else None,
            "x_signature": meta.signature,
            "x_year_sources": meta.year_sources,
            "x_agency_sources": meta.agency_sources,
            "x_published_sources": meta.published_sources,
            "x_tables": x_tables,
            "x_provenance": tables.provenance,
            "x_placed": tables.placed,
            "x_unsure": [*tables.unsure, *old.unsure],
            "x_labels": tables.labels,
            "x_blank_cells": tables.blank_cells,
            "x_decided": {
                "year": meta.year_source,
                "agency": meta.agency_source,
                "published": meta.published_source,
                "edition": decided_edition.source if template != "legacy" else None,
            },
            "x_warnings": [
                w.to_json()
                for w in (
                    *doc.warnings,
                    *meta.warnings,
                    *_edition_guessed(decided_edition, template),
                    *tables.warnings,
                    *old.warnings,
                )
            ],
            "x_extra_rows": tables.extra_rows,
            "x_emails": _emails(all_text),
        }
    )
    if template == "legacy":
        record["x_legacy_sources"] = old.sources
        if old.table:
            record["x_legacy_table"] = old.table
    attachments = report_attachments(doc, sections, tables) if template == "legacy" else []
    if attachments:
        record["x_attachments"] = attachments
        names = "、".join(a["text"] or a["href"] for a in attachments[:3])
        attached = ParseWarning.make(
            "report-in-attachment",
            (
                f"本页只以附件形式链接报告：{names}",
                f"the page only links to the report as an attachment: {names}",
            ),
        )
        record["x_warnings"].append(attached.to_json())
    html_keys = ("scripts", "links", "emails", "hidden_text", "meta_refresh", "iframes", "images")
    if doc.format == "html":
        record["x_html"] = {k: doc.meta.get(k) for k in html_keys if doc.meta.get(k) is not None}
    return Report.model_validate(record)
