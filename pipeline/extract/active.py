"""Table 二 (主动公开政府信息情况): a sequence of small sub-tables, each a header row of value
columns (本年制发件数 …) over rows of items (规章, 行政许可 …)."""
from __future__ import annotations

from .. import labels as L
from ..values import amount_factor
from .collect import Collector, make_cell
from .tables import Row, has_numbers, header_leaves, place_values, rows

TABLE = "active"


def extract_active(frags: list, out: Collector) -> None:
    header = None        # list of Leaf for the current sub-table
    for table in frags:
        for row in rows(table):
            label_cells, value_cells = _split(row)
            text = label_cells[0].text if label_cells else ""
            m = L.match(text, L.labels(TABLE, "row")) if text.strip() else None
            if m and header is not None:
                _row(row, m, value_cells, header, out)
                continue
            leaves = header_leaves([row], TABLE)
            if leaves and not has_numbers(row):
                header = leaves
            elif has_numbers(row) and text.strip() and not m:
                out.unmatched_label(TABLE, text)


def _split(row: Row):
    """(label cells, value cells): the first non-empty cell is the item, unless it is a header."""
    cells = [c for c in row.cells if c.text.strip() or row.table.ragged]
    if not cells:
        return [], []
    first = cells[0]
    if L.match(first.text, L.labels(TABLE, "col")) and not L.match(first.text, L.labels(TABLE, "row")):
        return [], row.cells
    return [first], [c for c in row.cells if c is not first and c.col > first.col]


def _row(row: Row, m, value_cells: list, header: list, out: Collector) -> None:
    placed, sure = place_values(row, value_cells, header)
    if not sure:
        out.misaligned(TABLE, m.code, row.cells[0].text)
    for leaf, cell in zip(header, placed):
        factor = amount_factor(leaf.cell.text) if leaf.code == "amount" else 1.0
        out.add(make_cell(TABLE, m.code, leaf.code, cell, row.cells[0].text, leaf.cell.text,
                          min(m.score, leaf.score), factor))
