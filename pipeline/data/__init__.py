"""The format knowledge of the pipeline, as data tables (CSV) beside this file.

tables.csv       the three standard tables: code, number, section, titles, words that mark them
layout.csv       every table's rows and columns in each format (2019, 2021), with the known
                 variants: a row group printed one way or another (`variant` group=choice), and
                 optional columns (`code?`: in every row of the table or in none)
value_types.csv  columns whose numbers are not plain counts (signed, amount)
labels.csv       printed labels and synonyms per table and axis (row/col/group/header); the first
                 label of a code is its canonical wording
sections.csv     the six section headings and their variants
rules.csv        reconciliation relations (SCHEMA.md rule ids)
narrative.csv    sentences of 一、总体情况 whose numbers must equal the tables
findings.csv     every other rule id a stage can emit, with its severity and description
words.txt        jieba's dictionary for label words (regenerate: python -m pipeline.labels)
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent


@lru_cache(maxsize=None)
def rows(name: str) -> tuple:
    """The rows of data table `name` (e.g. "labels.csv") as dicts."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))
