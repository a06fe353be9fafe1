"""Table 3 printed column by column (pdfminer.six, copy from some PDF viewers).

Such text gives the labels of table 3 in one place and its values in another,
one column after another: on each page of the table, the seven values of
自然人 for every row on that page, then those of 商业企业, and so on, the
columns in an order the text does not say (a column whose heading is taller
comes last). The rows read nothing by label or by order, so the reader left
the table null.

:func:`read_by_columns` tries that reading where table 3 came out mostly null
from a text stream:

* every row of the edition's table 3 (or the other edition's, where the page
  prints that) is named in the table's part, in any order, and the values there
  (whole numbers only) are exactly seven a row;
* the rows fall into one to four stretches (pages, or parts a converter printed
  one way or the other) and the values, in order, into a block a stretch: seven
  runs of the stretch's rows, one of which must be the 总计 of the six others,
  row by row; or the rows one after another, each row's six columns adding up
  to its 总计. The 总计 column so found must keep table 3's column relations
  (新收 + 上年结转 = 总计 + 结转下年度; the results add up to 总计);
* the six other runs may be any of 自然人 … 其他 — the arithmetic holds for
  every order of them — so a cell of those columns is certain only where the six
  runs agree (a row of zeros); the 总计 column is certain where every reading
  that passes agrees.

Cells every passing reading agrees on are placed ``by: arithmetic``; the rest
stay null, listed in ``x_unsure`` and named in a warning. A cell the first pass
placed is never changed: a reading that disagrees with one is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations, pairwise, product

from gongkai.evidence import ParseWarning, Place
from gongkai.national.editions import EDITIONS, T3_WIDTH, WRITABLE_EDITIONS, table3_row_order
from gongkai.national.labels import match_label
from gongkai.reading.document import Document, Para
from gongkai.reading.interpret.placement import consensus
from gongkai.reading.interpret.rows import Token, _matches_in, _runs
from gongkai.reading.interpret.tables import Tables, _column_rules

#: codes of the first pass's warnings about table-3 rows, replaced when this reading applies
_ROW_CODES = frozenset({"long-row", "short-row", "unconfirmed-order", "fused-cells", "no-values"})
#: at most this many stretches of the table (pages, or parts printed one way or the other)
_PAGES = 4
#: readings weighed at most; past this, too many fit to say anything
_WEIGHED = 50_000
#: punctuation of a label broken into cells (三、本年度办理结果 as 三 | 、 | 本 …), no cell
_JUNK = frozenset({"、", "，", "。"})


def _region(doc: Document) -> tuple[list[str], list[Token]] | None:
    """The rows of table 3 (of either edition) as named in its part (in order, once
    each) and its value cells, from the first run naming table 3 to the first naming
    table 4."""
    paras = [b for b in doc.blocks if isinstance(b, Para)]
    if len(paras) != len(doc.blocks):
        return None  # (a document with tables read their grids: not this kind of text)
    named: list[str] = []
    values: list[Token] = []
    inside = False
    for run in _runs(paras):
        found = _matches_in(run.labels) if run.labels else []
        if any(m.table == "table4" for m, _ in found) and inside:
            break
        if not inside and any(
            (m := match_label(text)) is not None and m.table == "table3" for text, _ in run.labels
        ):
            inside = True  # (its heading 申请人情况, or a row)
        if not inside:
            continue
        for m, _ in found:
            if m.kind == "row" and m.table == "table3" and m.key not in named:
                named.append(m.key)
        for tok in run.values:
            v = tok.value
            if v is None or tok.fused:
                return None
            if v.kind == "int" and isinstance(v.number, int):
                values.append(tok)
            elif tok.text.strip() not in _JUNK:
                return None  # a blank, a decimal: not a table of counts alone
    return named, values


def _total_runs(runs: list[list[int]]) -> list[int]:
    """The runs that are, row by row, the sum of the six others."""
    rows = len(runs[0])
    sums = [sum(r[i] for r in runs) for i in range(rows)]
    return [t for t, run in enumerate(runs) if all(2 * run[i] == sums[i] for i in range(rows))]


def _cuts(n: int) -> Iterator[tuple[int, ...]]:
    """Where ``n`` rows may break into one to :data:`_PAGES` stretches."""
    for pages in range(1, _PAGES + 1):
        for inner in combinations(range(1, n), pages - 1):
            yield (0, *inner, n)


#: a cell of a reading: its value (None: the reading leaves it open) and the index of
#: the printed value it is (of an open cell, one of its row's values it may be)
Cell = tuple[int | None, int | None]


def _block(numbers: list[int], start: int, end: int) -> list[list[Cell]]:
    """The ways rows ``start..end`` (their values, in order, from ``7 × start``) may
    be printed that their arithmetic passes, each as its cells row by row (distinct
    ones only): column by column, the 总计 any run that is the sum of the six others
    (the six in an order nobody knows: a cell of them is open unless the six agree
    in its row); or row by row, each row's six columns adding up to its 总计."""
    rows = end - start
    first = T3_WIDTH * start
    block = numbers[first : first + T3_WIDTH * rows]
    found: dict[tuple[int | None, ...], list[Cell]] = {}
    runs = [block[j * rows : (j + 1) * rows] for j in range(T3_WIDTH)]
    for t in _total_runs(runs):
        others = [j for j in range(T3_WIDTH) if j != t]
        cells: list[Cell] = []
        for i in range(rows):
            if len({runs[j][i] for j in others}) == 1:
                cells += [(runs[j][i], first + j * rows + i) for j in others]
            else:
                cells += [(None, first + j * rows + i) for j in others]
            cells.append((runs[t][i], first + t * rows + i))
        found.setdefault(tuple(v for v, _ in cells), cells)
    w = T3_WIDTH
    if all(sum(block[i * w : i * w + w - 1]) == block[i * w + w - 1] for i in range(rows)):
        cells = [(v, first + k) for k, v in enumerate(block)]
        found.setdefault(tuple(block), cells)
    return list(found.values())


