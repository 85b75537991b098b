"""Publish: the per-report stage results → the Parquet datasets of pipeline/schema.py.

Every finding of every stage — the reader's notices, extraction, the checks, cross-year —
becomes a row of flags.parquet. Files are written atomically with the declared schemas, so an
empty run and a run where everything failed have the same columns and types as any other.
"""
from __future__ import annotations

import io

import pyarrow.parquet as pq

from . import corrections as CR
from . import duck, groups, panel, schema
from .dataset import check_dataset
from .findings import Finding
from .store import STAGES, Workspace, read_json, write_atomic
from .version import pipeline_version

PARTIAL_RULES = ("structure.missing_table", "structure.missing_rows", "structure.missing_cells",
                 "meta.no_office", "meta.no_year")
DATASETS = ("reports", "sections", "cells", "flags", "panel")


def collect(ws: Workspace) -> dict:
    """The datasets as lists of row dicts, from whatever the stages left in the workspace, with
    the reviewer's corrections applied (pipeline.corrections)."""
    fixes = CR.load(ws.out, ws.options.corrections)
    if fixes:
        check_dataset(ws)          # the dataset checks again, on the corrected cells
    cross = read_json(ws.work / "cross_year.json") if (ws.work / "cross_year.json").exists() else {}
    tables = {name: [] for name in DATASETS}
    done, documents = set(), []
    for entry in ws.catalogue():
        rid, src = entry["report_id"], entry["source"]
        results = {s: ws.load(s, rid) for s in STAGES}
        error = next((r["error"] for r in results.values() if r and r.get("error")), None)
        if results["check"] is None and not error:
            error = "not processed yet: run the remaining stages (ogi run)"
        ex = results["extract"] if results["extract"] and not results["extract"].get("error") else {}
        check = results["check"] if not error else {}
        first = rid not in done
        if first and not error:
            ex, check = fixes.correct(entry, ex, check, results["segment"], ws.options)
        findings = [Finding.from_dict(f) for f in (ex.get("findings", []) + (check or {}).get("findings", [])
                                                   + cross.get(rid, []))] if first else []
        cells = ex.get("cells", []) if first else []
        tables["reports"].append(_report_row(entry, ex, error, cells, findings))
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
            tables["cells"].append({"report_id": rid, "source": src, **c, "low_confidence": code in low,
                                    "corrected": bool(c.get("corrected"))})
        for f in findings:
            tables["flags"].append({"report_id": rid, "source": src, **f.to_dict(), "flag": f.flag})
    for rid, src, f in fixes.leftover_findings():
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


def _report_row(entry: dict, ex: dict, error, cells: list, findings: list) -> dict:
    meta = ex.get("meta", {})
    return {**{k: entry.get(k) for k in ("report_id", "source", "sha256", "size", "detected_format",
                                         "duplicate_of", "input")},
            "status": status(error, findings), "error": error,
            **{k: meta.get(k) for k in ("office", "office_as_printed", "office_id", "division_code", "level",
                                        "kind", "year")},
            "format_version": ex.get("format_version", "unknown" if not error else None),
            "province": meta.get("province"), "city": meta.get("city"), "county": meta.get("county"),
            "title": meta.get("title"), "pages": ex.get("pages"), "ocr_pages": ex.get("ocr_pages", []),
            "n_cells": len(cells), "n_errors": sum(f.severity == "error" for f in findings),
            "cells_expected": ex.get("completeness", {}).get("expected"),
            "cells_found": ex.get("completeness", {}).get("found"),
            "pipeline_version": pipeline_version()}


def status(error, findings: list) -> str:
    if error:
        return "failed"
    if any(f.rule in PARTIAL_RULES for f in findings):
        return "partial"
    return "ok"


def publish(ws: Workspace) -> dict:
    """Write the datasets atomically; returns {name: path}."""
    paths = {}
    for name, rows in collect(ws).items():
        buf = io.BytesIO()
        pq.write_table(schema.to_table(name, rows), buf)
        path = ws.out / f"{name}.parquet"
        write_atomic(path, buf.getvalue())
        paths[name] = path
    paths["duckdb"] = duck.write_database(ws.out)
    return paths
