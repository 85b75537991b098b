"""Tables for a terminal: columns aligned by what they take on screen, where a Chinese character
takes two columns (pandas counts it as one, so a column with Chinese text pushes the ones after
it out of line), and numbers as people write them (260, not 260.0). `ogi query` and `ogi compare`
print through here."""
from __future__ import annotations

import math
import unicodedata

import pandas as pd


def display_width(text: str) -> int:
    """Columns a text takes on screen or in a spreadsheet: wide (CJK) characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def aligned(header: list, rows: list, right=()) -> str:
    """Rows of text cells under a header, every column as wide as its widest cell; the columns in
    `right` (indexes) aligned right. A cell's line breaks become spaces."""
    right = set(right)
    cells = [[" ".join(str(c).split("\n")) for c in r] for r in [header, *rows]]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]
    return "\n".join("  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)).rstrip() for r in cells)


def value_text(v) -> str:
    """One value of a query's result as people write it: a whole number without '.0', a missing
    value empty, a list as its items."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.10g}"
    if isinstance(v, (list, tuple)) or (hasattr(v, "tolist") and not isinstance(v, str)):
        items = v.tolist() if hasattr(v, "tolist") else v
        return "[" + ", ".join(value_text(x) for x in items) + "]" if isinstance(items, list) else value_text(items)
    return str(v)


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """A query's result with each float column whose values are all whole as integers (nullable:
    a missing value stays missing), so that CSV and the screen print 260, not 260.0."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            known = s.dropna()
            if len(known) and (known == known.round()).all() and known.abs().max() < 2 ** 53:
                out[col] = s.astype("Int64")
    return out


def frame_text(frame: pd.DataFrame) -> str:
    """A query's result as an aligned table: numbers to the right."""
    if not len(frame.columns):
        return "(no columns)"
    right = [i for i, c in enumerate(frame.columns) if pd.api.types.is_numeric_dtype(frame[c])
             and not pd.api.types.is_bool_dtype(frame[c])]
    rows = [[value_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return aligned([str(c) for c in frame.columns], rows, right)
