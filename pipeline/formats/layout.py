"""The national layouts as data: which tables, rows and columns each format (2019, 2021) has.

Everything that needs the shape of the forms asks here — the extractor for row and column
orders and for telling the formats apart, the checks for what a column may hold, completeness
accounting for the cells a report should have, the codebook and the panel for the list of codes.
The knowledge itself is `data/tables.csv`, `data/layout.csv` and `data/value_types.csv`.

The reports before 2019 (format `legacy`) have no national layout: each office printed its own
selection of the State Council's indicators in one statistics table (table `legacy`, outline
`legacy` in tables.csv). Its rows and columns are in layout.csv too, in SCHEMA.md's order, for the
codebook and the relations; `tables()` and `FORMATS` stay the national ones, and a legacy report's
layout is what its table prints (pipeline/extract/legacy.py).

A layout row may belong to a variant (`group=choice`): the 2021 form's （六）其他处理 is printed as
one row (`other=one_row`) or as three (`other=split`); a report has one choice of each group. A
column written `code?` is optional: a table has it in every row or in none (the 法人或其他组织
subtotal some offices add).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline import data

FORMATS = ("2019", "2021")
LEGACY = "legacy"      # the format, outline and table code of the reports before 2019
OTHER_ROW = "other:"   # a legacy indicator the data does not know: other:<label as printed>


@dataclass(frozen=True)
class TableInfo:
    code: str
    number: str       # 二 三 四: the section number the table sits under
    section: str      # the section code
    title_zh: str
    title_en: str
    anchors: tuple    # words that mark a piece of text or markup as this table


@dataclass(frozen=True)
class LayoutRow:
    format: str
    table: str
    row: str
    cols: tuple       # value columns, in printed order
    optional: frozenset  # of cols: present in every row of the table or in none
    variant: tuple    # ((group, choice), ...) this row belongs to; () for every report


@lru_cache(maxsize=1)
def all_tables() -> dict:
    """{table code: TableInfo} of every outline: the national tables and the legacy one."""
    return {r["code"]: TableInfo(r["code"], r["number"], r["section"], r["title_zh"], r["title_en"],
                                 tuple(r["anchors"].split()))
            for r in data.rows("tables.csv")}


@lru_cache(maxsize=1)
def tables() -> dict:
    """{table code: TableInfo} of the national tables, in the order the report prints them."""
    national = {r["code"] for r in data.rows("tables.csv") if r["outline"] != LEGACY}
    return {code: info for code, info in all_tables().items() if code in national}


def title(table: str, lang: str = "zh") -> str:
    """The table's printed title, 二、主动公开政府信息情况 (or its English name); a table code the
    data does not know is returned as it is, so a message never fails on it."""
    info = all_tables().get(table)
    if info is None:
        return table
    if lang != "zh":
        return info.title_en
    return f"{info.number}、{info.title_zh}" if info.number else info.title_zh


@lru_cache(maxsize=1)
def layout_rows() -> tuple:
    out = []
    for r in data.rows("layout.csv"):
        cols = r["cols"].split()
        out.append(LayoutRow(r["format"], r["table"], r["row"], tuple(c.rstrip("?") for c in cols),
                             frozenset(c.rstrip("?") for c in cols if c.endswith("?")),
                             tuple(tuple(v.split("=", 1)) for v in r["variant"].split())))
    return tuple(out)


@lru_cache(maxsize=None)      # pure functions of the data tables, asked per cell
def rows_of(table: str, fmt: str | None = None) -> tuple:
    """Row codes of a table in printed order (of one format, or of both merged in order)."""
    return _merged([_unique(r.row for r in layout_rows() if r.table == table and r.format == f)
                    for f in _formats(fmt)])


@lru_cache(maxsize=None)      # pure functions of the data tables, asked per cell
def cols_of(table: str, fmt: str | None = None, optional: bool = True) -> tuple:
    """Column codes of a table in printed order; `optional=False` leaves out optional columns."""
    return _merged([_unique(c for r in layout_rows() if r.table == table and r.format == f
                            for c in r.cols if optional or c not in r.optional)
                    for f in _formats(fmt)])


@lru_cache(maxsize=None)      # pure functions of the data tables, asked per cell
def cells_of(fmt: str) -> frozenset:
    """Every (table, row, col) a report of this format can have, whatever its variants."""
    return frozenset((r.table, r.row, c) for r in layout_rows() if r.format == fmt for c in r.cols)


@lru_cache(maxsize=None)
def only_in(fmt: str) -> frozenset:
    """The cells that exist in this format and not in the other: they tell the formats apart."""
    others = frozenset().union(*(cells_of(f) for f in FORMATS if f != fmt))
    return cells_of(fmt) - others


@lru_cache(maxsize=1)
def all_cells() -> tuple:
    """(table, row, col) of every format, in printed order: tables, then rows, then columns."""
    out = []
    for t in tables():
        for row in rows_of(t):
            for col in cols_of(t):
                if any((t, row, col) in cells_of(f) for f in FORMATS):
                    out.append((t, row, col))
    return tuple(out)


def formats_with(table: str, row: str, col: str) -> tuple:
    return tuple(f for f in FORMATS if (table, row, col) in cells_of(f))


@lru_cache(maxsize=1)
def _value_types() -> dict:
    return {(r["table"], r["col"]): r["type"] for r in data.rows("value_types.csv")}


def value_type(table: str, col: str, row: str = "") -> str:
    """`count` (a non-negative whole number), `signed` (may be negative) or `amount` (万元, may
    be fractional): by column, or by row in a table whose rows carry the units (legacy)."""
    types = _value_types()
    return types.get((table, col)) or types.get((table, row), "count")


def _unique(items) -> tuple:
    return tuple(dict.fromkeys(items))


def _formats(fmt):
    return FORMATS if fmt is None else (fmt,)


def _merged(sequences: list) -> tuple:
    """Sequences merged keeping each one's order: an item new to the result goes right after the
    item it follows in its own sequence (2021's other_* rows after 2019's other)."""
    out = []
    for seq in sequences:
        prev = None
        for item in seq:
            if item not in out:
                out.insert(out.index(prev) + 1 if prev is not None else len(out), item)
            prev = item
    return tuple(out)
