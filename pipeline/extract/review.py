"""Table 四 (政府信息公开行政复议、行政诉讼情况): the national layout is one row of 15 numbers
under a two-level header (行政复议 | 行政诉讼: 未经复议直接起诉, 复议后起诉; each 结果维持 …
总计); some offices print it tall (a row per review / lawsuit kind), or as two or three tables,
each under a sub-heading of its own. A row whose header cannot be read is taken in the national
column order only where the row sums confirm it (pipeline/extract/align.py): a row whose sum
does not hold is left unread, the others are read."""
from __future__ import annotations

from pipeline.core.model import Table
from pipeline.core.options import ExtractSettings
from pipeline.core.values import parse
from pipeline.extract.align import agreed, row_sums, split_runs, unconfirmed
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

TABLE = "review_litigation"


def extract_review(region: list, out: Collector) -> None:
    header, group = [], None
    accept = out.settings.label_accept
    for item in region:
        if not isinstance(item, Table):
            row = text_row(item)
            if has_numbers(row):
                _text_line(row, out)
            else:
                group = _sub_heading(item.text, accept) or group  # 行政复议 / 行政诉讼（复议后起诉）over a table
            continue
        table_rows = rows(item)
        if table_rows and not has_numbers(table_rows[0]):
            header = []        # a table of its own (复议 and 诉讼 are sometimes printed apart)
        for row in table_rows:
            if not has_numbers(row):
                header.append(row)
                continue
            label_cells, value_cells = split_label(row, None)
            leaf, _ = leaf_label(label_cells)
            row_code = L.match(leaf, L.labels(TABLE, "row"), accept) if leaf else None
            if row_code:
                _review_tall(row, row_code, value_cells, header, out)
            else:
                _review_wide(row, value_cells, header, group, out)


def _text_line(row: Row, out: Collector) -> None:
    """A line of text with numbers: one row of the tall layout ("行政复议 1 0 0 1 2"), or the
    whole table with its digits run together after its header's words ("…总计1202502…")."""
    settings = out.settings
    label_cells, value_cells = split_label(row, None)
    leaf, _ = leaf_label(label_cells)
    named = leaf and not _holds_header(leaf)
    m = L.match(leaf, L.labels(TABLE, "row"), settings.label_accept) if named else None
    values = [c for c in value_cells if c.text.strip()]
    if m and len(values) == len(layout.cols_of(TABLE)):
        _review_tall(row, m, value_cells, [], out)
        return
    wanted = [(g, c) for g in layout.rows_of(TABLE) for c in layout.cols_of(TABLE)]
    how = "aligned" if len(values) == len(wanted) and all(parse(c.text).kind != "text" for c in values) else "split"
    cells, broken, options = ((values, [], [values]) if how == "aligned"
                              else _review_split(values, wanted, settings, row.run))
    made = [make_cell(TABLE, g, c, cell, g, c, settings.aligned_score, placement=how)
            for (g, c), cell in zip(wanted, cells) if cell is not None]
    raw = row.run.strip() if row.run is not None else " ".join(c.text for c in values)
    if how == "aligned":      # one value per cell: a row whose sum the report broke is set aside alone
        bad = unconfirmed(list(made), [])
        broken = sorted({m.row_code for m in made if m.code in bad}, key=layout.rows_of(TABLE).index)
        made = [m for m in made if m.row_code not in broken]
    if made and not unconfirmed(list(made), []):
        for m in made:
            out.add(m)
        read = sorted({m.row_code for m in made}, key=layout.rows_of(TABLE).index)
        out.flag(f"extract.{how}", TABLE, found=" ".join(read),
                 zh="复议诉讼表以一行数字印出，按国家格式的列顺序读取，所读各行合计相符",
                 en="the review/litigation table is printed as one line of numbers; read in the national "
                    "column order, the sum of every row read holds")
        for g in broken:
            readings = _row_readings(g, wanted, options, how, settings)
            if how == "aligned":
                out.unplaced(TABLE, g, "", "按国家格式的列顺序读取时该行合计不符",
                             "read in the national column order, this row's sum does not hold",
                             raw=raw, options=readings)
            else:
                out.unplaced(TABLE, g, "", "该行合计在任何拆分下都不成立，未读取",
                             "its sum holds under no split of the digits: left unread", raw=raw, options=readings)
        for g in layout.rows_of(TABLE):
            if g not in broken and any(cell is None for (r, _), cell in zip(wanted, cells) if r == g):
                readings = _row_readings(g, wanted, options, how, settings)
                out.unplaced(TABLE, g, "", f"连在一起的数字有{len(readings)}种拆分都符合各行合计，只读取各拆分相同的单元格",
                             f"its run-together digits split {len(readings)} ways every row sum allows; only the "
                             "cells they all give alike were read", raw=raw, options=readings)
        return
    out.unplaced(TABLE, "", "", f"{len(values)}段数字，无法按国家格式唯一读作{len(wanted)}个数",
                 f"{len(values)} runs of digits that do not read as its {len(wanted)} numbers one way only", raw=raw)


