"""Publish: the per-report stage results → the Parquet datasets of pipeline/schema.py.

Every finding of every stage — the reader's notices, extraction, the checks, cross-year —
becomes a row of flags.parquet. Files are written atomically with the declared schemas, so an
empty run and a run where everything failed have the same columns and types as any other.
"""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.results import Checked, Extracted, ReportMeta, Segmented
from pipeline.core.store import Workspace, temp_file
from pipeline.core.version import pipeline_version
from pipeline.dataset import groups, panel
from pipeline.dataset.checks import check_dataset, dataset_findings
from pipeline.dataset.crosswalk import ReportCells
from pipeline.dataset.reports import Documents, Reviewed
from pipeline.ingest.catalogue import input_shown
from pipeline.publish import duck, package, schema
from pipeline.publish.status import Verdict, decide, shown_findings

DATASETS = ("reports", "sections", "cells", "flags", "panel", "panel_balance")
# Reports per Parquet row group (and panel rows per row group of panel.parquet): publish holds
# this many reports' rows at a time. A dataset of up to this many reports is one row group, as
# every dataset was before publish streamed, and its files are the same bytes.
ROW_GROUP = 500
BALANCE_ROW_GROUP = 50_000     # rows of panel_balance.parquet per row group (office × year: small rows)
STREAMED = ("reports", "sections", "cells", "flags")     # written report by report; the panel after
NOT_PROCESSED = "not processed yet: run the remaining stages (ogi run)"
NOT_PROCESSED_INTERRUPTED = ("not processed: the run was interrupted before this file was finished; "
                             "run the same command again to finish it")


@dataclass
class Outcome:
    """What became of one catalogued file: the document as published (its stage results with the
    corrections applied), the error that stopped it (if any), its status and the findings
    published for it."""
    doc: Reviewed
    error: Optional[str]
    verdict: Verdict
    findings: list

    @property
    def extracted(self) -> Optional[Extracted]:
        ex = self.doc.extracted
        return ex if isinstance(ex, Extracted) and not self.error else None


def outcome(docs: Documents, entry: dict, cross: dict, interrupted: bool = False) -> Outcome:
    """One file's outcome from whatever the stages left in the work folder, with the reviewer's
    corrections applied (by `docs`). `interrupted`: the run was stopped, so a file without
    results says that, not "run again"."""
    doc = docs.reviewed(entry)
    failure = doc.failure
    error = entry.get("error") or (failure.message if failure else None)
    if doc.checked is None and not error:
        error = NOT_PROCESSED_INTERRUPTED if interrupted else NOT_PROCESSED
    ex = doc.extracted if isinstance(doc.extracted, Extracted) else None
    findings = ((ex.findings if ex else []) + (doc.checked.findings if not error else [])
                + cross.get(entry["report_id"], []))
    verdict = decide(error, findings, ex.found if ex else None)
    return Outcome(doc, error, verdict, shown_findings(verdict, findings))


def with_corrections(ws: Workspace, dataset_checked: bool = False) -> Documents:
    """The dataset's documents with the reviewer's corrections (pipeline.dataset.corrections).
    The dataset checks read them too: when there are any and the checks did not just run (`ogi
    publish` after editing the file), they run again first, on the corrected cells."""
    docs = Documents(ws)
    if docs.fixes and not dataset_checked:
        check_dataset(docs)
    return docs


