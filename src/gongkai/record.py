"""The report record and the finding record of ``interchange.md``, as typed models.

The models are built from the national format data: every row and column
key, cell kind and row length comes from :mod:`gongkai.national`, so a new
edition needs no change here. Records validate on construction;
:func:`report_schema` is what ``gongkai schema`` prints.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    create_model,
    field_validator,
    model_validator,
)

from gongkai.evidence import Evidence
from gongkai.national.editions import (
    EDITION_2019,
    EDITION_2021,
    T3_WIDTH,
    T4_WIDTH,
    TABLE4,
    table3_all_rows,
)
from gongkai.national.model import Column, Table

Cell = int | None
Money = str | None

_MONEY = re.compile(r"^-?\d+(?:\.\d+)?\s*(?:万元|元|万|亿元)?$")
#: Dashes printed for a minus sign (``—5``, ``－5``, ``−5``): read as ``-5``.
_MINUS = re.compile(r"^[\-−–—﹣－‐‑‒―]+")


def _money(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("money must be a string such as '287.54万元'")
    if isinstance(v, int | float):
        return format(v, "g") if isinstance(v, float) else str(v)
    if isinstance(v, str):
        s = _MINUS.sub("-", v.strip())
        if not _MONEY.match(s.replace(",", "")):
            raise ValueError(f"not an amount of money: {v!r}")
        return s
    raise ValueError(f"not an amount of money: {v!r}")


def _cell_type(col: Column) -> Any:
    if col.kind == "money":
        return Annotated[str | None, Field(description=col.label)]
    # counts are read as printed (a negative count is the checker's business)
    return Annotated[int | None, Field(description=col.label)]


def _row_model(edition: str, table: Table, key: str) -> type[BaseModel]:
    cols = table.row_columns(key)
    fields: dict[str, Any] = {c.key: (_cell_type(c), ...) for c in cols}
    money_keys = [c.key for c in cols if c.kind == "money"]
    validators: dict[str, Any] = {}
    if money_keys:
        validators["check_money"] = field_validator(*money_keys, mode="before")(
            classmethod(lambda cls, v: _money(v))
        )
    model: type[BaseModel] = create_model(
        f"Table2Row{edition}_{key}",
        __config__=ConfigDict(extra="forbid", strict=False),
        __doc__=f"{table.row(key).label} ({edition})",
        __validators__=validators,
        **fields,
    )
    return model


def _table2_model(edition: str, table: Table) -> type[BaseModel]:
    fields: dict[str, Any] = {
        r.key: (_row_model(edition, table, r.key) | None, Field(None, description=r.label))
        for r in table.rows
    }
    model: type[BaseModel] = create_model(
        f"Table2Edition{edition}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"{table.title} — template {edition}",
        **fields,
    )
    return model


Table2Edition2019 = _table2_model("2019", EDITION_2019.table("table2"))
Table2Edition2021 = _table2_model("2021", EDITION_2021.table("table2"))
TABLE2_MODELS: dict[str, type[BaseModel]] = {"2019": Table2Edition2019, "2021": Table2Edition2021}

_T3 = EDITION_2021.table("table3")
T3Row = Annotated[list[Cell], Field(min_length=T3_WIDTH, max_length=T3_WIDTH)]
T4Row = Annotated[list[Cell], Field(min_length=T4_WIDTH, max_length=T4_WIDTH)]

Table3 = create_model(  # type: ignore[call-overload]
    "Table3",
    __config__=ConfigDict(extra="forbid"),
    __doc__=f"{_T3.title}: {T3_WIDTH} cells a row [{', '.join(c.label for c in _T3.columns)}]",
    **{r.key: (T3Row | None, Field(None, description=r.label)) for r in table3_all_rows()},
)

Table4 = create_model(  # type: ignore[call-overload]
    "Table4",
    __config__=ConfigDict(extra="forbid"),
    __doc__=f"{TABLE4.title}: {T4_WIDTH} cells a group "
    f"[{', '.join(c.label for c in TABLE4.columns)}]",
    **{r.key: (T4Row | None, Field(None, description=r.label)) for r in TABLE4.rows},
)


class Report(BaseModel):
    """The report record (interchange.md §1). Parser keys of its own start with ``x_``."""

    model_config = ConfigDict(extra="allow")

    agency: str | None = Field(description="issuing body, as printed")
    year: int | None = Field(description="the statistics year", ge=1990, le=2100)
    template: Literal["2019", "2021", "legacy"]
    published: dt.date | None = Field(description="date printed or signed on the report")
    table2: Table2Edition2019 | Table2Edition2021 | None = None  # type: ignore[valid-type]
    table3: Table3 | None = None
    table4: Table4 | None = None
    legacy: dict[str, int | str | None] | None = None
    notes: list[str] | None = None

    _evidence: Evidence | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _pick_table2(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("table2"), dict):
            tpl = data.get("template")
            model = TABLE2_MODELS.get(str(tpl))
            if model is not None:
                data = {**data, "table2": model.model_validate(data["table2"])}
        return data

    @model_validator(mode="after")
    def _check(self) -> Report:
        for k in self.model_extra or {}:
            if not k.startswith("x_"):
                raise ValueError(f"unknown key {k!r}: keys of a parser's own must start with 'x_'")
        if self.template == "legacy":
            if self.table2 is not None or self.table3 is not None or self.table4 is not None:
                raise ValueError("a legacy record has no fixed tables")
        else:
            if self.legacy is not None:
                raise ValueError("only a legacy record has a 'legacy' block")
            if self.table2 is not None:
                expected = TABLE2_MODELS[self.template]
                if not isinstance(self.table2, expected):
                    raise ValueError(f"table2 does not have the rows of template {self.template}")
        return self

    # ------------------------------------------------------------- helpers
    def to_dict(self, *, private: bool = True) -> dict[str, Any]:
        """The record as interchange JSON (``x_`` keys kept unless ``private`` is False)."""
        # without the private keys, they are not serialised at all (x_text, provenance …)
        exclude = None if private else set(self.model_extra or ())
        d = self.model_dump(mode="json", exclude_unset=True, exclude=exclude)
        for k in ("agency", "year", "template", "published"):
            d.setdefault(k, None)
        for k in ("table2", "table3", "table4", "legacy", "notes"):
            if d.get(k) is None:
                d.pop(k, None)
        ordered: dict[str, Any] = {}
        for k in (
            "agency",
            "year",
            "template",
            "published",
            "table2",
            "table3",
            "table4",
            "legacy",
            "notes",
        ):
            if k in d:
                ordered[k] = d.pop(k)
        if private:
            ordered.update(sorted(d.items()))
        return ordered

    def extra(self, key: str, default: Any = None) -> Any:
        """A parser's own ``x_`` value, as JSON."""
        return (self.model_extra or {}).get(key, default)

    @property
    def evidence(self) -> Evidence:
        """The reader's evidence (typed), read from the ``x_`` keys on first use."""
        if self._evidence is None:
            self._evidence = Evidence.from_extras(self.model_extra or {})
        return self._evidence

    def t3(self) -> dict[str, list[int | None]]:
        """Table 3 rows printed (absent rows left out; blank cells are None)."""
        if self.table3 is None:
            return {}
        return {
            k: v for k, v in self.table3.model_dump(exclude_unset=True).items() if v is not None
        }

    def t4(self) -> dict[str, list[int | None]]:
        """Table 4 groups printed (absent groups left out; blank cells are None)."""
        if self.table4 is None:
            return {}
        return {
            k: v for k, v in self.table4.model_dump(exclude_unset=True).items() if v is not None
        }

    def t2(self) -> dict[str, dict[str, int | str | None]]:
        """Table 2 rows printed, each {column key: value} (blank cells are None)."""
        if self.table2 is None:
            return {}
        return {
            k: v for k, v in self.table2.model_dump(exclude_unset=True).items() if v is not None
        }


