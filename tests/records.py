"""Valid report records for tests: fixed examples and a hypothesis strategy."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from gongkai.national.editions import EDITIONS, TABLE4, table3_all_rows

AGENCY = "青山市示范区民政局"


def t3_keys(edition: str) -> list[str]:
    keys = EDITIONS[edition].table("table3").row_keys
    return list(keys)


def consistent_t3(
    new: list[int], carried: list[int], outcomes: dict[str, list[int]], edition: str
) -> dict[str, list[int | None]]:
    """Table 3 obeying A1–A3: 总计 of every row; （七）总计 = outcomes; 结转 = 新收+上年−总计."""

    def with_total(parts: list[int]) -> list[int | None]:
        return [*parts, sum(parts)]

    out: dict[str, list[int | None]] = {"new": with_total(new), "carried_over": with_total(carried)}
    total = [0] * 6
    for key in t3_keys(edition):
        if key in ("new", "carried_over", "total", "carried_forward"):
            continue
        parts = outcomes.get(key, [0] * 6)
        total = [a + b for a, b in zip(total, parts, strict=True)]
        out[key] = with_total(parts)
    out["total"] = with_total(total)
    out["carried_forward"] = with_total(
        [n + c - t for n, c, t in zip(new, carried, total, strict=True)]
    )
    return out


def example(edition: str = "2021", year: int | None = None) -> dict[str, Any]:
    year = year or (2023 if edition == "2021" else 2020)
    t2: dict[str, Any]
    if edition == "2021":
        t2 = {
            "rules": {"issued": 0, "repealed": 0, "in_force": 2},
            "normative_documents": {"issued": 5, "repealed": 1, "in_force": 38},
            "licensing": {"decisions": 1234},
            "penalty": {"decisions": 56},
            "coercion": {"decisions": 0},
            "fees": {"amount": "12.5"},
        }
    else:
        t2 = {
            "rules": {"made": 0, "published": 0, "total": 0},
            "normative_documents": {"made": 3, "published": 3, "total": 41},
            "licensing": {"prev_items": 12, "change": -2, "decisions": 3120},
            "other_services": {"prev_items": 7, "change": 1, "decisions": 880},
            "penalty": {"prev_items": 30, "change": 0, "decisions": 17},
            "coercion": {"prev_items": 4, "change": 0, "decisions": 2},
            "fees": {"prev_items": 0, "change": 0},
            "procurement": {"items": 6, "amount": "287.54万元"},
        }
    outcomes = {
        "granted": [20, 3, 0, 0, 1, 0],
        "partially_granted": [4, 0, 0, 0, 0, 0],
        "unavailable_not_held": [7, 1, 0, 0, 0, 0],
        "rejected_petition": [2, 0, 0, 0, 0, 0],
        ("other_misc" if edition == "2021" else "other"): [1, 0, 0, 0, 0, 0],
    }
    t3 = consistent_t3([35, 4, 0, 0, 1, 0], [2, 0, 0, 0, 0, 0], outcomes, edition)
    t4 = {
        "review": [1, 0, 0, 1, 2],
        "litigation_direct": [0, 0, 0, 0, 0],
        "litigation_after_review": [0, 1, 0, 0, 1],
    }
    return {
        "agency": AGENCY,
        "year": year,
        "template": edition,
        "published": f"{year + 1}-01-20",
        "table2": t2,
        "table3": t3,
        "table4": t4,
    }


_PLACES = ("青山", "平潭", "白云", "金沙", "东湖", "长宁", "梅花", "石门")
#: Every kind of name a real report's agency can have ({a}, {b}, {c}: place names).
AGENCY_FORMS = (
    "{a}县",
    "{a}县人民政府",
    "{a}县人民政府办公室",
    "{a}区",
    "{a}市{b}区",
    "{a}市{b}区人民政府",
    "{a}综合实验区",
    "{a}综合实验区管理委员会",
    "{a}高新区",
    "{a}经济技术开发区管理委员会",
    "{a}高新技术产业开发区管委会",
    "{a}市{b}区{c}街道办事处",
    "{c}街道",
    "{a}县{c}乡人民政府",
    "{a}县{c}镇",
    "{c}镇人民政府",
    "{a}市政务服务中心",
    "{a}市公共资源交易中心",
    "{a}市发展和改革委员会",
    "{a}市卫生健康委员会",
    "{a}市民政局",
    "{a}市示范区民政局",
    "{a}省教育厅",
    "国家税务总局{a}市税务局",
    "中华人民共和国生态环境部",
    "水利部",
    "国家统计局",
    "{a}市",
    "{a}自治县",
    "{a}旗",
)


@st.composite
def agencies(draw: st.DrawFn) -> str:
    """Agency names of every kind: counties, 区, 开发区, 管委会, 街道, 乡, 镇, 办事处, 中心,
    委员会, ministries."""
    form = draw(st.sampled_from(AGENCY_FORMS))
    a, b, c = (draw(st.sampled_from(_PLACES)) for _ in range(3))
    return form.format(a=a, b=b, c=c)


@st.composite
def records(draw: st.DrawFn, blanks: bool = True) -> dict[str, Any]:
    """Valid records of both editions, with blank cells and big numbers."""
    edition = draw(st.sampled_from(["2019", "2021"]))
    year = draw(st.integers(2019, 2020) if edition == "2019" else st.integers(2021, 2025))
    big = st.integers(0, 9_999_999)
    small = st.integers(0, 60)
    cell = st.one_of(big, st.none()) if blanks else big
    ed = EDITIONS[edition]
    t2: dict[str, Any] = {}
    for row in ed.table("table2").rows:
        cols = ed.table("table2").row_columns(row.key)
        data: dict[str, Any] = {}
        for c in cols:
            if c.kind == "money":
                data[c.key] = draw(
                    st.one_of(
                        st.none(), st.sampled_from(["0", "12.5", "96171.6", "287.54万元", "7545"])
                    )
                )
            elif c.kind == "signed":
                data[c.key] = draw(st.one_of(st.none(), st.integers(-50, 50)))
            else:
                data[c.key] = draw(cell)
        t2[row.key] = data
    new = draw(st.lists(small, min_size=6, max_size=6))
    carried = draw(st.lists(st.integers(0, 5), min_size=6, max_size=6))
    outcome_keys = [r.key for r in ed.table("table3").rows if r.outcome]
    outcomes: dict[str, list[int]] = {}
    remaining = [n + c for n, c in zip(new, carried, strict=True)]
    for key in outcome_keys:
        take = [draw(st.integers(0, r)) for r in remaining]
        remaining = [r - t for r, t in zip(remaining, take, strict=True)]
        outcomes[key] = take
    t3 = consistent_t3(new, carried, outcomes, edition)
    if blanks:
        # blank cells printed as '/' (a style fault the parser keeps as null)
        for key in draw(st.lists(st.sampled_from(sorted(t3)), max_size=3, unique=True)):
            col = draw(st.integers(0, 6))
            t3[key] = [None if i == col else v for i, v in enumerate(t3[key])]
    t4 = {}
    for r in TABLE4.rows:
        parts = draw(st.lists(st.integers(0, 400), min_size=4, max_size=4))
        t4[r.key] = [*parts, sum(parts)]
    return {
        "agency": draw(agencies()),
        "year": year,
        "template": edition,
        "published": f"{year + 1}-01-20",
        "table2": t2,
        "table3": t3,
        "table4": t4,
    }


__all__ = ["AGENCY", "AGENCY_FORMS", "agencies", "example", "records", "table3_all_rows"]


def table3_cells(got: dict[str, Any], want: dict[str, Any]) -> tuple[int, int, int]:
    """Table 3 of a record read (``got``) against the one printed (``want``): cells right,
    null where a value was printed, and wrong (a blank read as blank is right)."""
    counts = {"right": 0, "null": 0, "wrong": 0}
    for key, values in want["table3"].items():
        have = (got.get("table3") or {}).get(key) or [None] * len(values)
        for g, w in zip(have, values, strict=True):
            verdict = "right" if g == w else ("null" if g is None else "wrong")
            counts[verdict] += 1
    return counts["right"], counts["null"], counts["wrong"]
