"""`ogi export OUT --stata FILE.dta`: the panel as a Stata dataset.

Stata names a variable in at most 32 characters (letters, digits, `_`), and pandas mangles longer
names on its own (`requests__not_processed_confirmation__legal_entity_subtotal` and 190 others
would lose their meaning). The panel's names are kept where they fit; a cell code's column is
written with short forms of its codes (data/stata_names.csv: `requests` → `r`, `not_processed_` →
`np_`, `legal_entity_subtotal` → `legal_sub`): `r_np_confirmation_legal_sub`, one name per code
and no two alike. Every variable carries its label — the Chinese wording the forms print (the
codebook's, data/variables.csv for the declared columns), which Stata 14+ (format 118, UTF-8)
keeps as written, as it keeps the offices' names. Counts stay integers (Stata `long`, missing
as `.`), amounts and shares doubles; a string null is Stata's empty string.

The data label names the pipeline version, the time stamp is fixed (the same panel gives the same
bytes); the codebook (docs/codebook.md) and datapackage.json
give each variable's English label, unit and meaning per format.
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from pipeline import data
from pipeline.core.store import write_atomic
from pipeline.publish import schema

MAX_NAME, MAX_LABEL = 32, 80
STATA_VERSION = 118                 # Stata 14+: UTF-8 strings and labels
FIXED_DATE = datetime(2000, 1, 1)   # the file's time stamp: the same panel gives the same bytes
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@lru_cache(maxsize=1)
def _short() -> dict:
    return {(r["table"], r["axis"], r["code"]): r["short"] for r in data.rows("stata_names.csv")}


def stata_name(column: str) -> str:
    """A panel column's Stata name: itself where it fits, a cell code's column with the short forms
    of its codes (`review_litigation__litigation_after_review__total` → `rl_lit_after_review_total`)."""
    parts = column.split("__")
    if len(parts) != 3:
        return column
    t, r, c = parts
    short = _short()
    return "_".join((short.get((t, "table", t), t), short.get((t, "row", r), r), short.get((t, "col", c), c)))


@lru_cache(maxsize=1)
def names() -> dict:
    """{panel column: Stata name} for every panel column; refuses a name Stata cannot take and
    two columns with one name (a short form missing from data/stata_names.csv)."""
    out = {c.name: stata_name(c.name) for c in schema.DATASETS["panel"]}
    bad = [n for n in out.values() if len(n) > MAX_NAME or not NAME.match(n)]
    if bad:
        raise ValueError(f"Stata names longer than {MAX_NAME} characters or not valid: {bad} "
                         "(add short forms to pipeline/data/stata_names.csv)")
    seen = {}
    for col, name in out.items():
        if name in seen:
            raise ValueError(f"{col} and {seen[name]} would both be {name} in Stata")
        seen[name] = col
    return out


def label(column: schema.Column) -> str:
    """A variable's label: the Chinese wording, else the English label, at most 80 characters."""
    text = column.zh or column.label or column.name
    if len(text) > MAX_LABEL:
        raise ValueError(f"the label of {column.name} is longer than {MAX_LABEL} characters: {text}")
    return text


def frame(folder: Path) -> pd.DataFrame:
    """The panel of `folder` with Stata's names; integers as nullable integers, no lists."""
    panel = pd.read_parquet(Path(folder) / "panel.parquet")
    missing = [c.name for c in schema.DATASETS["panel"] if c.name not in panel.columns]
    if missing:
        raise ValueError(f"{folder}/panel.parquet lacks {len(missing)} columns of schema version "
                         f"{schema.SCHEMA_VERSION} ({missing[0]} …): run `ogi publish {folder}` again")
    panel = panel[[c.name for c in schema.DATASETS["panel"]]]
    for c in panel.columns:
        if pd.api.types.is_bool_dtype(panel[c]):
            panel[c] = panel[c].astype("Int8")
        elif pd.api.types.is_string_dtype(panel[c]):
            panel[c] = panel[c].astype(object).where(panel[c].notna(), "")
    return panel.rename(columns=names())


def write(folder: Path, path: Path) -> Path:
    """Write the panel of `folder` to `path` as a Stata (.dta, format 118) file."""
    labels = {names()[c.name]: label(c) for c in schema.DATASETS["panel"]}
    buf = io.BytesIO()
    version = _pipeline_version(folder)
    frame(folder).to_stata(buf, write_index=False, version=STATA_VERSION, variable_labels=labels,
                           data_label=f"ogi panel, schema {schema.SCHEMA_VERSION}, pipeline {version}"[:80],
                           time_stamp=FIXED_DATE)
    write_atomic(Path(path), buf.getvalue())
    return Path(path)


def _pipeline_version(folder: Path) -> str:
    meta = pq.read_schema(Path(folder) / "panel.parquet").metadata or {}
    return meta.get(schema.PIPELINE_KEY, b"unknown").decode()
