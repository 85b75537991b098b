"""Format-blind views of a model Table: rows of distinct cells, header leaves, value alignment.

Everything here works on the document model only. Grid tables (PDF, HTML, DOCX, OCR) place
values by column; `ragged` tables (plain text) only by order, so their value fields are
aligned by count (`align_by_count`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline.core.model import Cell, Table
from pipeline.core.values import na_marks, parse
from pipeline.formats import labels as L


@dataclass
class Row:
    """One grid row: its distinct cells left to right (a spanned cell appears once)."""
    table: Table
    index: int
    cells: list
    run: Optional[str] = None     # a line of text: its values as printed, spaces and all (`text_row`)
    labels: Optional[int] = None  # ... and how many of its cells are its label

    def texts(self) -> list:
        return [c.text for c in self.cells]


@dataclass
class Leaf:
    """A column header that names a value column: its code and where it sits."""
    code: str
    col: int
    cell: Cell
    score: float
    group: Optional[str] = None   # e.g. review_litigation row code for the wide review table
    group_score: float = 1.0
    table: Optional[Table] = None  # the table the header cell is in (None: a column taken by order)


def rows(table: Table) -> list:
    grid = table.grid()
    out = []
    for r, line in enumerate(grid):
        seen, cells = set(), []
        for c in line:
            if c is not None and id(c) not in seen:
                seen.add(id(c))
                cells.append(c)
        out.append(Row(table, r, cells))
    return out


def is_value_text(text: str) -> bool:
    """A cell that holds a value (number, na marker) rather than a label."""
    return parse(text).kind in ("number", "na")


def has_numbers(row: Row) -> bool:
    """A row with a number in it — or a line of text ending in a run of values with digits in it
    (`Row.run`), though its run-together digits may not read as one number ("8838…21,074")."""
    return any(parse(c.text).kind == "number" for c in row.cells) or \
        (row.run is not None and any(ch.isdigit() for ch in row.run))


def split_label(row: Row, first_value_col: Optional[int]):
    """(label cells, value cells) of a row.

    With a known first value column (grid tables) the split is by position; otherwise the label
    is every cell up to the last one that is non-empty text rather than a value.
    """
    if first_value_col is not None and not row.table.ragged:
        label = [c for c in row.cells if c.col < first_value_col]
        value = [c for c in row.cells if c.col >= first_value_col]
        return label, value
    if row.labels is not None:        # a line of text whose label and run of values are known
        return row.cells[:row.labels], row.cells[row.labels:]
    last = -1
    for i, c in enumerate(row.cells):
        if c.text.strip() and not is_value_text(c.text):
            last = i
    return row.cells[: last + 1], row.cells[last + 1:]


def leaf_label(label_cells: list):
    """(leaf text, parent texts): the rightmost non-empty label is the row's own label."""
    texts = [c.text for c in label_cells if c.text and c.text.strip()]
    if not texts:
        return "", []
    return texts[-1], texts[:-1]


def header_leaves(header_rows: list, table_code: str, accept: float) -> list:
    """Value-column headers found in `header_rows`, left to right; a header matches a column's
    label at least `accept` well (ExtractSettings.label_accept).

    A header cell naming a column code is a leaf unless another such cell sits below it within
    its span (法人或其他组织 over 商业企业 … is a parent, not a column).
    """
    found, seen = [], set()
    for row in header_rows:
        for c in row.cells:
            if id(c) in seen:
                continue
            seen.add(id(c))
            m = L.match(c.text, L.labels(table_code, "col"), accept)
            if m:
                found.append((row.index, c, m))
    leaves = []
    for r, c, m in found:
        below = [c2 for r2, c2, _ in found
                 if r2 > r and c2 is not c and c.col <= c2.col < c.col + c.colspan]
        if not below:
            leaves.append(Leaf(m.code, c.col, c, m.score, table=_table_of(header_rows, c)))
    # two leaves on one column: keep the lower one (the more specific header)
    by_col = {}
    for leaf in leaves:
        if leaf.col not in by_col or leaf.cell.row > by_col[leaf.col].cell.row:
            by_col[leaf.col] = leaf
    leaves = list(by_col.values())
    leaves.sort(key=lambda l: l.col)
    return leaves


def _table_of(header_rows: list, cell: Cell):
    return next((r.table for r in header_rows if any(c is cell for c in r.cells)), None)


