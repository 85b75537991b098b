"""Reconciliation relations of SCHEMA.md, evaluated from the data table `data/rules.csv`.

A relation says `lhs = rhs` (or `lhs <= rhs`: its `op`), each a signed sum of cell codes, checked
at every row (or column) of a table (`at`). `withheld_*` expands over the layout's codes,
`other|other_*` takes the first alternative the report has, `code@-1` is the same office's report
of the year before, and `code?` is an operand only where the report prints that row or column
(the legacy tables print a selection of the channels: their sum is over the ones printed; a side
left with no operand at all makes the relation not apply).
A relation with a blank, na, text or missing operand is `unverifiable`, never an error.
Every finding names its operands' cells, so the page and box of the evidence come with it.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from pipeline import data
from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label, name_en

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Relation:
    id: str
    table: str
    at: str           # 'row': checked at each row, operands are columns; 'col': the reverse
    over: tuple       # the rows (or columns) it is checked at; () for all
    lhs: tuple
    rhs: tuple
    zh: str
    en: str
    op: str = "="     # '=' or '<=' (year ≤ cumulative)

    @property
    def cross_year(self) -> bool:
        return any(off for _, _, off in self.lhs + self.rhs)


@lru_cache(maxsize=1)
def all_relations() -> tuple:
    return tuple(Relation(r["id"], r["table"], r["at"], tuple(r["over"].split()),
                          data.terms(r["lhs"]), data.terms(r["rhs"]), r["zh"], r["en"], r.get("op") or "=")
                 for r in data.rows("rules.csv"))


def _codes(table: str, axis: str) -> tuple:
    return layout.rows_of(table) if axis == "row" else layout.cols_of(table)


def _expand(term: str, present: set, table: str, axis: str) -> list:
    """Operand codes for one term, in layout order."""
    if term.endswith("?"):        # only where the report prints it
        return [term[:-1]] if term[:-1] in present else []
    for alt in term.split("|"):
        if "*" in alt:
            codes = [c for c in _codes(table, axis) if fnmatch.fnmatch(c, alt)]
            if alt == term or any(c in present for c in codes):
                return codes
        elif alt in present or alt == term.split("|")[-1]:
            return [alt]
    return []


Lookup = Callable[[str, str, str, int], Optional[dict]]   # (table, row, col, offset) -> cell


@dataclass(frozen=True)
class Context:
    """What a relation needs to know beyond the cells: each report's format (an operand its
    format does not have makes the relation not apply, rather than unverifiable), and how to
    name last year's report in messages. A legacy report's layout is what its own table prints:
    `printed` holds the (table, row) pairs each report prints, where the caller knows them."""
    formats: tuple = (None, None)              # (this report's, last year's): '2019', '2021', 'legacy' or None
    previous_zh: str = "（上年）"
    previous_en: str = "in last year's report"
    printed: tuple = (None, None)              # (this report's, last year's) {(table, row)}, or None

    def has(self, table: str, row: str, col: str, offset: int) -> bool:
        k = 0 if offset == 0 else 1
        fmt = self.formats[k]
        if fmt == layout.LEGACY and self.printed[k] is not None:
            return (table, row) in self.printed[k]
        return fmt not in layout.FORMATS or (table, row, col) in layout.cells_of(fmt)


def evaluate(rel: Relation, cells: list, lookup: Lookup, context: Context = Context()) -> list:
    """Findings of one relation over one report's cells."""
    mine = [c for c in cells if c.table_code == rel.table]
    if not mine:
        return []
    at_key = "row_code" if rel.at == "row" else "col_code"
    operand_key = "col_code" if rel.at == "row" else "row_code"
    order = _codes(rel.table, rel.at)
    wheres = sorted({getattr(c, at_key) for c in mine}, key=lambda c: (order.index(c) if c in order else len(order), c))
    present = {getattr(c, operand_key) for c in mine}
    out = []
    for w in wheres:
        if rel.over and w not in rel.over:
            continue
        lhs = _operands(rel, rel.lhs, w, present, lookup)
        rhs = _operands(rel, rel.rhs, w, present, lookup)
        if lhs is None or rhs is None:
            continue     # the relation does not apply here (no such row in this layout)
        if not all(context.has(rel.table, *_cell_of(rel, w, code), off) for _, code, off, _ in lhs + rhs):
            continue     # an operand its report's format does not have: not applicable
        finding = _judge(rel, w, lhs, rhs, context)
        if finding is not None:
            out.append(finding)
    return out


def _cell_of(rel: Relation, where: str, code: str) -> tuple:
    return (where, code) if rel.at == "row" else (code, where)
def equations(cells: list) -> list:
    """Every within-report relation over these cells as a linear equation: [(sign, (table, row,
    col))] whose signed sum is 0 when it holds (lhs terms +, rhs terms -). Instances with an
    operand that is not among the cells are left out (they cannot be checked)."""
    index = {c.key: c for c in cells}

    def lookup(table, row, col, offset):
        return index.get((table, row, col)) if offset == 0 else None

    out = []
    for rel in all_relations():
        if rel.cross_year or rel.op != "=":
            continue
        mine = [c for c in cells if c.table_code == rel.table]
        if not mine:
            continue
        at_key = "row_code" if rel.at == "row" else "col_code"
        operand_key = "col_code" if rel.at == "row" else "row_code"
        present = {getattr(c, operand_key) for c in mine}
        for w in sorted({getattr(c, at_key) for c in mine}):
            if rel.over and w not in rel.over:
                continue
            lhs = _operands(rel, rel.lhs, w, present, lookup)
            rhs = _operands(rel, rel.rhs, w, present, lookup)
            if lhs is None or rhs is None or any(c is None for *_, c in lhs + rhs):
                continue
            out.append([(s, c.key) for s, _, _, c in lhs] + [(-s, c.key) for s, _, _, c in rhs])
    return out