def _holds_header(text: str) -> bool:
    """Whether a label holds the table's column names (结果维持 … 总计): the whole header run
    together before the numbers, which names 行政复议 too but is no row of the tall layout."""
    key = L.normalize(text)
    return any(l.key and l.key in key for l in L.labels(TABLE, "col") if len(l.key) >= 2)


def _review_split(values: list, wanted: list, settings: ExtractSettings, run=None):
    """Run-together digits (or a line's run of values, `run`) read as the 15 cells: (cells, rows
    set aside). A cell is read when every split whose row sums hold gives it alike. A row whose
    sum holds under no split at all (the report's own error: 总计 left 0) cannot confirm a split
    and is set aside, its cells unread; when every row's sum can hold alone but not all together,
    nothing is read."""
    cols = layout.cols_of(TABLE)
    codes = [f"{g}.{c}" for g, c in wanted]
    sums = {}
    for g in layout.rows_of(TABLE):
        for t, parts in row_sums(TABLE, list(cols)):
            base = codes.index(f"{g}.{cols[0]}")
            sums[g] = (base + t, [base + p for p in parts])
    options = split_runs(values, len(codes), list(sums.values()), settings, run)
    broken = []
    if not options:
        broken = [g for g, s in sums.items() if not split_runs(values, len(codes), [s], settings, run)]
        if broken:
            kept = [s for g, s in sums.items() if g not in broken]
            options = split_runs(values, len(codes), kept, settings, run)
    cells = agreed(options, settings)
    if not cells:
        return [None] * len(codes), [], []
    return [None if wanted[k][0] in broken else c for k, c in enumerate(cells)], broken, options


def _row_readings(g: str, wanted: list, options: list, how: str, settings: ExtractSettings) -> list:
    """The distinct readings of row `g` among the splits of the whole line, as cell records
    (none where the splits were too many to have them all)."""
    if len(options) > settings.max_splits:
        return []
    out, seen = [], set()
    for option in options:
        cells = [make_cell(TABLE, r, c, cell, r, c, settings.aligned_score, placement=how)
                 for (r, c), cell in zip(wanted, option) if r == g]
        key = tuple(c.raw for c in cells)
        if key not in seen:
            seen.add(key)
            out.append(cells)
    return out


def _sub_heading(text: str, accept: float):
    """The review/litigation row a short line of text names on its own (a sub-heading)."""
    if len(text) > 20 or any(ch.isdigit() for ch in text):
        return None
    return L.match(text, L.labels(TABLE, "row"), accept)


