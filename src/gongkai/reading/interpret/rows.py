"""From blocks to table rows: which printed values belong to which row.

Two sources of rows:

* **grid rows** (HTML, DOCX, ruled PDF tables): a row is given; its label is
  the rightmost text cell that names a row of the format, its values are the
  cells to the right of the label (empty cells are blank values, so columns
  keep their place);
* **the token stream** (flattened text, PDF text without rulings): lines are
  split into cells; runs of label cells alternate with runs of values. A run
  of values belongs to the row named last before it. Values printed *before*
  their label (PDF text where a two-line label is centred on the numbers)
  wait in a queue and go to the next label that has none.

The result is a list of :class:`RowHit` — table, key, the value tokens and
where the label was — plus rows the format does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from typing import cast

from gongkai.national.editions import (
    EDITION_2019,
    EDITION_2021,
    T3_WIDTH,
    T4_RUN_WIDTH,
    TABLE4,
)
from gongkai.national.editions import T4_HEADER_WORDS as T4_HEADER_WORDS_PRINTED
from gongkai.national.labels import (
    COLUMN_WORDS,
    ROW_CORES,
    LabelMatch,
    match_label,
    norm,
    norm_longer,
)
from gongkai.reading.document import Cell, Document, Loc, Para, TableBlock
from gongkai.reading.furniture import is_md_separator, is_page_number
from gongkai.reading.interpret.cells import Value, parse_value, split_line
from gongkai.reading.interpret.fused import fused_candidate, segments, suffix_lookup
from gongkai.reading.interpret.sections import match_part_heading

T4_HEADER_WORDS = frozenset(norm(w) for w in T4_HEADER_WORDS_PRINTED)
_PROSE_LEN = 48
_UNIT_CELLS = frozenset({"万元", "元", "亿元"})
_NUMERALS = frozenset("一二三四五六七八九十")  # (a part heading begins with one)


@dataclass(slots=True, init=False)
class Token:
    text: str
    loc: Loc
    value: Value | None
    queued: bool  # placed from the queue of values printed away from their label
    fused: bool  # a run of digits whose cells ran together (see :mod:`.fused`)

    # (written out, and __reduce__ with it: compiled, a written __init__ is native code;
    # see document.Loc)
    def __init__(
        self,
        text: str,
        loc: Loc,
        value: Value | None = None,
        queued: bool = False,
        fused: bool = False,
    ) -> None:
        self.text = text
        self.loc = loc
        self.value = value
        self.queued = queued
        self.fused = fused

    def __reduce__(self) -> tuple[type[Token], tuple[str, Loc, Value | None, bool, bool]]:
        return Token, (self.text, self.loc, self.value, self.queued, self.fused)

    @property
    def is_value(self) -> bool:
        return self.value is not None


@dataclass
class RowHit:
    """A printed row recognised as a row of the format (or of table 4)."""

    table: str
    key: str
    values: list[Token]
    loc: Loc
    label: str
    grid: bool


def capacity(values: list[Token]) -> int:
    """How many cells ``values`` can fill at most (a fused run one a digit)."""
    return sum(len(t.text) if t.fused else 1 for t in values)


@dataclass
class ExtraRow:
    table: str | None
    label: str
    values: list[Token]
    loc: Loc


@dataclass
class RowScan:
    hits: list[RowHit] = field(default_factory=list)
    extra: list[ExtraRow] = field(default_factory=list)
    #: row labels met in flattened text that took no values there (``table3.new``: the
    #: first such label)
    bare: dict[str, Label] = field(default_factory=dict)


@lru_cache(maxsize=1024)
def expected_count(table: str, key: str, edition: str) -> int:
    """How many values the row ``key`` of ``table`` has in ``edition`` (``*``: all of table 4)."""
    if table == "table3":
        return T3_WIDTH
    if table == "table4":
        return T4_RUN_WIDTH if key == "*" else len(TABLE4.columns)
    t2 = (EDITION_2021 if edition == "2021" else EDITION_2019).table("table2")
    try:
        return len(t2.row_columns(key))
    except KeyError:
        other = (EDITION_2019 if edition == "2021" else EDITION_2021).table("table2")
        return len(other.row_columns(key))


# ---------------------------------------------------------------- grid rows


#: A text whose fold (:func:`norm`) is one of :data:`T4_HEADER_WORDS` holds one of these
#: characters: each word does, and no other character folds (NFKC) to one of them
#: (tests/test_fast_paths.py), so a text without them needs no fold to be passed over.
_T4_KEYS = re.compile("[议讼结]")


def _scan_grid(block: TableBlock, edition: str, scan: RowScan) -> None:
    t4_context = False
    for row in block.printed_rows:
        # one pass over the row: its text cells, and the value cells after the last of
        # them (a text cell forgets the values before it)
        values: list[Token] = []
        texts: list[Cell] = []
        for c in row:
            text = c.text
            v = parse_value(text)
            if v is not None:
                values.append(Token(text, c.loc, v))
            elif text.strip():
                texts.append(c)
                if values:
                    values = []
                if (
                    not t4_context
                    and _T4_KEYS.search(text) is not None
                    and norm(text) in T4_HEADER_WORDS
                ):
                    t4_context = True
        match: LabelMatch | None = None
        label_cell: Cell | None = None
        for c in reversed(texts):
            m = match_label(c.text)
            if m is not None and m.kind == "row":
                match, label_cell = m, c
                break
        if match is not None and label_cell is not None:
            n = expected_count(match.table, match.key, edition)
            # more cells than the row has: an empty label-side cell, or an empty
            # cell standing in for a column the edition does not have
            while len(values) > n and values[0].value is not None and values[0].value.blank:
                values.pop(0)
            while len(values) > n and values[-1].value is not None and values[-1].value.blank:
                values.pop()
            if values:
                scan.hits.append(
                    RowHit(match.table, match.key, values, label_cell.loc, label_cell.text, True)
                )
            continue
        real = [v for v in values if v.value is not None and not v.value.blank]
        if not texts and t4_context and len(values) >= 5:
            _t4_hit(scan, values, True)
            continue
        if texts and real:
            hdr = match_label(texts[-1].text)
            if (
                hdr is not None
                and hdr.kind == "header"
                and hdr.table == "table4"
                and len(values) == 5
            ):
                scan.hits.append(
                    RowHit("table4", hdr.key, values, texts[-1].loc, texts[-1].text, True)
                )
                continue
            scan.extra.append(
                ExtraRow(None, " ".join(c.text for c in texts), values, texts[-1].loc)
            )


def _all_empty(values: list[Token]) -> bool:
    """Cells with nothing in them at all (a Markdown header row's ``||||`` between its
    words), not a row of values: a printed blank is ``/`` or ``-``, a value a number."""
    return all(not v.text.strip() for v in values)


def _t4_hit(scan: RowScan, values: list[Token], grid: bool) -> None:
    scan.hits.append(RowHit("table4", "*", values[:15], values[0].loc, "", grid))


# ---------------------------------------------------------------- token stream


#: a label cell of the token stream: its text and where it stands (a tuple, not a
#: :class:`Token`: most label cells name no row, and a tuple is made ~4x faster)
Label = tuple[str, Loc]


class _Run:
    """Label cells and the value cells after them; ``boundary_before``: a heading or a
    paragraph of prose came between the previous run and this one."""

    __slots__ = ("boundary_before", "fused", "labels", "values")

    def __init__(self) -> None:
        self.labels: list[Label] = []
        self.values: list[Token] = []
        self.boundary_before = False
        self.fused = False  # a value is a fused run of digits


_BOUNDARY: tuple[tuple[str, Value | None], ...] | None = None


@lru_cache(maxsize=32768)
def _line_cells(text: str) -> tuple[tuple[str, Value | None], ...] | None:
    """The cells of one flattened line with their values; () to skip the line,
    None for a boundary (a part heading, a paragraph of prose). Cached: table
    lines repeat across reports."""
    s = text.strip()
    if not s or ("---" in s and is_md_separator(text)) or (len(s) <= 14 and is_page_number(text)):
        return ()  # (the cheap tests first: each of the three needs what it tests)
    if s[0] in _NUMERALS and match_part_heading(text) is not None:
        return _BOUNDARY
    cells = split_line(text)
    if len(cells) == 1 and norm_longer(cells[0], _PROSE_LEN):
        return _BOUNDARY
    out: list[tuple[str, Value | None]] = []
    for c in cells:
        if c.strip() in _UNIT_CELLS and out and out[-1][1] is not None and not out[-1][1].blank:
            # a unit a converter cut off into a cell of its own: 186.5 | 万元
            joined = out[-1][0] + c.strip()
            out[-1] = (joined, parse_value(joined))
            continue
        out.append((c, parse_value(c)))
    return tuple(out)


_LOOKUP = suffix_lookup(ROW_CORES, max(len(c) for c in ROW_CORES), COLUMN_WORDS)


def _fused_tokens(text: str, loc: Loc) -> list[Token | Label | None] | None:
    """Tokens (values) and labels of a line whose table cells ran together (see
    :mod:`.fused`); None if it has none."""
    out: list[Token | Label | None] = []
    end = 0
    found = 0
    for seg in segments(text, _LOOKUP):
        found += 1
        before = seg.before.strip()
        if before:
            out.append(None if norm_longer(before, _PROSE_LEN) else (before, loc))
        if seg.label == TABLE4.columns[-1].label:  # table 4's headers end before its values
            out.append(None)
            out.append((TABLE4.columns[-2].label, loc))
        else:
            out.append((seg.label, loc))
        for part in seg.run.split():
            digits = part.rstrip("万亿元")
            if len(digits) > 1 and digits.isdigit():
                unit = part[len(digits) :] or None
                out.append(Token(part, loc, Value("fused", None, part, unit), fused=True))
            else:
                v = parse_value(part)
                out.append((part, loc) if v is None else Token(part, loc, v))
        end = seg.start + len(seg.run)
    if found < 5:
        return None
    if text[end:].strip():
        out.append(None)
    return out


def _runs(paras: list[Para]) -> list[_Run]:
    """Runs of label cells and the value cells after them, in order (a boundary ends one).

    One loop over the lines and their cells, no generator or function in between but
    the cached cells of a line: the lines of a report are many and this is the reader's
    innermost loop (a line's tokens are made here, one a cell)."""
    runs: list[_Run] = []
    cur = _Run()
    labels = cur.labels
    values = cur.values
    boundary = False
    for p in paras:
        text = p.text
        if len(text) <= 60:  # (most lines: neither fused cells nor a long paragraph)
            cells = None if p.heading else _line_cells(text)
        else:
            if fused_candidate(text):
                fused = _fused_tokens(text, p.loc)
                if fused is not None:
                    cur, boundary = _add_fused(fused, runs, cur, boundary)
                    labels = cur.labels
                    values = cur.values
                    continue
            if p.heading or (
                len(text) > 240 and not text.rstrip()[-1:].isdigit() and "|" not in text
            ):
                cells = None  # a long paragraph not ending in a number is prose (not cached)
            else:
                cells = _line_cells(text)
        if cells is None:  # a boundary
            if labels or values:
                runs.append(cur)
                cur = _Run()
                labels = cur.labels
                values = cur.values
            boundary = True
            continue
        loc = p.loc
        for c, v in cells:
            if v is not None:
                values.append(Token(c, loc, v))
                continue
            if values:
                runs.append(cur)
                cur = _Run()
                labels = cur.labels
                values = cur.values
            if not labels:
                cur.boundary_before = boundary
                boundary = False
            labels.append((c, loc))
    if labels or values:
        runs.append(cur)
    return runs


def _add_fused(
    tokens: list[Token | Label | None], runs: list[_Run], cur: _Run, boundary: bool
) -> tuple[_Run, bool]:
    """The tokens of a line with fused cells added to the runs as :func:`_runs` adds a
    line's cells (None: a boundary); the run now open and the boundary flag."""
    for t in tokens:
        if t is None:
            if cur.labels or cur.values:
                runs.append(cur)
                cur = _Run()
            boundary = True
        elif isinstance(t, Token):
            cur.values.append(t)
            cur.fused = cur.fused or t.fused
        else:
            if cur.values:
                runs.append(cur)
                cur = _Run()
            if not cur.labels:
                cur.boundary_before = boundary
                boundary = False
            cur.labels.append(t)
    return cur, boundary


def _matches_in(labels: list[Label]) -> list[tuple[LabelMatch, Label]]:
    """Row and table-4 header matches among a run of label cells, in order.

    A label wrapped over two cells is tried joined when neither half matches.
    """
    out: list[tuple[LabelMatch, Label]] = []
    i = 0
    while i < len(labels):
        label = labels[i]
        text = label[0]
        m = match_label(text)
        if m is None and i + 1 < len(labels):
            # not when the next cell is a row label of its own (a header word such as
            # 其他 just before 一、本年新收… is no half of it)
            after = match_label(labels[i + 1][0])
            joined = (
                None
                if after is not None and after.kind == "row"
                else (match_label(text + labels[i + 1][0]))
            )
            if joined is not None and joined.kind == "row":
                out.append((joined, (text + labels[i + 1][0], label[1])))
                i += 2
                continue
        if m is not None and (m.kind == "row" or (m.kind == "header" and m.table == "table4")):
            out.append((m, label))
        elif norm(text) in T4_HEADER_WORDS:
            out.append((LabelMatch("header", "table4", "", 1.0, True), label))
        i += 1
    return out


_NUMBERED = re.compile(
    r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+[,.]|\d{1,2}[,.](?!\d)).."
)


