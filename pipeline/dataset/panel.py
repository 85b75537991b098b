"""panel.parquet: one row per office and year, from the canonical document of each report.

A researcher's panel without the traps: the long cells pivoted into one column per cell code
(`requests.new.total` → `requests__new__total`: the dots of a code become double underscores,
so every column is usable unquoted in SQL), the 2019, 2021 and legacy (before 2019) formats side
by side (null where a format has no such cell), one document per office-year (the canonical one
of its group, pipeline.dataset.groups), with its completeness and its findings counted.

A cell's column holds its `value` as in cells.parquet: a count as an integer, an amount in 万元;
null for a blank or na cell, for a cell not read, for a count printed as a fraction, and for a
cell the report's format does not have.

The indicators across the three formats are data (`data/crosswalk.csv`, pipeline.dataset
.crosswalk): each a signed sum of the cells its format has, with a companion `<name>_state`
that says why a null is null (`data/null_states.csv`: blank, na, text, fraction, unread,
not_printed, not_in_format). The derived shares are data too (`data/indicators.csv`):
`numerator / denominator`, each a signed sum of cell codes (`requests.withheld_*.total` sums the
rows the format has), with a state of their own (`zero_denominator` besides the cells' states).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline import data
from pipeline.core.findings import catalogue
from pipeline.dataset import crosswalk
from pipeline.dataset.crosswalk import ReportCells, evaluate
from pipeline.formats import layout

FIXED = ("office_id", "year", "office", "division_code", "province", "city", "county", "level", "kind",
         "format_version", "report_id", "source", "n_forms", "status", "cells_expected", "cells_found",
         "n_errors")
STATE_SUFFIX = "_state"


def cell_column(table: str, row: str, col: str) -> str:
    """The panel column of a cell code: requests.new.total → requests__new__total."""
    return f"{table}__{row}__{col}"


@lru_cache(maxsize=1)
def cells() -> tuple:
    """(table, row, col) of every cell column of the panel: the national tables' cells in printed
    order, then the legacy table's indicators (SCHEMA.md's order) with their columns."""
    legacy = layout.LEGACY
    return layout.all_cells() + tuple((legacy, r, c) for r in layout.rows_of(legacy, legacy)
                                      for c in layout.cols_of(legacy, legacy))


@lru_cache(maxsize=1)
def indicators() -> tuple:
    """The derived shares (data/indicators.csv): (name, numerator terms, denominator terms,
    numerator, denominator, zh, en)."""
    return tuple((r["name"], data.terms(r["numerator"]), data.terms(r["denominator"]), r["numerator"],
                  r["denominator"], r["zh"], r["en"]) for r in data.rows("indicators.csv"))


@lru_cache(maxsize=1)
def error_rules() -> tuple:
    """The rule ids of severity `error`: the panel counts each one's findings in a column."""
    return tuple(sorted(rid for rid, info in catalogue().items() if info.severity == "error"))


def error_column(rule: str) -> str:
    """The panel column counting a rule's errors: requests.balance → errors_requests_balance."""
    return "errors_" + rule.replace(".", "_")


@dataclass
class Quality:
    """What the findings published for one document say of its numbers, for its panel row."""
    warnings: int = 0
    unverifiable: int = 0
    errors: Optional[dict] = None      # {rule: n}

    @classmethod
    def of(cls, flags: list) -> "Quality":
        """From the document's rows of flags.parquet (dicts with `rule` and `severity`)."""
        q = cls(errors={})
        for f in flags:
            if f["severity"] == "warning":
                q.warnings += 1
            elif f["severity"] == "unverifiable":
                q.unverifiable += 1
            elif f["severity"] == "error":
                q.errors[f["rule"]] = q.errors.get(f["rule"], 0) + 1
        return q

    def columns(self) -> dict:
        errors = self.errors or {}
        return {"n_warnings": self.warnings, "n_unverifiable": self.unverifiable,
                **{error_column(r): errors.get(r, 0) for r in error_rules()}}


def takes(report: dict) -> bool:
    """Whether a row of reports.parquet is a panel row: the canonical document of an office-year,
    read, not a duplicate."""
    return bool(report.get("canonical") and report.get("office_id") and report.get("year")
                and report.get("status") != "failed" and not report.get("duplicate_of"))


def facts(report: dict, flags: list = ()) -> dict:
    """What a panel row takes from the report's row and its flags: a few fields, kept per
    office-year while publish streams (the cells are read again when the row is made)."""
    out = {k: report.get(k) for k in FIXED if k in report}
    out["n_forms"] = report.get("group_size")
    expected, found = report.get("cells_expected"), report.get("cells_found")
    out["completeness"] = found / expected if expected and found is not None else None
    out.update(Quality.of(list(flags)).columns())
    out["pipeline_version"] = report.get("pipeline_version")
    return out


def order(rows: list) -> list:
    """The panel's order: by office and year (stable: forms in the catalogue's order)."""
    return sorted(rows, key=lambda x: (x["office_id"], x["year"]))


def row(report_facts: dict, report: ReportCells) -> dict:
    """One panel row: the report's facts, the indicators across formats with their states, the
    shares with theirs, a column per cell code."""
    out = dict(report_facts)
    for ind in crosswalk.indicators():
        value, state = evaluate(ind.terms(report.format), report)
        out[ind.name], out[ind.name + STATE_SUFFIX] = value, state
    for name, num, den, *_ in indicators():
        out[name], out[name + STATE_SUFFIX] = share(num, den, report)
    for t, rw, c in cells():
        out[cell_column(t, rw, c)] = report.value(f"{t}.{rw}.{c}")
    return out


def share(num: tuple, den: tuple, report: ReportCells) -> tuple:
    """(numerator / denominator, None), or (None, why not): an operand's state, or
    `zero_denominator`."""
    n, n_state = evaluate(num, report)
    d, d_state = evaluate(den, report)
    if n_state or d_state:
        return None, n_state or d_state
    if not d:
        return None, "zero_denominator"
    return n / d, None


def balance(panel_rows: list, documents: dict):
    """panel_balance.parquet, row by row: every office of the panel × every year from the panel's
    first to its last, whether the office-year has a panel row, and how many documents the dataset
    holds for it (`documents`: {(office_id, year): n}, forms and partial ones included)."""
    if not panel_rows:
        return
    years = range(min(r["year"] for r in panel_rows), max(r["year"] for r in panel_rows) + 1)
    have = {(r["office_id"], r["year"]) for r in panel_rows}
    names = {}
    for r in panel_rows:              # the office's name as its latest report gives it (rows by year)
        names[r["office_id"]] = r.get("office")
    for o in sorted(names):
        for y in years:
            yield {"office_id": o, "year": y, "office": names[o], "in_panel": (o, y) in have,
                   "n_documents": documents.get((o, y), 0)}