def text_row(block) -> Row:
    """A line of text read as a table row: its whitespace-separated fields as cells of a one-row
    ragged table ("行政许可 0", "规章 5 1 27"). Some reports and converters print tables so.

    Where the line is a label followed by nothing but values — digits, thousands separators,
    signs, na marks (/ — 无) and spaces — the label is that part up to its last word, however
    the values are glued to it or to each other ("行政许可无 0 0", "（一）予以公开5/////5"); the
    values are then the digit groups and the single na marks of that run, and the run itself, as
    printed, is kept on the row (`Row.run`) for a reader that has to cut run-together cells."""
    m = _label_run().match(block.text.strip())
    if m:
        fields = m.group(1).split() + [t for f in m.group(2).split() for t in _value_tokens(f)]
    else:
        fields = [part for f in block.text.split() for part in _label_and_digits(f)]
    table = Table(cells=[Cell(text=f, row=0, col=k, page=block.page, bbox=block.bbox)
                         for k, f in enumerate(fields)], page=block.page, bbox=block.bbox, ragged=True)
    return Row(table, 0, list(table.cells), run=m.group(2) if m else None,
               labels=len(m.group(1).split()) if m else None)


_GLUED = re.compile(r"^(.*[\u4e00-\u9fff）)”\"])(\d+)$")


def _printed(marks: str) -> str:
    """Na marks (of data/na_marks.csv) as the inside of a character class, with the full-width
    forms of the ASCII ones (／ for /), as printed text has them too."""
    wide = "".join(chr(ord(c) + 0xFEE0) for c in marks if "!" <= c <= "~")
    return "".join(re.escape(c) for c in marks + wide)


@lru_cache(maxsize=1)
def _label_run() -> re.Pattern:
    """A label, then a run of values: digits, thousands separators, signs, na marks and spaces
    (a label never ends in a mark that is a word's character: 无)."""
    run = f"0-9０-９,+\\-－{_printed(na_marks().in_run)}\\s"
    wordlike = "".join(re.escape(c) for c in na_marks().in_run if "\u4e00" <= c <= "\u9fff")
    not_a_mark = f"(?<![{wordlike}])" if wordlike else ""
    return re.compile(rf"^(.*[\u4e00-\u9fff）)”\"]){not_a_mark}([{run}]*[0-9０-９][{run}]*)$")


_TOKEN = re.compile(r"^[+\-－]?[0-9０-９][0-9０-９,]*|[0-9０-９][0-9０-９,]*|.")


def _label_and_digits(field: str) -> list:
    """'数量52100053' → ['数量', '52100053']: a label with its numbers glued to it."""
    m = _GLUED.match(field)
    return [m.group(1), m.group(2)] if m else [field]


def _value_tokens(field: str) -> list:
    """A field of a run of values as its digit groups and single marks: '30/—无//34' →
    ['30', '/', '—', '无', '/', '/', '34']; a field that is all one dash ('——') is one mark."""
    if re.fullmatch(rf"([{_printed(na_marks().dashes)}])\1*", field):
        return [field]
    return [m.group(0) for m in _TOKEN.finditer(field)]


def align_by_count(values: list, n: int):
    """Value fields of a ragged row aligned to `n` columns: (cells or None per column, sure).

    Exporters add empty fields on either side of the values; they are dropped from the end
    first, then from the front. A row with fewer fields than columns cannot be placed for
    certain: it is padded at the end and reported unsure.
    """
    vals = list(values)
    while len(vals) > n and not vals[-1].text.strip():
        vals.pop()
    while len(vals) > n and not vals[0].text.strip():
        vals.pop(0)
    if len(vals) == n:
        return vals, True
    if len(vals) > n:
        return vals[-n:], False
    return vals + [None] * (n - len(vals)), False


def place_values(row: Row, value_cells: list, leaves: list):
    """Each leaf's cell in this row: (list of Cell|None aligned with leaves, sure?).

    By grid column where the header's columns are this table's; by count where there is no
    geometry to go by (ragged rows, columns taken by order, a header printed as a table of its
    own with other columns) — and then only a full row is sure."""
    if row.table.ragged:
        return align_by_count(value_cells, len(leaves))
    if len(value_cells) == len(leaves):
        return list(value_cells), True
    if any(l.cell is None or (l.table is not None and l.table is not row.table
                              and l.table.n_cols != row.table.n_cols) for l in leaves):
        return align_by_count(value_cells, len(leaves))
    by_col = {}
    for c in value_cells:
        for k in range(c.col, c.col + c.colspan):
            by_col[k] = c
    placed = [by_col.get(l.col) for l in leaves]
    shared = len({id(c) for c in placed if c is not None}) < len([c for c in placed if c is not None])
    return placed, not shared
