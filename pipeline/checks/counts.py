"""values.non_negative and values.integer: every count is a non-negative whole number.

Which columns are not plain counts is data (`data/value_types.csv`: 本年增/减 may be negative,
amounts may be fractional), read through pipeline.formats.layout.
"""
from __future__ import annotations

from pipeline.core.findings import Finding, with_evidence
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label, code_name


def check_counts(cells: list) -> list:
    out = []
    for c in cells:
        if c.kind != "number" or c.value is None:
            continue
        kind = layout.value_type(c.table_code, c.col_code, c.row_code)
        where, v = c.code, c.value
        name = f"{layout.title(c.table_code)} {canonical_label(c.table_code, 'row', c.row_code)}" \
               f" / {canonical_label(c.table_code, 'col', c.col_code)}"
        if v < 0 and kind != "signed":
            out.append(with_evidence(Finding(
                "values.non_negative", where, "error", "≥ 0", c.shown,
                f"{name}：数量不能为负数（{c.shown}）", f"{code_name(where, 'en')}: a count cannot be negative ({c.shown!r})"), [c]))
        if not float(v).is_integer() and kind != "amount":
            out.append(with_evidence(Finding(
                "values.integer", where, "error", "整数", c.shown,
                f"{name}：件数应为整数（{c.shown}）", f"{code_name(where, 'en')}: a count must be a whole number ({c.shown!r})"), [c]))
    return out
