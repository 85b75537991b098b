"""Reconciliation rules on hand-made cells: what breaks, what cannot be verified, what it says.

Three kinds of test, each from the data so that a new row is covered (or fails) by itself:

* one per row of data/rules.csv (within-report and cross-year relations), its cases built from the
  row's lhs/rhs and the layouts of pipeline.formats.layout: cells at every place the relation is
  checked, in every layout variant it applies to, that satisfy it (no finding of the rule), the
  same with one operand off by one at each place in turn (the rule fires exactly there, at error,
  with the two sides as expected/found), and with one operand blank (unverifiable, never error);
* the rules against an independent model of the forms: the sample generator's reports, whose
  numbers are consistent by construction and whose flags `samples.truth` computes with its own
  implementation of SCHEMA.md — the checks must raise exactly those flags, and every operand of
  every rule must be non-zero in some report where the rule holds, so that a sign flipped in
  rules.csv (or a term dropped) breaks a case;
* one example sentence per row of data/narrative.csv (a row without one fails), which raises the
  narrative finding when the table disagrees and not when it agrees; and values.non_negative /
  values.integer for every cell of the layouts.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from fnmatch import fnmatch

import pytest

from pipeline import data
from pipeline.checks import check_report
from pipeline.checks.counts import check_counts
from pipeline.checks.narrative import check_narrative
from pipeline.core.results import CellRecord
from pipeline.dataset.cross_year import YearReport, check_cross_year
from pipeline.formats import layout
from pipeline.formats.relations import check_relations

pytestmark = pytest.mark.unit


def cell(table, row, col, value, kind="number"):
    return CellRecord.at(table, row, col, kind, value, "" if value is None else str(value))


def year_report(rid, office, year, cells, fmt=None):
    return YearReport(rid, f"{rid}.pdf", office, year, fmt, cells)


def flags_of(findings, severity="error"):
    return {f.flag for f in findings if f.severity == severity}


# ---------------------------------------------------------------------------------------------
# One case per rule row × layout variant, built from the row and the layouts

RULES = data.rows("rules.csv")
FORMATS = tuple(dict.fromkeys(r.format for r in layout.layout_rows()))     # 2019, 2021, legacy


@dataclass(frozen=True)
class Operand:
    side: str       # lhs | rhs
    term: int       # which term of its side it comes from (`withheld_*` gives several codes)
    sign: int
    code: str       # a row or column code (the axis the relation sums over)
    offset: int     # 0 this year, -1 last year's report


@dataclass(frozen=True)
class Case:
    """A rule in one layout: the places it is checked at and each place's operands."""
    rule: str
    table: str
    at: str
    fmt: str
    variant: tuple
    places: tuple   # ((where, (Operand, ...)), ...)

    @property
    def cross_year(self) -> bool:
        return any(o.offset for _, ops in self.places for o in ops)

    def key(self, where: str, o: Operand) -> tuple:
        return (self.table, where, o.code) if self.at == "row" else (self.table, o.code, where)

    @property
    def id(self) -> str:
        return f"{self.rule}[{self.fmt}{''.join(f' {g}={c}' for g, c in self.variant)}]"


def variants(fmt: str, table: str) -> list:
    """Every choice of the layout's variant groups for this table: [((group, choice), ...)]."""
    groups = {}
    for r in layout.layout_rows():
        if r.format == fmt and r.table == table:
            for g, c in r.variant:
                groups.setdefault(g, []).append(c)
    names = sorted(groups)
    return [tuple(zip(names, combo)) for combo in itertools.product(*(list(dict.fromkeys(groups[g])) for g in names))]


def layout_cells(fmt: str, table: str, variant: tuple) -> list:
    """(row, col) of the table in this layout variant, in printed order."""
    return [(r.row, c) for r in layout.layout_rows()
            if r.format == fmt and r.table == table and set(r.variant) <= set(variant) for c in r.cols]


def expand(term: str, codes: list) -> list:
    """A term's codes among those of the axis: `a|b` the first alternative the layout has,
    `x_*` every code it matches, in layout order; `x?` (an operand only where the report prints
    it) as `x`: the cases print every operand."""
    for alt in term.rstrip("?").split("|"):
        found = [c for c in codes if fnmatch(c, alt)] if "*" in alt else [alt] if alt in codes else []
        if found:
            return found
    return []