def _operands(rel, terms, w, present, lookup):
    """[(sign, code, offset, cell or None)], or None when the lhs code is absent entirely or a
    side has no operand the report prints."""
    axis = "col" if rel.at == "row" else "row"
    out = []
    for sign, term, offset in terms:
        for code in _expand(term, present, rel.table, axis):
            row, col = (w, code) if rel.at == "row" else (code, w)
            out.append((sign, code, offset, lookup(rel.table, row, col, offset)))
    if not out or (terms is rel.lhs and all(c is None for *_, c in out) and not any(o for _, _, o, _ in out)):
        return None
    return out


def _judge(rel: Relation, where: str, lhs: list, rhs: list, context: Context) -> Optional[Finding]:
    ops = lhs + rhs
    this_year = [c for _, _, off, c in ops if off == 0]
    unsure = [(code, off, c) for _, code, off, c in ops
              if c is None or c.kind != "number" or c.value is None]
    heading = f"{layout.title(rel.table)} {_where_zh(rel, where)}：{re.split(' 应等于| 不应大于', rel.zh)[0]}"
    place = _where_en(rel, where)
    if unsure:
        what = "，".join(f"{_name(rel, code)}{context.previous_zh if off else ''}为{_kind_zh(c)}"
                        for code, off, c in unsure)
        what_en = ", ".join(f"{_name_en(rel, code)}{' ' + context.previous_en if off else ''} is "
                            f"{'not in the report' if c is None else _KIND_EN.get(c.kind, c.kind)}"
                            for code, off, c in unsure)
        f = Finding(rel.id, where, "unverifiable", "", "",
                    f"{heading}：无法核对（{what}）：{_side(rel, lhs, context)} = {_side(rel, rhs, context)}",
                    f"{place}: cannot be checked because {what_en}")
        return with_evidence(f, this_year)
    left = sum(s * c.value for s, _, _, c in lhs)
    right = sum(s * c.value for s, _, _, c in rhs)
    if holds(rel.op, left, right):
        return None
    low = any(c.low_confidence for *_, c in ops)
    note_zh = "（其中有识别置信度低的数字，请核对原件）" if low else ""
    note_en = " (some operands have low OCR confidence: check the scan)" if low else ""
    broken = "≠" if rel.op == "=" else ">"
    f = Finding(rel.id, where, "error", ("" if rel.op == "=" else "≤ ") + number_text(right), number_text(left),
                f"{heading}：{_side(rel, lhs, context, True)} {broken} {_side(rel, rhs, context, True)}{note_zh}",
                f"{place}: {_side_en(rel, lhs, context)}, but {_side_en(rel, rhs, context)}{note_en}")
    return with_evidence(f, this_year)


def holds(op: str, left: float, right: float) -> bool:
    """Whether `left op right` holds, within the tolerance of a sum of decimals."""
    if op == "<=":
        return left <= right + TOLERANCE
    return abs(left - right) <= TOLERANCE


_KIND_EN = {"blank": "blank", "na": "marked not applicable", "text": "text, not a number"}


def _where_zh(rel: Relation, where: str) -> str:
    return canonical_label(rel.table, rel.at, where)


def _where_en(rel: Relation, where: str) -> str:
    return f"{layout.title(rel.table, 'en')}, {name_en(rel.table, rel.at, where)}"


def _name_en(rel: Relation, code: str) -> str:
    return name_en(rel.table, "col" if rel.at == "row" else "row", code)


def _kind_zh(c) -> str:
    return "缺失" if c is None else {"blank": "空白", "na": "不适用", "text": "文字"}.get(c.kind, c.kind)


def _name(rel: Relation, code: str) -> str:
    axis = "col" if rel.at == "row" else "row"
    return canonical_label(rel.table, axis, code)


def _side(rel: Relation, ops: list, context: Context, with_values: bool = False) -> str:
    parts = []
    for i, (sign, code, off, c) in enumerate(ops):
        name = _name(rel, code) + (context.previous_zh if off else "")
        if with_values and c is not None and c.value is not None:
            name += number_text(c.value)
        parts.append(("" if i == 0 and sign > 0 else (" + " if sign > 0 else " - ")) + name)
    s = "".join(parts)
    if with_values and len(ops) > 1 and all(c is not None and c.value is not None for *_, c in ops):
        s += f" = {number_text(sum(sg * c.value for sg, _, _, c in ops))}"
    return s


def _side_en(rel: Relation, ops: list, context: Context) -> str:
    """'total is 0', or 'granted 76 + partly granted 12 make 88' (the values where known)."""
    def name(code, off):
        return f"{_name_en(rel, code)}{' ' + context.previous_en if off else ''}"
    if len(ops) == 1:
        sign, code, off, c = ops[0]
        return f"{name(code, off)} is {number_text(c.value)}"
    terms = " ".join(("" if i == 0 and sign > 0 else ("+ " if sign > 0 else "− ")) + f"{name(code, off)} {number_text(c.value)}"
                     for i, (sign, code, off, c) in enumerate(ops))
    return f"{terms} make {number_text(sum(s * c.value for s, _, _, c in ops))}"


def check_relations(cells: list, fmt: Optional[str] = None) -> list:
    """Within-report findings of every relation that compares cells of one report (`fmt`: the
    report's format, where known)."""
    index = {c.key: c for c in cells}

    def lookup(table, row, col, offset):
        return index.get((table, row, col)) if offset == 0 else None

    context = Context((fmt, None))
    return [f for rel in all_relations() if not rel.cross_year for f in evaluate(rel, cells, lookup, context)]
