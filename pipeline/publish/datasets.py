"""Publish: the per-report stage results → the Parquet datasets of pipeline/schema.py.

Every finding of every stage — the reader's notices, extraction, the checks, cross-year —
becomes a row of flags.parquet. Files are written atomically with the declared schemas, so an
empty run and a run where everything failed have the same columns and types as any other.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.findings import Finding
from pipeline.core.store import STAGES, Workspace, read_json
from pipeline.core.version import pipeline_version
from pipeline.dataset import corrections as CR
from pipeline.dataset import groups, panel
from pipeline.dataset.checks import check_dataset
from pipeline.publish import duck, schema
from pipeline.publish.status import Verdict, decide, shown_findings

DATASETS = ("reports", "sections", "cells", "flags", "panel")
# Reports per Parquet row group (and panel rows per row group of panel.parquet): publish holds
# this many reports' rows at a time. A dataset of up to this many reports is one row group, as
# every dataset was before publish streamed, and its files are the same bytes.
ROW_GROUP = 500
STREAMED = ("reports", "sections", "cells", "flags")     # written report by report; the panel after
NOT_PROCESSED = "not processed yet: run the remaining stages (ogi run)"
NOT_PROCESSED_INTERRUPTED = ("not processed: the run was interrupted before this file was finished; "
                             "run the same command again to finish it")


def document_facts(ws: Workspace) -> list:
    """groups.facts() of every distinct document of the catalogue, one report at a time: what
    the choice of the canonical forms needs, without the cells."""
    out, seen = [], set()
    for entry in ws.catalogue():
        rid = entry["report_id"]
        if rid in seen:
            continue
        seen.add(rid)
        opened = not entry.get("error")
        out.append(groups.facts(entry, ws.load("extract", rid) if opened else None,
                                ws.load("check", rid) if opened else None))
    return out


@dataclass
class Outcome:
    """What became of one catalogued file: its stage results, the error that stopped it (if
    any), its status and the findings published for it."""
    results: dict
    error: Optional[str]
    extracted: dict          # the extract result ({} when there is none)
    checked: dict            # the check result ({} when the file failed)
    verdict: Verdict
    findings: list


def outcome(ws: Workspace, entry: dict, cross: dict, interrupted: bool = False, fixes=None) -> Outcome:
    """One file's outcome from whatever the stages left in the workspace, with the reviewer's
    corrections `fixes` applied (pipeline.dataset.corrections; None: none). `interrupted`: the run was
    stopped, so a file without results says that, not "run again"."""
    results = _stage_results(ws, entry)
    error = entry.get("error") or next((r["error"] for r in results.values() if r and r.get("error")), None)
    if results["check"] is None and not error:
        error = NOT_PROCESSED_INTERRUPTED if interrupted else NOT_PROCESSED
    ex = results["extract"] if results["extract"] and not results["extract"].get("error") else {}
    check = (results["check"] or {}) if not error else {}
    if fixes and not error:
        ex, check = fixes.correct(entry, ex, check, results["segment"], ws.options)
    findings = [Finding.from_dict(f) for f in (ex.get("findings", []) + check.get("findings", [])
                                               + cross.get(entry["report_id"], []))]
    verdict = decide(error, findings, ex.get("found") if ex else None)
    return Outcome(results, error, ex, check, verdict, shown_findings(verdict, findings))


def cross_findings(ws: Workspace) -> dict:
    """{report_id: [finding dict]} of the dataset checks (work/cross_year.json)."""
    path = ws.work / "cross_year.json"
    return read_json(path) if path.exists() else {}


def corrections_of(ws: Workspace, dataset_checked: bool = False):
    """The reviewer's corrections of the dataset (pipeline.dataset.corrections). The dataset checks read
    them too: when there are any and the checks did not just run (`ogi publish` after editing the
    file), they run again first, on the corrected cells."""
    fixes = CR.load(ws.out, ws.options.corrections)
    if fixes and not dataset_checked:
        check_dataset(ws)
    return fixes


def report_rows(ws: Workspace, assigned: dict, interrupted: bool = False, fixes=None):
    """For each catalogue entry, in order: {dataset: [rows]} of reports, sections, cells and
    flags, from whatever the stages left in the workspace, with the corrections `fixes` applied;
    only one report's results are in memory at a time. Last, the corrections file's own
    findings (lines that matched nothing or could not be read)."""
    cross = cross_findings(ws)
    done = set()
    for entry in ws.catalogue():
        rid, src = entry["report_id"], entry["source"]
        first = rid not in done
        o = outcome(ws, entry, cross, interrupted, fixes if first else None)
        results, error, ex, check, verdict = o.results, o.error, o.extracted, o.checked, o.verdict
        findings = o.findings if first else []   # a duplicate: its row says so, its cells and flags are not repeated
        cells = ex.get("cells", []) if first else []
        rows = {"reports": [_mark_group(_report_row(entry, ex, verdict, cells, findings), assigned)],
                "sections": [], "cells": [], "flags": []}
        if first:
            done.add(rid)
            low = set((check or {}).get("low_confidence", []))
            for s in (results["segment"] or {}).get("sections", []) if not error else []:
                rows["sections"].append({"report_id": rid, "source": src, "section": s["code"],
                                         "heading": s["heading"], "found_by": s.get("found_by", "heading"),
                                         "text": s["text"], "first_page": s["first_page"],
                                         "last_page": s["last_page"]})
            for c in cells:
                code = f"{c['table_code']}.{c['row_code']}.{c['col_code']}"
                rows["cells"].append({"report_id": rid, "source": src, **c, "low_confidence": code in low,
                                      "corrected": bool(c.get("corrected"))})
            rows["flags"] = _flag_rows(rid, src, findings)
        yield rows
    if fixes:
        leftover = [row for rid, src, f in fixes.leftover_findings() for row in _flag_rows(rid, src, [f])]
        if leftover:
            yield {"reports": [], "sections": [], "cells": [], "flags": leftover}


def _flag_rows(report_id: str, source: str, findings: list) -> list:
    return [{"report_id": report_id, "source": source, **f.to_dict(), "flag": f.flag} for f in findings]


def _stage_results(ws: Workspace, entry: dict) -> dict:
    """The stage results publish reads, of one file. Of the parse result only its error: the
    rest is the whole document, which no dataset needs."""
    if entry.get("error"):
        return dict.fromkeys(STAGES)
    rid = entry["report_id"]
    parsed = ws.error_of("parse", rid)
    return {"parse": None if parsed is None else {"error": parsed},
            **{s: ws.load(s, rid) for s in STAGES if s != "parse"}}


def collect(ws: Workspace, interrupted: bool = False) -> dict:
    """The datasets as lists of row dicts, all in memory: for tests and small datasets;
    `publish` streams the same rows."""
    fixes = corrections_of(ws)
    assigned = groups.assign(document_facts(ws))
    tables = {name: [] for name in DATASETS}
    for rows in report_rows(ws, assigned, interrupted, fixes):
        for name, more in rows.items():
            tables[name].extend(more)
    tables["panel"] = panel.build(tables["reports"], tables["cells"])
    return tables


# -- groups of forms (pipeline.dataset.groups): the same choice the dataset checks made ------------------

def _mark_group(row: dict, assigned: dict) -> dict:
    g = assigned.get(row["report_id"])
    if g is not None:
        row["group_id"], row["group_size"] = g.group_id, len(g.members)
        row["canonical"] = g.canonical == row["report_id"] and not row.get("duplicate_of")
    return row


def _report_row(entry: dict, ex: dict, verdict, cells: list, findings: list) -> dict:
    meta = ex.get("meta", {})
    failed = verdict.status == "failed"
    return {**{k: entry.get(k) for k in ("report_id", "source", "sha256", "size", "detected_format",
                                         "duplicate_of", "input")},
            "status": verdict.status, "error": verdict.error,
            **{k: meta.get(k) for k in ("office", "office_as_printed", "office_id", "division_code", "level",
                                        "kind", "year")},
            "format_version": ex.get("format_version", "unknown" if not failed else None),
            "province": meta.get("province"), "city": meta.get("city"), "county": meta.get("county"),
            "title": meta.get("title"), "pages": ex.get("pages"), "ocr_pages": ex.get("ocr_pages", []),
            "n_cells": len(cells), "n_errors": sum(f.severity == "error" for f in findings),
            "cells_expected": ex.get("completeness", {}).get("expected"),
            "cells_found": ex.get("completeness", {}).get("found"),
            "pipeline_version": pipeline_version()}


def publish(ws: Workspace, interrupted: bool = False, row_group: int = ROW_GROUP,
            dataset_checked: bool = False) -> dict:
    """Write the datasets atomically, streaming: the rows of `row_group` reports at a time (one
    Parquet row group each), so memory does not grow with the dataset; the panel from the
    canonical documents' small facts, its cells read again report by report. `dataset_checked`:
    the dataset checks have just run (as `ogi run` does), over the corrections too. Returns
    {name: path}."""
    fixes = corrections_of(ws, dataset_checked)
    assigned = groups.assign(document_facts(ws))
    with DatasetFiles(ws.out) as files:
        candidates, batch = [], {name: [] for name in STREAMED}
        for k, rows in enumerate(report_rows(ws, assigned, interrupted, fixes), 1):
            candidates.extend(panel.facts(r) for r in rows["reports"] if panel.takes(r))
            for name in STREAMED:        # as Arrow at once: a report's rows as dicts are ~10× bigger
                if rows[name]:
                    batch[name].append(schema.to_table(name, rows[name]))
            if k % row_group == 0:
                _write_batch(files, batch)
        _write_batch(files, batch)
        for chunk in _chunks(panel.order(candidates), row_group):
            rows = [panel.row(r, panel.values_of(_cells(ws, r["report_id"], fixes))) for r in chunk]
            files.write("panel", [schema.to_table("panel", rows)])
    paths = files.paths
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


def _cells(ws: Workspace, report_id: str, fixes=None) -> list:
    """One document's cells as published: as read, with the corrections applied."""
    ex = ws.load("extract", report_id) or {}
    if ex.get("error"):
        return []
    cells = ex.get("cells", [])
    if fixes:
        cells, _ = fixes.correct_cells(report_id, ex.get("meta", {}), cells)
    return cells


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
            fd, tmp = tempfile.mkstemp(dir=self.out, prefix=f".{name}.parquet.", suffix=".tmp")
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
