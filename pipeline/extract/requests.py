"""Table 三 (收到和处理政府信息公开申请情况): rows of requests and outcomes under a header of
applicant columns (自然人, 法人或其他组织 … 总计) that may span several rows.

Row labels are read with their parents (（三）不予公开 over 1.属于国家秘密), labels broken over
two lines are joined, and a row cut by a page break is carried on into the next fragment. When a
column header cannot be read, a column is inferred only where the national order puts it.
Rows whose labels were lost (a converter pulled them out of the table) are placed by the
national row order when that is certain and the arithmetic confirms it (pipeline/extract/align.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from pipeline.core.model import Table
from pipeline.core.options import ExtractSettings
from pipeline.core.values import parse
from pipeline.extract.align import (
    agreed,
    digit_splits,
    fill_gaps,
    solve,
    split_runs,
    unconfirmed,
)
from pipeline.extract.collect import Collector, make_cell
from pipeline.extract.tables import (
    Leaf,
    Row,
    has_numbers,
    header_leaves,
    leaf_label,
    place_values,
    rows,
    split_label,
    text_row,
)
from pipeline.formats import labels as L
from pipeline.formats import layout

TABLE = "requests"
HIDDEN_BLANKS = 1      # blank cells a row of text may have lost without a trace (align.read_run)


@dataclass
class _Columns:
    """What the requests header said so far: value columns, where they start, rows read."""
    settings: ExtractSettings
    leaves: Optional[list] = None
    first_col: Optional[int] = None
    header_rows: list = None
    inferred: tuple = ()

    def first_in(self, table: Table) -> Optional[int]:
        """Where the values start in `table`'s rows: the header's first value column, when the
        header is this table's grid or one of the same width; else unknown (a piece of the
        table printed with fewer columns, its labels floated away)."""
        tables = {id(l.table): l.table for l in self.leaves or [] if l.table is not None}
        if self.first_col is None or any(t is not table and t.n_cols != table.n_cols for t in tables.values()):
            return None
        return self.first_col

    def add_header_row(self, row: Row) -> None:
        self.header_rows = (self.header_rows or []) + [row]
        found = header_leaves(self.header_rows, TABLE, self.settings.label_accept)
        if _complete_header(found):
            found, self.inferred = _infer_unread(found, self.settings.inferred_column_score)
            self.leaves, self.first_col = found, min(l.col for l in found)


def _infer_unread(leaves: list, score: float):
    """Fill value columns whose header could not be read (a smudged scan, a typo beyond
    matching) when they sit exactly where the national column order puts the missing codes,
    with match score `score` (ExtractSettings.inferred_column_score). Returns (leaves, codes
    inferred)."""
    order = list(layout.cols_of(TABLE, optional=False))
    present = [l for l in leaves if l.code in order]
    if [l.code for l in present] != [c for c in order if c in {l.code for l in present}]:
        return leaves, ()
    taken = {k for l in leaves for k in range(l.col, l.col + (l.cell.colspan if l.cell else 1))}
    added = []
    for a, b in zip(present, present[1:]):
        gap_codes = order[order.index(a.code) + 1: order.index(b.code)]
        gap_cols = [k for k in range(a.col + 1, b.col) if k not in taken]
        if len(gap_codes) != len(gap_cols):
            return leaves, ()
        added += [Leaf(code, col, None, score) for code, col in zip(gap_codes, gap_cols)]
    if not added:
        return leaves, ()
    return sorted(leaves + added, key=lambda l: l.col), tuple(l.code for l in added)


@dataclass
class _Read:
    """One data row as read: its row code (None when its label was lost or matched nothing),
    its values placed under the columns, and whether that placement is certain."""
    code: Optional[str]
    score: float
    label: str
    leaves: list
    placed: list
    sure: bool
    row: Row
    how: str = "labelled"      # labelled | split: how its values were placed under the columns
    options: list = ()         # several ways its run-together digits could be split
    left: list = ()            # ... those the table's arithmetic left, where it decided only some cells


def extract_requests(region: list, out: Collector) -> None:
    reads = _read_rows(region, out)
    placement = _align(reads, out)
    aligned_score = out.settings.aligned_score
    for r in reads:
        how = placement.get(id(r))
        if how is None:
            continue
        code, kind, skip = how
        for lf, cell in zip(r.leaves, r.placed):
            if lf.code in skip:
                continue
            score = min(r.score, lf.score) if kind == "labelled" else min(aligned_score, r.score, lf.score)
            out.add(make_cell(TABLE, code, lf.code, cell, r.label, lf.cell.text if lf.cell else lf.code,
                              score, placement=kind))


def _read_rows(region: list, out: Collector) -> list:
    """Phase one: every data row of the region with its label's row code and its values."""
    cols = _Columns(out.settings)
    accept = out.settings.label_accept
    reads = []
    carry = ""        # the label of a row without numbers that matched nothing: maybe half a label
    cut = None        # the read of a fragment's last row when all its values were blank
    for table, printed, line in _tables(region):
        for i, row in enumerate(rows(table) if printed else [line]):
            label_cells, _ = split_label(row, cols.first_in(table))
            leaf, parents = leaf_label(label_cells)
            code, score = _request_row(leaf, parents, accept)
            if not printed:
                if has_numbers(row) and (code is not None or _full_row(row, label_cells, cols)):
                    reads.append(_values(table, row, code, score, leaf, cols, out))
                continue
            if _looks_like_header(row, accept) or (code is None and not has_numbers(row)):
                cols.add_header_row(row)
                carry = leaf if code is None else ""
                continue
            if code is None and carry:                       # a label broken over two lines
                code, score = _request_row(carry + leaf, parents, accept)
                leaf = carry + leaf
            if cut and has_numbers(row) and _continues(cut, leaf, parents, code, score, accept):
                code, score, leaf = cut.code, cut.score, cut.label + leaf   # a row cut by a page break,
                reads.remove(cut)                                           # or a label on lines of its own
            carry, cut = "", None
            if code is None and not has_numbers(row):
                continue
            cols.header_rows = []
            read = _values(table, row, code, score, leaf, cols, out)
            reads.append(read)
            last_of_fragment = i == table.n_rows - 1
            label_only = table.ragged and len(row.cells) <= len(label_cells)
            if code and (last_of_fragment or label_only) and all(c is None or not c.text.strip() for c in read.placed):
                cut = read
    return reads