def _review_wide(row: Row, value_cells: list, header: list, group, out: Collector) -> None:
    """The national layout: one row of 15 numbers under a two-level header (or a part of it,
    when 行政复议 and 行政诉讼 are printed as tables of their own, under a sub-heading or not)."""
    settings = out.settings
    leaves = _with_groups(header_leaves(header, TABLE, settings.label_accept), header, settings.label_accept)
    if group is not None and leaves and all(l.group is None for l in leaves):
        for leaf in leaves:
            leaf.group, leaf.group_score = group.code, group.score
    wanted = [(g, c) for g in layout.rows_of(TABLE) for c in layout.cols_of(TABLE)]
    pairs = [(l.group, l.code) for l in leaves]
    readable = bool(leaves) and set(pairs) <= set(wanted) and len(set(pairs)) == len(pairs) \
        and len(leaves) % len(layout.cols_of(TABLE)) == 0
    placement = "labelled"
    if not readable:
        leaves = [Leaf(c, -1, None, settings.aligned_score, g) for g, c in wanted]
        placement = "aligned"
    placed, sure = place_values(row, value_cells, leaves)
    if not sure:
        out.unplaced(TABLE, "", "", f"{len(value_cells)}个数值，表头无法识别",
                     f"{len(value_cells)} values under a header that could not be read")
        return
    cells = [make_cell(TABLE, leaf.group, leaf.code, cell, leaf.group, leaf.cell.text if leaf.cell else leaf.code,
                       min(leaf.score, leaf.group_score), placement=placement)
             for leaf, cell in zip(leaves, placed)]
    cells = [c for c in cells if c is not None]
    if placement == "aligned":
        bad = unconfirmed([c for c in cells], [])
        kept = [c for c in cells if f"{TABLE}.{c.row_code}.{c.col_code}" not in bad]
        if not kept:
            out.unplaced(TABLE, "", "", "按国家格式的列顺序读取时各行合计不符",
                         "read in the national column order, its row sums do not hold")
            return
        for row in sorted({c.row_code for c in cells if c not in kept}):
            out.unplaced(TABLE, row, "", "按国家格式的列顺序读取时该行合计不符",
                         "read in the national column order, this row's sum does not hold")
        cells = kept
        out.flag("extract.aligned", TABLE, found=" ".join(sorted({c.row_code for c in kept}, key=layout.rows_of(TABLE).index)),
                 zh="复议诉讼表的表头无法完全识别，按国家格式的列顺序读取，所读各行合计相符",
                 en="the review/litigation header could not be read in full; its columns were taken in "
                    "the national order, and the sum of every row read holds")
    for c in cells:
        out.add(c)


def _review_tall(row: Row, m, value_cells: list, header: list, out: Collector) -> None:
    """A layout with one row per 复议 / 直接起诉 / 复议后起诉 and five columns."""
    leaves = [l for l in header_leaves(header, TABLE, out.settings.label_accept)]
    if [l.code for l in leaves] != list(layout.cols_of(TABLE)):
        leaves = [Leaf(c, -1, None, out.settings.order_score) for c in layout.cols_of(TABLE)]
    placed, _ = place_values(row, value_cells, leaves)
    for leaf, cell in zip(leaves, placed):
        out.add(make_cell(TABLE, m.code, leaf.code, cell, m.label.text,
                      leaf.cell.text if leaf.cell else leaf.code, min(m.score, leaf.score)))


def _with_groups(leaves: list, header: list, accept: float) -> list:
    """Give each column leaf its 复议 / 直接起诉 / 复议后起诉 group from the rows above it.

    The group is the nearest header cell above the leaf that starts at or left of it, which
    holds for spanned grids and for plain-text rows whose group label sits at the first column.
    """
    groups = []
    for row in header:
        for c in row.cells:
            g = L.match(c.text, L.labels(TABLE, "row"), accept)
            if g:
                groups.append((row.index, c, g))
    for leaf in leaves:
        above = [(r, c, g) for r, c, g in groups if r < leaf.cell.row and c.col <= leaf.col]
        if above:
            r, c, g = max(above, key=lambda x: (x[0], x[1].col))
            leaf.group, leaf.group_score = g.code, g.score
    return leaves