def report_rows(docs: Documents, assigned: dict, interrupted: bool = False):
    """For each catalogue entry, in order: {dataset: [rows]} of reports, sections, cells and
    flags, from whatever the stages left in the work folder, with the corrections applied; only
    one report's results are in memory at a time. Last, the corrections file's own findings
    (lines that matched nothing or could not be read)."""
    cross = dataset_findings(docs.ws)
    done = set()
    for entry in docs.ws.catalogue():
        rid, src = entry["report_id"], entry["source"]
        first = rid not in done
        o = outcome(docs, entry, cross, interrupted)
        findings = o.findings if first else []   # a duplicate: its row says so, its cells and flags are not repeated
        ex = o.extracted
        cells = ex.cells if first and ex else []
        row = _report_row(entry, ex, o.verdict, cells, findings, docs.ws.out)
        rows = {"reports": [_mark_group(row, assigned)],
                "sections": [], "cells": [], "flags": []}
        if first:
            done.add(rid)
            low = set(o.doc.checked.low_confidence) if isinstance(o.doc.checked, Checked) else set()
            segmented = o.doc.segmented if isinstance(o.doc.segmented, Segmented) and not o.error else None
            for s in segmented.sections if segmented else []:
                rows["sections"].append({"report_id": rid, "source": src, "section": s.code,
                                         "heading": s.heading, "found_by": s.found_by, "text": s.text,
                                         "first_page": s.first_page, "last_page": s.last_page})
            for c in cells:
                rows["cells"].append({"report_id": rid, "source": src, **c.to_dict(),
                                      "low_confidence": c.code in low})
            rows["flags"] = _flag_rows(rid, src, findings)
        yield rows
    if docs.fixes:
        leftover = [row for rid, src, f in docs.fixes.leftover_findings() for row in _flag_rows(rid, src, [f])]
        if leftover:
            yield {"reports": [], "sections": [], "cells": [], "flags": leftover}


def _flag_rows(report_id: str, source: str, findings: list) -> list:
    return [{"report_id": report_id, "source": source, **f.to_dict(), "flag": f.flag} for f in findings]


def collect(ws: Workspace, interrupted: bool = False) -> dict:
    """The datasets as lists of row dicts, all in memory: for tests and small datasets;
    `publish` streams the same rows."""
    docs = with_corrections(ws)
    assigned = groups.assign(docs.facts())
    tables = {name: [] for name in DATASETS}
    source = PanelSource()
    for rows in report_rows(docs, assigned, interrupted):
        source.add(rows)
        for name, more in rows.items():
            tables[name].extend(more)
    for chunk in source.chunks(docs, len(source.candidates) or 1):
        tables["panel"].extend(chunk)
    tables["panel_balance"] = list(panel.balance(tables["panel"], source.documents))
    return tables


class PanelSource:
    """What the panel takes from the report rows as they stream by: the facts of the canonical
    documents (a few fields and their flags counted) and the documents of each office-year."""

    def __init__(self):
        self.candidates, self.documents = [], {}

    def add(self, rows: dict) -> None:
        """One report's rows (report_rows): its reports row and its flags."""
        for r in rows["reports"]:
            if not r.get("duplicate_of") and r.get("office_id") and r.get("year"):
                key = (r["office_id"], r["year"])
                self.documents[key] = self.documents.get(key, 0) + 1
            if panel.takes(r):
                self.candidates.append(panel.facts(r, rows["flags"]))

    def chunks(self, docs: Documents, size: int):
        """The panel rows in order, `size` at a time, each document's cells read again."""
        entries = {e["report_id"]: e for e in docs.entries()}
        for chunk in _chunks(panel.order(self.candidates), size):
            yield [panel.row(r, ReportCells.of(docs.reviewed(entries[r["report_id"]]).extracted)) for r in chunk]


# -- groups of forms (pipeline.dataset.groups): the same choice the dataset checks made ------------------

def _mark_group(row: dict, assigned: dict) -> dict:
    g = assigned.get(row["report_id"])
    if g is not None:
        row["group_id"], row["group_size"] = g.group_id, len(g.members)
        row["canonical"] = g.canonical == row["report_id"] and not row.get("duplicate_of")
    return row


def _report_row(entry: dict, ex: Optional[Extracted], verdict, cells: list, findings: list,
                out: Path) -> dict:
    meta = ex.meta if ex else ReportMeta(title=None, province=None, city=None, county=None)
    failed = verdict.status == "failed"
    return {**{k: entry.get(k) for k in ("report_id", "source", "sha256", "size", "detected_format",
                                         "duplicate_of")},
            "input": input_shown(entry.get("input"), out),
            "status": verdict.status, "error": verdict.error,
            **{k: getattr(meta, k) for k in ("office", "office_as_printed", "office_id", "division_code", "level",
                                             "kind", "year")},
            "format_version": ex.format_version if ex else ("unknown" if not failed else None),
            "province": meta.province or None, "city": meta.city or None, "county": meta.county or None,
            "title": meta.title, "pages": ex.pages if ex else None, "ocr_pages": ex.ocr_pages if ex else [],
            "n_cells": len(cells), "n_errors": sum(f.severity == "error" for f in findings),
            "cells_expected": ex.completeness.expected if ex else None,
            "cells_found": ex.completeness.found if ex else None,
            "pipeline_version": pipeline_version()}


