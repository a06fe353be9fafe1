"""The national format as data: the one model of 国办公开办函〔2019〕60号 and 〔2021〕30号.

The reader, the checker and the writer read the format from here; no other
module spells a label of the tables (a test scans the package for them).

    >>> from gongkai import national
    >>> [e.id for e in national.EDITIONS.values()]
    ['2019', '2021', 'legacy']
    >>> national.edition_for_year(2020).id, national.edition_for_year(2016).id
    ('2019', 'legacy')
    >>> sorted(national.WRITABLE_EDITIONS)
    ['2019', '2021']
"""

from __future__ import annotations

from gongkai.national.editions import (
    EDITION_2019,
    EDITION_2021,
    EDITIONS,
    LEGACY,
    PARTS,
    T3_WIDTH,
    T4_WIDTH,
    TABLE4,
    WRITABLE_EDITIONS,
    edition,
    edition_for_year,
    printed_labels,
    table3_all_rows,
    writable_edition,
)
from gongkai.national.model import Column, Edition, Part, Row, SubTable, Table
from gongkai.national.names import EDITION_NAMES, TABLE_NAMES, edition_name, table_name

__all__ = [
    "EDITIONS",
    "EDITION_2019",
    "EDITION_2021",
    "EDITION_NAMES",
    "LEGACY",
    "PARTS",
    "T3_WIDTH",
    "T4_WIDTH",
    "TABLE4",
    "TABLE_NAMES",
    "WRITABLE_EDITIONS",
    "Column",
    "Edition",
    "Part",
    "Row",
    "SubTable",
    "Table",
    "edition",
    "edition_for_year",
    "edition_name",
    "printed_labels",
    "table3_all_rows",
    "table_name",
    "writable_edition",
]
