"""Table 二 (主动公开政府信息情况): a sequence of small sub-tables, each a header row of value
columns (本年制发件数 …) over rows of items (规章, 行政许可 …).

Some reports (and converters) print a sub-table as lines of text — a header line
"信息内容 本年处理决定数量" and rows "行政许可 0" — so the text blocks of the table's region are
read as rows too, when they look like one: a header, or an item label followed by values. The
words of such a line may run together ("信息内容本年新制作数量本年新公开数量…", "行政许可无 0 0"):
a header line is read when it is nothing but column names, a row when its label is followed by
nothing but values.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.core.model import Cell, Table
from pipeline.core.values import amount_factor, parse
from pipeline.extract.collect import Collector, make_cell
from pipeline.extract.tables import Row, has_numbers, header_leaves, place_values, rows, text_row
from pipeline.formats import labels as L

TABLE = "active"


def extract_active(region: list, out: Collector) -> None:
    header = None        # list of Leaf for the current sub-table
    for item in region:
        if isinstance(item, Table):
            for row in rows(item):
                header = _read_row(row, header, out, printed=True)
        else:
            header = _read_row(_text_line(item), header, out, printed=False)


def _text_line(block) -> Row:
    """A line of text as a row of 表二 (`text_row`), with a header line's column names taken
    apart where they run together ("信息内容本年新制作数量本年新公开数量对外公开总数量", as
    converters and text copies that drop the spaces between words leave them)."""
    row = text_row(block)
    if row.cells and not has_numbers(row):
        words = _header_words(block.text)
        if words:
            table = Table(cells=[Cell(text=w, row=0, col=k, page=block.page, bbox=block.bbox)
                                 for k, w in enumerate(words)], page=block.page, bbox=block.bbox, ragged=True)
            return Row(table, 0, list(table.cells))
    return row


@lru_cache(maxsize=1)
def _column_words() -> tuple:
    """The printed names of 表二's item column and value columns, longest first."""
    words = {unicodedata.normalize("NFKC", l.text) for l in L.labels(TABLE, "col") + L.labels(TABLE, "header")}
    return tuple(sorted(words, key=len, reverse=True))


def _header_words(text: str):
    """The column names a header line is made of, exactly and nothing else, or None."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    item = unicodedata.normalize("NFKC", L.labels(TABLE, "header")[0].text)
    if not flat.startswith(item):
        return None
    words, pos = [], 0
    while pos < len(flat):
        word = next((w for w in _column_words() if flat.startswith(w, pos)), None)
        if word is None:
            return None
        words.append(word)
        pos += len(word)
    return words if len(words) >= 2 else None


def _read_row(row: Row, header, out: Collector, printed: bool):
    """Read one row under the current header; returns the header for the rows after it.
    A line of text (`printed=False`) counts only when it is a header or a labelled row of values
    (numbers, or a short value in every column: see `_values_line`)."""
    label_cells, value_cells = _split(row, out.settings.label_accept)
    text = label_cells[0].text if label_cells else ""
    accept = out.settings.label_accept
    m = L.match(text, L.labels(TABLE, "row"), accept) if text.strip() else None
    if m and header is not None and (printed or has_numbers(row) or _values_line(value_cells, header, m)):
        _row(row, m, value_cells, header, out)
        return header
    leaves = header_leaves([row], TABLE, accept)
    if leaves and not has_numbers(row):
        return leaves
    if printed and has_numbers(row) and text.strip() and not m:
        out.unmatched_label(TABLE, text)
    return header


def _values_line(value_cells: list, header: list, m) -> bool:
    """A line of text without numbers that is still a row: a value for every column, each an na
    mark ("规章 无 - —") or, after an item's exact label, a short text ("行政许可 详见附件")."""
    values = [c for c in value_cells if c.text.strip()]
    if len(values) != len(header):
        return False
    return all(parse(c.text).kind == "na" or (m.score >= 1.0 and len(c.text.strip()) <= MAX_TEXT_VALUE)
               for c in values)


MAX_TEXT_VALUE = 12     # characters: a text value in a line of text (详见附件), not prose


def _split(row: Row, accept: float):
    """(label cells, value cells): the first non-empty cell is the item, unless it is a header."""
    cells = [c for c in row.cells if c.text.strip() or row.table.ragged]
    if not cells:
        return [], []
    first = cells[0]
    is_column = L.match(first.text, L.labels(TABLE, "col"), accept)
    if is_column and not L.match(first.text, L.labels(TABLE, "row"), accept):
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