def cases_of(rule: dict) -> list:
    table, at = rule["table"], rule["at"]
    out = []
    for fmt in FORMATS:
        for variant in variants(fmt, table):
            cells = layout_cells(fmt, table, variant)
            wheres = list(dict.fromkeys(r if at == "row" else c for r, c in cells))
            codes = list(dict.fromkeys(c if at == "row" else r for r, c in cells))
            over = rule["over"].split()
            places = []
            for w in wheres:
                if over and w not in over:
                    continue
                ops = tuple(Operand(side, i, sign, code, offset)
                            for side in ("lhs", "rhs") for i, (sign, term, offset) in enumerate(data.terms(rule[side]))
                            for code in expand(term, codes))
                if ops and all(((w, o.code) if at == "row" else (o.code, w)) in cells for o in ops) and \
                        len({(o.code, o.offset) for o in ops}) == len(ops):
                    places.append((w, ops))
            if places:
                out.append(Case(rule["id"], table, at, fmt, variant, tuple(places)))
    return out


CASES = [case for rule in RULES for case in cases_of(rule)]
OPS = {r["id"]: r.get("op") or "=" for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r["id"])
def test_every_rule_applies_somewhere_in_the_layouts(rule):
    """A row whose operands no layout has cannot be tested here (nor checked on any report)."""
    assert cases_of(rule), f"{rule['id']}: no layout has all its operands at one place"


def values_of(case: Case, k: int) -> dict:
    """{(offset, table, row, col): value} for which every place holds: every operand but the
    first of the lhs is given a distinct value (large where it adds to the first, small where it
    takes away), and the first is what the equation leaves for it."""
    out = {}
    for i, (w, ops) in enumerate(case.places):
        free, others = ops[0], ops[1:]
        assert free.side == "lhs"
        total = 0
        for j, o in enumerate(others):
            weight = (o.sign if o.side == "rhs" else -o.sign) * free.sign     # o's part in `free`
            v = 100 + 7 * j + 13 * i + k if weight > 0 else 1 + j + i + k
            out[(o.offset, *case.key(w, o))] = v
            total += weight * v
        assert total > 0, (case.id, w)
        out[(free.offset, *case.key(w, free))] = total
    return out


def findings_of(case: Case, values: dict, blank: tuple = ()) -> list:
    """The rule's findings on reports holding exactly these cells (`blank`: keys written blank)."""
    def cells(offset):
        return [cell(t, r, c, None, "blank") if (off, t, r, c) in blank else cell(t, r, c, v)
                for (off, t, r, c), v in values.items() if off == offset]
    if not case.cross_year:
        found = check_relations(cells(0), case.fmt)
    else:
        prev = year_report("prev", "某局", 2021, cells(-1), case.fmt)
        now = year_report("now", "某局", 2022, cells(0), case.fmt)
        found = check_cross_year([prev, now]).get("now", [])
    return [f for f in found if f.rule == case.rule]


