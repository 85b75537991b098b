"""What a printed cell holds: number, blank, na or text (SCHEMA.md "What a cell holds").

A blank is not a zero and "/" is not a zero: both are kept apart so that a rule with such an
operand is reported unverifiable, never broken. Amounts are stored in 万元.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

NA = {"/", "//", "\\", "-", "--", "---", "—", "——", "–", "――", "─", "无", "不适用", "暂无", "N/A", "n/a", "NA", "×",
      "一", "一一"}   # a dash that OCR (or a typist) turned into the character 一
SPECKS = "·•‧∙'`‘’"   # dust a scan or a careless typist leaves beside a number
COUNT_UNITS = ("件", "条", "个", "项", "次", "人")
NUMBER = re.compile(r"^([+\-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
LEADING = re.compile(r"^\s*([+\-]?\d[\d,]*(?:\.\d+)?)")


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
    if t in NA:
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