Severity = Literal["error", "warning", "info"]


class Where(BaseModel):
    """Where a finding points: any of table, row, column, section, line, page."""

    model_config = ConfigDict(extra="forbid")

    table: str | None = None
    row: str | None = None
    column: int | str | None = None
    section: int | str | None = None
    line: int | None = None
    page: int | None = None


class Finding(BaseModel):
    """The finding record (interchange.md §2)."""

    model_config = ConfigDict(extra="allow")

    rule: str
    severity: Severity
    message: str
    where: Where = Field(default_factory=Where)
    expected: int | float | str | None = None
    actual: int | float | str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = self.model_dump(mode="json", exclude_none=True)
        d["where"] = self.where.model_dump(exclude_none=True)
        return d


class CheckResult(BaseModel):
    """A check result: the report record and its findings."""

    report: Report
    findings: list[Finding] = Field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report.to_dict(), "findings": [f.to_dict() for f in self.findings]}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def flat_cells(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record as ``{"table3.new.6": 26, "table2.rules.made": 0, "agency": …}``."""
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(flat_cells(v, key))
        elif isinstance(v, list):
            out.update({f"{key}.{i}": x for i, x in enumerate(v)})
        else:
            out[key] = v
    return out


def report_schema() -> dict[str, Any]:
    """JSON Schema of the report record."""
    schema = Report.model_json_schema()
    schema["title"] = "gongkai report record"
    schema["description"] = (
        "One 政府信息公开工作年度报告 as published (interchange.md §1). Keys starting "
        "with x_ are the parser's own (provenance, warnings, sections)."
    )
    schema["patternProperties"] = {"^x_": {}}
    schema["additionalProperties"] = False
    return schema


def check_schema() -> dict[str, Any]:
    return CheckResult.model_json_schema()
