"""Completeness accounting: which cells a report's layout should have, and which were read.

A report is `ok` only when every cell of its layout was read; the pipeline's own output must
say what it did not read, so a gap never looks like data. The expected cells come from the
layout data (data/layout.csv) for the detected format, with the report's own variants: the
（六） row group as one row or three (the choice with more rows read; the national form's three
when neither was read), and an optional column (the 法人或其他组织 subtotal) expected in every
row once any row has it. Every missing row, and every row read only in part, is a finding.
"""
from __future__ import annotations

from pipeline.core.findings import Finding, catalogue
from pipeline.core.results import Completeness
from pipeline.extract.collect import Collector
from pipeline.extract.formats import UNKNOWN
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label


def expected_cells(fmt: str, found: set) -> set:
    """(table, row, col) the layout of `fmt` asks of a report whose read cells are `found`."""
    fmts = layout.FORMATS if fmt == UNKNOWN else (fmt,)
    best = None
    for f in fmts:
        cells = _expected_for(f, found)
        if best is None or len(cells & found) > len(best & found) or \
                (len(cells & found) == len(best & found) and len(cells) < len(best)):
            best = cells
    return best


def _expected_for(fmt: str, found: set) -> set:
    rows = [r for r in layout.layout_rows() if r.format == fmt]
    read_rows = {(t, r) for t, r, _ in found}
    chosen = {}
    for table, group in {(r.table, g) for r in rows for g, _ in r.variant}:
        choices = {}
        for r in rows:
            for g, c in r.variant:
                if r.table == table and g == group:
                    got, n = choices.get(c, (0, 0))
                    choices[c] = (got + ((table, r.row) in read_rows), n + 1)
        chosen[(table, group)] = max(choices, key=lambda c: choices[c])
    used_optional = {(t, c) for t, _, c in found}
    out = set()
    for r in rows:
        if any(chosen[(r.table, g)] != c for g, c in r.variant):
            continue
        for col in r.cols:
            if col in r.optional and (r.table, col) not in used_optional:
                continue
            out.add((r.table, r.row, col))
    return out


def account(out: Collector, fmt: str, missing_tables: set) -> Completeness:
    """Compare the cells read with the layout's; a finding for every missing row or cell."""
    completeness, findings = accounting(out.cells, fmt, missing_tables)
    out.findings.extend(findings)
    return completeness


def accounting(cells: list, fmt: str, missing_tables: set) -> tuple:
    """(Completeness, [structure.missing_rows / structure.missing_cells findings]) of a report's
    cells against its layout; the tables in `missing_tables` (not found at all) are said missing
    by a finding of their own. Run again where a later stage adds cells (pipeline.dataset.decide)."""
    found = {c.key for c in cells}
    expected = expected_cells(fmt, found)
    missing, findings = {}, []
    for t, r, c in sorted(expected - found, key=_printed_order):
        missing.setdefault(t, {}).setdefault(r, []).append(c)
    for table, rows in missing.items():
        if table in missing_tables:
            continue
        whole = [r for r, cols in rows.items() if all((table, r, c) not in found for c in cols)
                 and not any(t == table and rr == r for t, rr, _ in found)]
        if whole:
            names = "、".join(canonical_label(table, "row", r) for r in whole)
            findings.append(_finding("structure.missing_rows", table, " ".join(whole),
                                     f"{layout.title(table)}表缺少以下行：{names}",
                                     f"{layout.title(table, 'en')}: rows not read: {' '.join(whole)}"))
        for r, cols in rows.items():
            if r in whole:
                continue
            names = "、".join(canonical_label(table, "col", c) for c in cols)
            findings.append(_finding("structure.missing_cells", f"{table}.{r}", " ".join(cols),
                                     f"{layout.title(table)}表“{canonical_label(table, 'row', r)}”行缺少：{names}",
                                     f"{layout.title(table, 'en')}, row {r}: cells not read: {' '.join(cols)}"))
    return Completeness(len(expected), len(expected & found), missing), findings


def _finding(rule: str, location: str, expected: str, zh: str, en: str) -> Finding:
    return Finding(rule, location, catalogue()[rule].severity, expected, "", zh, en)


def _printed_order(key: tuple):
    table, row, col = key
    tables = list(layout.tables())
    rows, cols = layout.rows_of(table), layout.cols_of(table)
    return (tables.index(table), rows.index(row) if row in rows else 99, cols.index(col) if col in cols else 99)
