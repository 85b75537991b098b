"""The published datasets' schemas: every column, its Arrow type and its meaning, in one place.

The Parquet files have exactly these schemas whether they hold no row or 10⁵, and whether or not
anything failed, so files of several runs read together (DuckDB `read_parquet([...])`,
`pyarrow.dataset`). Every column name is usable unquoted in SQL. `SCHEMA_VERSION` is written
into each file's metadata (`ogi.schema_version`) and bumped whenever a column is added, removed,
renamed or retyped. docs/outputs.md is generated from `DATASETS` (python -m pipeline.docs).
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

SCHEMA_VERSION = "2"
METADATA_KEY = b"ogi.schema_version"


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str


S, I32, I64, F64, B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
ID = (Column("report_id", S, "first 16 hex digits of the file's SHA-256: stable across runs and machines (of "
                             "a `skipped` entry, which has no content read, a digest of its name)"),
      Column("source", S, "path of the file relative to the input folder"))

DATASETS = {
    "reports": ID + (
        Column("sha256", S, "full content hash (null for a `skipped` entry)"),
        Column("size", I64, "bytes (null for a `skipped` entry)"),
        Column("detected_format", S, "real format sniffed from the content: `pdf`, `txt`, `md`, `html`, "
                                     "`docx`, `doc`, `wps`, `ofd`, `image`, or `empty` / `unknown` / `zip`; "
                                     "`skipped` for what was not opened (a symbolic link that loops, dangles or "
                                     "leads outside the input folder, a named pipe or device)"),
        Column("status", S, "`ok` (a report, read completely), `partial` (a report, incompletely read: a "
                            "standard table, the office or the year not found), `failed` (could not be read), "
                            "`not_a_report` (read, but no standard table and fewer than two of the six section "
                            "headings: not an annual report)"),
        Column("error", S, "a sentence: for `failed`, why the file could not be read (a limit it exceeds is "
                           "named with its value and flag); for `not_a_report`, what was found instead; null "
                           "for `ok` and `partial`"),
        Column("office", S, "the office's full name, a district qualified with its city (淮安市洪泽区人民政府)"),
        Column("year", I32, "reporting year (from the title, not the publication date)"),
        Column("format_version", S, "`2019`, `2021` (read from the table headers) or `unknown`"),
        Column("province", S, "province of the office"),
        Column("city", S, "prefecture-level city of the office (municipalities: the city is the province)"),
        Column("county", S, "county-level division of the office"),
        Column("title", S, "the title as found"),
        Column("pages", I32, "pages in the source (1 for formats without pages)"),
        Column("ocr_pages", pa.list_(I32), "pages read by OCR"),
        Column("n_cells", I32, "cells extracted"),
        Column("n_errors", I32, "findings of severity `error`"),
        Column("duplicate_of", S, "for a file whose content equals an earlier one: that file's `source` "
                                  "(its cells are not repeated)"),
        Column("pipeline_version", S, "package version + digest of code and data tables; a re-run redoes a "
                                      "file only when this, its options or its content changed"),
    ),
    "sections": ID + (
        Column("section", S, "`overview` `active` `requests` `review_litigation` `problems` `other`"),
        Column("heading", S, "the heading as written"),
        Column("text", S, "the section's running text (tables excluded)"),
        Column("first_page", I32, "first page of the section"),
        Column("last_page", I32, "last page of the section"),
    ),
    "cells": ID + (
        Column("table_code", S, "table code of SCHEMA.md: `active`, `requests`, `review_litigation`"),
        Column("row_code", S, "row code of SCHEMA.md (`new`, `granted`, `rules` …)"),
        Column("col_code", S, "column code of SCHEMA.md (`natural_person`, `total`, `in_force` …)"),
        Column("kind", S, "`number`, `blank`, `na` (/ — 无 不适用…), `text`"),
        Column("value", F64, "the number (amounts in 万元); null for blank and na; for text, its leading "
                             "number if any"),
        Column("raw", S, "the cell's text as printed"),
        Column("page", I32, "page of the cell"),
        Column("bbox", pa.list_(F64), "`[x0, top, x1, bottom]` in PDF points for formats with geometry; "
                                      "null otherwise"),
        Column("grid_row", I32, "row of the cell in its table's grid"),
        Column("grid_col", I32, "column of the cell in its table's grid"),
        Column("row_label", S, "the printed label the row was matched from"),
        Column("col_label", S, "the printed header the column was matched from"),
        Column("match_score", F64, "how sure the label match was (1 = exact after normalisation)"),
        Column("ocr_confidence", F64, "recognition confidence for OCR'd cells, null for text layers"),
        Column("low_confidence", B, "an OCR'd number below the confidence threshold (also flagged "
                                    "`ocr.low_confidence`)"),
    ),
    "flags": ID + (
        Column("flag", S, "`rule@location`, as SCHEMA.md and the truth files write a flag"),
        Column("rule", S, "rule id (see the rule list below)"),
        Column("location", S, "where in the report: the row or column code a relation broke at (`review`, "
                              "`natural_person`), a cell code (`active.rules.in_force`), a table or section "
                              "code, or `report`"),
        Column("severity", S, "`error` (a relation that does not hold), `warning` (something a person should "
                              "look at), `unverifiable` (an operand is blank, na, text or missing), `info`"),
        Column("expected", S, "what the rule expects (for sums: the parts' sum)"),
        Column("found", S, "what the report has (for sums: the printed total)"),
        Column("message_zh", S, "what is wrong and where, in Chinese"),
        Column("message_en", S, "the same in English"),
        Column("page", I32, "page of the first cell involved (or of the page the finding is about)"),
        Column("bbox", pa.list_(F64), "union of the involved cells' boxes on that page, in PDF points"),
        Column("cells", pa.list_(S), "`table.row.col` codes of the cells involved"),
        Column("stage", S, "the stage that found it: `parse`, `extract`, `check`, `cross_year`"),
    ),
}


def arrow_schema(name: str) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.type) for c in DATASETS[name]],
                     metadata={METADATA_KEY: SCHEMA_VERSION.encode()})


def column_names(name: str) -> list:
    return [c.name for c in DATASETS[name]]


def to_table(name: str, rows: list) -> pa.Table:
    """Rows (dicts; missing keys are null, extra keys are ignored) as a table of the declared
    schema. A value of the wrong type is an error here, not a silently different file."""
    schema = arrow_schema(name)
    columns = {c: [r.get(c) for r in rows] for c in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)
