"""The three standard tables of a report → canonical cells (table, row, col) with provenance.

Tables are recognised by their labels, wherever they sit; the fragments of one table split
across pages are joined; each fragment's header gives its value columns. The format version
(2019 or 2021) is read from which labels the tables use, never from the year.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import data
from . import labels as L
from .model import Cell, Document, Table
from .ocr import LOW_CONFIDENCE
from .tables import (Leaf, Row, has_numbers, header_leaves, leaf_label, place_values, rows,
                     split_label)
from .values import amount_factor, parse

STANDARD = ("active", "requests", "review_litigation")
CLASSIFY_SCORE = 0.85


@dataclass
class Extracted:
    table: str
    row: str
    col: str
    kind: str
    value: Optional[float]
    raw: str
    page: int
    bbox: Optional[tuple]
    grid_row: int
    grid_col: int
    row_label: str
    col_label: str
    match_score: float
    ocr_confidence: Optional[float] = None
    low_confidence: bool = False


@dataclass
class Flag:
    rule: str
    where: str
    severity: str          # error | warning | unverifiable
    expected: str = ""
    found: str = ""
    message_zh: str = ""
    message_en: str = ""


@lru_cache(maxsize=1)
def layout() -> dict:
    """{(format, table, row): [cols]} of the active table, from data/layout.csv."""
    return {(r["format"], r["table"], r["row"]): r["cols"].split() for r in data.rows("layout.csv")}


# ---------------------------------------------------------------- finding the tables

def classify(table: Table):
    """(standard table code, number of its labels found) for a model table."""
    hits = {code: 0 for code in STANDARD}
    for c in table.cells:
        if not c.text.strip() or parse(c.text).kind in ("number", "na", "blank"):
            continue
        best = None
        for code in STANDARD:
            m = L.match(c.text, _table_labels(code), CLASSIFY_SCORE, words=False)
            if m and (best is None or m.score > best[1]):
                best = (code, m.score)
        if best:
            hits[best[0]] += 1
    code = max(STANDARD, key=lambda k: hits[k])
    return (code, hits[code]) if hits[code] else (None, 0)


@lru_cache(maxsize=None)
def _table_labels(code: str) -> tuple:
    return tuple(l for l in L.all_labels() if l.table == code)


def group_tables(tables: list) -> dict:
    """{standard code: [fragments]}: consecutive tables of one kind are one table split up."""
    groups, runs, last = {}, [], None
    for t in tables:
        code, hits = classify(t)
        if code is None or (hits < 2 and code != last):
            last = None
            continue
        if code == last:
            runs[-1][1].append(t)
        else:
            runs.append((code, [t]))
        last = code
    for code, frags in runs:
        # the longest run of a kind wins; a second copy of a table is rare and reported
        if code not in groups or _size(frags) > _size(groups[code]):
            groups[code] = frags
    return groups


def _size(frags: list) -> int:
    return sum(len(t.cells) for t in frags)


# ---------------------------------------------------------------- output helpers

def _cell(table, row, col, cell: Optional[Cell], row_label, col_label, score, factor=1.0):
    if cell is None:
        return None
    v = parse(cell.text, factor)
    return Extracted(table, row, col, v.kind, v.value, cell.text, cell.page,
                     tuple(cell.bbox) if cell.bbox else None, cell.row, cell.col,
                     row_label, col_label, round(score, 3), cell.confidence)


class Collector:
    """Cells and flags of one report, keeping the first reading of each (table,row,col)."""

    def __init__(self):
        self.cells, self.flags, self.seen = [], [], set()
        self.unmatched = {}

    def add(self, x: Optional[Extracted]):
        if x is None:
            return
        key = (x.table, x.row, x.col)
        if key in self.seen:
            self.flag("extract.duplicate", f"{x.table}.{x.row}.{x.col}", "warning",
                      found=x.raw, zh=f"{x.table} {x.row} {x.col} 出现两次，保留第一次的值",
                      en=f"{x.table}.{x.row}.{x.col} appears twice; the first reading is kept")
            return
        self.seen.add(key)
        self.cells.append(x)

    def drop(self, table: str, row: str) -> None:
        """Forget a row read too early (its values turned up after a page break)."""
        self.cells = [c for c in self.cells if (c.table, c.row) != (table, row)]
        self.seen = {k for k in self.seen if (k[0], k[1]) != (table, row)}

    def flag(self, rule, where, severity, expected="", found="", zh="", en=""):
        self.flags.append(Flag(rule, where, severity, str(expected), str(found), zh, en))

    def misaligned(self, table: str, row: str, label: str) -> None:
        """A row whose values did not line up with its header and were aligned by order."""
        where = f"{table}.{row}" if row else table
        self.flag("extract.alignment", where, "warning",
                  zh=f"{_ZH[table]}表“{' '.join(label.split())}”行的数值与表头列数不一致，按顺序对齐",
                  en=f"{where}: the values do not line up with the header; aligned by order")

    def unmatched_label(self, table: str, text: str):
        t = " ".join(text.split())
        if t:
            self.unmatched.setdefault(table, []).append(t)


# ---------------------------------------------------------------- active (二、主动公开)

def extract_active(frags: list, out: Collector) -> None:
    header = None        # list of Leaf for the current sub-table
    for table in frags:
        for row in rows(table):
            label_cells, value_cells = _active_split(row)
            text = label_cells[0].text if label_cells else ""
            m = L.match(text, L.labels("active", "row")) if text.strip() else None
            if m and header is not None:
                _active_row(row, m, value_cells, header, out)
                continue
            leaves = header_leaves([row], "active")
            if leaves and not has_numbers(row):
                header = leaves
            elif has_numbers(row) and text.strip() and not m:
                out.unmatched_label("active", text)


def _active_split(row: Row):
    cells = [c for c in row.cells if c.text.strip() or row.table.ragged]
    if not cells:
        return [], []
    first = cells[0]
    if L.match(first.text, L.labels("active", "col")) and not L.match(first.text, L.labels("active", "row")):
        return [], row.cells
    return [first], [c for c in row.cells if c is not first and c.col > first.col]


def _active_row(row: Row, m, value_cells: list, header: list, out: Collector) -> None:
    placed, sure = place_values(row, value_cells, header)
    if not sure:
        out.misaligned("active", m.code, row.cells[0].text)
    for leaf, cell in zip(header, placed):
        factor = amount_factor(leaf.cell.text) if leaf.code == "amount" else 1.0
        out.add(_cell("active", m.code, leaf.code, cell, row.cells[0].text, leaf.cell.text,
                      min(m.score, leaf.score), factor))


# ---------------------------------------------------------------- requests (三、申请)

REQUEST_COLS = ("natural_person", "commercial", "research", "social_welfare",
                "legal_services", "other_org", "total")


@dataclass
class _Columns:
    """What the requests header said so far: value columns, where they start, rows read."""
    leaves: Optional[list] = None
    first_col: Optional[int] = None
    header_rows: list = None
    inferred: tuple = ()

    def add_header_row(self, row: Row) -> None:
        self.header_rows = (self.header_rows or []) + [row]
        found = header_leaves(self.header_rows, "requests")
        if _complete_header(found):
            found, self.inferred = _infer_unread(found)
            self.leaves, self.first_col = found, min(l.col for l in found)


def _infer_unread(leaves: list):
    """Fill value columns whose header could not be read (a smudged scan, a typo beyond
    matching) when they sit exactly where the national column order puts the missing codes.
    Returns (leaves, codes inferred)."""
    order = [c for c in REQUEST_COLS]
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
                out.drop("requests", code)                          # or a label on lines of its own
            carry, cut = "", None
            if code is None:
                out.unmatched_label("requests", leaf)
                continue
            cols.header_rows = []
            placed = _request_values(table, row, code, score, leaf, cols, out)
            if cols.inferred:
                out.flag("extract.inferred_column", "requests", "warning", found=" ".join(cols.inferred),
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
        leaves = _canonical_leaves(table)
    _, value_cells = split_label(row, None if table.ragged else cols.first_col)
    placed, sure = place_values(row, value_cells, leaves)
    if not sure:
        out.misaligned("requests", code, leaf)
    for lf, cell in zip(leaves, placed):
        out.add(_cell("requests", code, lf.code, cell, leaf, lf.cell.text if lf.cell else lf.code,
                      min(score, lf.score)))
    return placed


def _looks_like_header(row: Row) -> bool:
    """A row of column names (自然人 … 总计), not a data row whose label happens to match."""
    if has_numbers(row):
        return False
    if any(L.match(c.text, L.labels("requests", "header")) for c in row.cells):
        return True
    return len(header_leaves([row], "requests")) >= 2


def _complete_header(leaves) -> bool:
    codes = {l.code for l in leaves or []}
    return {"natural_person", "total"} <= codes and len(codes) >= 6


def _canonical_leaves(table: Table) -> list:
    """The national column order, for tables whose header could not be read."""
    return [Leaf(code, -1, None, 0.8) for code in REQUEST_COLS]


def _request_row(leaf: str, parents: list):
    """(row code, score) of a requests row from its own label and its parents' labels."""
    if not leaf:
        return None, 0.0
    group = None
    for p in parents:
        g = L.match(p, L.labels("requests", "group"))
        if g and g.code != "outcome":
            group = g.code
    candidates = L.labels("requests", "row", parent=group) if group else L.labels("requests", "row")
    m = L.match(leaf, candidates)
    if m is None and group:
        m = L.match(leaf, L.labels("requests", "row"))
    return (m.code, m.score) if m else (None, 0.0)


