"""``render``: data in, a correct report out — or a refusal saying why.

:func:`render` loads the data (a workbook, JSON or YAML, or a
:class:`ReportData`), checks the report as it will be printed with the
checker, refuses when a rule of error severity fails (unless ``force``),
and writes the format asked for. :func:`render_many` does the same for a
batch; PDF then converts every document in one LibreOffice run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gongkai.errors import DataError, GongkaiError
from gongkai.output import atomic_write
from gongkai.record import Finding, Report, Where
from gongkai.write.data import ReportData, load_data
from gongkai.write.grid import official_tables
from gongkai.write.text import TextLayout, render_markdown, render_text

OutputFormat = Literal["docx", "pdf", "html", "md", "txt"]
FORMATS: tuple[OutputFormat, ...] = ("docx", "pdf", "html", "md", "txt")
SUFFIXES: dict[str, OutputFormat] = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
}


class Refused(GongkaiError):
    """The data breaks rules of error severity; nothing was written."""

    def __init__(self, source: str, findings: list[Finding]) -> None:
        self.source = source
        self.findings = findings
        super().__init__(
            f"{source}: {len(findings)} error(s): " + "; ".join(f.rule for f in findings)
        )


@dataclass
class Rendered:
    """What :func:`render` wrote: the file, every finding, and whether it was forced."""

    out: Path | None
    data: ReportData
    findings: list[Finding] = field(default_factory=list)
    forced: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def format_for(path: str | Path) -> OutputFormat | None:
    return SUFFIXES.get(Path(path).suffix.lower())


def as_data(source: ReportData | str | Path) -> ReportData:
    return source if isinstance(source, ReportData) else load_data(source)


# ---------------------------------------------------------------- checking


def visible_record(data: ReportData) -> Report:
    """The record as a reader sees the printed report: the data's values, with the
    reader's evidence (``x_`` keys) from reading the report's rendered text back.

    The checker's rules on the prose, the title, the year and the signature then
    judge exactly what will be published; the round-trip tests prove that reading a
    rendered report back gives the data's values in every format and layout.
    """
    from gongkai.reading import read

    printed = render_text(data, "pipe")
    back = read(printed.encode("utf-8"), "text", name=f"{data.title or 'report'}.txt")
    evidence = back.evidence.to_extras()  # the reader's evidence, typed, as x_ keys
    return Report.model_validate({**data.report.to_dict(private=False), **evidence})


def findings(data: ReportData, previous: Report | None = None) -> list[Finding]:
    """Every finding of the checker on the report as it will be printed, and the writer's own."""
    from gongkai.checks import check

    return blank_tables(data) + list(check(visible_record(data), previous).findings)


#: The writer's own rule: a table with no value at all is not written as if it said "none".
BLANK_TABLE = "blank-table"


def blank_tables(data: ReportData) -> list[Finding]:
    """One error finding for each table whose every value cell is blank.

    A blank is not a zero: an agency that received no application writes 0.
    Forced past (``--force``), the table is printed blank and no sentence is
    written from it.
    """
    from gongkai.i18n import current_lang, pick
    from gongkai.national.names import TABLE_NAMES

    out: list[Finding] = []
    for t in official_tables(data.edition, data.report):
        values = [c for c in t.cells() if c.role == "value" and not c.total]
        if values and all(c.value is None for c in values):
            zh, en = TABLE_NAMES.get(t.key, (t.key, t.key))
            out.append(
                Finding(
                    rule=BLANK_TABLE,
                    severity="error",
                    message=pick(
                        (
                            "{zh}全部空白：空白不等于 0，没有发生的事项请填写 0",
                            "{en} is entirely blank: a blank is not a zero; write 0 where "
                            "nothing happened",
                        ),
                        current_lang(),
                        zh=zh,
                        en=en,
                    ),
                    where=Where(table=t.key),
                )
            )
    return out


