"""The words people read in the outputs instead of codes: the Chinese (or English) name of a value
(a severity, a status, a level, a kind of office, a format, the kind of a cell's value) from
`data/value_names.csv`, and of a rule from the findings catalogue (`data/rule_names.csv`).

The audit report, the workbook and `ogi compare` all ask here, so a value is called the same in
each of them; the datasets keep the codes.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline import data
from pipeline.core.findings import rule_name

__all__ = ["rule_name", "value_name", "values_of"]


@lru_cache(maxsize=1)
def _names() -> dict:
    return {(r["field"], r["value"]): r for r in data.rows("value_names.csv")}


def value_name(field: str, value, lang: str = "zh") -> str:
    """The name of `value` of `field` (severity `error` → 错误); the value itself when the table
    has no name for it, '' for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    row = _names().get((field, str(value)))
    return row[lang] if row else str(value)


def values_of(field: str) -> tuple:
    """The values the table names for `field`, in its order."""
    return tuple(v for f, v in _names() if f == field)