# ---------------------------------------------------------------- review / litigation (四)

REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")
REVIEW_COLS = ("upheld", "corrected", "other", "pending", "total")


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
            row_code = L.match(leaf, L.labels("review_litigation", "row")) if leaf else None
            if row_code:
                _review_tall(row, row_code, value_cells, header, out)
            else:
                _review_wide(row, value_cells, header, out)


def _review_wide(row: Row, value_cells: list, header: list, out: Collector) -> None:
    """The national layout: one row of 15 numbers under a two-level header (or a part of it,
    when 行政复议 and 行政诉讼 are printed as two tables)."""
    leaves = _with_groups(header_leaves(header, "review_litigation"), header)
    wanted = [(g, c) for g in REVIEW_ROWS for c in REVIEW_COLS]
    pairs = [(l.group, l.code) for l in leaves]
    readable = bool(leaves) and set(pairs) <= set(wanted) and len(set(pairs)) == len(pairs) \
        and len(leaves) % len(REVIEW_COLS) == 0
    if not readable:
        out.flag("extract.positional", "review_litigation", "warning",
                 zh="复议诉讼表的表头无法完全识别，按国家格式的列顺序读取",
                 en="the review/litigation header could not be read in full; columns taken in the national order")
        leaves = [Leaf(c, -1, None, 0.8, g) for g, c in wanted]
    placed, sure = place_values(row, value_cells, leaves)
    if not sure:
        out.misaligned("review_litigation", "", "")
    for leaf, cell in zip(leaves, placed):
        col_label = leaf.cell.text if leaf.cell else leaf.code
        out.add(_cell("review_litigation", leaf.group, leaf.code, cell, leaf.group, col_label,
                      min(leaf.score, leaf.group_score)))


