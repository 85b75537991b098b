"""Table 三 (收到和处理政府信息公开申请情况): rows of requests and outcomes under a header of
applicant columns (自然人, 法人或其他组织 … 总计) that may span several rows.

Row labels are read with their parents (（三）不予公开 over 1.属于国家秘密), labels broken over
two lines are joined, and a row cut by a page break is carried on into the next fragment. When a
column header cannot be read, a column is inferred only where the national order puts it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .. import labels as L
from .. import layout
from ..model import Table
from .collect import Collector, make_cell
from .tables import Leaf, Row, has_numbers, header_leaves, leaf_label, place_values, rows, split_label

TABLE = "requests"


@dataclass
class _Columns:
    """What the requests header said so far: value columns, where they start, rows read."""
    leaves: Optional[list] = None
    first_col: Optional[int] = None
    header_rows: list = None
    inferred: tuple = ()

    def add_header_row(self, row: Row) -> None:
        self.header_rows = (self.header_rows or []) + [row]
        found = header_leaves(self.header_rows, TABLE)
        if _complete_header(found):
            found, self.inferred = _infer_unread(found)
            self.leaves, self.first_col = found, min(l.col for l in found)


def _infer_unread(leaves: list):
    """Fill value columns whose header could not be read (a smudged scan, a typo beyond
    matching) when they sit exactly where the national column order puts the missing codes.
    Returns (leaves, codes inferred)."""
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
        added += [Leaf(code, col, None, 0.5) for code, col in zip(gap_codes, gap_cols)]
    if not added:
        return leaves, ()
    return sorted(leaves + added, key=lambda l: l.col), tuple(l.code for l in added)


def extract_requests(frags: list, out: Collector) -> None:
    cols = _Columns()
    carry = ""        # the label of a row without numbers that matched nothing: maybe half a label
    cut = None        # the row code of a fragment's last row when all its values were blank
    for table in frags:
        for i, row in enumerate(rows(table)):
            label_cells, _ = split_label(row, cols.first_col)
            leaf, parents = leaf_label(label_cells)
            code, score = _request_row(leaf, parents)
            if _looks_like_header(row) or (code is None and not has_numbers(row)):
                cols.add_header_row(row)
                carry = leaf if code is None else ""
                continue
            if code is None and carry:                       # a label broken over two lines
                code, score = _request_row(carry + leaf, parents)
                leaf = carry + leaf
            if cut and has_numbers(row) and _continues(cut, leaf, parents, code, score):
                code, score, leaf = cut[0], cut[1], cut[2] + leaf   # a row cut by a page break,
                out.drop(TABLE, code)                          # or a label on lines of its own
            carry, cut = "", None
            if code is None:
                out.unmatched_label(TABLE, leaf)
                continue
            cols.header_rows = []
            placed = _request_values(table, row, code, score, leaf, cols, out)
            if cols.inferred:
                out.flag("extract.inferred_column", TABLE, found=" ".join(cols.inferred),
                         zh=f"申请表有列标题无法识别，按国家格式的列顺序推定为：{' '.join(cols.inferred)}",
                         en=f"requests table: unreadable column headers taken from the national order: {' '.join(cols.inferred)}")
                cols.inferred = ()
            last_of_fragment = i == table.n_rows - 1
            label_only = table.ragged and len(row.cells) <= len(label_cells)
            if (last_of_fragment or label_only) and all(c is None or not c.text.strip() for c in placed):
                cut = (code, score, leaf)


def _continues(cut: tuple, leaf: str, parents: list, code, score: float) -> bool:
    """Whether this row carries on the cut row before it rather than being a row of its own."""
    if code is None:
        return True
    joined, joined_score = _request_row(cut[2] + leaf, parents)
    return joined == cut[0] and joined_score >= score


def _request_values(table: Table, row: Row, code: str, score: float, leaf: str, cols: _Columns,
                    out: Collector) -> list:
    leaves = cols.leaves
    if leaves is None or (table.ragged and not _complete_header(leaves)):
        leaves = _canonical_leaves()
    _, value_cells = split_label(row, None if table.ragged else cols.first_col)
    placed, sure = place_values(row, value_cells, leaves)
    if not sure:
        out.misaligned(TABLE, code, leaf)
    for lf, cell in zip(leaves, placed):
        out.add(make_cell(TABLE, code, lf.code, cell, leaf, lf.cell.text if lf.cell else lf.code,
                      min(score, lf.score)))
    return placed


def _looks_like_header(row: Row) -> bool:
    """A row of column names (自然人 … 总计), not a data row whose label happens to match."""
    if has_numbers(row):
        return False
    if any(L.match(c.text, L.labels(TABLE, "header")) for c in row.cells):
        return True
    return len(header_leaves([row], TABLE)) >= 2


def _complete_header(leaves) -> bool:
    codes = {l.code for l in leaves or []}
    return {"natural_person", "total"} <= codes and len(codes) >= 6


def _canonical_leaves() -> list:
    """The national column order, for tables whose header could not be read."""
    return [Leaf(code, -1, None, 0.8) for code in layout.cols_of(TABLE, optional=False)]


def _request_row(leaf: str, parents: list):
    """(row code, score) of a requests row from its own label and its parents' labels."""
    if not leaf:
        return None, 0.0
    group = None
    for p in parents:
        g = L.match(p, L.labels(TABLE, "group"))
        if g and g.code != "outcome":
            group = g.code
    candidates = L.labels(TABLE, "row", parent=group) if group else L.labels(TABLE, "row")
    m = L.match(leaf, candidates)
    if m is None and group:
        m = L.match(leaf, L.labels(TABLE, "row"))
    return (m.code, m.score) if m else (None, 0.0)
