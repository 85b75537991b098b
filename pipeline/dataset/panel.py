"""panel.parquet: one row per office and year, from the canonical document of each report.

A researcher's panel without the traps: the long cells pivoted into one column per cell code
(`requests.new.total` → `requests__new__total`: the dots of a code become double underscores,
so every column is usable unquoted in SQL), the 2019 and 2021 formats side by side (null where a
format has no such cell), one document per office-year (the canonical one of its group,
pipeline.dataset.groups), with its completeness and error count.

A cell's column holds its `value` as in cells.parquet: the number (amounts in 万元); null for a
blank or na cell, for a cell not read, and for a cell the report's format does not have.

The derived indicators are data (`data/indicators.csv`): `numerator / denominator`, each a
signed sum of cell codes (`requests.withheld_*.total` sums the rows the format has); null when an
operand is not a number or the denominator is 0.
"""
from __future__ import annotations

import fnmatch
from functools import lru_cache

from pipeline import data
from pipeline.formats import layout

FIXED = ("office_id", "year", "office", "division_code", "province", "city", "county", "level", "kind",
         "format_version", "report_id", "source", "n_forms", "status", "cells_expected", "cells_found",
         "n_errors")


def cell_column(table: str, row: str, col: str) -> str:
    """The panel column of a cell code: requests.new.total → requests__new__total."""
    return f"{table}__{row}__{col}"


@lru_cache(maxsize=1)
def indicators() -> tuple:
    return tuple((r["name"], data.terms(r["numerator"]), data.terms(r["denominator"]), r["numerator"],
                  r["denominator"], r["zh"], r["en"]) for r in data.rows("indicators.csv"))


@lru_cache(maxsize=None)
def _codes(code: str, fmt: str) -> tuple:
    """The cell codes a term names in a format: itself, or those its wildcard matches."""
    if "*" not in code:
        return (code,)
    have = layout.cells_of(fmt) if fmt in layout.FORMATS else frozenset(layout.all_cells())
    return tuple(".".join(k) for k in layout.all_cells() if fnmatch.fnmatch(".".join(k), code) and k in have)


def _sum(terms: tuple, values: dict, fmt: str):
    total = 0.0
    for sign, code, _ in terms:
        codes = _codes(code, fmt)
        if not codes:
            return None
        for c in codes:
            v = values.get(c)
            if v is None:
                return None
            total += sign * v
    return total


def indicator_values(values: dict, fmt: str) -> dict:
    out = {}
    for name, num, den, *_ in indicators():
        n, d = _sum(num, values, fmt), _sum(den, values, fmt)
        out[name] = n / d if n is not None and d else None
    return out


def takes(report: dict) -> bool:
    """Whether a row of reports.parquet is a panel row: the canonical document of an office-year,
    read, not a duplicate."""
    return bool(report.get("canonical") and report.get("office_id") and report.get("year")
                and report.get("status") != "failed" and not report.get("duplicate_of"))


def facts(report: dict) -> dict:
    """What a panel row takes from the report's row: a few fields, kept per office-year while
    publish streams (the cells are read again when the row is made)."""
    out = {k: report.get(k) for k in FIXED if k in report}
    out["n_forms"] = report.get("group_size")
    return out


def order(rows: list) -> list:
    """The panel's order: by office and year (stable: forms in the catalogue's order)."""
    return sorted(rows, key=lambda x: (x["office_id"], x["year"]))


def values_of(cells: list) -> dict:
    """{cell code: value} of one report's cells (CellRecords) that have a value."""
    return {c.code: c.value for c in cells if c.value is not None}


def row(report_facts: dict, values: dict) -> dict:
    """One panel row: the report's facts, the indicators, a column per cell code."""
    out = dict(report_facts)
    out.update(indicator_values(values, report_facts.get("format_version") or ""))
    for t, rw, c in layout.all_cells():
        out[cell_column(t, rw, c)] = values.get(f"{t}.{rw}.{c}")
    return out


def build(reports: list, cells: list) -> list:
    """Panel rows from the rows of reports.parquet and cells.parquet (as dicts), all in memory
    (publish streams the same rows: takes, facts, order, row)."""
    by_report = {}
    for c in cells:
        if c["value"] is not None:
            by_report.setdefault(c["report_id"], {})[f"{c['table_code']}.{c['row_code']}.{c['col_code']}"] = c["value"]
    return [row(f, by_report.get(f["report_id"], {})) for f in order([facts(r) for r in reports if takes(r)])]