def side_sum(case: Case, where: str, ops: tuple, values: dict, side: str) -> float:
    return sum(o.sign * values[(o.offset, *case.key(where, o))] for o in ops if o.side == side)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_rule_holds_on_cells_that_satisfy_it(case):
    assert findings_of(case, values_of(case, 0)) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_rule_fires_exactly_where_one_operand_is_off(case):
    """At each place in turn, one operand (a different one from place to place) is one more (for
    an inequality lhs <= rhs: moved the way that breaks it)."""
    op = OPS[case.rule]
    for i, (w, ops) in enumerate(case.places):
        values = values_of(case, 0)
        o = ops[i % len(ops)]
        effect = o.sign if o.side == "lhs" else -o.sign          # what +1 on o does to lhs - rhs
        values[(o.offset, *case.key(w, o))] += 1 if op == "=" or effect > 0 else -1
        found = findings_of(case, values)
        assert [(f.flag, f.severity) for f in found] == [(f"{case.rule}@{w}", "error")], (o, found)
        lhs, rhs = side_sum(case, w, ops, values, "lhs"), side_sum(case, w, ops, values, "rhs")
        assert (found[0].expected, found[0].found) == (("" if op == "=" else "≤ ") + f"{rhs:g}", f"{lhs:g}")
        assert found[0].message_zh and found[0].message_en


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_blank_operand_makes_a_rule_unverifiable_never_an_error(case):
    w, ops = case.places[len(case.places) // 2]
    for o in ops:
        values = values_of(case, 0)
        found = findings_of(case, values, blank=((o.offset, *case.key(w, o)),))
        assert [(f.flag, f.severity) for f in found] == [(f"{case.rule}@{w}", "unverifiable")], (o, found)


# ---------------------------------------------------------------------------------------------
# The rules against the generator's independent model of the forms

GENERATED = 80          # reports: the fixed twelve and offices of its gazetteer, some over several years
LEGACY_GENERATED = 40   # reports before 2019 (samples.legacy_plan), with the later years of their offices
SCORED = ("requests", "review_litigation", "values", "legacy")
ORGS = ("commercial", "research", "social_welfare", "legal_services", "other_org")


@pytest.fixture(scope="module")
def generated():
    from samples import content, legacy_plan
    return content.build_reports(0, GENERATED) + legacy_plan.build(0, LEGACY_GENERATED)


def truth_within(report) -> list:
    """The within-report flags the generator's own truth gives a report (samples.truth, or
    samples.legacy for a report before 2019)."""
    from samples import legacy, truth
    return legacy.within_flags(report.cells) if report.format == "legacy" else truth.within_report_flags(report.cells)


def as_cells(report, subtotal: bool = False) -> dict:
    """{(table, row, col): cell} as the report prints them. With `subtotal`, also the optional
    法人或其他组织 小计 column some offices print (the generator does not): by the form, the sum
    of the five organisation columns, blank where one of them is not a number."""
    out = {(t, r, c): cell(t, r, c, None if w.value is None else float(w.value), w.kind)
           for (t, r, c), w in report.cells.items()}
    if subtotal:
        for row in dict.fromkeys(r for t, r, _ in report.cells if t == "requests"):
            parts = [out.get(("requests", row, c)) for c in ORGS]
            ok = all(p is not None and p.kind == "number" for p in parts)
            out[("requests", row, "legal_entity_subtotal")] = cell(
                "requests", row, "legal_entity_subtotal", sum(p.value for p in parts) if ok else None,
                "number" if ok else "blank")
    return out


def printed(generated) -> list:
    """(report, its cells): each report as generated, then those whose table 三 is consistent
    again with the subtotal column."""
    return [(r, as_cells(r)) for r in generated] + [
        (r, as_cells(r, subtotal=True)) for r in generated
        if r.format != "legacy" and not any(f.startswith("requests.") for f in truth_within(r))]


def test_the_checks_raise_exactly_the_flags_the_generators_truth_computes(generated):
    assert {r.format for r in generated} >= {"2019", "2021", "legacy"}
    for r, cells in printed(generated):
        found = {f.flag for f in check_report(list(cells.values()), fmt=r.format).findings
                 if f.severity == "error" and f.rule.split(".")[0] in SCORED}
        assert found == set(truth_within(r)), r.stem


def test_the_cross_year_rules_raise_exactly_the_generators_cross_year_flags(generated):
    from samples import truth
    reports = [year_report(r.stem, r.qualified_office, r.year, list(as_cells(r).values()), r.format)
               for r in generated]
    found = check_cross_year(reports)
    by = {(r.qualified_office, r.year): r for r in generated}
    pairs = 0
    for r in generated:
        prev = by.get((r.qualified_office, r.year - 1))
        if prev is None:
            continue
        pairs += 1
        have = {f.flag for f in found.get(r.stem, []) if f.severity == "error" and f.rule.startswith("cross_year.")}
        assert have == set(truth.cross_year_flags(prev, r)), r.stem
    assert pairs >= 10


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r["id"])
def test_every_term_of_a_rule_counts_in_some_generated_report(rule, generated):
    """For each term of the rule, a place in a generated report (or pair of years) where the
    relation is checked on printed numbers, holds, and that term is not 0: a flipped sign or a
    dropped term makes the checks above disagree with the generator's truth there."""
    by = {(r.qualified_office, r.year): cells for r, cells in printed(generated)[:len(generated)]}
    optional = {(side, i) for side in ("lhs", "rhs")            # `code?`: an operand only where printed
                for i, (_, term, _) in enumerate(data.terms(rule[side])) if term.endswith("?")}
    op = OPS[rule["id"]]
    counted = set()
    for case in cases_of(rule):
        for r, cells in printed(generated):
            before = by.get((r.qualified_office, r.year - 1)) if case.cross_year else cells
            if r.format != case.fmt or before is None:
                continue
            for w, ops in case.places:
                found = [(o, (before if o.offset else cells).get(case.key(w, o))) for o in ops]
                found = [(o, c) for o, c in found if c is not None or (o.side, o.term) not in optional]
                if any(c is None or c.kind != "number" for _, c in found) or \
                        not any(o.side == "rhs" for o, _ in found):
                    continue             # another variant of the layout, or another format last year
                balance = sum(o.sign * c.value * (1 if o.side == "lhs" else -1) for o, c in found)
                if balance != 0 if op == "=" else balance > 0:
                    continue             # a deliberate break: the truth tests above judge it
                counted |= {(o.side, o.term) for o, c in found if c.value}
    wanted = {(side, i) for side in ("lhs", "rhs") for i in range(len(data.terms(rule[side])))}
    missing = sorted(wanted - counted)
    assert not missing, f"{rule['id']}: these terms are never non-zero where the relation holds: {missing}"