def _numbered_label(text: str) -> bool:
    """``（八）其他情形`` or ``9.其他``: a label shaped like a row of the format."""
    s = norm(text)
    return bool(_NUMBERED.match(s)) and match_label(text) is None


@lru_cache(maxsize=4)
def _headings_of(edition: str) -> dict[str, frozenset[str]]:
    """Rows of another edition that head rows of ``edition``: 2019's row （六）其他处理 is
    the heading of 2021's three 其他处理 rows (key → the keys of the rows it heads)."""
    spec = (EDITION_2021 if edition == "2021" else EDITION_2019).table("table3")
    out: dict[str, set[str]] = {}
    for row in spec.rows:
        m = match_label(row.group) if row.group else None
        if m is not None and m.kind == "row" and m.table == "table3" and m.key not in spec.row_keys:
            out.setdefault(m.key, set()).add(row.key)
    return {k: frozenset(v) for k, v in out.items()}


def _without_headings(
    rows: list[tuple[LabelMatch, Label]], edition: str
) -> list[tuple[LabelMatch, Label]]:
    """``rows`` without a label that is a row of another edition and the heading of a
    row after it here (2021's （六）其他处理 before its 1.… 2.… 3.其他): values printed
    away from their labels go to the rows of the edition, not to the heading."""
    headings = _headings_of(edition)
    if not headings or not any(m.key in headings for m, _ in rows):
        return rows
    out = []
    for i, (m, label) in enumerate(rows):
        heads = headings.get(m.key) if m.table == "table3" else None
        if heads and any(later.key in heads for later, _ in rows[i + 1 :]):
            continue
        out.append((m, label))
    return out


