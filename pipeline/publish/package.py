"""datapackage.json: the published datasets as a Frictionless data package.

A researcher cites and loads a dataset through its descriptor: each Parquet file a resource with
its schema — every field's type, description, English title, Chinese label, unit and, for the
panel's variables, what they hold in the legacy, 2019 and 2021 formats — its size and hash, the
pipeline and schema versions, the GB/T 2260 list the division codes come from, the licence and how
to cite. Everything in it comes from the declarations (pipeline.publish.schema, .variables) and
the data table `data/package.csv`; it validates with the `frictionless` library:

    frictionless validate extracted/datapackage.json

Written by publish beside the datasets, with no date in it: the same dataset gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from pipeline import data
from pipeline.core.store import write_atomic
from pipeline.publish import schema

DESCRIPTOR = "datapackage.json"
TITLES = {"reports": "one row per input file", "sections": "the sections found in each report",
          "cells": "one row per cell of the reports' tables", "flags": "every finding, with its evidence",
          "panel": "one row per office and year", "panel_balance": "every office × year: which are missing"}
PRIMARY_KEYS = {"reports": ["report_id", "source", "input"], "panel": ["office_id", "year"],
                "panel_balance": ["office_id", "year"]}


@lru_cache(maxsize=1)
def facts() -> dict:
    """{key: value} of data/package.csv: the package's name, title, licence, citation."""
    return {r["key"]: r["value"] for r in data.rows("package.csv")}


def field_type(t: pa.DataType) -> str:
    """The Table Schema type of an Arrow type. A list column (bbox, cells, ocr_pages) is `any`:
    frictionless reads Parquet through pandas, which hands a list over as an array its `array`
    type refuses; the field's `parquet_type` names the list."""
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_list(t):
        return "any"
    return "string"


def field(c: schema.Column) -> dict:
    out = {"name": c.name, "type": field_type(c.type), "description": c.doc}
    if pa.types.is_list(c.type):
        out["parquet_type"] = str(c.type).replace("list<item: ", "list<")
    if c.label:
        out["title"] = c.label
    if c.zh:
        out["label_zh"] = c.zh
    if c.unit:
        from pipeline.publish.variables import units
        u = units()[c.unit]
        out["unit"] = f"{u.en} ({u.zh})" if u.zh else u.en
    if c.formats:
        out["formats"] = {f: note for f, note in c.formats}
    if c.name.endswith("_state") and c.type == pa.string():
        from pipeline.dataset.crosswalk import null_states
        out["constraints"] = {"enum": list(null_states())}
    return out


def resource(folder: Path, name: str) -> dict:
    path = Path(folder) / f"{name}.parquet"
    blob = path.read_bytes()
    out = {"name": name.replace("_", "-"), "path": path.name, "profile": "tabular-data-resource",
           "format": "parquet", "mediatype": "application/vnd.apache.parquet", "encoding": "utf-8",
           "title": f"{name}.parquet — {TITLES.get(name, name)}", "size_bytes": len(blob),
           "sha256": hashlib.sha256(blob).hexdigest(),      # not `bytes`/`hash`: frictionless cannot count a
                                                            # Parquet file's bytes, and fails them
           "schema": {"fields": [field(c) for c in schema.DATASETS[name]], "missingValues": []}}
    if name in PRIMARY_KEYS:
        out["schema"]["primaryKey"] = PRIMARY_KEYS[name]
    return out


def descriptor(folder: Path) -> dict:
    """The data package of the datasets in `folder` (those it has)."""
    from pipeline.core.version import pipeline_version
    from pipeline.extract.gazetteer import vintage
    f = facts()
    names = [n for n in schema.DATASETS if (Path(folder) / f"{n}.parquet").exists()]
    return {"profile": "tabular-data-package", "name": f["name"], "title": f["title"],
            "description": f["description"], "version": schema.SCHEMA_VERSION,
            "licenses": [{"name": f["license_name"], "title": f["license_title"], "path": f["license_path"]}],
            "sources": [{"title": f["source_title"]},
                        {"title": f"GB/T 2260 administrative division codes: {vintage()}"}],
            "contributors": [{"title": "ogi", "role": "author"}],
            "ogi": {"pipeline_version": pipeline_version(), "schema_version": schema.SCHEMA_VERSION,
                    "gbt2260": vintage(), "code_license": f["code_license"], "citation": f["citation"]},
            "resources": [resource(folder, n) for n in names]}


def write(folder: Path) -> Path:
    """Write `folder`/datapackage.json (atomically)."""
    path = Path(folder) / DESCRIPTOR
    write_atomic(path, (json.dumps(descriptor(folder), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return path
