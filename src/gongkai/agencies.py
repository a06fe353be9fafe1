"""Names of issuing bodies: cleaning, administrative units, the pairing key.

``淮安市洪泽区人民政府`` and ``洪泽区人民政府`` are the same body: the key
(:func:`agency_key`) keeps the lowest administrative unit of a name and what
follows it, and writes ``人民政府`` as ``政府``; reports pair across years on
it. :func:`same_body` lets a short form (``省民政厅``) stand for the full
name; :func:`same_agency` is stricter, for pairing reports across years (a
government never pairs with its departments). The reader, the checker and
the store all use these.
"""

from __future__ import annotations

import re
import unicodedata

_SUFFIX = r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|州市|市|州|盟|区|县|旗)"
_UNIT = re.compile(r"[^\W\d_省市县区旗盟州]{1,7}?" + _SUFFIX)
_SPACE = re.compile(r"[\s\u3000\u00a0]+")

#: endings of an issuing body's name, as the reader recognises one in a line
AGENCY_ENDINGS = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "管理委员会",
    "管委会",
    "委员会",
    "办事处",
    "办公室",
    "办公厅",
    "总局",
    "政府",
    "局",
    "厅",
    "委",
    "办",
    "署",
    "部",
    "中心",
    "院",
    "会",
    "所",
    "站",
    "队",
    "馆",
)
#: A place named alone stands for its government or zone: 青山县, 平潭综合实验区, 金沙街道.
PLACE_ENDINGS = ("省", "区", "市", "州", "盟", "县", "旗", "镇", "乡", "街道")
#: a place name: the administrative unit a body's name starts with
REGION = re.compile(
    r"[\u4e00-\u9fa5]{1,9}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟|县|自治县|区|旗|镇|乡|街道)"
)
#: how a national body's name begins (it names no place)
NATIONAL_PREFIXES = ("国家", "国务院", "中华人民共和国", "中国")

#: endings of a government's own name (a 本级 report)
GOVERNMENT_ENDINGS: tuple[str, ...] = ("人民政府", "政府")
#: endings of a department's name (工作部门 of a government, incl. its 办公室)
DEPARTMENT_ENDINGS: tuple[str, ...] = (
    "局",
    "厅",
    "委员会",
    "委",
    "办公室",
    "办",
    "中心",
    "院",
    "署",
    "处",
    "所",
    "馆",
    "站",
    "队",
    "部",
)


def clean_name(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).strip("：:，,。 ")


def split_units(name: str) -> tuple[list[str], str]:
    """``淮安市洪泽区政府`` → (['淮安市', '洪泽区'], '政府')."""
    s = clean_name(name)
    units: list[str] = []
    pos = 0
    while True:
        m = _UNIT.match(s, pos)
        if m is None or m.end() >= len(s):
            break
        units.append(m.group(0))
        pos = m.end()
    return units, s[pos:]


def agency_key(name: str) -> str:
    """The lowest administrative unit and the body: the key reports pair on."""
    units, rest = split_units(clean_name(name).replace("人民政府", "政府"))
    return (units[-1] if units else "") + rest


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_body(a: str, b: str) -> bool:
    """Whether two printed names can stand for the same body.

    ``省民政厅`` and ``辽宁省民政厅``, ``区政府办`` and ``洪泽区人民政府办公室``
    can; ``淮安市民政局`` and ``淮安市洪泽区民政局`` cannot (another unit).
    """
    ka, kb = agency_key(a), agency_key(b)
    if not ka or not kb:
        return True
    if ka == kb:
        return True
    ua, _ = split_units(ka)
    ub, _ = split_units(kb)
    if ua and ub and ua[-1] != ub[-1]:
        return False
    short, long = sorted((ka, kb), key=len)
    return _subsequence(short, long)


_UNIT_END = re.compile(_SUFFIX + "$")


def body_kind(name: str) -> str | None:
    """``government`` for a government (or a bare place: 北京市, 平潭综合实验区),
    ``department`` for a department or office; None when the name says neither."""
    s = clean_name(name)
    if s.endswith(GOVERNMENT_ENDINGS):
        return "government"
    if s.endswith(DEPARTMENT_ENDINGS):
        return "department"
    if _UNIT_END.search(s):
        return "government"
    return None


def same_agency(a: str, b: str) -> bool:
    """Whether two names are one agency's, strictly enough to pair its reports across years.

    Like :func:`same_body`, but a government never pairs with one of its
    departments or offices: 平潭综合实验区 is not 平潭综合实验区财政金融局,
    上海市人民政府 not 上海市人民政府办公厅, 北京市 not 北京市民政局.
    """
    if not same_body(a, b):
        return False
    ka, kb = body_kind(a), body_kind(b)
    return ka is None or kb is None or ka == kb
