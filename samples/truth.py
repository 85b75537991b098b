"""The ground truth of generated reports, in the shared corpus's format, and the flags in it.

The flags are computed here from the written cells with a small, independent implementation of
SCHEMA.md's reconciliation rules, so that they are exactly what a correct pipeline must raise:
a relation with a blank, na or number-less text operand cannot be verified and is not a flag.
Cross-year flags go to `cross_year.csv`, one row per consecutive pair of the same office.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from . import layouts as L

REPORT_COLUMNS = ("file", "office", "year", "format", "province", "city", "county", "sections", "flags")
CELL_COLUMNS = ("table", "row", "col", "kind", "value")
CROSS_YEAR_COLUMNS = ("office", "year", "prev_year", "flags")
SERIES_COLUMNS = ("series", "file")

_NOT_INTEGER_COLS = ("amount",)
_SIGNED_COLS = ("change",)


def _v(cells: dict, code: tuple):
    """The value of a cell when it can take part in a relation, else None."""
    w = cells.get(code)
    return None if w is None else w.value


def _check(lhs: list, rhs: list) -> bool:
    """True when the relation sum(lhs) = sum(rhs) is verifiable and broken."""
    vals = lhs + rhs
    if any(v is None for v in vals):
        return False
    return sum(lhs) != sum(rhs)


def within_report_flags(cells: dict) -> list:
    """The within-report flags of SCHEMA.md, in rule order, then layout order within a rule."""
    flags = []
    req_rows = {r for (t, r, _) in cells if t == "requests"}
    outcome = [r for r in L.OUTCOME_ROWS if r in req_rows]
    cols = [c for c, _ in L.REQUEST_COLS]
    row_order = [r for r, _ in L.request_rows("2021", True) + L.request_rows("2019", False)]
    rows = sorted(req_rows, key=row_order.index)
    if req_rows:
        for c in cols:
            g = lambda r: _v(cells, ("requests", r, c))
            if _check([g("new"), g("carried_over")], [g("total"), g("carried_forward")]):
                flags.append(f"requests.balance@{c}")
        for c in cols:
            g = lambda r: _v(cells, ("requests", r, c))
            if _check([g("total")], [g(r) for r in outcome]):
                flags.append(f"requests.outcome_sum@{c}")
        for r in rows:
            g = lambda c: _v(cells, ("requests", r, c))
            if _check([g("total")], [g(c) for c in L.APPLICANT_COLS]):
                flags.append(f"requests.row_sum@{r}")
    for r, _ in L.REVIEW_ROWS:
        g = lambda c: _v(cells, ("review_litigation", r, c))
        if _check([g("total")], [g("upheld"), g("corrected"), g("other"), g("pending")]):
            flags.append(f"review_litigation.row_sum@{r}")
    for (t, r, c), w in cells.items():
        if w.value is not None and c not in _SIGNED_COLS and w.value < 0:
            flags.append(f"values.non_negative@{t}.{r}.{c}")
    for (t, r, c), w in cells.items():
        if w.value is not None and c not in _NOT_INTEGER_COLS and w.value != int(w.value):
            flags.append(f"values.integer@{t}.{r}.{c}")
    return flags


def cross_year_flags(prev, cur) -> list:
    """Flags between consecutive years t-1 (`prev`) and t (`cur`) of one office (a legacy
    report's: samples.legacy)."""
    if "legacy" in (prev.format, cur.format):
        from . import legacy
        return legacy.cross_year_flags(prev, cur)
    flags = []
    p, c = prev.cells, cur.cells
    for col, _ in L.REQUEST_COLS:
        if _check([_v(c, ("requests", "carried_over", col))], [_v(p, ("requests", "carried_forward", col))]):
            flags.append(f"cross_year.carry_over@{col}")
    if prev.format == cur.format == "2021":
        for row in ("rules", "normative_docs"):
            a = lambda cells, col: _v(cells, ("active", row, col))
            issued, repealed = a(c, "issued"), a(c, "repealed")
            if _check([a(c, "in_force"), repealed], [a(p, "in_force"), issued]):
                flags.append(f"cross_year.in_force@{row}")
    if prev.format == cur.format == "2019":
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            if _check([_v(p, ("active", row, "prev_items")), _v(p, ("active", row, "change"))],
                      [_v(c, ("active", row, "prev_items"))]):
                flags.append(f"cross_year.prev_items@{row}")
    return flags


def fmt_value(v) -> str:
    """A value as the truth files write it: 13, 25.1, 160.5964; empty for None."""
    if v is None:
        return ""
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return str(int(v))
        return format(v.normalize(), "f")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def write_cells(path: Path, report) -> None:
    """truth/cells/<file>.csv: every cell of the three tables, in truth order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CELL_COLUMNS)
        for (t, r, c), cell in report.cells.items():
            w.writerow((t, r, c, cell.kind, fmt_value(cell.value)))


def report_row(file: str, report) -> dict:
    """One row of truth/reports.csv."""
    return {
        "file": file, "office": report.qualified_office, "year": report.year, "format": report.format,
        "province": report.province, "city": report.city, "county": report.county,
        "sections": " ".join(report.sections), "flags": ";".join(report.flags),
    }


def write_reports(path: Path, rows: list) -> None:
    """truth/reports.csv, with the csv module's default line ends like the shared corpus."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=REPORT_COLUMNS)
        w.writeheader()
        w.writerows(rows)


def cross_year_rows(reports: list) -> list:
    """One row per consecutive pair of years of one office, with the pair's cross-year flags. An
    office that changed its name (a county become a district) is one series: `office` is the
    later year's name."""
    by = {(r.series or r.qualified_office, r.year): r for r in reports}
    rows = []
    for r in reports:
        prev = by.get((r.series or r.qualified_office, r.year - 1))
        if prev is not None:
            rows.append({"office": r.qualified_office, "year": r.year, "prev_year": prev.year,
                         "flags": ";".join(cross_year_flags(prev, r))})
    return rows


def write_cross_year(path: Path, rows: list) -> None:
    """truth/cross_year.csv: the cross-year flags the pipeline must raise for each pair."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CROSS_YEAR_COLUMNS)
        w.writeheader()
        w.writerows(rows)


def write_series(path: Path, rows: list) -> None:
    """truth/offices.csv: the files of each office that changed its name or spans the formats
    (one `series` per office, whatever it called itself), for the reports that have one."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=SERIES_COLUMNS)
        w.writeheader()
        w.writerows(rows)
