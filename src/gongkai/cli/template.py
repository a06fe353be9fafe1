"""``gongkai template --xlsx FILE``: the workbook agency staff fill in.

The workbook is laid out like the official tables (edition 2021 by default,
or the one the year requires), with validation and live totals; ``--from``
last year's report pre-fills what carries over (上年结转 = last year's
结转下年度继续办理; 现行有效件数 from last year's). ``--yaml FILE`` writes the
same as a YAML record to fill in a text editor. Exit 0 when written, 2 for
a usage error or an unreadable ``--from`` file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gongkai.batch import load_data
from gongkai.cli.common import EXIT_INPUT, fail
from gongkai.errors import GongkaiError, InputError
from gongkai.i18n import current_lang, pick
from gongkai.national.editions import (
    EDITION_2021,
    WRITABLE_EDITIONS,
    edition_for_year,
)
from gongkai.national.model import Edition
from gongkai.write.data import ReportData, blank_tables, dump_yaml, from_dict

_EDITIONS: dict[str, Edition] = WRITABLE_EDITIONS

_MSG = {
    "help": (
        "生成供填写的年度报告模板：Excel 工作簿（与官方表格版式一致，含数据校验和自动合计），"
        "或 YAML。--from 上一年度报告可预填上年结转等数据。",
        "Write the template agency staff fill in: an Excel workbook laid out like the official "
        "tables (with validation and live totals), or YAML. --from last year's report pre-fills "
        "what carries over.",
    ),
    "xlsx": ("写出 Excel 工作簿 FILE", "write the Excel workbook FILE"),
    "yaml": ("写出 YAML 数据文件 FILE", "write a YAML data file FILE"),
    "edition": (
        "表格版本：2019（2019、2020 年度报告）或 2021（2021 年度起）；默认按年度",
        "edition of the tables: 2019 (reports of 2019–2020) or 2021 (2021 on); default: by year",
    ),
    "year": ("报告年度", "year of the report"),
    "agency": ("机关名称", "name of the agency"),
    "from": (
        "上一年度的报告（任何 gongkai 能读取的文件，或报告记录 JSON/YAML），用于预填",
        "last year's report (any file gongkai reads, or a record as JSON/YAML) to pre-fill from",
    ),
    "need_out": (
        "请用 --xlsx 或 --yaml 指定输出文件",
        "give the output file with --xlsx or --yaml",
    ),
    "mismatch": (
        "提示：{year} 年度报告应使用 {right} 版表格，而指定的是 {given} 版",
        "note: the report of {year} requires the {right} edition, not {given}",
    ),
    "wrote": ("已写出 {path}（{edition} 版表格）", "wrote {path} (edition {edition})"),
    "next": (
        "填好后运行：gongkai render {path} --to docx -o 报告.docx",
        "when filled in, run: gongkai render {path} --to docx -o report.docx",
    ),
    "prefilled": (
        "已按 {source} 预填：上年结转（= 上年结转下年度继续办理）{extra}",
        "pre-filled from {source}: carried over (= last year's carried forward){extra}",
    ),
    "in_force": ("、现行有效件数公式", ", 现行有效件数 formulas"),
    "nothing": (
        "提示：{source} 中没有可预填的数据（未读到结转下年度继续办理的件数），模板未预填",
        "note: {source} holds nothing to pre-fill (no carried-forward counts were read)",
    ),
}


def _t(key: str, **kw: Any) -> str:
    return pick(_MSG[key], current_lang(), **kw)


def run(
    xlsx: str | None,
    yaml_out: str | None,
    edition_id: str | None,
    year: int | None,
    agency: str | None,
    previous: str | None,
) -> int:
    if not xlsx and not yaml_out:
        fail(_t("need_out"))
        return EXIT_INPUT
    prev: ReportData | None = None
    if previous is not None:
        try:
            prev = load_data(previous)
        except InputError as exc:
            fail(exc.message(current_lang()))
            return EXIT_INPUT
        except GongkaiError as exc:
            fail(str(exc).splitlines()[0])
            return EXIT_INPUT
    if year is None and prev is not None and prev.report.year:
        year = prev.report.year + 1
    if agency is None and prev is not None:
        agency = prev.report.agency
    edition: Edition
    if edition_id is not None:
        edition = _EDITIONS[edition_id]
        if year is not None and edition_for_year(year).id != edition.id:
            click.echo(
                _t("mismatch", year=year, right=edition_for_year(year).id, given=edition.id),
                err=True,
            )
    elif year is not None and edition_for_year(year).id in _EDITIONS:
        edition = _EDITIONS[edition_for_year(year).id]
    else:
        edition = EDITION_2021
    meta: dict[str, Any] = {"agency": agency, "year": year}
    if prev is not None:
        n = prev.narrative
        meta.update(signature=n.signature, contact=n.contact)
    if xlsx:
        from gongkai.write.xlsx import write_template

        path = write_template(
            xlsx, edition, meta=meta, previous=prev.report if prev is not None else None
        )
        click.echo(_t("wrote", path=path, edition=edition.id))
    if yaml_out:
        _write_yaml(Path(yaml_out), edition, meta, prev)
        click.echo(_t("wrote", path=yaml_out, edition=edition.id))
    if prev is not None:
        from gongkai.write.xlsx import carry_over, in_force_carry

        carried = bool(carry_over(prev.report, edition))
        formulas = bool(xlsx) and bool(in_force_carry(prev.report, edition))
        if carried or formulas:
            extra = _t("in_force") if formulas else ""
            click.echo(_t("prefilled", source=previous, extra=extra))
        else:
            click.echo(_t("nothing", source=previous), err=True)
    click.echo(_t("next", path=xlsx or yaml_out))
    return 0


def _write_yaml(
    path: Path, edition: Edition, meta: dict[str, Any], prev: ReportData | None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    from gongkai.write.xlsx import carry_over

    record: dict[str, Any] = {
        "agency": meta.get("agency") or "（机关名称）",
        "year": meta.get("year") or 2025,
        "template": edition.id,
        "published": None,
        **blank_tables(edition),
    }
    if prev is not None:
        for (table, row, col), v in carry_over(prev.report, edition).items():
            record[table][row][col] = v
    narrative: dict[str, Any] = {k: meta[k] for k in ("signature", "contact") if meta.get(k)}
    narrative["parts"] = {p.number: "" for p in edition.parts}
    record["x_narrative"] = narrative
    data = from_dict(record, str(path))
    path.write_text(dump_yaml(data), encoding="utf-8")


def command() -> click.Command:
    @click.command(help=_t("help"))
    @click.option("--xlsx", type=click.Path(dir_okay=False), default=None, help=_t("xlsx"))
    @click.option(
        "--yaml", "yaml_out", type=click.Path(dir_okay=False), default=None, help=_t("yaml")
    )
    @click.option(
        "--edition", type=click.Choice(sorted(_EDITIONS)), default=None, help=_t("edition")
    )
    @click.option("--year", type=click.IntRange(2008, 2100), default=None, help=_t("year"))
    @click.option("--agency", default=None, help=_t("agency"))
    @click.option(
        "--from", "previous", type=click.Path(dir_okay=False), default=None, help=_t("from")
    )
    def template_cmd(
        xlsx: str | None,
        yaml_out: str | None,
        edition: str | None,
        year: int | None,
        agency: str | None,
        previous: str | None,
    ) -> None:
        try:
            code = run(xlsx, yaml_out, edition, year, agency, previous)
        except OSError as e:
            target = e.filename or xlsx or yaml_out
            click.echo(f"{target}: {e.strerror or e}", err=True)
            code = 2
        raise SystemExit(code)

    return template_cmd
