"""narrative.* rules: numbers stated in 一、总体情况 should equal the tables.

The sentences are matched with the patterns of `data/narrative.csv`. Prose is free, so a
mismatch is a warning for a person to read, not an error; the sentence is quoted as evidence.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .. import data
from ..findings import Finding, with_evidence


@lru_cache(maxsize=1)
def patterns() -> tuple:
    return tuple((r["what"], r["table"], r["row"], r["col"], re.compile(r["pattern"]))
                 for r in data.rows("narrative.csv"))


def check_narrative(overview_text: str, cells: list) -> list:
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", overview_text or ""))
    index = {(c["table_code"], c["row_code"], c["col_code"]): c for c in cells}
    out = []
    for what, table, row, col, pat in patterns():
        m = pat.search(text)
        cell = index.get((table, row, col))
        if not m or cell is None or cell["kind"] != "number":
            continue
        stated = int(m.group(1))
        if abs(stated - cell["value"]) > 1e-6:
            sentence = text[max(0, m.start() - 10): m.end() + 5]
            out.append(with_evidence(Finding(
                f"narrative.{what}", f"{table}.{row}.{col}", "warning", str(stated), cell["raw"],
                f"一、总体情况写“…{sentence}…”（{stated}），而表中为 {cell['raw']}",
                f"the overview states {stated} ({what}) but the table has {cell['raw']!r}",
                extra={"sentence": sentence}), [cell]))
    return out
