"""The format knowledge of the pipeline, as data tables (CSV) beside this file.

labels.csv     canonical labels and synonyms per table, axis (row/col/group/header) and format
layout.csv     the active table's rows and columns in each format
sections.csv   the six section headings and their variants
rules.csv      reconciliation relations (SCHEMA.md rule ids)
narrative.csv  sentences of 一、总体情况 whose numbers must equal the tables
words.txt      jieba's dictionary for label words (regenerate: python -m pipeline.labels)
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