def _tables(region: list):
    """(table, printed?, the line's row) for the region's tables and its lines of text read as
    rows (`text_row`)."""
    for item in region:
        if isinstance(item, Table):
            yield item, True, None
        else:
            row = text_row(item)
            yield row.table, False, row


def _full_row(row: Row, label_cells: list, cols: _Columns) -> bool:
    """A line of text without a label is a row only when it holds a whole row's values."""
    values = [c for c in row.cells if c not in label_cells and c.text.strip()]
    n = len(cols.leaves or _canonical_leaves(cols.settings.order_score))
    return len(values) == n or (len(values) == 1 and values[0].text.strip().isdigit() and len(values[0].text) >= n)


def _values(table: Table, row: Row, code, score: float, leaf: str, cols: _Columns, out: Collector) -> _Read:
    leaves = cols.leaves
    if leaves is None or (table.ragged and not _complete_header(leaves)):
        leaves = _canonical_leaves(out.settings.order_score)
    _, value_cells = split_label(row, None if table.ragged else cols.first_in(table))
    placed, sure = place_values(row, value_cells, leaves)
    if sure and row.run is not None and any(c is not None and parse(c.text).kind == "text" for c in placed):
        sure = False           # a line of text whose fields are not each one value
    codes = [lf.code for lf in leaves]
    # a line of text whose values are a space apart may have lost a blank cell altogether
    options = [] if sure else digit_splits(value_cells, codes, TABLE, out.settings, row.run, HIDDEN_BLANKS)
    if len(options) == 1:
        placed, sure, options = options[0], True, []
        how = "split"
    else:
        how = "labelled"
    if cols.inferred:
        out.flag("extract.inferred_column", TABLE, found=" ".join(cols.inferred),
                 zh=f"申请表有列标题无法识别，按国家格式的列顺序推定为：{' '.join(cols.inferred)}",
                 en=f"requests table: unreadable column headers taken from the national order: {' '.join(cols.inferred)}")
        cols.inferred = ()
    return _Read(code, score, leaf, leaves, placed, sure, row, how, options)


