"""Table 二 (主动公开政府信息情况): a sequence of small sub-tables, each a header row of value
columns (本年制发件数 …) over rows of items (规章, 行政许可 …).

Some reports (and converters) print a sub-table as lines of text — a header line
"信息内容 本年处理决定数量" and rows "行政许可 0" — so the text blocks of the table's region are
read as rows too, when they look like one: a header, or an item label followed by values.
"""
from __future__ import annotations

from .. import labels as L
from ..model import Table
from ..values import amount_factor
from .collect import Collector, make_cell
from .tables import Row, has_numbers, header_leaves, place_values, rows, text_row

TABLE = "active"


def extract_active(region: list, out: Collector) -> None:
    header = None        # list of Leaf for the current sub-table
    for item in region:
        if isinstance(item, Table):
            for row in rows(item):
                header = _read_row(row, header, out, printed=True)
        else:
            header = _read_row(text_row(item), header, out, printed=False)


def _read_row(row: Row, header, out: Collector, printed: bool):
    """Read one row under the current header; returns the header for the rows after it.
    A line of text (`printed=False`) counts only when it is a header or a labelled row."""
    label_cells, value_cells = _split(row)
    text = label_cells[0].text if label_cells else ""
    m = L.match(text, L.labels(TABLE, "row")) if text.strip() else None
    if m and header is not None and (printed or has_numbers(row)):
        _row(row, m, value_cells, header, out)
        return header
    leaves = header_leaves([row], TABLE)
    if leaves and not has_numbers(row):
        return leaves
    if printed and has_numbers(row) and text.strip() and not m:
        out.unmatched_label(TABLE, text)
    return header


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
        out.unplaced(TABLE, m.code, row.cells[0].text,
                     f"{len([c for c in value_cells if c.text.strip()])}个数值对应{len(header)}列",
                     f"{len([c for c in value_cells if c.text.strip()])} values for {len(header)} columns")
        return
    for leaf, cell in zip(header, placed):
        factor = amount_factor(leaf.cell.text) if leaf.code == "amount" else 1.0
        out.add(make_cell(TABLE, m.code, leaf.code, cell, row.cells[0].text, leaf.cell.text,
                          min(m.score, leaf.score), factor))