def _readings(keys: list[str], numbers: list[int], edition: str) -> list[list[Cell]] | None:
    """Every reading of the values as blocks of rows, each printed column by column or
    row by row (:func:`_block`), whose 总计 column keeps table 3's column relations:
    for each, the table's cells row by row. None when there are too many to weigh."""
    rules = _column_rules(edition)
    index = {k: i for i, k in enumerate(keys)}
    blocks: dict[tuple[int, int], list[list[Cell]]] = {}
    out: list[list[Cell]] = []
    seen: set[tuple[int | None, ...]] = set()
    weighed = 0
    for cut in _cuts(len(keys)):
        options = []
        for start, end in pairwise(cut):
            ways = blocks.get((start, end))
            if ways is None:
                ways = blocks[start, end] = _block(numbers, start, end)
            if not ways:
                break
            options.append(ways)
        else:
            for choice in product(*options):
                weighed += 1
                if weighed > _WEIGHED:
                    return None
                cells = [c for part in choice for c in part]
                total = [cells[r * T3_WIDTH + T3_WIDTH - 1][0] or 0 for r in range(len(keys))]
                if not all(
                    sum(total[index[k]] for k in left) == sum(total[index[k]] for k in right)
                    for left, right in rules
                ):
                    continue
                values = tuple(v for v, _ in cells)
                if values not in seen:
                    seen.add(values)
                    out.append(cells)
    return out


def _mostly_placed(t: Tables, keys: Sequence[str]) -> bool:
    """Whether the first pass placed half the cells of table 3's rows ``keys`` or more."""
    placed = 0
    for k in keys:
        row = t.table3.get(k)
        if row:
            placed += len(row) - row.count(None)
    return 2 * placed >= len(keys) * T3_WIDTH