def _scan_stream(paras: list[Para], edition: str, scan: RowScan) -> None:
    pending: list[Token] = []
    # the row whose surplus values wait in ``pending`` (None: values printed before any label)
    surplus_of: RowHit | None = None
    t4_ready = False
    for run in _runs(paras):
        if run.boundary_before:
            if surplus_of is not None:
                surplus_of.values.extend(pending)  # a row's surplus stays with it
            pending = []
            surplus_of = None
            t4_ready = False
        found = _matches_in(run.labels) if run.labels else []
        rows = [(m, t) for m, t in found if m.kind == "row"] if found else []
        if len(rows) > 1:
            rows = _without_headings(rows, edition)
        if found and not rows and any(m.table == "table4" for m, _ in found):
            t4_ready = True
            groups = [(m, t) for m, t in found if m.key]
            if groups and capacity(run.values) >= 5 and len(run.values) <= 5:
                m, (text, loc) = groups[-1]
                scan.hits.append(RowHit("table4", m.key, run.values, loc, text, False))
                t4_ready = False
                continue
        if not rows:
            if t4_ready and capacity(run.values) >= 5 and not _all_empty(run.values):
                _t4_hit(scan, run.values, False)
                t4_ready = False
                continue
            if run.values and run.labels and _numbered_label(run.labels[-1][0]):
                # a numbered row the format does not have (a local row): its own values
                text, loc = run.labels[-1]
                scan.extra.append(ExtraRow(None, text, list(run.values), loc))
                continue
            if run.values and not _all_empty(run.values):
                # (the empty cells of a header row, |信息内容||本年处理决定数量||, are no
                # values waiting for the next label)
                pending.extend(run.values)
            continue
        t4_ready = False
        values = list(run.values)
        if run.fused:
            # cells run together: the run belongs to the label just before it
            m, (text, loc) = rows[-1]
            pending = []
            scan.hits.append(RowHit(m.table, m.key, values, loc, text, False))
            continue
        if pending and surplus_of is not None and values:
            # a row's surplus, and this label has values of its own: the surplus was
            # not the next row's, it stays with its row (the placement decides)
            surplus_of.values.extend(pending)
            pending = []
        surplus_of = None
        for idx, (m, (text, loc)) in enumerate(rows):
            n = expected_count(m.table, m.key, edition)
            last = idx == len(rows) - 1
            take: list[Token] = []
            if len(pending) >= n:
                take, pending = pending[:n], pending[n:]
                for v in take:
                    v.queued = True
                if last:
                    pending.extend(values)
                    values = []
            elif last:
                pending = []
                while len(values) > n and not values[-1].text.strip():
                    values.pop()  # empty cells of the next row's label side (Markdown)
                if len(values) > n and sum(1 for v in values if v.text.strip()) == n:
                    # as many cells with something in them as the row has: the empty
                    # ones are the table's layout (|行政许可||1234||), no cells of it
                    values = [v for v in values if v.text.strip()]
                if n < len(values) < 2 * n:
                    # more than the row has, too few for another: an extra value is
                    # among them, the placement decides which (never the first n blindly)
                    take, rest = values, []
                else:
                    take, rest = values[:n], values[n:]
                values = []
                pending.extend(rest)
            if take:
                scan.hits.append(RowHit(m.table, m.key, take, loc, text, False))
                if last and pending and not take[0].queued:
                    surplus_of = scan.hits[-1]
            else:
                scan.bare.setdefault(f"{m.table}.{m.key}", (text, loc))
        if values:
            pending.extend(values)
    if surplus_of is not None:
        surplus_of.values.extend(pending)


def scan_rows(doc: Document, edition: str) -> RowScan:
    """Every table row of ``doc`` recognised against the format."""
    scan = RowScan()
    blocks = doc.blocks
    if not any(map(isinstance, blocks, repeat(TableBlock))):
        # paragraphs only (a text's document): the one stream the loop below would gather
        if blocks:
            _scan_stream(cast("list[Para]", blocks), edition, scan)
        return scan
    paras: list[Para] = []
    for block in blocks:
        if isinstance(block, TableBlock):
            if paras:
                _scan_stream(paras, edition, scan)
                paras = []
            if block.grid:
                _scan_grid(block, edition, scan)
            else:
                _scan_stream(
                    [Para("\t".join(c.text for c in r), r[0].loc) for r in block.printed_rows if r],
                    edition,
                    scan,
                )
        else:
            paras.append(block)
    if paras:
        _scan_stream(paras, edition, scan)
    return scan