# ---------------------------------------------------------------------------------------------
# narrative.*: one example sentence per row of data/narrative.csv

EXAMPLES = {
    "new_requests": "2023年，本机关共收到政府信息公开申请21件，均在法定期限内答复。",
    "answered": "全年办结政府信息公开申请19件。",
    "carried_over": "上年结转政府信息公开申请3件。",
    "carried_forward": "结转下年度继续办理2件。",
    "granted": "其中予以公开8件。",
    "granted_any": "其中予以公开及部分公开12件。",
    "partially_granted": "部分公开4件。",
    "withheld": "不予公开11件。",
    "unavailable": "无法提供6件。",
    "rules_issued": "本年度制发规章2件。",
    "rules_in_force": "现行有效规章15件。",
    "normative_issued": "全年制发行政规范性文件7件。",
    "normative_in_force": "现行有效规范性文件30件。",
    "review": "本年度发生行政复议案件3件。",
    "litigation": "行政诉讼案件5起。",
    "all_upheld": "本年度发生的行政复议、行政诉讼案件均获维持。",
}
NARRATIVE = data.rows("narrative.csv")


def test_every_narrative_example_is_of_a_row():
    assert set(EXAMPLES) <= {r["what"] for r in NARRATIVE}, "an example for a row that is gone"


def narrative_cells(row: dict, stated: float, alternative: int) -> tuple:
    """Cells for the row's `cells` whose signed sum is `stated`: (cells, the first operand's key).
    `x_*` takes every cell of the layouts it matches; `a|b` the alternative number `alternative`."""
    every = [".".join(k) for k in layout.all_cells()]
    keys = []
    for sign, term, _ in data.terms(row["cells"]):
        alts = term.split("|")
        alt = alts[min(alternative, len(alts) - 1)]
        matched = [k for k in every if fnmatch(k, alt)]
        assert matched, (row["what"], alt)
        keys += [(sign, k) for k in matched]
    values = {k: 0 for _, k in keys}
    rest = stated
    for sign, k in keys[1:]:                 # the others 1 each while there is room, the first the rest
        if rest - sign >= 1:
            values[k] = 1
            rest -= sign
    first_sign, first = keys[0]
    values[first] = rest * first_sign
    assert sum(s * values[k] for s, k in keys) == stated
    return [cell(*k.split("."), v) for k, v in values.items()], first


@pytest.mark.parametrize("row", NARRATIVE, ids=lambda r: r["what"])
def test_a_narrative_rule_has_an_example_that_fires_only_when_the_table_disagrees(row):
    assert row["what"] in EXAMPLES, f"narrative.csv row {row['what']!r} has no example sentence in EXAMPLES"
    sentence = EXAMPLES[row["what"]]
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", sentence))
    m = re.search(row["pattern"], text)
    assert m, f"the example of {row['what']} does not match its pattern"
    stated = float(row["expect"]) if row["expect"] else int(m.group(1))
    rule = f"narrative.{row['what']}"
    for alternative in range(max(len(t.split("|")) for _, t, _ in data.terms(row["cells"]))):
        cells, first = narrative_cells(row, stated, alternative)
        assert [f.rule for f in check_narrative(sentence, cells) if f.rule == rule] == []
        cells = [c.with_(value=c.value + 1, raw=str(c.value + 1)) if c.code == first else c for c in cells]
        found = [f for f in check_narrative(sentence, cells) if f.rule == rule]
        assert [(f.severity, f.expected) for f in found] == [("warning", f"{stated:g}")], found
        assert found[0].found == f"{stated + 1:g}" and found[0].cells


