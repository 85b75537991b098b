"""Table 四 (政府信息公开行政复议、行政诉讼情况): the national layout is one row of 15 numbers
under a two-level header (行政复议 | 行政诉讼: 未经复议直接起诉, 复议后起诉; each 结果维持 …
总计); some offices print it tall (a row per review / lawsuit kind), or as two tables."""
from __future__ import annotations

from .. import labels as L
from .. import layout
from .collect import Collector, make_cell
from .tables import Leaf, Row, has_numbers, header_leaves, leaf_label, place_values, rows, split_label

TABLE = "review_litigation"


def extract_review(frags: list, out: Collector) -> None:
    header = []
    for table in frags:
        table_rows = rows(table)
        if table_rows and not has_numbers(table_rows[0]):
            header = []        # a table of its own (复议 and 诉讼 are sometimes printed apart)
        for row in table_rows:
            if not has_numbers(row):
                header.append(row)
                continue
            label_cells, value_cells = split_label(row, None)
            leaf, _ = leaf_label(label_cells)
            row_code = L.match(leaf, L.labels(TABLE, "row")) if leaf else None
            if row_code:
                _review_tall(row, row_code, value_cells, header, out)
            else:
                _review_wide(row, value_cells, header, out)


def _review_wide(row: Row, value_cells: list, header: list, out: Collector) -> None:
    """The national layout: one row of 15 numbers under a two-level header (or a part of it,
    when 行政复议 and 行政诉讼 are printed as two tables)."""
    leaves = _with_groups(header_leaves(header, TABLE), header)
    wanted = [(g, c) for g in layout.rows_of(TABLE) for c in layout.cols_of(TABLE)]
    pairs = [(l.group, l.code) for l in leaves]
    readable = bool(leaves) and set(pairs) <= set(wanted) and len(set(pairs)) == len(pairs) \
        and len(leaves) % len(layout.cols_of(TABLE)) == 0
    if not readable:
        out.flag("extract.positional", TABLE,
                 zh="复议诉讼表的表头无法完全识别，按国家格式的列顺序读取",
                 en="the review/litigation header could not be read in full; columns taken in the national order")
        leaves = [Leaf(c, -1, None, 0.8, g) for g, c in wanted]
    placed, sure = place_values(row, value_cells, leaves)
    if not sure:
        out.misaligned(TABLE, "", "")
    for leaf, cell in zip(leaves, placed):
        col_label = leaf.cell.text if leaf.cell else leaf.code
        out.add(make_cell(TABLE, leaf.group, leaf.code, cell, leaf.group, col_label,
                      min(leaf.score, leaf.group_score)))


def _review_tall(row: Row, m, value_cells: list, header: list, out: Collector) -> None:
    """A layout with one row per 复议 / 直接起诉 / 复议后起诉 and five columns."""
    leaves = [l for l in header_leaves(header, TABLE)]
    if [l.code for l in leaves] != list(layout.cols_of(TABLE)):
        leaves = [Leaf(c, -1, None, 0.8) for c in layout.cols_of(TABLE)]
    placed, _ = place_values(row, value_cells, leaves)
    for leaf, cell in zip(leaves, placed):
        out.add(make_cell(TABLE, m.code, leaf.code, cell, m.label.text,
                      leaf.cell.text if leaf.cell else leaf.code, min(m.score, leaf.score)))


def _with_groups(leaves: list, header: list) -> list:
    """Give each column leaf its 复议 / 直接起诉 / 复议后起诉 group from the rows above it.

    The group is the nearest header cell above the leaf that starts at or left of it, which
    holds for spanned grids and for plain-text rows whose group label sits at the first column.
    """
    groups = []
    for row in header:
        for c in row.cells:
            g = L.match(c.text, L.labels(TABLE, "row"))
            if g:
                groups.append((row.index, c, g))
    for leaf in leaves:
        above = [(r, c, g) for r, c, g in groups if r < leaf.cell.row and c.col <= leaf.col]
        if above:
            r, c, g = max(above, key=lambda x: (x[0], x[1].col))
            leaf.group, leaf.group_score = g.code, g.score
    return leaves
