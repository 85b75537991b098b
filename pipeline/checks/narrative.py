"""narrative.* rules: numbers stated in 一、总体情况 should equal the tables.

The sentences are matched with the patterns of `data/narrative.csv`: `what` names the rule
(`narrative.<what>`), `cells` is what the stated number must equal — a cell code or a signed sum
of them (`requests.unavailable_*.total` sums the rows the layout has; `a|b` takes the first the
report has) — and `pattern`'s first group is the number. A row with `expect` set states no
number: its pattern is a claim (复议、诉讼均获维持) that holds only when the cells sum to
`expect`. Every match of a pattern is checked, and the first that differs is reported.

Blanks are read as a table prints them: a blank total (总计 column) is the sum of its row's parts
(the row-sum relations of data/rules.csv) when one of them is a number — a report that leaves
总计 empty still says how many — and in a sum of several cells a blank counts as none once
another operand is a number. A claim whose cells are na or text, or all blank, or a single
blank cell, is not judged.

主动公开政府信息 N 条 has no cell in the standard tables (表二 counts rules, normative documents
and decisions, not items published), so it is not checked. Prose is free, so a mismatch is a
warning for a person to read, not an error; the sentence is quoted as evidence.
"""
from __future__ import annotations

import fnmatch
import re
import unicodedata
from functools import lru_cache

from pipeline import data
from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label

SENTENCE_END = "。；;！!？?"


@lru_cache(maxsize=1)
def patterns() -> tuple:
    return tuple((r["what"], data.terms(r["cells"]), r["cells"], r["expect"], re.compile(r["pattern"]))
                 for r in data.rows("narrative.csv"))


def _operands(terms: tuple, index: dict):
    """[(sign, cell)] for the terms, or None when the report lacks one of them."""
    out = []
    for sign, term, _ in terms:
        for alt in term.split("|"):
            if "*" in alt:
                codes = [k for k in index if fnmatch.fnmatch(".".join(k), alt)]
                known = [k for k in layout.all_cells() if fnmatch.fnmatch(".".join(k), alt)]
                if codes:
                    out += [(sign, index[k]) for k in known if k in index]
                    break
            elif tuple(alt.split(".")) in index:
                out.append((sign, index[tuple(alt.split("."))]))
                break
        else:
            return None
    return out


def _named(expr: str) -> str:
    """The cells a claim is checked against, by their labels (予以公开·总计 + 部分公开·总计); a
    wildcard by its row group (无法提供（各项）·总计)."""
    out = []
    for sign, term, _ in data.terms(expr):
        table, row, col = term.split("|")[0].split(".")
        name = (f"{canonical_label(table, 'group', row.rstrip('*').rstrip('_'))}（各项）" if "*" in row
                else canonical_label(table, "row", row))
        out.append(("" if not out else " - " if sign < 0 else " + ") + f"{name}·{canonical_label(table, 'col', col)}")
    return "".join(out)


def _sentence(text: str, start: int, end: int) -> str:
    a = max((text.rfind(c, 0, start) for c in SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(c, end) for c in SENTENCE_END) if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    a, b = max(a, start - 60), min(b, end + 40)
    return text[a:b]


@lru_cache(maxsize=1)
def _row_parts() -> dict:
    """{table: (total column, part columns)} from the data's row-sum relations (total = parts)."""
    from pipeline.formats.relations import all_relations
    out = {}
    for rel in all_relations():
        if rel.at == "row" and len(rel.lhs) == 1 and not rel.cross_year and all(s > 0 for s, _, _ in rel.rhs):
            out.setdefault(rel.table, (rel.lhs[0][1], tuple(t for _, t, _ in rel.rhs)))
    return out


def _value(cell: dict, index: dict):
    """(value, evidence cells) of an operand: its number; for a blank total, the sum of its row's
    parts (blanks in them count as none) when one of them is a number; else (None, [cell])."""
    if cell.kind == "number" and cell.value is not None:
        return cell.value, [cell]
    total, parts = _row_parts().get(cell.table_code, (None, ()))
    if cell.kind == "blank" and cell.col_code == total:
        row = [index.get((cell.table_code, cell.row_code, p)) for p in parts]
        nums = [c for c in row if c is not None and c.kind == "number" and c.value is not None]
        if nums and all(c is not None and c.kind in ("number", "blank") for c in row):
            return sum(c.value for c in nums), nums
    return None, [cell]


def check_narrative(overview_text: str, cells: list) -> list:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", overview_text or ""))
    index = {c.key: c for c in cells}
    out, seen = [], set()
    for what, terms, expr, expect, pat in patterns():
        ops = _operands(terms, index)
        if not ops or any(c.kind not in ("number", "blank") for _, c in ops):
            continue                       # na, text: not judged
        values = [(sign, *_value(c, index)) for sign, c in ops]
        if all(v is None for _, v, _ in values):
            continue
        if any(v is None for _, v, _ in values) and len(values) == 1:
            continue
        # in a sum, a blank the table printed for none counts as 0 once another operand is a number
        total = sum(sign * (v or 0) for sign, v, _ in values)
        evidence = [c for _, _, cs in values for c in cs]
        location = expr if len(ops) == 1 else ops[0][1].table_code
        for m in pat.finditer(text):
            stated = float(expect) if expect else int(m.group(1))
            if abs(stated - total) <= 1e-6 or what in seen:
                continue
            seen.add(what)
            sentence = _sentence(text, m.start(), m.end())
            found = ops[0][1].shown if len(ops) == 1 and ops[0][1].kind == "number" else number_text(total)
            claim = f"“{m.group(0)}”" if expect else f"{int(stated)}"
            out.append(with_evidence(Finding(
                f"narrative.{what}", location, "warning", number_text(stated), found,
                f"一、总体情况写“…{sentence}…”（{claim}），而表中为 {found}（{_named(expr)}）",
                f"the overview states {claim} ({what}: “{sentence}”) but the tables have {found} ({expr})",
                extra={"sentence": sentence}), evidence))
    return out