def _align(reads: list, out: Collector) -> dict:
    """Phase two: {id(read): (row code, placement, columns left unread)} for the rows that can be
    placed for certain.

    Labelled rows keep their code. A stretch of rows whose labels were lost is placed where it
    exactly fills the layout rows missing between its labelled neighbours, and each of its cells
    is kept only when the table's arithmetic confirms it: a cell taking part in a relation that
    does not hold is left unread (a column the report's own error breaks — a wrong （七）总计 —
    costs that column's cells, not the rows). Rows whose values do not line up are reported, not
    placed."""
    placement = {}
    _solve_splits(reads, out.settings)
    for r in reads:
        if r.code is not None and r.sure:
            placement[id(r)] = (r.code, r.how, set())
            if r.left:
                out.unplaced(TABLE, r.code, r.label,
                             f"连在一起的数字有{len(r.left)}种拆分都符合勾稽关系，只读取各拆分相同的单元格",
                             f"its run-together digits split {len(r.left)} ways the arithmetic allows; only the "
                             "cells they all give alike were read", **_readings(r, r.left, out.settings))
        elif r.code is not None and r.options:
            out.unplaced(TABLE, r.code, r.label, f"连在一起的数字有{len(r.options)}种拆分都符合勾稽关系",
                         f"its run-together digits split {len(r.options)} ways the arithmetic allows",
                         **_readings(r, r.options, out.settings))
        elif r.code is not None:
            out.unplaced(TABLE, r.code, r.label, f"{_count(r)}个数值对应{len(r.leaves)}列",
                         f"{_count(r)} values for {len(r.leaves)} columns",
                         **_readings(r, _unsummed(r, out.settings), out.settings))
    sequence = [r.code if r.code is not None else None for r in reads]
    filled = _fill(sequence, _row_orders({r.code for r in reads if r.code}))
    aligned = [(reads[k], code) for k, code in filled.items() if reads[k].sure]
    stray = [r for k, r in enumerate(reads) if r.code is None and (k not in filled or not r.sure)]
    bad = set()
    if aligned:
        context = [c for r in reads if id(r) in placement for c in _cells(r, r.code)]
        new = [c for r, code in aligned for c in _cells(r, code)]
        bad = unconfirmed(new, context)
    kept = []
    for r, code in aligned:
        skip = {lf.code for lf in r.leaves if f"{TABLE}.{code}.{lf.code}" in bad}
        if len(skip) == len(r.leaves):
            stray.append(r)
            continue
        kept.append((r, code))
        placement[id(r)] = (code, "aligned" if r.how == "labelled" else r.how, skip)
        if skip:
            out.unplaced(TABLE, code, "", f"按行顺序定位的行中{'、'.join(sorted(skip))}列的勾稽关系不符，未读取",
                         f"placed by the row order, but the arithmetic does not confirm its {' '.join(sorted(skip))} "
                         "cells: left unread")
    aligned = kept
    split = [r.code or placement.get(id(r), ("",))[0] for r in reads if r.how == "split" and id(r) in placement]
    if split:
        out.flag("extract.split", TABLE, found=" ".join(split),
                 zh=f"申请表以下行的数字连在一起，按唯一满足勾稽关系的拆分读取：{_row_names(split)}",
                 en=f"requests rows whose digits ran together, split the only way the arithmetic allows: {' '.join(split)}")
    if aligned:
        codes = " ".join(code for _, code in aligned)
        out.flag("extract.aligned", TABLE, found=codes,
                 zh=f"申请表中标签丢失的行按国家格式的行顺序定位为：{_row_names(codes.split())}（表内勾稽关系相符）",
                 en=f"requests rows whose labels were lost were placed by the national row order as: {codes} "
                    "(the table's arithmetic confirms it)")
    for r in stray:
        if r.label:
            out.unmatched_label(TABLE, r.label)
    stray = [r for r in stray if not r.label]
    if stray:
        out.unplaced(TABLE, "", "",
                     f"{len(stray)}行数值的标签丢失，无法按行顺序唯一确定或勾稽关系不符",
                     f"{len(stray)} rows whose labels were lost could not be placed by the row order "
                     "for certain, or the table's arithmetic did not confirm it")
    return placement


def _row_names(codes: list) -> str:
    """Rows as an auditor reads them: their labels (不予公开·属于国家秘密), not their codes."""
    return "、".join(L.canonical_label(TABLE, "row", c) for c in codes)


def _solve_splits(reads: list, settings: ExtractSettings) -> None:
    """Rows whose digits split several ways: the one combination the table's arithmetic (balance,
    outcome sums) allows, given every other row. Where several remain, the cells they all agree
    on are read and the others stay unread."""
    # a row with more splits than were kept may have lost the true one: it takes no part
    open_ = [r for r in reads if r.options and r.code is not None and len(r.options) <= settings.max_splits]
    if not open_:
        return
    fixed = [c for r in reads if r.sure and r.code for c in _cells(r, r.code)]

    def build(i, option):
        r = open_[i]
        return [c for c in _cells(_Read(r.code, r.score, r.label, r.leaves, option, True, r.row), r.code)]

    for r, ks in zip(open_, solve([r.options for r in open_], fixed, build, settings)):
        if len(ks) == 1:
            r.placed, r.sure, r.how, r.options = r.options[ks[0]], True, "split", []
            continue
        left = [r.options[k] for k in ks] if ks else r.options
        cells = agreed(left, settings)
        if any(c is not None for c in cells):
            r.placed, r.sure, r.how, r.options, r.left = cells, True, "split", [], left