def publish(ws: Workspace, interrupted: bool = False, row_group: int = ROW_GROUP,
            dataset_checked: bool = False, docs: Optional[Documents] = None) -> dict:
    """Write the datasets atomically, streaming: the rows of `row_group` reports at a time (one
    Parquet row group each), so memory does not grow with the dataset; the panel from the
    canonical documents' small facts, its cells read again report by report. `dataset_checked`:
    the dataset checks have just run (as `ogi run` does) on `docs`, over the corrections too.
    Returns {name: path}."""
    docs = docs if docs is not None and dataset_checked else with_corrections(ws, dataset_checked)
    assigned = groups.assign(docs.facts())
    with DatasetFiles(ws.out) as files:
        source, batch = PanelSource(), {name: [] for name in STREAMED}
        for k, rows in enumerate(report_rows(docs, assigned, interrupted), 1):
            source.add(rows)
            for name in STREAMED:        # as Arrow at once: a report's rows as dicts are ~10× bigger
                if rows[name]:
                    batch[name].append(schema.to_table(name, rows[name]))
            if k % row_group == 0:
                _write_batch(files, batch)
        _write_batch(files, batch)
        keys = []
        for rows in source.chunks(docs, row_group):
            files.write("panel", [schema.to_table("panel", rows)])
            keys += [{"office_id": r["office_id"], "year": r["year"], "office": r["office"]} for r in rows]
        for rows in _batched(panel.balance(keys, source.documents), BALANCE_ROW_GROUP):
            files.write("panel_balance", [schema.to_table("panel_balance", rows)])
    paths = files.paths
    paths["datapackage"] = package.write(ws.out)
    paths["duckdb"] = duck.write_database(ws.out)
    return paths


def _write_batch(files: "DatasetFiles", batch: dict) -> None:
    """One row group per dataset of the reports batched; the batch is emptied."""
    for name in STREAMED:
        files.write(name, batch[name])
        batch[name] = []


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _batched(items, size: int):
    """Lists of `size` items of an iterable (the last one shorter)."""
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


class DatasetFiles:
    """The Parquet files of the datasets, written a row group at a time into temporary files
    beside their places, and renamed into place together when every one is complete (an error
    or Ctrl-C on the way leaves the previous datasets as they were). A dataset no row reached is
    written as one empty table: the same file an empty run always wrote."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.writers, self.temps, self.paths = {}, {}, {}

    def __enter__(self):
        return self

    def write(self, name: str, tables: list) -> None:
        """One row group of the rows of `tables` (nothing when there are none), as one table: the
        same bytes as the rows made into a table at once."""
        if not tables:
            return
        self._writer(name).write_table(pa.concat_tables(tables).combine_chunks())

    def _writer(self, name: str):
        if name not in self.writers:
            self.out.mkdir(parents=True, exist_ok=True)
            fd, tmp = temp_file(self.out, f"{name}.parquet")
            os.close(fd)
            self.temps[name] = tmp
            self.writers[name] = pq.ParquetWriter(tmp, schema.arrow_schema(name))
        return self.writers[name]

    def __exit__(self, kind, value, tb):
        try:
            if kind is None:
                for name in DATASETS:
                    if name not in self.writers:
                        self._writer(name).write_table(schema.to_table(name, []))
            for w in self.writers.values():
                w.close()
            if kind is None:
                for name in DATASETS:
                    path = self.out / f"{name}.parquet"
                    os.replace(self.temps.pop(name), path)
                    self.paths[name] = path
        finally:
            for tmp in self.temps.values():
                if os.path.exists(tmp):
                    os.unlink(tmp)
        return False
