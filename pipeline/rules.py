"""Reconciliation rules of SCHEMA.md, evaluated from the data table `data/rules.csv`.

A rule says `lhs = rhs`, each a signed sum of cell codes, checked at every row (or column) of a
table. `withheld_*` expands over the canonical codes, `other|other_*` takes the first
alternative the report has, `code@-1` is the same office's report of the year before.
A relation with a blank, na, text or missing operand is `unverifiable`, never an error.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Callable, Optional

from . import data
from . import labels as L
from .extract import Flag

TOLERANCE = 1e-6
SIGNED_COLS = {"change"}          # may be negative
FRACTIONAL_COLS = {"amount"}      # may be fractional (万元)


@dataclass(frozen=True)
class Rule:
    id: str
    table: str
    where: str        # 'row': checked at each row, operands are columns; 'col': the reverse
    over: tuple
    lhs: tuple
    rhs: tuple
    zh: str


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    return tuple(Rule(r["id"], r["table"], r["where"], tuple(r["over"].split()),
                      _terms(r["lhs"]), _terms(r["rhs"]), r["zh"]) for r in data.rows("rules.csv"))


def _terms(expr: str) -> tuple:
    """'a + b - c@-1' → ((+1, 'a'), (+1, 'b'), (-1, 'c@-1'))."""
    out, sign = [], 1
    for tok in re.findall(r"[+\-]|[^\s+\-@]+(?:@-?\d+)?", expr):
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        else:
            out.append((sign, tok))
            sign = 1
    return tuple(out)


def _canonical(table: str, axis: str) -> list:
    seen = []
    for l in L.labels(table, axis):
        if l.code not in seen:
            seen.append(l.code)
    return seen


def _expand(term: str, present: set, table: str, axis: str) -> list:
    """Operand codes for one term, in canonical order."""
    for alt in term.split("|"):
        if "*" in alt:
            codes = [c for c in _canonical(table, axis) if fnmatch.fnmatch(c, alt)]
            if alt == term or any(c in present for c in codes):
                return codes
        elif alt in present or alt == term.split("|")[-1]:
            return [alt]
    return []


Lookup = Callable[[str, str, str, int], Optional[dict]]   # (table,row,col,offset) -> cell


def evaluate(rule: Rule, cells: list, lookup: Lookup, report_id: str = "") -> list:
    """Flags of one rule over one report's cells."""
    mine = [c for c in cells if c["table"] == rule.table]
    if not mine:
        return []
    wheres = sorted({c["row"] if rule.where == "row" else c["col"] for c in mine},
                    key=_canonical_order(rule))
    operand_axis = "col" if rule.where == "row" else "row"
    present = {c[operand_axis] for c in mine}
    flags = []
    for w in wheres:
        if rule.over and w not in rule.over:
            continue
        lhs = _operands(rule, rule.lhs, w, present, operand_axis, lookup)
        rhs = _operands(rule, rule.rhs, w, present, operand_axis, lookup)
        if lhs is None or rhs is None:
            continue     # the relation does not apply here (no such row in this layout)
        flags.extend(_judge(rule, w, lhs, rhs))
    return flags


def _canonical_order(rule: Rule):
    order = _canonical(rule.table, rule.where)
    return lambda code: (order.index(code) if code in order else len(order), code)


def _operands(rule, terms, w, present, axis, lookup):
    """[(sign, code, offset, cell or None)], or None when the lhs code is absent entirely."""
    out = []
    for sign, term in terms:
        term, _, off = term.partition("@")
        offset = int(off) if off else 0
        for code in _expand(term, present, rule.table, axis):
            row, col = (w, code) if rule.where == "row" else (code, w)
            out.append((sign, code, offset, lookup(rule.table, row, col, offset)))
    if terms is rule.lhs and all(c is None for *_, c in out) and not any(o for _, _, o, _ in out):
        return None
    return out


def _judge(rule: Rule, where: str, lhs: list, rhs: list) -> list:
    unsure = [(code, off, c) for _, code, off, c in lhs + rhs
              if c is None or c["kind"] != "number" or c["value"] is None]
    text = f"{_side(lhs, table=rule.table)} = {_side(rhs, table=rule.table)}"
    if unsure:
        what = ", ".join(f"{_name(code, rule.table)}{'(上年)' if off else ''}={'缺失' if c is None else c['kind']}"
                         for code, off, c in unsure)
        what_en = ", ".join(f"{code}{'@-1' if off else ''} is {'missing' if c is None else c['kind']}"
                            for code, off, c in unsure)
        return [Flag(rule.id, where, "unverifiable", "", "",
                     f"{_title(rule)}@{where}: 无法核对（{what}）：{text}",
                     f"{rule.id}@{where} cannot be verified: {what_en}")]
    left = sum(s * c["value"] for s, _, _, c in lhs)
    right = sum(s * c["value"] for s, _, _, c in rhs)
    if abs(left - right) <= TOLERANCE:
        return []
    low = [c for *_, c in lhs + rhs if c.get("low_confidence")]
    note_zh = "（其中有识别置信度低的数字，请核对原件）" if low else ""
    note_en = " (some operands have low OCR confidence: check the scan)" if low else ""
    return [Flag(rule.id, where, "error", _fmt(right), _fmt(left),
                 f"{_title(rule)}@{where}: {_side(lhs, True, rule.table)} ≠ {_side(rhs, True, rule.table)}{note_zh}",
                 f"{rule.id}@{where}: {_side_en(lhs)} = {_fmt(left)} but {_side_en(rhs)} = {_fmt(right)}{note_en}")]