def _row_orders(codes: set) -> list:
    """The layout's rows in printed order, one order per variant the labelled rows leave open
    (（六） as one row or three): the variant they show where they show one."""
    choices, shown = {}, {}
    for lr in layout.layout_rows():
        if lr.table == TABLE:
            for group, choice in lr.variant:
                choices.setdefault(group, set()).add(choice)
                if lr.row in codes:
                    shown.setdefault(group, set()).add(choice)
    picks = [{}]
    for group in sorted(choices):
        options = shown[group] if len(shown.get(group, ())) == 1 else choices[group]
        picks = [{**p, group: c} for p in picks for c in sorted(options)]
    orders = []
    for pick in picks:
        order = []
        for row in layout.rows_of(TABLE):
            vs = {v for lr in layout.layout_rows() if lr.table == TABLE and lr.row == row for v in lr.variant}
            if all(pick.get(g) == c for g, c in vs):
                order.append(row)
        orders.append(tuple(order))
    return orders


def _fill(sequence: list, orders: list) -> dict:
    """`fill_gaps` under each order the layout allows: a row is placed where every order that
    places it agrees (a stretch of one row where （六） is printed as one row, or of three where
    it is printed as three, fits one variant only)."""
    found = [fill_gaps(sequence, order) for order in orders]
    out = {}
    for k in {k for f in found for k in f}:
        codes = {f[k] for f in found if k in f}
        if len(codes) == 1:
            out[k] = codes.pop()
    return out


def _cells(r: _Read, code: str) -> list:
    return [c for lf, cell in zip(r.leaves, r.placed)
            if (c := make_cell(TABLE, code, lf.code, cell, r.label, "", 1.0)) is not None]


def _readings(r: _Read, options: list, settings: ExtractSettings) -> dict:
    """The run as printed and its readings as cell records, for an unplaced row of a line of
    text (pipeline.dataset.decide may choose between them; none where the search stopped before
    finding them all); nothing for a row of a table."""
    if r.row.run is None:
        return {}
    if len(options) > settings.max_splits:
        options = []
    made = [[make_cell(TABLE, r.code, lf.code, cell, r.label, lf.cell.text if lf.cell else lf.code,
                       min(r.score, lf.score), placement="split") for lf, cell in zip(r.leaves, o)] for o in options]
    return {"raw": r.row.run.strip(), "options": [o for o in made if None not in o]}


def _unsummed(r: _Read, settings: ExtractSettings) -> list:
    """The readings of a line's run without its row's sum (which the report itself may break):
    another form of the report can still say which one is printed. None beyond the bound."""
    if r.row.run is None:
        return []
    _, value_cells = split_label(r.row, None)
    return split_runs(value_cells, len(r.leaves), [], settings, r.row.run, HIDDEN_BLANKS)


def _count(r: _Read) -> int:
    return len([c for c in r.placed if c is not None and c.text.strip()])


def _continues(cut: _Read, leaf: str, parents: list, code, score: float, accept: float) -> bool:
    """Whether this row carries on the cut row before it rather than being a row of its own."""
    if code is None:
        return True
    joined, joined_score = _request_row(cut.label + leaf, parents, accept)
    return joined == cut.code and joined_score >= score


def _looks_like_header(row: Row, accept: float) -> bool:
    """A row of column names (自然人 … 总计), not a data row whose label happens to match."""
    if has_numbers(row):
        return False
    if any(L.match(c.text, L.labels(TABLE, "header"), accept) for c in row.cells):
        return True
    return len(header_leaves([row], TABLE, accept)) >= 2


def _complete_header(leaves) -> bool:
    codes = {l.code for l in leaves or []}
    return {"natural_person", "total"} <= codes and len(codes) >= 6


def _canonical_leaves(score: float) -> list:
    """The national column order, for tables whose header could not be read, with match score
    `score` (ExtractSettings.order_score)."""
    return [Leaf(code, -1, None, score) for code in layout.cols_of(TABLE, optional=False)]


def _request_row(leaf: str, parents: list, accept: float):
    """(row code, score) of a requests row from its own label and its parents' labels, each
    matched at least `accept` well."""
    if not leaf:
        return None, 0.0
    group = None
    for p in parents:
        g = L.match(p, L.labels(TABLE, "group"), accept)
        if g and g.code != "outcome":
            group = g.code
    candidates = L.labels(TABLE, "row", parent=group) if group else L.labels(TABLE, "row")
    m = L.match(leaf, candidates, accept)
    if m is None and group:
        m = L.match(leaf, L.labels(TABLE, "row"), accept)
    return (m.code, m.score) if m else (None, 0.0)
