"""Amounts printed in 元 and stored in 万元: each conversion said once, with what was printed.

Every amount is stored in 万元; a report may print it in 元, in the cell ("251000元") or in its
column or row header ("单位：元", a legacy row's 计量单位 元). The reading is right, but a reader
checking the dataset against the page sees 25.1 where the page says 251000: an info finding
`values.unit_converted` on the cell records the conversion with the raw text. Found from the
cells themselves (the stored value against the number the raw text prints), so one rule covers
the conversions of every extractor.
"""
from __future__ import annotations

from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.core.values import parse
from pipeline.formats import layout


def converted(cell) -> bool:
    """Whether the cell's value (万元) was converted from a number printed in 元; a zero, a blank,
    a text and an amount printed in 万元 (or without a unit) were not."""
    if cell.kind != "number" or not cell.value:
        return False
    if layout.value_type(cell.table_code, cell.col_code, cell.row_code) != "amount":
        return False
    printed = parse(cell.raw)
    if printed.kind != "number" or printed.value is None:
        return False
    return printed.unit == "元" or printed.value != cell.value


def _exact(value: float) -> str:
    """Every digit of the converted value (73802895.90元 is 7380.28959万元, not 7380.29)."""
    return number_text(value) if float(value).is_integer() else repr(float(value))


def conversions(cells: list) -> list:
    """An info finding for every amount cell converted from 元 to 万元."""
    out = []
    for c in cells:
        if converted(c):
            wan, raw = _exact(c.value), c.raw.strip()
            out.append(with_evidence(Finding(
                "values.unit_converted", c.code, "info", expected=f"{wan}万元", found=raw,
                message_zh=f"金额以元印制，已换算为万元：{raw} → {wan}万元",
                message_en=f"an amount printed in yuan was stored in 10,000 yuan: {raw} → {wan}"), [c]))
    return out