def _side(ops: list, with_values: bool = False, table: str = "") -> str:
    parts = []
    for i, (sign, code, off, c) in enumerate(ops):
        name = _name(code, table) + ("(上年)" if off else "")
        if with_values and c is not None and c["value"] is not None:
            name += _fmt(c["value"])
        parts.append(("" if i == 0 and sign > 0 else (" + " if sign > 0 else " - ")) + name)
    s = "".join(parts)
    if with_values and len(ops) > 1 and all(c is not None and c["value"] is not None for *_, c in ops):
        s += f" = {_fmt(sum(sg * c['value'] for sg, _, _, c in ops))}"
    return s


def _side_en(ops: list) -> str:
    s = ""
    for i, (sign, code, off, _) in enumerate(ops):
        s += ("" if i == 0 else (" + " if sign > 0 else " - ")) + f"{code}{'@-1' if off else ''}"
    return s


@lru_cache(maxsize=None)
def _name(code: str, table: str = "") -> str:
    for l in L.all_labels():
        if l.code == code and l.axis in ("row", "col") and (not table or l.table == table):
            return L.normalize(l.text)[:8]
    return code


def _title(rule: Rule) -> str:
    return {"requests": "三、申请情况", "review_litigation": "四、复议诉讼", "active": "二、主动公开"}[rule.table] + " " + rule.zh.split(" 应等于")[0]


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


# ---------------------------------------------------------------- values.* (every count)

def value_flags(cells: list) -> list:
    """values.non_negative and values.integer for every number cell."""
    flags = []
    for c in cells:
        if c["kind"] != "number" or c["value"] is None:
            continue
        where = f"{c['table']}.{c['row']}.{c['col']}"
        v = c["value"]
        if v < 0 and c["col"] not in SIGNED_COLS:
            flags.append(Flag("values.non_negative", where, "error", ">= 0", c["raw"],
                              f"{where}: 数量不能为负数（{c['raw']}）", f"{where}: a count cannot be negative ({c['raw']!r})"))
        if not float(v).is_integer() and c["col"] not in FRACTIONAL_COLS:
            flags.append(Flag("values.integer", where, "error", "integer", c["raw"],
                              f"{where}: 件数应为整数（{c['raw']}）", f"{where}: a count must be a whole number ({c['raw']!r})"))
    return flags


# ---------------------------------------------------------------- entry points

def check_report(cells: list) -> list:
    """Within-report flags (as dicts) for one report's cells."""
    index = {(c["table"], c["row"], c["col"]): c for c in cells}

    def lookup(table, row, col, offset):
        return index.get((table, row, col)) if offset == 0 else None

    flags = []
    for rule in all_rules():
        if not rule.id.startswith("cross_year."):
            flags.extend(evaluate(rule, cells, lookup))
    flags.extend(value_flags(cells))
    return [asdict(f) for f in flags]


def check_cross_year(reports: list) -> dict:
    """{report_id: [flags]} for consecutive years of the same office.

    `reports`: dicts with report_id, source, office, year, cells. A relation is only checked
    when the office's report of the year before was found in the same run; where that year has
    several copies (a PDF and its web page), the one with the most numbers is the reference.
    """
    by_office = {}
    for r in reports:
        if r.get("office") and r.get("year"):
            by_office.setdefault(r["office"], {}).setdefault(int(r["year"]), []).append(r)
    out = {}
    for years in by_office.values():
        for year, copies in years.items():
            if year - 1 not in years:
                continue
            prev = max(years[year - 1], key=_numbers)
            for r in copies:
                out[r["report_id"]] = [asdict(f) for f in _cross_flags(r, prev, year)]
    return out


def _numbers(report: dict) -> int:
    return sum(c["kind"] == "number" for c in report["cells"])


def _cross_flags(r: dict, prev: dict, year: int) -> list:
    now = {(c["table"], c["row"], c["col"]): c for c in r["cells"]}
    before = {(c["table"], c["row"], c["col"]): c for c in prev["cells"]}

    def lookup(table, row, col, offset):
        return (now if offset == 0 else before).get((table, row, col))

    flags = []
    for rule in all_rules():
        if rule.id.startswith("cross_year."):
            flags.extend(f for f in evaluate(rule, r["cells"], lookup)
                         if f.severity == "error" or _prev_has(rule, f, before))
    for f in flags:
        f.message_zh += f"（对照 {prev.get('source', prev['report_id'])} {year - 1}年）"
        f.message_en += f" (against {prev.get('source', prev['report_id'])}, {year - 1})"
    return flags


def _prev_has(rule: Rule, flag: Flag, before: dict) -> bool:
    """Report an unverifiable cross-year relation only when last year's table has the row."""
    return any(k[0] == rule.table for k in before)
