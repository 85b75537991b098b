"""Publish: the per-report stage results → the Parquet datasets of pipeline/schema.py.

Every finding of every stage — the reader's notices, extraction, the checks, cross-year —
becomes a row of flags.parquet. Files are written atomically with the declared schemas, so an
empty run and a run where everything failed have the same columns and types as any other.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Optional

import pyarrow.parquet as pq

from . import duck, groups, panel, schema
from .findings import Finding
from .status import Verdict, decide, shown_findings
from .store import STAGES, Workspace, read_json, write_atomic
from .version import pipeline_version

DATASETS = ("reports", "sections", "cells", "flags", "panel")
NOT_PROCESSED = "not processed yet: run the remaining stages (ogi run)"
NOT_PROCESSED_INTERRUPTED = ("not processed: the run was interrupted before this file was finished; "
                             "run the same command again to finish it")


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


def outcome(ws: Workspace, entry: dict, cross: dict, interrupted: bool = False) -> Outcome:
    """One file's outcome from whatever the stages left in the workspace. `interrupted`: the run
    was stopped, so a file without results says that, not "run again"."""
    results = {s: ws.load(s, entry["report_id"]) for s in STAGES} if not entry.get("error") \
        else dict.fromkeys(STAGES)
    error = entry.get("error") or next((r["error"] for r in results.values() if r and r.get("error")), None)
    if results["check"] is None and not error:
        error = NOT_PROCESSED_INTERRUPTED if interrupted else NOT_PROCESSED
    ex = results["extract"] if results["extract"] and not results["extract"].get("error") else {}
    check = (results["check"] or {}) if not error else {}
    findings = [Finding.from_dict(f) for f in (ex.get("findings", []) + check.get("findings", [])
                                               + cross.get(entry["report_id"], []))]
    verdict = decide(error, findings, ex.get("found") if ex else None)
    return Outcome(results, error, ex, check, verdict, shown_findings(verdict, findings))


def cross_findings(ws: Workspace) -> dict:
    """{report_id: [finding dict]} of the dataset checks (work/cross_year.json)."""
    path = ws.work / "cross_year.json"
    return read_json(path) if path.exists() else {}


def collect(ws: Workspace, interrupted: bool = False) -> dict:
    """The datasets as lists of row dicts, from whatever the stages left in the workspace."""
    cross = cross_findings(ws)
    tables = {name: [] for name in DATASETS}
    done, documents = set(), []
    for entry in ws.catalogue():
        rid, src = entry["report_id"], entry["source"]
        o = outcome(ws, entry, cross, interrupted)
        results, error, ex, check, verdict, findings = (o.results, o.error, o.extracted, o.checked,
                                                        o.verdict, o.findings)
        first = rid not in done
        if not first:               # a duplicate: its row says so, its cells and flags are not repeated
            findings = []
        cells = ex.get("cells", []) if first else []
        tables["reports"].append(_report_row(entry, ex, verdict, cells, findings))
        if not first:
            continue
        done.add(rid)
        documents.append(groups.facts(entry, results["extract"], results["check"]))
        low = set((check or {}).get("low_confidence", []))
        for s in (results["segment"] or {}).get("sections", []) if not error else []:
            tables["sections"].append({"report_id": rid, "source": src, "section": s["code"],
                                       "heading": s["heading"], "found_by": s.get("found_by", "heading"),
                                       "text": s["text"],
                                       "first_page": s["first_page"], "last_page": s["last_page"]})
        for c in cells:
            code = f"{c['table_code']}.{c['row_code']}.{c['col_code']}"
            tables["cells"].append({"report_id": rid, "source": src, **c, "low_confidence": code in low})
        for f in findings:
            tables["flags"].append({"report_id": rid, "source": src, **f.to_dict(), "flag": f.flag})
    _mark_groups(tables["reports"], groups.assign(documents))
    tables["panel"] = panel.build(tables["reports"], tables["cells"])
    return tables


# -- groups of forms (pipeline.groups): the same choice the dataset checks made ------------------

def _mark_groups(rows: list, assigned: dict) -> None:
    for row in rows:
        g = assigned.get(row["report_id"])
        if g is None:
            continue
        row["group_id"], row["group_size"] = g.group_id, len(g.members)
        row["canonical"] = g.canonical == row["report_id"] and not row.get("duplicate_of")


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


def publish(ws: Workspace, interrupted: bool = False) -> dict:
    """Write the datasets atomically; returns {name: path}."""
    paths = {}
    for name, rows in collect(ws, interrupted).items():
        buf = io.BytesIO()
        pq.write_table(schema.to_table(name, rows), buf)
        path = ws.out / f"{name}.parquet"
        write_atomic(path, buf.getvalue())
        paths[name] = path
    paths["duckdb"] = duck.write_database(ws.out)
    return paths