def test_narrative_numbers_against_the_table():
    cells = [cell("requests", "new", "total", 21)]
    assert check_narrative("2023年全区受理政府信息公开申请 21 件，均在法定期限答复。", cells) == []
    [f] = check_narrative("2023年共收到政府信息公开申请30件。", cells)
    assert f.rule == "narrative.new_requests" and f.severity == "warning"
    assert (f.expected, f.found) == ("30", "21")
    assert f.cells == ("requests.new.total",)


# ---------------------------------------------------------------------------------------------
# values.non_negative and values.integer (pipeline/checks/counts.py)

VALUE_TYPES = {(r["table"], r["col"]): r["type"] for r in data.rows("value_types.csv")}


@pytest.mark.parametrize("code", layout.all_cells(), ids=".".join)
def test_every_cell_is_a_non_negative_whole_number_unless_its_column_says_otherwise(code):
    kind = VALUE_TYPES.get((code[0], code[2])) or VALUE_TYPES.get((code[0], code[1]), "count")
    where = ".".join(code)

    def fired(value, kind_="number"):
        return {f.rule for f in check_counts([cell(*code, value, kind_)]) if f.location == where and f.severity == "error"}

    assert fired(3) == set() and fired(0) == set()
    assert fired(None, "blank") == set() and fired(None, "na") == set() and fired(None, "text") == set()
    assert fired(-1) == (set() if kind == "signed" else {"values.non_negative"})
    assert fired(2.5) == (set() if kind == "amount" else {"values.integer"})
    assert fired(-2.5) == ({"values.non_negative"} if kind == "amount" else
                           {"values.integer"} if kind == "signed" else {"values.non_negative", "values.integer"})


def test_the_value_types_are_the_forms_own():
    """本年增/减 may be negative, amounts in 万元 fractional (a column of the national tables, a row of
    the legacy table, whose rows carry the units): everything else is a count."""
    assert VALUE_TYPES == {("active", "change"): "signed", ("active", "amount"): "amount",
                           ("legacy", "fees"): "amount"}


def test_values_rules_and_signed_change():
    cells = [cell("requests", "new", "natural_person", -1), cell("active", "licensing", "change", -3),
             cell("active", "fees", "amount", 12.5), cell("active", "penalty", "decisions", 2.5)]
    assert flags_of(check_report(cells).findings) == {"values.non_negative@requests.new.natural_person",
                                                         "values.integer@active.penalty.decisions"}


# ---------------------------------------------------------------------------------------------
# Cross-year: which years are compared

def test_prev_items_across_years():
    y2019 = year_report("a", "某局", 2019,
                        [cell("active", "licensing", "prev_items", 10), cell("active", "licensing", "change", 2),
                         cell("active", "penalty", "prev_items", 5), cell("active", "penalty", "change", None, "blank")])
    y2020 = year_report("b", "某局", 2020,
                        [cell("active", "licensing", "prev_items", 13), cell("active", "licensing", "change", 0),
                         cell("active", "penalty", "prev_items", 5), cell("active", "penalty", "change", 0)])
    out = check_cross_year([y2019, y2020])
    assert flags_of(out["b"]) == {"cross_year.prev_items@licensing"}          # 10 + 2 ≠ 13
    assert "cross_year.prev_items@penalty" in flags_of(out["b"], "unverifiable")  # last year's change blank
    assert "a" not in out                                                       # nothing before 2019


def test_other_office_or_gap_year_is_not_compared():
    a = year_report("a", "甲", 2020, [cell("requests", "carried_forward", "total", 3)])
    b = year_report("b", "乙", 2021, [cell("requests", "carried_over", "total", 9)])
    c = year_report("c", "甲", 2022, [cell("requests", "carried_over", "total", 9)])
    found = check_cross_year([a, b, c])        # nothing compared; the missing 2021 is said
    assert list(found) == ["c"] and [f.flag for f in found["c"]] == ["cross_year.gap@report"]
    assert found["c"][0].severity == "info" and "2021" in found["c"][0].message_en
