"""From recognised rows to the three tables of the record.

Each row's values are placed into the cells of its template row
(:mod:`.placement`). A row showing as many values as it has cells takes them
in order (by its grid column, by its label, or by the order of runs of values
printed away from their labels). Otherwise every placement the printed tokens
allow is listed, and the printed arithmetic chooses: the row's own total, then
table 3's column relations (新收 + 上年结转 = 总计 + 结转; the results total)
once the other rows they involve are settled. Cells on which the remaining
placements agree are placed ``by: arithmetic``; the others are null, listed
in ``x_unsure`` and named in a warning with the candidates. A table-2 row
of three cells showing two values is such a row: pages most often leave the
middle blank (本年增/减), but nothing on the page says so, and table 2 has no
arithmetic to tell.

Every placed cell's provenance says how it was placed (``by``: ``grid``,
``label``, ``order``, ``arithmetic``); ``placed`` counts them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from gongkai.evidence import ParseWarning, Place
from gongkai.national.editions import (
    EDITIONS,
    T3_WIDTH,
    T4_RUN_WIDTH,
    T4_WIDTH,
    TABLE4,
    table3_row_order,
)
from gongkai.national.model import Column
from gongkai.reading.document import Loc
from gongkai.reading.interpret.cells import parse_value
from gongkai.reading.interpret.placement import (
    LIMIT,
    Placement,
    Printed,
    consensus,
    describe,
    placements,
    row_rule,
)
from gongkai.reading.interpret.rows import RowHit, RowScan, Token


@dataclass
class Tables:
    table2: dict[str, dict[str, int | str | None]] = field(default_factory=dict)
    table3: dict[str, list[int | None]] = field(default_factory=dict)
    table4: dict[str, list[int | None]] = field(default_factory=dict)
    provenance: dict[str, dict[str, int | str]] = field(default_factory=dict)
    unsure: list[dict[str, Any]] = field(default_factory=list)
    placed: dict[str, int] = field(default_factory=dict)
    blank_cells: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    extra_rows: list[dict[str, Any]] = field(default_factory=list)
    where: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)


def _warn(
    out: list[ParseWarning], code: str, zh: str, en: str, *, where: dict[str, int], **kw: Any
) -> None:
    out.append(ParseWarning.make(code, (zh, en), where=Place(**where), **kw))


def _cell(tok: Token | None, col: Column | None) -> tuple[int | str | None, bool]:
    """(value for the record, printed blank?)."""
    if tok is None or tok.value is None:
        return None, False
    v = tok.value
    if v.blank:
        return None, True
    if col is not None and col.kind == "money":
        return v.text, False
    if v.kind == "int" and isinstance(v.number, int):
        return v.number, False
    return None, False


@dataclass(slots=True)
class _Plan:
    """One printed row on its way into the record: every placement still possible
    (a simple row's one placement, in order, is not spelled out: ``()``)."""

    table: str
    key: str
    hit: RowHit
    cols: tuple[Column, ...] | None
    n: int
    label: str
    raw: int  # placements the printed tokens allow, before any arithmetic
    cands: list[tuple[Placement, list[int | str | None]]]
    by: str  # how a cell settled without a choice is placed: grid, label or order
    unconfirmed: bool = False  # placed by order, and the arithmetic does not confirm it
    simple: bool = False  # as many values as cells, nothing fused: placed in order


def _value(tok: Token, piece: str, col: Column | None) -> int | str | None:
    if tok.fused:
        v = parse_value(piece)
        if v is None:
            return None
        if col is not None and col.kind == "money":
            return v.text
        return v.number if v.kind == "int" and isinstance(v.number, int) else None
    return _cell(tok, col)[0]


_FUSED = attrgetter("fused")
_QUEUED = attrgetter("queued")


def _plan(hit: RowHit, table: str, key: str, cols: tuple[Column, ...] | None, n: int) -> _Plan:
    toks = hit.values
    by = "grid" if hit.grid else ("order" if any(map(_QUEUED, toks)) else "label")
    label = hit.label if table != "table4" or key != "*" else "表四"
    if len(toks) == n and not any(map(_FUSED, toks)):
        # the common case: as many values as cells, one placement (what _cell gives each)
        one: list[int | str | None] = [
            v.number
            if (v := t.value) is not None and v.kind == "int" and isinstance(v.number, int)
            else None
            for t in toks
        ]
        if cols is not None:
            for i, col in enumerate(cols):
                v = toks[i].value
                if col.kind == "money" and v is not None and v.kind != "blank":
                    one[i] = v.text
        return _Plan(table, key, hit, cols, n, label, 1, [((), one)], by, False, True)
    printed = [Printed(t.text, t.fused) for t in toks]
    found = placements(printed, n)
    if found is None:
        return _Plan(table, key, hit, cols, n, label, LIMIT + 1, [], by)
    rule = row_rule(table, key)
    cands: list[tuple[Placement, list[int | str | None]]] = []
    for pl in found:
        values = [
            None
            if slot is None
            else _value(
                toks[slot[0]], slot[1], cols[i] if cols is not None and i < len(cols) else None
            )
            for i, slot in enumerate(pl)
        ]
        cands.append((pl, values))
    raw = len(cands)
    if raw > 1 and rule is not None:
        cands = [c for c in cands if rule([v if isinstance(v, int) else None for v in c[1]])]
    return _Plan(table, key, hit, cols, n, label, raw, cands, by)


def _column_rules(edition: str) -> list[tuple[list[str], list[str]]]:
    """Table 3's printed relations per column: (left rows, right rows) with equal sums."""
    outcomes = [r.key for r in EDITIONS[edition].table("table3").rows if r.outcome]
    return [(["new", "carried_over"], ["total", "carried_forward"]), (outcomes, ["total"])]


def _resolve(plans: dict[str, _Plan], edition: str) -> None:
    """Judge table-3 rows whose placement was a choice (several were possible) by the
    column relations, where every other row of a relation is settled: keep the
    placements that fit; when none fits, the choice is not confirmed and the row is
    null (a coincidence of the row's own total must not pass for certainty)."""
    if not any(p.raw > 1 and p.cands for p in plans.values()):
        return  # (no row to judge: the common case)
    rules = _column_rules(edition)
    changed = True
    while changed:
        # decide on a snapshot, then apply: which row is judged first must not matter
        settled = {k: p.cands[0][1] for k, p in plans.items() if len(p.cands) == 1}
        verdicts: dict[str, list[tuple[Placement, list[int | str | None]]]] = {}
        for key, plan in plans.items():
            if plan.raw <= 1 or not plan.cands:
                continue
            kept = plan.cands
            for left, right in rules:
                if key not in left and key not in right:
                    continue
                others = [k for k in (*left, *right) if k != key]
                if any(k not in settled for k in others):
                    continue
                fixed = {k: settled[k] for k in others}
                kept = [c for c in kept if _fits({**fixed, key: c[1]}, left, right)]
            if len(kept) < len(plan.cands):
                verdicts[key] = kept
        for key, kept in verdicts.items():
            plans[key].cands = kept
        changed = bool(verdicts)


def _confirm_order(plans: list[_Plan], edition: str, spread: frozenset[str] = frozenset()) -> None:
    """Values printed away from their labels go to the labels in order (a PDF's text
    where a label is centred on its values); a converter that reads a table column by
    column gives the same picture with every value misplaced. So rows placed by order
    are kept only where the table's own arithmetic confirms them: every row total, the
    column relations of table 3. Table 2 has no arithmetic: such rows are null. Table-3
    rows given a share of a run printed for several rows (``spread``, see
    :func:`spread_runs`) are kept only where both column relations could be checked,
    every row they involve settled, and hold: a row's own total cannot tell one row's
    values from another's."""
    if not any(p.by == "order" for p in plans):
        return  # (no row placed by order: the common case)
    for table in ("table2", "table3", "table4"):
        mine = [p for p in plans if p.table == table]
        ordered = [p for p in mine if p.by == "order" and p.raw == 1 and p.cands]
        if not ordered:
            continue
        ok = table != "table2"
        settled = {p.key: p.cands[0][1] for p in mine if len(p.cands) == 1}
        for key, values in settled.items():
            rule = row_rule(table, key)
            if rule is not None and not rule([v if isinstance(v, int) else None for v in values]):
                ok = False
        loose = False  # a column relation that could not be checked
        if ok and table == "table3":
            for left, right in _column_rules(edition):
                if not all(k in settled for k in (*left, *right)):
                    loose = True
                elif not _fits(settled, left, right):
                    ok = False
        for p in ordered:
            if not ok or (loose and p.key in spread):
                p.cands = []
                p.unconfirmed = True
                p.simple = False


def _fits(rows: dict[str, list[int | str | None]], left: list[str], right: list[str]) -> bool:
    return all(
        sum(_int(rows[k][c]) for k in left) == sum(_int(rows[k][c]) for k in right)
        for c in range(T3_WIDTH)
    )


def _int(v: int | str | None) -> int:
    return v if isinstance(v, int) else 0


_INDEX = tuple(str(i) for i in range(T4_RUN_WIDTH + 1))
_T3_ORDER = table3_row_order()


_CELL_KEYS: dict[tuple[str, str, str], tuple[str, ...]] = {}


def _cell_keys(edition: str, plan: _Plan) -> tuple[str, ...]:
    """The provenance keys of a row's cells (``table2.<row>.<column>``,
    ``table3.<row>.<i>``), made once per row of the template."""
    ident = (edition, plan.table, plan.key)
    keys = _CELL_KEYS.get(ident)
    if keys is None:
        prefix = f"{plan.table}.{plan.key}."
        names = _INDEX[: plan.n] if plan.cols is None else [c.key for c in plan.cols]
        keys = _CELL_KEYS[ident] = tuple(prefix + name for name in names)
    return keys


def _fill_simple(t: Tables, plan: _Plan, edition: str) -> list[int | str | None]:
    """A row with as many values as cells: each in its place (the common case, kept fast)."""
    table, key, by = plan.table, plan.key, plan.by
    keys = _cell_keys(edition, plan)
    values = plan.cands[0][1]
    toks = plan.hit.values
    provenance = t.provenance
    last: Loc | None = None
    cell: dict[str, Any] = {}
    for tok, pkey in zip(toks, keys, strict=False):
        # (a cell printed where the one before it is has the same provenance, in a dict of
        # its own: a copy)
        if (loc := tok.loc) is last:
            provenance[pkey] = cell.copy()
        else:
            last = loc
            own: dict[str, Any] = loc.as_dict()
            own["by"] = by
            provenance[pkey] = cell = own
    placed = t.placed
    placed[by] = placed.get(by, 0) + len(values)
    # (the plan's own list, not a copy: neither is changed after this)
    if None not in values:
        return values
    cols = plan.cols
    # a cell left null: a printed blank, or a value that is no count (said in a warning)
    for i, tok in enumerate(toks):
        v = tok.value
        if v is None or values[i] is not None:
            continue
        ckey = cols[i].key if cols is not None else _INDEX[i]
        if v.kind == "blank":
            t.blank_cells.append(
                {
                    "table": table,
                    "row": key,
                    "column": ckey if cols is not None else i,
                    "text": tok.text,
                }
            )
        else:
            _warn(
                t.warnings,
                "not-a-count",
                f"{plan.label} 第 {i + 1} 格“{tok.text}”不是整数，记为空",
                f"{plan.label}, cell {i + 1}: '{tok.text}' is not a whole number; left null",
                table=table,
                row=key,
                where=tok.loc.as_dict(),
            )
    return values


def _fill(t: Tables, plan: _Plan) -> list[int | str | None]:
    table, key, hit, cols, n = plan.table, plan.key, plan.hit, plan.cols, plan.n
    label_zh = plan.label
    shown = len(hit.values)
    code = (
        "fused-cells"
        if any(v.fused for v in hit.values)
        else ("long-row" if shown > n else "short-row")
    )
    values_only = [c[1] for c in plan.cands]
    cells, unsure = consensus(values_only)
    if not plan.cands:
        cells, unsure = [None] * n, list(range(n))
    certain = plan.raw == 1
    by = plan.by if certain else "arithmetic"
    if plan.unconfirmed:
        _warn(
            t.warnings,
            "unconfirmed-order",
            f"{label_zh}：数值印在标签之外，按顺序对应，但表格的勾稽关系不能证实这种对应，均记为空"
            f"（按顺序为：{' '.join(v.text for v in hit.values)}）",
            f"{label_zh}: its values are printed away from the label and were matched by order, "
            f"but the table's arithmetic does not confirm it; left null "
            f"(by order: {' '.join(v.text for v in hit.values)})",
            table=table,
            row=key,
            expected=n,
            actual=shown,
            where=hit.loc.as_dict(),
            candidates=[[v.text for v in hit.values]],
            unsure=list(range(n)),
        )
    elif plan.raw != 1:
        if not plan.cands:
            zh = (
                f"{label_zh}：本行显示的数值“{' '.join(v.text for v in hit.values)}”"
                f"{'可拆分的方式过多' if plan.raw > LIMIT else '没有一种放法符合本行的勾稽关系'}，"
                f"应有 {n} 格，均记为空"
            )
            en = (
                f"{label_zh}: the values '{' '.join(v.text for v in hit.values)}' cannot be placed "
                f"into its {n} cells ({'too many ways' if plan.raw > LIMIT else 'no placement fits the row arithmetic'}); left null"
            )
        elif unsure:
            judged = row_rule(table, key) is not None
            zh = (
                f"{label_zh}：本行数值有 {len(values_only)} 种放法"
                f"{'都符合勾稽关系' if judged else '（本行没有勾稽关系可以判断）'}，"
                f"无法确定的 {len(unsure)} 格记为空（候选：{describe(values_only)}）"
            )
            en = (
                f"{label_zh}: {len(values_only)} placements of this row's values "
                f"{'fit its arithmetic' if judged else 'are possible (no arithmetic decides this row)'}; "
                f"the {len(unsure)} cells they disagree on are left null (candidates: {describe(values_only)})"
            )
        else:
            zh = f"{label_zh}：本行显示 {shown} 个数值（应有 {n} 个），只有一种放法符合勾稽关系，已按其放置"
            en = f"{label_zh}: this row shows {shown} values for {n} cells; one placement fits its arithmetic and was used"
        if code != "fused-cells" or unsure or not plan.cands:
            _warn(
                t.warnings,
                code,
                zh,
                en,
                table=table,
                row=key,
                expected=n,
                actual=shown,
                where=hit.loc.as_dict(),
                candidates=[list(c) for c in values_only[:6]],
                unsure=unsure,
            )
    for i in unsure:
        ucol = cols[i].key if table == "table2" and cols is not None else i
        t.unsure.append({"table": table, "row": key, "column": ucol})
    placement = plan.cands[0][0] if plan.cands else (None,) * n
    out: list[int | str | None] = []
    skip = set(unsure)
    locs: dict[int, dict[str, int | str]] = {}
    placed = 0
    for i in range(n):
        col = cols[i] if cols is not None and i < len(cols) else None
        ckey = col.key if (table == "table2" and col is not None) else str(i)
        slot = placement[i] if i not in skip else None
        tok = hit.values[slot[0]] if slot is not None else None
        value = cells[i] if i not in skip else None
        if tok is not None and not tok.fused:
            value_cell, blank = _cell(tok, col)
            if blank:
                t.blank_cells.append(
                    {
                        "table": table,
                        "row": key,
                        "column": ckey if table == "table2" else i,
                        "text": tok.text,
                    }
                )
            if tok.value is not None and not tok.value.blank and value_cell is None:
                _warn(
                    t.warnings,
                    "not-a-count",
                    f"{label_zh} 第 {i + 1} 格“{tok.text}”不是整数，记为空",
                    f"{label_zh}, cell {i + 1}: '{tok.text}' is not a whole number; left null",
                    table=table,
                    row=key,
                    where=tok.loc.as_dict(),
                )
        if tok is not None:
            where = locs.get(id(tok.loc))
            if where is None:
                where = locs[id(tok.loc)] = {**tok.loc.as_dict(), "by": by}
            t.provenance[f"{table}.{key}.{ckey}"] = dict(where)
            placed += 1
        out.append(value)
    if placed:
        t.placed[by] = t.placed.get(by, 0) + placed
    return out


def _weak(hit: RowHit) -> bool:
    """A table-3 label with fewer values than cells and not one number among them (a
    label printed again out of place, with a stray ``、``): no row of values."""
    return len(hit.values) < T3_WIDTH and not any(
        (v := t.value) is not None and v.kind != "blank" for t in hit.values
    )


def _windows(hits: list[RowHit], order: list[str]) -> dict[int, tuple[int, int]]:
    """For each hit (by index) whose run of values holds several whole table-3 rows,
    the rows it fills: (first row, how many), where the rows leave no choice (see
    :func:`spread_runs`)."""
    counts: dict[str, int] = {}
    for h in hits:
        if h.table == "table3":
            counts[h.key] = counts.get(h.key, 0) + 1
    carriers: dict[int, tuple[int, int]] = {}  # row -> (hit, rows in its run)
    for index, hit in enumerate(hits):
        k, rest = divmod(len(hit.values), T3_WIDTH)
        if hit.table != "table3" or hit.grid or k < 2 or rest or hit.key not in order:
            continue
        if counts[hit.key] > 1 or any(map(_FUSED, hit.values)) or any(map(_QUEUED, hit.values)):
            continue
        carriers[order.index(hit.key)] = (index, k)
    if not carriers:
        return {}
    keyed = {h.key for h in hits if h.table == "table3" and not _weak(h)}
    present = {i for i, key in enumerate(order) if key in keyed and i not in carriers}
    found: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(order):
        if i in present:
            i += 1
            continue
        j = i  # rows i..j: no values of their own, or a run for several rows
        while j + 1 < len(order) and j + 1 not in present:
            j += 1
        mine = [r for r in sorted(carriers) if i <= r <= j]
        tiled = _tile([(r, carriers[r][1]) for r in mine], i, j)
        if tiled is None:
            tiled = _own_windows([(r, carriers[r][1]) for r in mine], i, j)
        for r, start in tiled.items():
            found[carriers[r][0]] = (start, carriers[r][1])
        i = j + 1
    return found


def _tile(runs: list[tuple[int, int]], first: int, last: int) -> dict[int, int] | None:
    """The runs (their label's row, how many rows) laid end to end over rows
    ``first..last``, each over its own label's row: the first from ``first``, the
    next where it ends, and the last ending at ``last``. There is one such tiling
    or none; None when none."""
    at = first
    starts: dict[int, int] = {}
    for row, k in runs:
        if not at <= row <= at + k - 1:
            return None
        starts[row] = at
        at += k
    return starts if runs and at == last + 1 else None


def _own_windows(runs: list[tuple[int, int]], first: int, last: int) -> dict[int, int]:
    """Where rows ``first..last`` do not tile: each run that has one window of rows
    without values around its label (no other run's label in it), and no other run
    could take a row of it."""
    rows = [r for r, _ in runs]
    found: dict[int, range] = {}  # a run's label row -> the rows it would fill
    for row, k in runs:
        lo = max([first, *(r + 1 for r in rows if r < row)])
        hi = min([last, *(r - 1 for r in rows if r > row)])
        starts = [s for s in range(row - k + 1, row + 1) if s >= lo and s + k - 1 <= hi]
        if len(starts) == 1:
            found[row] = range(starts[0], starts[0] + k)
    claimed = Counter(r for window in found.values() for r in window)
    return {
        row: window.start for row, window in found.items() if all(claimed[r] == 1 for r in window)
    }


def spread_runs(hits: list[RowHit], edition: str) -> tuple[list[RowHit], frozenset[str]]:
    """Runs of values printed for several table-3 rows at once, given back to those rows.

    A converter that reads a PDF table without its layout (``pdftotext`` without
    ``-layout``) prints a block of labels with no values and then the values of all
    of them in one run, in row order: ``1.属于国家秘密 … 5.属于三类内部事务信息 20 3 0
    0 1 0 24 4 0 0 …``, the run beside the first or the last label of the block.
    Rows without values of their own and runs of ``k`` whole rows (``k × 7``
    values) make stretches of the table; the runs of a stretch are laid end to end
    over it in print order, each over its own label's row, where they cover it
    exactly (one way at most). Where they do not, a run goes to the one window of
    ``k`` rows without values around its label, where there is exactly one and no
    other run could take its rows. The rows are placed
    ``by: order`` and so kept only where the table's own arithmetic confirms them
    (:func:`_confirm_order`); otherwise they stay null with a warning. Returns the
    hits and the keys of the rows so given values.
    """
    for h in hits:
        if len(h.values) >= 2 * T3_WIDTH and h.table == "table3" and not h.grid:
            break
    else:
        return hits, frozenset()  # (no such run: the common case)
    spec = EDITIONS[edition].table("table3")
    order = list(spec.row_keys)
    windows = _windows(hits, order)
    if not windows:
        return hits, frozenset()
    out: list[RowHit] = []
    spread: set[str] = set()
    covered = {order[s + j] for s, k in windows.values() for j in range(k)}
    # a label without a number on a row a run fills comes after it: a duplicate, said so
    stray = [h for h in hits if h.table == "table3" and h.key in covered and _weak(h)]
    moved = {id(h) for h in stray}
    for index, hit in enumerate(hits):
        window = windows.get(index)
        if window is None:
            if id(hit) not in moved:
                out.append(hit)
            continue
        start, k = window
        for j in range(k):
            key = order[start + j]
            run = hit.values[j * T3_WIDTH : (j + 1) * T3_WIDTH]
            values = [Token(v.text, v.loc, v.value, True, False) for v in run]
            label = hit.label if key == hit.key else spec.row(key).label
            out.append(RowHit("table3", key, values, hit.loc, label, False))
            spread.add(key)
    return out + stray, frozenset(spread)


def build_tables(scan: RowScan, edition: str) -> Tables:
    """The tables of the record from the rows ``scan`` found, for ``edition``."""
    t = Tables()
    ed = EDITIONS[edition]
    t2_spec = ed.table("table2")
    hits, spread = spread_runs(scan.hits, edition)
    seen: set[str] = set()  # ("table3.new": a row's key in x_labels, no tuple made a row)
    plans: list[_Plan] = []
    # A simple row (not placed by order, so no later judgement changes it) is filled as
    # it is met while every row before it was: the rows are filled in the order they
    # were printed either way. The warnings of this pass come before the fills' (kept
    # in t.warnings meanwhile), as when every row was filled after it.
    early: list[ParseWarning] = []
    filled = 0  # how many plans, from the first, are filled
    for hit in hits:
        ident = f"{hit.table}.{hit.key}"
        if ident in seen or (hit.table == "table4" and hit.key == "*" and "table4.review" in seen):
            _warn(
                early,
                "duplicate-row",
                f"“{hit.label}”重复出现，采用第一次出现的数值",
                f"'{hit.label}' appears again; the first one is kept",
                table=hit.table,
                row=hit.key,
                where=hit.loc.as_dict(),
            )
            continue
        seen.add(ident)
        plan: _Plan | None = None
        if hit.table == "table2":
            if hit.key not in t2_spec.row_keys:
                t.extra_rows.append(
                    {
                        "table": "table2",
                        "label": hit.label,
                        "values": [v.text for v in hit.values],
                        "where": hit.loc.as_dict(),
                    }
                )
                _warn(
                    early,
                    "other-edition-row",
                    f"表二“{hit.label}”是另一版格式的行，未计入",
                    f"table 2 row '{hit.label}' belongs to the other edition; kept aside",
                    table="table2",
                    row=hit.key,
                    where=hit.loc.as_dict(),
                )
                continue
            cols = t2_spec.row_columns(hit.key)
            plan = _plan(hit, "table2", hit.key, cols, len(cols))
        elif hit.table == "table3":
            plan = _plan(hit, "table3", hit.key, None, T3_WIDTH)
        elif hit.table == "table4":
            if hit.key == "*":
                for g in TABLE4.rows:
                    seen.add(f"table4.{g.key}")
            width = T4_RUN_WIDTH if hit.key == "*" else T4_WIDTH
            plan = _plan(hit, "table4", hit.key, None, width)
        # (the label's and the table's each a dict of its own)
        here = hit.loc.as_dict()
        if plan is not None:
            plans.append(plan)
            if filled == len(plans) - 1 and plan.simple and plan.by != "order" and plan.key != "*":
                _store(t, plan, _fill_simple(t, plan, edition))
                filled += 1
        if hit.table not in t.where:
            t.where[hit.table] = here.copy()
        if hit.label:
            t.labels[ident] = {"text": hit.label, "where": here}
    t.warnings[:0] = early
    _without_values(t, scan, seen, edition)
    _resolve({p.key: p for p in plans if p.table == "table3"}, edition)
    _confirm_order(plans, edition, spread)
    for plan in plans[filled:]:
        if plan.simple:
            cells = _fill_simple(t, plan, edition)
        else:
            cells = _fill(t, plan)
        _store(t, plan, cells)
    for extra in scan.extra:
        t.extra_rows.append(
            {
                "table": extra.table,
                "label": extra.label,
                "values": [v.text for v in extra.values],
                "where": extra.loc.as_dict(),
            }
        )
    # keep print order
    t.table3 = {k: t.table3[k] for k in _T3_ORDER if k in t.table3}
    t.table2 = {k: t.table2[k] for k in t2_spec.row_keys if k in t.table2}
    t.table4 = {r.key: t.table4[r.key] for r in TABLE4.rows if r.key in t.table4}
    return t


def _without_values(t: Tables, scan: RowScan, seen: set[str], edition: str) -> None:
    """Rows whose label is printed but whose values were found nowhere (values printed
    away from their labels that could not be placed, or cells left blank with nothing
    in them): not in the tables, their label in ``x_labels`` and their cells in
    ``x_unsure``, with a warning, so that no finding says the row is missing."""
    if not scan.bare:
        return  # (every label met took values: the common case)
    ed = EDITIONS[edition]
    for ident, (text, loc) in scan.bare.items():
        if ident in seen or ident in t.labels:
            continue
        table, key = ident.split(".", 1)
        columns: list[str | int]
        if table == "table2" and key in ed.table("table2").row_keys:
            columns = [c.key for c in ed.table("table2").row_columns(key)]
        elif table == "table3" and key in ed.table("table3").row_keys:
            columns = list(range(T3_WIDTH))
        elif table == "table4" and key in {r.key for r in TABLE4.rows}:
            columns = list(range(T4_WIDTH))
        else:
            continue
        where = loc.as_dict()
        t.labels[ident] = {"text": text, "where": where}
        t.unsure += [{"table": table, "row": key, "column": c} for c in columns]
        _warn(
            t.warnings,
            "no-values",
            f"“{text}”：标签已印出，但没有找到它的数值，均记为空",
            f"'{text}': the label is printed but no values of it were found; left null",
            table=table,
            row=key,
            where=where,
        )


def _store(t: Tables, plan: _Plan, cells: list[int | str | None]) -> None:
    """A filled row's cells into its table."""
    if plan.table == "table2" and plan.cols is not None:
        t.table2[plan.key] = {c.key: v for c, v in zip(plan.cols, cells, strict=True)}
    elif plan.table == "table3":
        # (a simple row of table 3 holds counts and nulls only: no money column)
        t.table3[plan.key] = (
            cells  # type: ignore[assignment]
            if plan.simple
            else [c if isinstance(c, int) else None for c in cells]
        )
    elif plan.key != "*":
        t.table4[plan.key] = [c if isinstance(c, int) else None for c in cells]
    else:
        _split_table4(t, cells)


_T4_GROUPS = tuple(r.key for r in TABLE4.rows)
#: for each group of table 4: its cells' keys in the run of 15, and in the group
_T4_MOVES = tuple(
    tuple((f"table4.*.{gi * T4_WIDTH + ci}", f"table4.{g}.{ci}") for ci in range(T4_WIDTH))
    for gi, g in enumerate(_T4_GROUPS)
)


def _split_table4(t: Tables, cells: list[int | str | None]) -> None:
    """Table 4 read as one run of 15 values: its three groups of five."""
    groups = _T4_GROUPS
    provenance = t.provenance
    for gi, g in enumerate(groups):
        if g in t.table4:
            continue
        part = cells[gi * T4_WIDTH : (gi + 1) * T4_WIDTH]
        t.table4[g] = [c if isinstance(c, int) else None for c in part]
        for run_key, group_key in _T4_MOVES[gi]:
            loc = provenance.pop(run_key, None)
            if loc is not None:
                provenance[group_key] = loc
    for item in (*t.blank_cells, *t.unsure):
        if item["table"] == "table4" and item["row"] == "*":
            i = int(item["column"])
            item["row"], item["column"] = groups[i // T4_WIDTH], i % T4_WIDTH
    for w in t.warnings:
        if w.table == "table4" and w.row == "*":
            w.row = None
