"""The published datasets' schemas: every column, its Arrow type and its meaning, in one place.

The Parquet files have exactly these schemas whether they hold no row or 10⁵, and whether or not
anything failed, so files of several runs read together (DuckDB `read_parquet([...])`,
`pyarrow.dataset`). Every column name is usable unquoted in SQL. `SCHEMA_VERSION` is written
into each file's metadata (`ogi.schema_version`) and bumped whenever a column is added, removed,
renamed or retyped. docs/outputs.md is generated from `DATASETS` (python -m pipeline.outputs.docs).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache

import pyarrow as pa

from pipeline.core.findings import catalogue
from pipeline.dataset import crosswalk, panel
from pipeline.publish import variables

SCHEMA_VERSION = "4"
METADATA_KEY = b"ogi.schema_version"
PIPELINE_KEY = b"ogi.pipeline_version"      # the pipeline version that wrote the file
DIVISIONS_KEY = b"ogi.gbt2260"              # the GB/T 2260 list the division codes come from
PANDAS_KEY = b"pandas"                      # pandas reads the integer columns as nullable integers


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    label: str = ""          # in English: the data package's title, Stata's variable label
    zh: str = ""             # in Chinese
    unit: str = ""           # a value type of data/units.csv: count, signed, amount, share
    formats: tuple = ()      # ((format, what the column holds there), …): legacy, 2019, 2021


S, I32, I64, F64, B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
NUMBER_TYPES = {"count": I64, "signed": I64, "amount": F64}
ID = (Column("report_id", S, "first 16 hex digits of the file's SHA-256: stable across runs and machines (of "
                             "a `skipped` entry, which has no content read, a digest of its name)"),
      Column("source", S, "path of the file relative to the input folder"))

def _panel_columns():
    """The panel's generated columns: its quality, the crosswalk's indicators and their states,
    the shares and theirs, a column per cell code."""
    yield Column("completeness", F64, "cells_found / cells_expected: the share of the canonical document's "
                                      "layout read (1 for `ok`); null where the layout is unknown", unit="share")
    yield Column("n_warnings", I32, "findings of severity `warning` on the canonical document", unit="count")
    yield Column("n_unverifiable", I32, "relations of the canonical document that could not be verified (an "
                                        "operand blank, na, text or not read)", unit="count")
    rules = catalogue()
    for rule in panel.error_rules():
        yield Column(panel.error_column(rule), I32, f"findings of rule `{rule}` on the canonical document: "
                                                    f"{rules[rule].en}", f"errors: {rule}", f"错误：{rule}",
                     unit="count")
    yield Column("pipeline_version", S, "the pipeline version that made the row (package version + digest of "
                                        "every stage's code, data tables and engines): cite it with the data")
    for ind in crosswalk.indicators():
        notes = tuple((f, ind.definitions[f]) for f in crosswalk.FORMATS)
        yield Column(ind.name, NUMBER_TYPES[ind.type], f"{ind.en} ({ind.zh}), in every format: the crosswalk's "
                     f"indicator (docs/codebook.md, crosswalk); null where `{ind.name}{panel.STATE_SUFFIX}` says why. "
                     f"{ind.caveat}", ind.en, ind.zh, ind.type, notes)
    for name, *_, num, den, zh, en, label in _shares():
        yield Column(name, F64, f"{en}: ({num}) / ({den}); null where `{name}{panel.STATE_SUFFIX}` says why (an "
                                "operand without a value, or a denominator of 0)", label, zh, "share")
    for ind in [*(i.name for i in crosswalk.indicators()), *(s[0] for s in _shares())]:
        yield Column(ind + panel.STATE_SUFFIX, S, f"why `{ind}` is null: {', '.join(crosswalk.null_states())} "
                                                 f"(the codebook's null states); null where `{ind}` has a value",
                     f"why {ind} is null", f"{ind} 空值原因")
    for t, r, c in panel.cells():
        en, zh = variables.cell_labels(t, r, c)
        unit = variables.cell_unit(t, r, c)
        yield Column(panel.cell_column(t, r, c), NUMBER_TYPES[unit], f"`{t}.{r}.{c}`", en, zh, unit,
                     variables.cell_notes(t, r, c))


def _shares() -> tuple:
    """The derived shares of data/indicators.csv with their short labels."""
    from pipeline import data
    labels = {r["name"]: r["label"] for r in data.rows("indicators.csv")}
    return tuple((*ind, labels[ind[0]]) for ind in panel.indicators())


DATASETS = {
    "reports": ID + (
        Column("sha256", S, "full content hash (null for a `skipped` entry)"),
        Column("size", I64, "bytes (null for a `skipped` entry)"),
        Column("detected_format", S, "real format sniffed from the content: `pdf`, `txt`, `md`, `html`, "
                                     "`docx`, `doc`, `wps`, `ofd`, `image`, or `empty` / `unknown` / `zip`; "
                                     "`skipped` for what was not opened (a symbolic link that loops, dangles or "
                                     "leads outside the input folder, a named pipe or device)"),
        Column("status", S, "`ok` (a report, every cell of its layout read), `partial` (a report, incompletely "
                            "read: a standard table, rows or cells of its layout, the office or the year not "
                            "found), `failed` (could not be read), `not_a_report` (read, but no standard table "
                            "and fewer than two of the six section headings: not an annual report)"),
        Column("error", S, "a sentence: for `failed`, why the file could not be read (a limit it exceeds is "
                           "named with its value and flag); for `not_a_report`, what was found instead; null "
                           "for `ok` and `partial`"),
        Column("office", S, "the office's full name, a district qualified with its city (淮安市洪泽区人民政府); "
                            "abbreviations written out (政府 → 人民政府, 科委 → 科学技术委员会) and a one-character slip "
                            "in a division's name corrected (沐阳县 → 沭阳县)"),
        Column("office_as_printed", S, "the office's name as the report prints it (玄武区政府, 市科委, 沐阳县…)"),
        Column("office_id", S, "stable key of the office across years and forms: division code and the office's "
                               "normalised name within it (`320102:人民政府`); `000000:<office>` when no division is "
                               "known"),
        Column("division_code", S, "GB/T 2260 code of the office's division (county, city or province); a renamed "
                                   "division's current code (邵东县 → 430582), an abolished one's former code"),
        Column("level", S, "`province`, `city`, `county` or `township` (街道, 乡, 镇)"),
        Column("kind", S, "`government` (人民政府, 管理委员会), `department` (局, 委, 办…) or `township` (街道办事处, "
                          "乡镇人民政府)"),
        Column("year", I32, "reporting year (from the title, not the publication date)"),
        Column("format_version", S, "`2019`, `2021` (read from the table headers), `legacy` (a report before "
                                    "2019: its own statistics table, or figures in its text) or `unknown`"),
        Column("province", S, "province of the office"),
        Column("city", S, "prefecture-level city of the office (municipalities: the city is the province); "
                          "null where there is none"),
        Column("county", S, "county-level division of the office; null where there is none"),
        Column("title", S, "the title as found"),
        Column("pages", I32, "pages in the source (1 for formats without pages)"),
        Column("ocr_pages", pa.list_(I32), "pages read by OCR"),
        Column("n_cells", I32, "cells extracted"),
        Column("cells_expected", I32, "cells the report's layout has (its format, with the variants it "
                                      "shows); null when the format is unknown and no table was read"),
        Column("cells_found", I32, "of those, the cells read; status `ok` needs cells_found = cells_expected"),
        Column("n_errors", I32, "findings of severity `error`"),
        Column("duplicate_of", S, "for a file whose content equals an earlier one: that file's `source` "
                                  "(its cells are not repeated)"),
        Column("input", S, "the input folder the file was found in, relative to the output folder (`../raw` "
                           "for `ogi run raw -o extracted`; never the machine's absolute path): OUT / input / "
                           "source is the file; a dataset grows over runs and input folders"),
        Column("group_id", S, "the report this document is a form of: `<office_id>/<year>` (its PDF, web page, "
                              "scan … share it); the report_id when office or year is unknown"),
        Column("group_size", I32, "distinct documents in the group (forms of the same report)"),
        Column("canonical", B, "whether this document is its group's canonical one: the one panel.parquet and "
                               "the cross-year checks use (the order is in docs/outputs.md)"),
        Column("pipeline_version", S, "package version + digest of every stage's code, data tables and "
                                      "engines; a re-run redoes a stage of a file only when that stage's "
                                      "own stamp, its options or the file changed"),
    ),
    "sections": ID + (
        Column("section", S, "`overview` `active` `requests` `review_litigation` `problems` `other`"),
        Column("heading", S, "the heading as written (empty when the section was found by its content)"),
        Column("found_by", S, "`heading`, or `content` where the heading was lost (a converter dropped it, a "
                              "scan turned its page): the section's standard table, or its opening words"),
        Column("text", S, "the section's running text (tables excluded)"),
        Column("first_page", I32, "first page of the section"),
        Column("last_page", I32, "last page of the section"),
    ),
    "cells": ID + (
        Column("table_code", S, "table code of the codebook: `active`, `requests`, `review_litigation`, `legacy`"),
        Column("row_code", S, "row code of the codebook (`new`, `granted`, `rules` …)"),
        Column("col_code", S, "column code of the codebook (`natural_person`, `total`, `in_force` …)"),
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
        Column("placement", S, "how the cell was placed: `labelled` (by its row and column labels), "
                               "`aligned` (its labels were lost: by the layout's order, confirmed by the "
                               "table's arithmetic), `split` (digits run together, cut the only way the row "
                               "adds up), `text` (a legacy report's figure stated in its text: `raw` is the "
                               "sentence)"),
        Column("ocr_confidence", F64, "recognition confidence for OCR'd cells, null for text layers"),
        Column("low_confidence", B, "an OCR'd number below the confidence threshold (also flagged "
                                    "`ocr.low_confidence`)"),
        Column("corrected", B, "whether a reviewer's line of corrections.csv replaced the value read "
                               "(`kind` and `value` are then the corrected ones)"),
        Column("extracted_kind", S, "for a corrected cell: the kind as read; null otherwise"),
        Column("extracted_value", F64, "for a corrected cell: the value as read (null when it was blank, na "
                                       "or text); null otherwise"),
        Column("correction_note", S, "for a corrected cell: the correction's `note`"),
        Column("corrected_by", S, "for a corrected cell: the correction's `who`"),
    ),
    "flags": ID + (
        Column("flag", S, "`rule@location`, as the codebook's relations and the truth files write a flag"),
        Column("rule", S, "rule id (see the rule list below)"),
        Column("location", S, "where in the report: the row or column code a relation broke at (`review`, "
                              "`natural_person`), a cell code (`active.rules.in_force`), a table or section "
                              "code, or `report`; for a line of the corrections file, `corrections.csv:<line>`"),
        Column("severity", S, "`error` (a relation that does not hold), `warning` (something a person should "
                              "look at), `unverifiable` (an operand is blank, na, text or missing), `info`"),
        Column("expected", S, "what the rule expects (for sums: the parts' sum)"),
        Column("found", S, "what the report has (for sums: the printed total)"),
        Column("message_zh", S, "what is wrong and where, in Chinese"),
        Column("message_en", S, "the same in English"),
        Column("page", I32, "page of the first cell involved (or of the page the finding is about)"),
        Column("bbox", pa.list_(F64), "union of the involved cells' boxes on that page, in PDF points"),
        Column("cells", pa.list_(S), "`table.row.col` codes of the cells involved"),
        Column("stage", S, "the stage that found it: `parse`, `extract`, `check`, `cross_year` (an office's "
                           "consecutive years), `forms` (forms of one report against each other), "
                           "`corrections` (the reviewer's corrections file, applied at publish)"),
    ),
    "panel": (
        Column("office_id", S, "the office (reports.office_id)"),
        Column("year", I32, "reporting year"),
        Column("office", S, "the office's full name, as the canonical document gives it"),
        Column("division_code", S, "GB/T 2260 code of the office's division"),
        Column("province", S, "province of the office"),
        Column("city", S, "prefecture-level city of the office; null where there is none (a province's office)"),
        Column("county", S, "county-level division of the office; null where there is none"),
        Column("level", S, "`province`, `city`, `county` or `township`"),
        Column("kind", S, "`government`, `department` or `township`"),
        Column("format_version", S, "`legacy` (before 2019), `2019` or `2021` (`unknown` where no table was "
                                    "read): which cells the row can have"),
        Column("report_id", S, "the canonical document the row's numbers come from"),
        Column("source", S, "its path relative to its input folder"),
        Column("n_forms", I32, "documents of this office-year in the dataset (forms of the report)"),
        Column("status", S, "the canonical document's status: `ok` (every cell of its layout read) or `partial`"),
        Column("cells_expected", I32, "cells the canonical document's layout has"),
        Column("cells_found", I32, "of those, the cells read"),
        Column("n_errors", I32, "findings of severity `error` on the canonical document (within the report and "
                                "across years)"),
    ) + tuple(_panel_columns()),
    "panel_balance": (
        Column("office_id", S, "an office of the panel"),
        Column("year", I32, "a year from the panel's first reporting year to its last"),
        Column("office", S, "the office's full name, as its latest report in the panel gives it"),
        Column("in_panel", B, "whether panel.parquet has a row for this office-year"),
        Column("n_documents", I32, "documents of this office and year in reports.parquet (forms of the report, "
                                   "partial ones and those that are no report included; 0: the dataset has no "
                                   "document of it)"),
    ),
}
PANEL_CELLS = len(panel.cells())     # the last columns of the panel: one per cell code


def _label_declared() -> None:
    """Every declared column gets its labels from data/variables.csv."""
    labels = variables.declared_labels()
    for name, columns in DATASETS.items():
        DATASETS[name] = tuple(replace(c, label=labels[(name, c.name)][0], zh=labels[(name, c.name)][1])
                               if (name, c.name) in labels else c for c in columns)


_label_declared()


@lru_cache(maxsize=None)
def arrow_schema(name: str) -> pa.Schema:
    """The dataset's Arrow schema: each field with its description and labels, the file with the
    schema and pipeline versions, the GB/T 2260 list, and what pandas needs to read its integer
    columns as integers (nullable: Int64 with <NA>, not float64 with NaN)."""
    from pipeline.core.version import pipeline_version
    from pipeline.extract.gazetteer import vintage
    columns = DATASETS[name]
    meta = {METADATA_KEY: SCHEMA_VERSION.encode(), PIPELINE_KEY: pipeline_version().encode(),
            DIVISIONS_KEY: vintage().encode()}
    meta[PANDAS_KEY] = _pandas_metadata(columns)
    return pa.schema([pa.field(c.name, c.type, metadata=_field_metadata(c)) for c in columns], metadata=meta)


def _field_metadata(c: Column) -> dict:
    meta = {b"description": c.doc}
    for key, value in (("label", c.label), ("label_zh", c.zh), ("unit", c.unit)):
        if value:
            meta[key.encode()] = value
    return {k: v.encode() for k, v in meta.items()}


def _pandas_metadata(columns: tuple) -> bytes:
    """The `pandas` schema metadata naming the integer columns' nullable dtypes (what
    DataFrame.to_parquet writes), so pd.read_parquet gives Int64 with <NA>, not float64 with NaN."""
    integers = {I32: "Int32", I64: "Int64"}
    return json.dumps({"index_columns": [], "column_indexes": [],
                       "columns": [{"name": c.name, "field_name": c.name, "pandas_type": str(c.type),
                                    "numpy_type": integers[c.type], "metadata": None}
                                   for c in columns if c.type in integers]}, ensure_ascii=False).encode()


def column_names(name: str) -> list:
    return [c.name for c in DATASETS[name]]


def to_table(name: str, rows: list) -> pa.Table:
    """Rows (dicts; missing keys are null, extra keys are ignored) as a table of the declared
    schema. A value of the wrong type is an error here, not a silently different file."""
    schema = arrow_schema(name)
    columns = {c: [r.get(c) for r in rows] for c in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)
