"""What a printed cell holds: number, blank, na or text (SCHEMA.md "What a cell holds").

A blank is not a zero and "/" is not a zero: both are kept apart so that a rule with such an
operand is reported unverifiable, never broken. Amounts are stored in 万元. What marks a cell
not applicable is the data table `data/na_marks.csv` (`na_marks`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

from pipeline import data

SPECKS = "·•‧∙'`‘’"   # dust a scan or a careless typist leaves beside a number
COUNT_UNITS = ("件", "条", "个", "项", "次", "人")
NUMBER = re.compile(r"^([+\-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
LEADING = re.compile(r"^\s*([+\-]?\d[\d,]*(?:\.\d+)?)")


@dataclass(frozen=True)
class NaMarks:
    """The marks of a cell that is not applicable, from data/na_marks.csv."""
    cells: frozenset    # a cell that holds one of these, and nothing else, is na
    in_run: str         # the characters read as one na cell each inside a line's run of values
    dashes: str         # those of them of which a run (——) is still one mark


@lru_cache(maxsize=1)
def na_marks() -> NaMarks:
    """The na marks of data/na_marks.csv: every reader of a cell's kind asks here."""
    rows = data.rows("na_marks.csv")
    for r in rows:
        if r["in_run"] not in ("", "mark", "dash") or (r["in_run"] and len(r["mark"]) != 1):
            raise ValueError(f"data/na_marks.csv: {r['mark']!r}: in_run is empty, mark or dash, and only a "
                             "single character is read inside a run of values")
    return NaMarks(frozenset(r["mark"] for r in rows), "".join(r["mark"] for r in rows if r["in_run"]),
                   "".join(r["mark"] for r in rows if r["in_run"] == "dash"))


@dataclass(frozen=True)
class Value:
    kind: str                 # number | blank | na | text
    value: Optional[float]
    raw: str
    unit: str = ""            # the unit printed in the cell, if any


def clean(raw: str) -> str:
    """Half-width, no spaces of any kind (NBSP, ideographic), unified dashes."""
    t = unicodedata.normalize("NFKC", raw or "")
    t = t.replace("\u2212", "-").replace("\ufe63", "-").replace("\uff0b", "+")
    t = re.sub(r"\s+", "", t).strip(SPECKS)
    return re.sub(r"(?<=\d)[.。]+$", "", t)     # "2." — no number ends with a dot


def parse(raw: str, amount_factor: float = 1.0) -> Value:
    """Classify and read one cell. `amount_factor` converts a unitless amount to 万元."""
    raw = raw if raw is not None else ""
    t = clean(raw)
    if t in ("", "&nbsp;"):
        return Value("blank", None, raw)
    if t in na_marks().cells:
        return Value("na", None, raw)
    number, unit = _split_unit(t)
    m = NUMBER.match(number)
    if m:
        return Value("number", _scaled(number, unit, amount_factor), raw, unit)
    lead = LEADING.match(t)
    value = _to_float(lead.group(1)) if lead else None
    return Value("text", value, raw)


def _split_unit(t: str):
    for unit in ("万元", "元") + COUNT_UNITS:
        if t.endswith(unit) and len(t) > len(unit):
            return t[: -len(unit)], unit
    return t, ""


def _scaled(number: str, unit: str, amount_factor: float) -> float:
    d = Decimal(number.replace(",", ""))
    if unit == "元":
        d = d / Decimal(10000)
    elif unit == "" and amount_factor != 1.0:
        d = d * Decimal(str(amount_factor))
    return float(d)


def _to_float(s: str):
    try:
        return float(Decimal(s.replace(",", "")))
    except InvalidOperation:
        return None


def amount_factor(header: str) -> float:
    """万元 per printed unit, read from a column header: 元 → 0.0001, 万元 or nothing → 1."""
    h = clean(header)
    if "万元" in h:
        return 1.0
    if re.search(r"[(（:：]\s*元|单位[:：]?元|\(元\)", h):
        return 0.0001
    return 1.0
