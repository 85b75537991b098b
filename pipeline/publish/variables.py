"""What a researcher reads about each variable: its labels (English, Chinese), its unit, and what
it holds in each format — for the columns the dataset generates (a cell code, an indicator of the
crosswalk, a share) and those it declares (data/variables.csv).

One place for the Parquet metadata (pipeline.publish.schema), the data package
(pipeline.publish.package), the Stata export (pipeline.outputs.stata) and the codebook
(pipeline.outputs.docs); the knowledge itself is in data tables, one copy each:

    variables.csv    the English and Chinese label of every declared column
    units.csv        the unit of each value type (count, signed, amount, share)
    cell_labels.csv  a column's label in one row where it differs from the column's own
                     (`amount` is 本年收费金额 in the 行政事业性收费 row, 采购总金额 in 政府集中采购)
    labels.csv, names_en.csv   the codes' printed wordings and English names (the codebook's)
    crosswalk*.csv, indicators.csv, null_states.csv   the panel's indicators and its nulls' states
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipeline import data
from pipeline.formats import layout
from pipeline.formats.labels import canonical_label, name_en


@dataclass(frozen=True)
class Unit:
    type: str
    zh: str
    en: str
    note: str


@lru_cache(maxsize=1)
def units() -> dict:
    """{value type: Unit} of data/units.csv."""
    return {r["type"]: Unit(r["type"], r["unit_zh"], r["unit_en"], r["note"]) for r in data.rows("units.csv")}


@lru_cache(maxsize=1)
def declared_labels() -> dict:
    """{(dataset, column): (English label, Chinese label)} of data/variables.csv."""
    return {(r["dataset"], r["column"]): (r["en"], r["zh"]) for r in data.rows("variables.csv")}


@lru_cache(maxsize=1)
def _cell_labels() -> dict:
    return {(r["table"], r["row"], r["col"]): (r["zh"], r["en"]) for r in data.rows("cell_labels.csv")}


def col_label(table: str, row: str, col: str, lang: str = "zh") -> str:
    """A column's label in one row: the row's own wording of it where it has one (data
    /cell_labels.csv: 采购总金额, not 本年收费金额), else the column's canonical wording."""
    own = _cell_labels().get((table, row, col))
    if own:
        return own[0] if lang == "zh" else own[1]
    return canonical_label(table, "col", col) if lang == "zh" else name_en(table, "col", col)


def cell_labels(table: str, row: str, col: str) -> tuple:
    """(English, Chinese) label of a cell code's panel column: `granted — all applicants`,
    `予以公开｜总计`; the legacy table's prefixed `legacy:` / `2019年前：`."""
    en = f"{name_en(table, 'row', row)} — {col_label(table, row, col, 'en')}"
    zh = f"{canonical_label(table, 'row', row)}｜{col_label(table, row, col)}"
    if table == layout.LEGACY:
        en, zh = f"legacy: {en}", f"2019年前：{zh}"
    return en, zh


def cell_notes(table: str, row: str, col: str) -> tuple:
    """((format, what the cell is there), …) for each format: the printed wording where the
    format has the cell, `not in this format` where it has not."""
    where = set(layout.formats_with(table, row, col))
    if table == layout.LEGACY:
        where = {layout.LEGACY}
    out = []
    for fmt in (layout.LEGACY,) + layout.FORMATS:
        if fmt in where:
            out.append((fmt, f"{canonical_label(table, 'row', row)} · {col_label(table, row, col)}"))
        else:
            out.append((fmt, "not in this format"))
    return tuple(out)


def cell_unit(table: str, row: str, col: str) -> str:
    """The value type of a cell code (data/value_types.csv): count, signed or amount."""
    return layout.value_type(table, col, row)
