"""Fictional issuing bodies at every level, with parents and regions.

:func:`agencies` lays out a fictional country deterministically: 国务院部门
(departments of the State Council), then provinces, each with its
government (省人民政府), its office and departments (厅), its cities (市,
government and 局), their counties and districts (县/区) and their
townships (乡/镇 governments). The list is ordered depth-first, a
government followed by its first department and its first child unit, so
that even a short list (8 bodies) holds every level and both kinds.

Names are made of characters that cannot end an administrative unit, so
that :func:`gongkai.agencies.agency_key` — the key reports pair on across
years — is different for every body (tested), and the province is the
first unit of every sub-national name (the region the corpus partitions by).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal

Level = Literal["state_council", "province", "city", "county", "township"]
Kind = Literal["government", "department"]

#: the levels in order, with their Chinese names
LEVELS: dict[Level, str] = {
    "state_council": "国务院部门",
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "township": "乡镇",
}

#: region of the State Council's departments
NATIONAL_REGION = "中央"

# Characters for fictional place names: none ends a unit (省市县区旗盟州…).
_FIRST = "青云松柏梅兰竹桂枫桐杉柳榆槐桦栗荷莲芦苇岚霞虹雪霜露晨曦星辰明清华丰盛安宁康泰和顺永长新兴宏远广博文武嘉"
_SECOND = "山川河湖阳江原林泉峰谷溪岭岗坪塘洲湾滨浦源池岩坡台屯堡桥井田园城关门庄店营寨集坝沙石丘"

_NATIONAL = (
    "国家水文监测局",
    "国家档案信息局",
    "国家标准计量局",
    "国家海洋渔业局",
    "国家气象服务局",
    "国家地理测绘局",
    "国家粮食储备局",
    "国家邮政管理局",
    "国家文物保护局",
    "国家铁路监督局",
    "国家民用航空局",
    "国家外汇管理局",
    "国家知识产权局",
    "国家乡村振兴局",
    "国家体育总局",
    "国家药品监督管理局",
)
_NATIONAL_KINDS = ("局", "署", "委员会", "中心")

# Departments of each level of government (their names hold no unit suffix).
_PROVINCE_DEPTS = (
    "人民政府办公厅",
    "教育厅",
    "民政厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "农业农村厅",
    "卫生健康委员会",
    "应急管理厅",
)
_CITY_DEPTS = (
    "人民政府办公室",
    "教育局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康委员会",
    "市场监督管理局",
)
_COUNTY_DEPTS = (
    "人民政府办公室",
    "民政局",
    "教育局",
    "财政局",
    "农业农村局",
    "卫生健康局",
    "司法局",
    "统计局",
)

#: units below each level and how many of each
_SHAPE: dict[Level, tuple[int, tuple[str, ...]]] = {
    "province": (4, _PROVINCE_DEPTS),
    "city": (4, _CITY_DEPTS),
    "county": (5, _COUNTY_DEPTS),
    "township": (0, ()),
}
_CHILD: dict[Level, Level] = {"province": "city", "city": "county", "county": "township"}
_SUFFIX: dict[Level, tuple[str, ...]] = {
    "province": ("省",),
    "city": ("市",),
    "county": ("县", "区"),
    "township": ("镇", "乡"),
}


@dataclass(frozen=True)
class Agency:
    """A fictional issuing body."""

    id: str
    name: str
    level: Level
    kind: Kind
    region: str
    parent: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "name": self.name,
            "level": self.level,
            "kind": self.kind,
            "region": self.region,
            "parent": self.parent,
        }


def place_name(level: Level, index: int) -> str:
    """The ``index``-th fictional place of ``level`` (unique within the level)."""
    n1, n2 = len(_FIRST), len(_SECOND)
    # a stride coprime with the table size spreads neighbours over the table
    k = (index * 7919 + {"province": 0, "city": 101, "county": 211, "township": 307}[level]) % (
        n1 * n2
    )
    extra = index // (n1 * n2)
    name = _FIRST[k // n2] + _SECOND[k % n2]
    if extra:
        name = _FIRST[(extra - 1) % n1] + name
    suffixes = _SUFFIX[level]
    return name + suffixes[index % len(suffixes)]


def national_name(index: int) -> str:
    if index < len(_NATIONAL):
        return _NATIONAL[index]
    k = index - len(_NATIONAL)
    return "国家" + place_name("city", k)[:-1] + _NATIONAL_KINDS[k % len(_NATIONAL_KINDS)]


def _unit(level: Level, prefix: str, counters: dict[Level, int]) -> str:
    name = place_name(level, counters[level])
    counters[level] += 1
    return prefix + name


def _tree(
    level: Level, prefix: str, region: str, parent: str | None, counters: dict[Level, int]
) -> Iterator[tuple[Level, Kind, str, str, str | None]]:
    """(level, kind, name, region, parent name) of a unit and all below it, depth-first."""
    unit = _unit(level, prefix, counters)
    region = region or unit
    gov = f"{unit}人民政府"
    yield level, "government", gov, region, parent
    nchild, depts = _SHAPE[level]
    # full names keep every unit above: 松川省青山市云阳县民政局
    children = (
        (_tree(_CHILD[level], unit, region, gov, counters) for _ in range(nchild))
        if level in _CHILD
        else iter(())
    )
    dept_names = [f"{unit}{d}" for d in depts]
    first_dept = dept_names[:1]
    for name in first_dept:
        yield level, "department", name, region, gov
    first_child = next(children, None)
    if first_child is not None:
        yield from first_child
    for name in dept_names[1:]:
        yield level, "department", name, region, gov
    for child in children:
        yield from child


def _all() -> Iterator[tuple[Level, Kind, str, str, str | None]]:
    counters: dict[Level, int] = {"province": 0, "city": 0, "county": 0, "township": 0}
    national = 0
    position = 0
    while True:
        for item in _tree("province", "", "", None, counters):
            if position % 40 == 0:
                yield "state_council", "department", national_name(national), NATIONAL_REGION, None
                national += 1
                position += 1
            yield item
            position += 1


def agencies(n: int) -> list[Agency]:
    """The first ``n`` fictional bodies (the same list every time)."""
    out: list[Agency] = []
    for i, (level, kind, name, region, parent) in enumerate(islice(_all(), max(n, 0))):
        out.append(Agency(f"A{i:06d}", name, level, kind, region, parent))
    return out
