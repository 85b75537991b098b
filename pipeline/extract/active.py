"""Table 二 (主动公开政府信息情况): a sequence of small sub-tables, each a header row of value
columns (本年制发件数 …) over rows of items (规章, 行政许可 …).

Some reports (and converters) print a sub-table as lines of text — a header line
"信息内容 本年处理决定数量" and rows "行政许可 0" — so the text blocks of the table's region are
read as rows too, when they look like one: a header, or an item label followed by values. The
words of such a line may run together ("信息内容本年新制作数量本年新公开数量…", "行政许可无 0 0"):
a header line is read when it is nothing but column names, a row when its label is followed by
nothing but values.

A site archive's text copy runs a row's cells together as well ("规章000", "行政许可20+180"):
such a row is read the ways its run of values can be cut into the header's columns (a number
has no leading zero; only 本年增/减 carries a sign; an amount ends the row, with its unit), and
only a reading that is the only one is taken. Table 二 has no sums of its own, so a row that
reads several ways keeps the cells every reading gives alike and is reported with its run as
printed and its readings (extract.unplaced): the office's neighbouring years or another form of
the same report may decide it (pipeline.dataset.decide), nothing here guesses.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.core.model import Cell, Table
from pipeline.core.values import amount_factor, na_marks, parse
from pipeline.extract.align import read_run
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
        elif not (header is not None and _run_row(item, header, out)):
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


# -- a row whose cells ran together on a line of text ------------------------------------------

_SEPARATED = re.compile(r"[ \t\u3000]")     # a separator; a no-break space is a blank cell's &nbsp;
_AMOUNT = re.compile(r"(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.[0-9]+)?(?:万元|元)?")


@lru_cache(maxsize=1)
def _row_words() -> tuple:
    """The printed labels of 表二's items, longest first (行政规范性文件 before 规范性文件)."""
    return tuple(sorted({unicodedata.normalize("NFKC", l.text) for l in L.labels(TABLE, "row")},
                        key=len, reverse=True))


def _label_and_run(text: str):
    """(item label, the rest) of a line that starts with an item's label and goes on with
    nothing but values: digits, signs, separators, na marks, decimals, a unit, spaces; else None."""
    flat = unicodedata.normalize("NFKC", text).strip()
    label = next((w for w in _row_words() if flat.startswith(w)), None)
    if label is None:
        return None
    rest = text.strip()[len(label):]          # NFKC keeps these labels' length
    marks = na_marks().in_run
    body = unicodedata.normalize("NFKC", rest).replace("万元", "").replace("元", "")
    if not any(ch.isdigit() or ch in marks for ch in body) or any(
            not (ch.isdigit() or ch in ",.+" or ch in marks or ch.isspace()) for ch in body):
        return None
    return label, rest


def _run_row(block, header: list, out: Collector) -> bool:
    """Read a line that is an item's label and its values, however they run together; False
    when the line is not one (the other readings of a line then try it). Where a space parts
    the values, each field is one cell: only a row with a field for every column is read here."""
    found = _label_and_run(block.text)
    if found is None:
        return False
    label, rest = found
    m = L.match(label, L.labels(TABLE, "row"), out.settings.label_accept)
    if m is None:
        return False
    codes = [leaf.code for leaf in header]
    if _SEPARATED.search(rest.strip()) or len(codes) == 1:    # each field is one cell
        fields = rest.split()
        if len(fields) != len(codes) or not all(_fits(f, code) for f, code in zip(fields, codes)):
            return False                        # a cell missing (pulled out of the table): not placed here
        for c in _cells(block, label, m, header, fields, "labelled"):
            out.add(c)
        return True
    made = [_cells(block, label, m, header, texts, "split") for texts in _readings(rest, codes, out.settings)]
    if len(made) == 1:
        for c in made[0]:
            out.add(c)
        return True
    for c in _agreed(made):
        out.add(c)
    if made:
        why = (f"连在一起的数值有{len(made)}种读法", f"its run-together values read {len(made)} ways")
    else:
        why = (f"连在一起的数值无法读作{len(codes)}列", f"its run-together values do not read as {len(codes)} columns")
    out.unplaced(TABLE, m.code, label, *why, raw=rest.strip(),
                 options=made if len(made) <= out.settings.max_splits else ())
    out.locate(TABLE, m.code, codes)
    return True


def _fits(text: str, code: str) -> bool:
    """Whether one field can be the cell of column `code`: a number (signed only in 本年增/减, a
    unit only in an amount) or an na mark."""
    v = parse(text)
    if v.kind == "na":
        return True
    flat = unicodedata.normalize("NFKC", text)
    if v.kind != "number" or (flat[:1] in "+-" and code != "change"):
        return False
    return code == "amount" or not v.unit


def _readings(rest: str, codes: list, settings) -> list:
    """The ways a run of values reads as the cells of `codes` (lists of cell texts): the last
    cell an amount where the column is one (a decimal, a unit), a sign only in 本年增/减."""
    signed = frozenset(k for k, c in enumerate(codes) if c == "change")
    if codes[-1] != "amount":
        return _values_of(rest, len(codes), signed, settings)
    out = []
    for k in range(len(rest)):
        tail = rest[k:].strip()
        if not tail or not (_AMOUNT.fullmatch(unicodedata.normalize("NFKC", tail)) or parse(tail).kind == "na"):
            continue
        head = rest[:k]
        if len(codes) == 1:
            if not head.strip():
                out.append([tail])
            continue
        out += [texts + [tail] for texts in _values_of(head, len(codes) - 1, signed, settings)]
    return out


def _values_of(run: str, parts: int, signed: frozenset, settings) -> list:
    """`read_run` of a run of counts, and of a run of na marks only (no digit in it)."""
    if any(ch.isdigit() for ch in unicodedata.normalize("NFKC", run)):
        return read_run(run, parts, [], settings, signed)
    marks = [ch for ch in run if not ch.isspace()]
    return [marks] if len(marks) == parts else []


def _cells(block, label: str, m, header: list, texts: list, placement: str) -> list:
    """The cell records of one reading of a row."""
    out = []
    for k, (leaf, text) in enumerate(zip(header, texts)):
        factor = amount_factor(leaf.cell.text) if leaf.code == "amount" else 1.0
        cell = Cell(text=text, row=0, col=k + 1, page=block.page, bbox=block.bbox)
        out.append(make_cell(TABLE, m.code, leaf.code, cell, label, leaf.cell.text, min(m.score, leaf.score),
                             factor, placement=placement))
    return out


def _agreed(readings: list) -> list:
    """The cells every reading of a row gives alike (as printed)."""
    if not readings:
        return []
    return [cells[0] for cells in zip(*readings) if all(c.raw == cells[0].raw for c in cells)]
