"""The indicators that run across the three formats: legacy (before 2019), 2019 and 2021.

Before 2019 each province printed its own statistics table (table `legacy`); from 2019 the
national tables count other things in other ways. The crosswalk (`data/crosswalk.csv`, one row
per indicator and format; the indicators themselves, their labels, units and the caveat where
the meaning shifts, in `data/crosswalk_indicators.csv`) says which cells of each format make
each indicator, as a signed sum of cell codes (`requests.withheld_*.total` sums the rows the
format has). An empty `cells` means the format has no such indicator.

A null is never silent: `evaluate` gives a value or the reason there is none (the states of
`data/null_states.csv`). A cell the report prints but leaves blank, marks n/a or fills with
text makes the sum null with that state; a cell its layout has but that was not read makes it
`unread`; a cell of the format that this report's table does not print (a legacy table's own
selection; a variant of the 2021 form, （六） as one row or three) is left out of the sum, and an
indicator none of whose cells the report prints is `not_printed`.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pipeline import data
from pipeline.formats import layout

FORMATS = (layout.LEGACY,) + layout.FORMATS
# the states of a null that make a sum null, the most telling first (data/null_states.csv)
PENDING = ("unread", "fraction", "text", "blank", "na")
ABSENT = ("not_printed", "not_in_format")        # an operand the report does not have: left out


@dataclass(frozen=True)
class Indicator:
    name: str
    type: str            # count | amount (data/units.csv)
    zh: str
    en: str
    caveat: str
    cells: dict          # {format: the sum as written in crosswalk.csv ('' where the format lacks it)}
    definitions: dict    # {format: what the format prints}

    def terms(self, fmt: str) -> tuple:
        """The signed terms of the indicator's sum in `fmt` (data.terms); () where it has none."""
        return data.terms(self.cells.get(fmt, ""))


@lru_cache(maxsize=1)
def indicators() -> tuple:
    """The crosswalk's indicators, in the order of data/crosswalk_indicators.csv."""
    per = {}
    for r in data.rows("crosswalk.csv"):
        per.setdefault(r["indicator"], {})[r["format"]] = r
    out = []
    for r in data.rows("crosswalk_indicators.csv"):
        rows = per.get(r["indicator"], {})
        if set(rows) != set(FORMATS):
            raise ValueError(f"data/crosswalk.csv: {r['indicator']} needs one row per format {FORMATS}, "
                             f"has {sorted(rows)}")
        out.append(Indicator(r["indicator"], r["type"], r["zh"], r["en"], r["caveat"],
                             {f: rows[f]["cells"] for f in FORMATS},
                             {f: rows[f]["definition"] for f in FORMATS}))
    return tuple(out)


@lru_cache(maxsize=1)
def null_states() -> dict:
    """{state: (zh, en)} of data/null_states.csv: what a null of the panel means."""
    return {r["state"]: (r["zh"], r["en"]) for r in data.rows("null_states.csv")}


@lru_cache(maxsize=None)
def codes(code: str, fmt: str) -> tuple:
    """The cell codes a term names in a format: itself, or those of the format its wildcard matches."""
    if "*" not in code:
        return (code,)
    have = layout.cells_of(fmt)
    return tuple(".".join(k) for k in sorted(have) if fnmatch.fnmatch(".".join(k), code))


class ReportCells:
    """One report's cells as the panel reads them: each code's value, or the state of its null."""

    def __init__(self, fmt: str, cells: list, missing: Optional[dict] = None):
        self.format = fmt or "unknown"
        self.cells = {c.code: c for c in cells}
        self.missing = {f"{t}.{r}.{c}" for t, rows in (missing or {}).items() for r, cols in rows.items()
                        for c in cols}

    @classmethod
    def of(cls, extracted) -> "ReportCells":
        """From an Extracted (pipeline.core.results) as published: corrections applied."""
        return cls(extracted.format_version, extracted.cells, extracted.completeness.missing)

    def state(self, code: str) -> Optional[str]:
        """None when the cell has a value; else why not (data/null_states.csv)."""
        cell = self.cells.get(code)
        if cell is not None:
            if cell.value is None:
                return cell.kind if cell.kind in PENDING else "unread"
            if _is_count(code) and not float(cell.value).is_integer():
                return "fraction"
            return None
        if self.format not in FORMATS or code in self.missing:
            return "unread"
        key = tuple(code.split(".", 2))
        return "not_printed" if key in layout.cells_of(self.format) else "not_in_format"

    def value(self, code: str):
        """The cell's value as the panel holds it (an int for a count), or None."""
        if self.state(code) is not None:
            return None
        v = self.cells[code].value
        return int(v) if _is_count(code) else v


def _is_count(code: str) -> bool:
    t, r, c = code.split(".", 2)
    return layout.value_type(t, c, r) != "amount"


def evaluate(terms: tuple, report: ReportCells) -> tuple:
    """(value, None) of a signed sum of cell codes in `report`, or (None, state): the most
    telling state of an operand without a value (PENDING's order); operands the report does not
    have are left out, and a sum with nothing left is `not_printed` or `not_in_format`."""
    if report.format not in FORMATS:
        return None, "unread"
    total, counted, pending, absent = 0, 0, set(), set()
    for sign, code, _ in terms:
        for c in codes(code, report.format) or (code,):
            state = report.state(c)
            if state in ABSENT:
                absent.add(state)
            elif state:
                pending.add(state)
            else:
                total += sign * report.value(c)
                counted += 1
    if pending:
        return None, next(s for s in PENDING if s in pending)
    if not counted:
        return None, next((s for s in ABSENT if s in absent), "not_in_format")
    return total, None