def _review_tall(row: Row, m, value_cells: list, header: list, out: Collector) -> None:
    """A layout with one row per 复议 / 直接起诉 / 复议后起诉 and five columns."""
    leaves = [l for l in header_leaves(header, "review_litigation")]
    if [l.code for l in leaves] != list(REVIEW_COLS):
        leaves = [Leaf(c, -1, None, 0.8) for c in REVIEW_COLS]
    placed, _ = place_values(row, value_cells, leaves)
    for leaf, cell in zip(leaves, placed):
        out.add(_cell("review_litigation", m.code, leaf.code, cell, m.label.text,
                      leaf.cell.text if leaf.cell else leaf.code, min(m.score, leaf.score)))


def _with_groups(leaves: list, header: list) -> list:
    """Give each column leaf its 复议 / 直接起诉 / 复议后起诉 group from the rows above it.

    The group is the nearest header cell above the leaf that starts at or left of it, which
    holds for spanned grids and for plain-text rows whose group label sits at the first column.
    """
    groups = []
    for row in header:
        for c in row.cells:
            g = L.match(c.text, L.labels("review_litigation", "row"))
            if g:
                groups.append((row.index, c, g))
    for leaf in leaves:
        above = [(r, c, g) for r, c, g in groups if r < leaf.cell.row and c.col <= leaf.col]
        if above:
            r, c, g = max(above, key=lambda x: (x[0], x[1].col))
            leaf.group, leaf.group_score = g.code, g.score
    return leaves