def read_by_columns(doc: Document, edition: str, t: Tables) -> bool:
    """Read table 3 as printed column by column where the first pass left most of it
    null (see the module); True when it did, with ``t`` updated."""
    if not t.warnings or _mostly_placed(t, EDITIONS[edition].table("table3").row_keys):
        return False  # (table 3 read without a doubt, or mostly: the common case)
    region = _region(doc)
    if region is None:
        return False
    named, tokens = region
    # the rows of the edition, or of the other one where the page prints those (a 2021
    # report with 2019's table 3); the labels in any order: the values run down each
    # column in print order; another row named besides (（六）其他处理 over 2021's
    # three rows) is a heading
    # (the editions with tables are those a report can be written in)
    for ed in (edition, *(e for e in WRITABLE_EDITIONS if e != edition)):
        spec = EDITIONS[ed].table("table3")
        keys = list(spec.row_keys)
        if set(keys) <= set(named) and len(tokens) == T3_WIDTH * len(keys):
            edition = ed
            break
    else:
        return False  # (not every row named, or not seven values a row)
    if _mostly_placed(t, keys):
        return False
    # (whole numbers all: _region keeps no other value)
    numbers = [
        n for tok in tokens if tok.value is not None and isinstance(n := tok.value.number, int)
    ]
    readings = _readings(keys, numbers, edition)
    if not readings:  # (none fits, or too many)
        return False
    flat: list[list[int | str | None]] = [[v for v, _ in r] for r in readings]
    agreed, _ = consensus(flat)
    # never against a cell the first pass placed
    for r, key in enumerate(keys):
        for c, have in enumerate(t.table3.get(key, [None] * T3_WIDTH)):
            sure = agreed[r * T3_WIDTH + c]
            if have is not None and sure is not None and have != sure:
                return False
    labels = {k: spec.row(k).label for k in keys}
    _apply(t, labels, agreed, readings, tokens)
    return True


def _apply(
    t: Tables,
    labels: dict[str, str],
    agreed: list[int | str | None],
    readings: list[list[Cell]],
    tokens: list[Token],
) -> None:
    """``agreed`` into the table's null cells (``labels``: each row's, in print order),
    the warnings and unsure cells of table 3 said again for this reading."""
    keys = list(labels)
    # where each agreed cell was printed: as the first reading has it
    printed = [None if i is None else tokens[i] for _, i in readings[0]]
    t.warnings = [w for w in t.warnings if not (w.table == "table3" and w.code in _ROW_CODES)]
    t.unsure = [u for u in t.unsure if u.get("table") != "table3"]
    where = next(p for p in printed if p is not None).loc.as_dict()
    filled = 0
    for r, key in enumerate(keys):
        have: list[int | None] = list(t.table3.get(key, [None] * T3_WIDTH))
        unsure = []
        for c in range(T3_WIDTH):
            if have[c] is not None:
                continue
            value = agreed[r * T3_WIDTH + c]
            if value is None:
                unsure.append(c)
                continue
            have[c] = value if isinstance(value, int) else None
            tok = printed[r * T3_WIDTH + c]
            at = tok.loc.as_dict() if tok is not None else where
            t.provenance[f"table3.{key}.{c}"] = {**at, "by": "arithmetic"}
            filled += 1
        t.table3[key] = have
        if unsure:
            label = labels[key]
            # the values of the row its open cells share out, as each reading has them
            # (their columns unknown)
            shown = list(
                dict.fromkeys(
                    tuple(
                        tokens[i].text for c in unsure if (i := rd[r * T3_WIDTH + c][1]) is not None
                    )
                    for rd in readings
                )
            )
            t.warnings.append(
                ParseWarning.make(
                    "column-runs",
                    (
                        f"{label}：表三按列印出，各列的先后无从判断，本行无法确定的 "
                        f"{len(unsure)} 格记为空（本行这几格的数值为 {' '.join(shown[0])}，"
                        f"不知各属哪一列）",
                        f"{label}: table 3 is printed column by column in an order the text "
                        f"does not tell; the {len(unsure)} cells of this row it leaves open "
                        f"are null (their values are {' '.join(shown[0])}, in columns unknown)",
                    ),
                    where=Place(**where),
                    table="table3",
                    row=key,
                    unsure=unsure,
                    candidates=[list(v) for v in shown[:6]],
                )
            )
            t.unsure += [{"table": "table3", "row": key, "column": c} for c in unsure]
    # rows of the other edition the first pass left null go; the table in print order
    rows = {k: v for k, v in t.table3.items() if k in labels or any(x is not None for x in v)}
    t.table3 = {k: rows[k] for k in table3_row_order() if k in rows}
    t.placed["arithmetic"] = t.placed.get("arithmetic", 0) + filled
    t.warnings.append(
        ParseWarning.make(
            "column-runs",
            (
                f"表三的数值按列印出（{len(readings)} 种读法符合勾稽关系）：总计列与各列相同的行"
                f"已按勾稽关系放置，共 {filled} 格",
                f"table 3's values are printed column by column ({len(readings)} reading(s) "
                f"fit the arithmetic): the 总计 column and the rows where every column "
                f"agrees were placed by the arithmetic, {filled} cells",
            ),
            where=Place(**where),
            table="table3",
        )
    )