def with_cells(found: list[Finding], data: ReportData) -> list[Finding]:
    """Findings on data from a workbook, each naming its cell (``x_cell``: ``表三!D31``)."""
    from gongkai.write.xlsx import cell_places

    places = cell_places(data.edition)
    out = []
    for f in found:
        w = f.where
        key: tuple[str | int, ...] = tuple(p for p in (w.table, w.row, w.column) if p is not None)
        cell = places.get(key) if len(key) == 3 else None
        out.append(f.model_copy(update={"x_cell": cell}) if cell else f)
    return out


# ---------------------------------------------------------------- writing


def render_bytes(
    data: ReportData, to: OutputFormat, *, layout: TextLayout = "cells", embed: bool = True
) -> bytes:
    """The report in format ``to``, as bytes (no check)."""
    if to == "docx":
        from gongkai.write.docx import render_docx

        return render_docx(data, embed=embed)
    if to == "pdf":
        from gongkai.write.pdf import render_pdf

        return render_pdf(data, embed=embed)
    if to == "html":
        from gongkai.write.html import render_html

        return render_html(data, embed=embed).encode("utf-8")
    if to == "md":
        return render_markdown(data).encode("utf-8")
    if to == "txt":
        return render_text(data, layout).encode("utf-8")
    raise ValueError(f"unknown output format {to!r}; one of {', '.join(FORMATS)}")


def _gate(
    data: ReportData, source: str, force: bool, previous: Report | None, check: bool
) -> tuple[list[Finding], ReportData]:
    """The findings, and the data to write (marked when forced past errors)."""
    if not check:
        return [], data
    found = findings(data, previous)
    if Path(source).suffix.lower() in (".xlsx", ".xlsm"):
        found = with_cells(found, data)
    errors = [f for f in found if f.severity == "error"]
    if errors and not force:
        raise Refused(source, errors)
    if errors:
        data = data.model_copy(update={"forced": tuple(f.rule for f in errors)})
    return found, data


def render(
    source: ReportData | str | Path,
    to: OutputFormat,
    out: str | Path | None = None,
    *,
    force: bool = False,
    layout: TextLayout = "cells",
    previous: Report | None = None,
    embed: bool = True,
    check: bool = True,
) -> Rendered:
    """Check and write one report; raises :class:`Refused` on errors unless ``force``.

    With ``out`` None nothing is written (the result still carries the findings).
    """
    data = as_data(source)
    label = str(source) if not isinstance(source, ReportData) else data.title
    found, data = _gate(data, label, force, previous, check)
    path = Path(out) if out is not None else None
    if path is not None:
        atomic_write(path, render_bytes(data, to, layout=layout, embed=embed))
    return Rendered(path, data, found, bool(data.forced))


def render_many(
    jobs: Sequence[tuple[ReportData | str | Path, str | Path]],
    to: OutputFormat,
    *,
    force: bool = False,
    layout: TextLayout = "cells",
    embed: bool = True,
    check: bool = True,
) -> list[Rendered | GongkaiError]:
    """Render many (source, out) pairs; a bad one yields its error and the batch goes on.

    PDF converts every accepted document in one LibreOffice run.
    """
    results: list[Rendered | GongkaiError] = []
    accepted: list[tuple[int, ReportData, Path]] = []
    for source, out in jobs:
        try:
            data = as_data(source)
            label = str(source) if not isinstance(source, ReportData) else data.title
            found, data = _gate(data, label, force, None, check)
        except (DataError, Refused) as exc:
            results.append(exc)
            continue
        results.append(Rendered(Path(out), data, found, bool(data.forced)))
        accepted.append((len(results) - 1, data, Path(out)))
    if to == "pdf" and accepted:
        from gongkai.write.pdf import render_pdfs

        pdfs = render_pdfs([d for _, d, _ in accepted], embed=embed)
        for (_, _, path), pdf in zip(accepted, pdfs, strict=True):
            atomic_write(path, pdf)
    else:
        for _, data, path in accepted:
            atomic_write(path, render_bytes(data, to, layout=layout, embed=embed))
    return results
