"""Agencies of the corpus: one body across its name variants.

From a printed name (``淮安市洪泽区人民政府``) :func:`derive` gives the
canonical key (``洪泽区政府``, :func:`gongkai.agencies.agency_key`), its level
(国务院部门, 省级, 市级, 县级, 乡镇), whether it is a government or a
department, its region (``淮安市洪泽区``) and its parent (a department belongs
to its government, a township to its county, a county to its city). Where the
name does not say, the value is None — never a guess. An override file (CSV,
XLSX or YAML: ``name, key, level, kind, region, parent, aliases``) that a user
edits and passes with ``--agencies`` wins over what the names say.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from gongkai.agencies import agency_key, clean_name, split_units
from gongkai.errors import InputError

LEVELS: dict[str, tuple[str, str]] = {
    "state_council": ("国务院部门", "State Council department"),
    "province": ("省级", "provincial"),
    "city": ("市级", "city"),
    "county": ("县级", "county"),
    "township": ("乡镇", "township"),
}
KINDS: dict[str, tuple[str, str]] = {
    "government": ("政府", "government"),
    "department": ("部门", "department"),
}
#: level names a user may write in an override file
_LEVEL_WORDS = {zh: k for k, (zh, _en) in LEVELS.items()} | {k: k for k in LEVELS}
_LEVEL_WORDS |= {
    "国务院": "state_council",
    "省": "province",
    "市": "city",
    "县": "county",
    "乡": "township",
    "镇": "township",
    "区县": "county",
}
_KIND_WORDS = {
    "政府": "government",
    "部门": "department",
    "government": "government",
    "department": "department",
}

_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# a township's name ends in 镇, 乡 or 街道 — not the 乡 of 城乡建设 or 乡村振兴
_TOWNSHIP = re.compile(
    r"^(.{1,10}?(?:镇|乡(?!村|建设|规划|统筹|一体)|街道))(?:人民政府|政府|办事处)?"
)
_STATE = re.compile(
    r"^(?:国务院|国家|中国|中华人民共和国)|^(?:外交|国防|教育|科学技术|工业和信息化|公安|民政|司法|财政|人力资源和社会保障|自然资源|生态环境|住房和城乡建设|交通运输|水利|农业农村|商务|文化和旅游)部$"
)


@dataclass(frozen=True)
class AgencyInfo:
    key: str
    name: str
    level: str | None = None
    kind: str | None = None
    region: str | None = None
    parent_key: str | None = None
    origin: str = "names"

    def level_label(self, lang: str = "zh") -> str:
        if self.level is None:
            return "—"
        zh, en = LEVELS[self.level]
        return en if lang == "en" else zh


def _unit_level(unit: str, above: list[str]) -> str:
    if unit.endswith(("省", "自治区", "特别行政区")) or unit in _MUNICIPALITIES:
        return "province"
    if unit.endswith(("区", "县", "旗", "自治县", "自治旗")):
        return "county"
    if unit.endswith("市") and any(
        u.endswith(("市", "州", "盟", "地区")) and u not in _MUNICIPALITIES for u in above
    ):
        return "county"  # a county-level city under a prefecture
    if unit.endswith(("市", "州", "盟", "地区", "自治州")):
        return "city"
    return "county"


def _government_key(units: list[str]) -> str | None:
    return agency_key("".join(units) + "政府") if units else None


def derive(name: str) -> AgencyInfo:
    """What the printed name says about the body (None where it says nothing)."""
    clean = clean_name(name)
    key = agency_key(clean) or clean
    units, rest = split_units(clean.replace("人民政府", "政府"))
    region = "".join(units) or None
    town = _TOWNSHIP.match(rest) if units else None
    if town and (rest == town.group(0)):
        # 洪泽区高良涧街道办事处, 某县某镇人民政府
        return AgencyInfo(
            key,
            clean,
            "township",
            "government",
            region + town.group(1) if region else None,
            _government_key(units),
        )
    if town:
        # a township's own office (某镇社会事务办)
        return AgencyInfo(
            key,
            clean,
            "township",
            "department",
            (region or "") + town.group(1),
            agency_key("".join(units) + town.group(1) + "政府"),
        )
    if not units:
        if _STATE.search(rest):
            return AgencyInfo(key, clean, "state_council", "department", None, None)
        return AgencyInfo(key, clean)
    level = _unit_level(units[-1], units[:-1])
    if rest in ("政府",):
        parent = _government_key(units[:-1]) if len(units) > 1 else None
        return AgencyInfo(key, clean, level, "government", region, parent)
    return AgencyInfo(key, clean, level, "department", region, _government_key(units))


@dataclass(frozen=True)
class Overrides:
    """The user's own agency table: by key and by every alias."""

    by_key: dict[str, AgencyInfo]

    def apply(self, info: AgencyInfo) -> AgencyInfo:
        return self.by_key.get(info.key, info)

    def __len__(self) -> int:
        return len({id(v) for v in self.by_key.values()})


def _rows_from_file(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        if isinstance(data, dict):
            data = data.get("agencies", [])
        if not isinstance(data, list):
            raise InputError(str(path), "expected a list of agencies", "应为机关列表")
        return [d for d in data if isinstance(d, dict)]
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        if not rows:
            return []
        head = [str(h or "").strip() for h in rows[0]]
        return [dict(zip(head, r, strict=False)) for r in rows[1:]]
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return list(csv.DictReader(io.StringIO(text)))


#: column names a user may write (Chinese headings too)
_HEADINGS = {
    "name": ("name", "机关", "机关名称", "名称", "单位"),
    "key": ("key", "键", "标识"),
    "level": ("level", "层级", "级别"),
    "kind": ("kind", "类型"),
    "region": ("region", "地区", "行政区"),
    "parent": ("parent", "上级", "上级机关", "所属政府"),
    "aliases": ("aliases", "别名", "其他名称"),
}


def _get(row: dict[str, Any], field: str) -> str | None:
    for h in _HEADINGS[field]:
        v = row.get(h)
        if v not in (None, ""):
            return str(v).strip()
    return None


def load_overrides(path: str | Path) -> Overrides:
    """Read an override file; a row that names no agency is an error naming its line."""
    p = Path(path)
    if not p.is_file():
        raise InputError(str(p), "no such file", "文件不存在")
    by_key: dict[str, AgencyInfo] = {}
    for i, row in enumerate(_rows_from_file(p), start=2):
        name = _get(row, "name")
        if not name:
            raise InputError(str(p), f"row {i}: no agency name", f"第 {i} 行没有机关名称")
        base = derive(name)
        level = _get(row, "level")
        kind = _get(row, "kind")
        if level is not None and level not in _LEVEL_WORDS:
            raise InputError(
                str(p), f"row {i}: unknown level {level!r}", f"第 {i} 行：无法识别的层级「{level}」"
            )
        parent = _get(row, "parent")
        info = replace(
            base,
            key=_get(row, "key") or base.key,
            level=_LEVEL_WORDS[level] if level else base.level,
            kind=_KIND_WORDS.get(kind, base.kind) if kind else base.kind,
            region=_get(row, "region") or base.region,
            parent_key=(agency_key(parent) or parent) if parent else base.parent_key,
            origin="override",
        )
        aliases = re.split(r"[;；|、]", _get(row, "aliases") or "")
        for alias in (name, *aliases):
            if alias.strip():
                by_key[agency_key(alias) or clean_name(alias)] = info
        by_key[info.key] = info
    return Overrides(by_key)
