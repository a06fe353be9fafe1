"""What the tables and editions are called in a sentence a person reads.

>>> TABLE_NAMES["table3"]
('表三', 'table 3')
>>> edition_name("2021", "zh"), edition_name("legacy", "en")
('2021 版', 'old prose format (no fixed tables)')
"""

from __future__ import annotations

from gongkai.i18n import Lang, pick

#: A table's short name, (Chinese, English), keyed by its record key.
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "table2": ("表二", "table 2"),
    "table3": ("表三", "table 3"),
    "table4": ("表四", "table 4"),
}

#: An edition's name, (Chinese, English), keyed by its id.
EDITION_NAMES: dict[str, tuple[str, str]] = {
    "2019": ("2019 版", "2019 edition"),
    "2021": ("2021 版", "2021 edition"),
    # what the record's "legacy" means: prose without the fixed tables, the form of the
    # reports of 2008–2018, and of a later report that left its tables out (not "2008–2018",
    # which read oddly beside a year of 2025)
    "legacy": ("旧式文字报告（无统一统计表）", "old prose format (no fixed tables)"),
}


def table_name(key: str, lang: Lang | None = None) -> str:
    """``table3`` → ``表三`` (``table 3`` in English); an unknown key as it is."""
    return pick(TABLE_NAMES.get(key, (key, key)), lang)


def edition_name(edition_id: str, lang: Lang | None = None) -> str:
    """``2021`` → ``2021 版``, ``legacy`` → ``旧式文字报告（无统一统计表）``; an unknown id as it is."""
    return pick(EDITION_NAMES.get(edition_id, (edition_id, edition_id)), lang)