# ---------------------------------------------------------------- the whole report

def detect_format(cells: list) -> str:
    """2019 or 2021 from the labels the tables use; 'unknown' when they say nothing."""
    only_2019 = {"new_made", "new_published", "total_published", "prev_items", "change", "projects"}
    only_2021 = {"issued", "repealed", "in_force"}
    votes = {"2019": 0, "2021": 0}
    for x in cells:
        if x.table == "active":
            if x.col in only_2019 or x.row in ("other_services", "procurement"):
                votes["2019"] += 1
            if x.col in only_2021 or (x.row == "fees" and x.col == "amount"):
                votes["2021"] += 1
        if x.table == "requests" and x.row.startswith("other_"):
            votes["2021"] += 1
    if votes["2019"] == votes["2021"]:
        return "unknown"
    return max(votes, key=votes.get)


def extract(doc: Document, item_sections: Optional[list] = None) -> dict:
    """Cells, flags and format version of one report."""
    out = Collector()
    groups = group_tables(doc.tables)
    for code, fn in (("active", extract_active), ("requests", extract_requests),
                     ("review_litigation", extract_review)):
        if code in groups:
            fn(groups[code], out)
        else:
            out.flag("structure.missing_table", code, "warning",
                     zh=f"未找到{_ZH[code]}表", en=f"the {code} table was not found")
    fmt = detect_format(out.cells)
    _check_layout(out, fmt)
    for table, texts in out.unmatched.items():
        out.flag("extract.unmatched_label", table, "warning", found="；".join(texts),
                 zh=f"{_ZH[table]}表中有无法识别的行标签：{'；'.join(texts)}",
                 en=f"{table} table: row labels not recognised: {'; '.join(texts)}")
    _low_confidence(out)
    return {"format_version": fmt, "cells": [dict(c.__dict__) for c in out.cells],
            "flags": [dict(f.__dict__) for f in out.flags]}


_ZH = {"active": "主动公开政府信息情况", "requests": "收到和处理政府信息公开申请情况",
       "review_litigation": "政府信息公开行政复议、行政诉讼情况"}


def _check_layout(out: Collector, fmt: str) -> None:
    """Warn about active-table cells the detected format does not have, and ones missing."""
    if fmt == "unknown":
        return
    expected = {(row, col) for (f, t, row), cols in layout().items() if f == fmt for col in cols}
    got = {(x.row, x.col) for x in out.cells if x.table == "active"}
    for row, col in sorted(got - expected):
        out.flag("extract.unexpected_cell", f"active.{row}.{col}", "warning",
                 zh=f"{fmt}年格式的主动公开表没有此单元格（{row} {col}）",
                 en=f"the {fmt} format has no active cell {row}.{col}")
    missing = sorted({row for row, col in expected - got})
    if missing and got:
        out.flag("extract.missing_rows", "active", "warning", found=" ".join(missing),
                 zh=f"主动公开表缺少行：{' '.join(missing)}", en=f"active table rows missing: {' '.join(missing)}")


def _low_confidence(out: Collector) -> None:
    """Flag OCR'd numbers below the threshold, and blanks where ink was seen but not read."""
    threshold = LOW_CONFIDENCE   # pipeline.ocr's constant: importing it needs no OCR engine
    for x in out.cells:
        if x.ocr_confidence is not None and x.kind in ("number", "blank") and x.ocr_confidence < threshold:
            x.low_confidence = True
            out.flag("ocr.low_confidence", f"{x.table}.{x.row}.{x.col}", "warning",
                     expected=f">= {threshold}", found=f"{x.raw} ({x.ocr_confidence:.2f})",
                     zh=f"第{x.page}页 {x.table}.{x.row}.{x.col} 识别置信度低（{x.ocr_confidence:.2f}），读作“{x.raw}”，请核对原件 {x.bbox}",
                     en=f"page {x.page} {x.table}.{x.row}.{x.col}: low OCR confidence {x.ocr_confidence:.2f}, read as {x.raw!r}; check the scan at {x.bbox}")
