"""Publish: the per-report stage results → four Parquet datasets (pandas / DuckDB ready).

The column lists here are the dataset schema documented in docs/outputs.md.
"""
from __future__ import annotations

import io

import pandas as pd

from .store import Workspace, read_json, write_atomic
from .version import pipeline_version

REPORT_COLUMNS = ["report_id", "source", "sha256", "size", "detected_format", "status", "error",
                  "office", "year", "format_version", "province", "city", "county", "title",
                  "pages", "ocr_pages", "n_cells", "n_errors", "duplicate_of", "pipeline_version"]
SECTION_COLUMNS = ["report_id", "source", "section", "heading", "text", "first_page", "last_page"]
CELL_COLUMNS = ["report_id", "source", "table", "row", "col", "kind", "value", "raw", "page",
                "bbox", "grid_row", "grid_col", "row_label", "col_label", "match_score",
                "ocr_confidence", "low_confidence"]
FLAG_COLUMNS = ["report_id", "source", "flag", "rule", "where", "severity", "expected", "found",
                "message_zh", "message_en"]
PARTIAL_RULES = ("structure.missing_table", "meta.no_office", "meta.no_year")


def collect(ws: Workspace) -> dict:
    """The four tables as lists of dicts, from whatever the stages left in the workspace."""
    cross = read_json(ws.work / "cross_year.json") if (ws.work / "cross_year.json").exists() else {}
    reports, sections, cells, flags = [], [], [], []
    done = set()
    for entry in ws.catalogue():
        rid, src = entry["report_id"], entry["source"]
        results = {s: ws.load(s, rid) for s in ("parse", "segment", "extract", "check")}
        error = next((r["error"] for r in results.values() if r and r.get("error")), None)
        if results["check"] is None and not error:
            error = "not processed yet: run the remaining stages (ogi run)"
        ex = results["extract"] if results["extract"] and not results["extract"].get("error") else {}
        meta = ex.get("meta", {})
        report_flags = [] if rid in done else (ex.get("flags", []) +
                                               ((results["check"] or {}).get("flags") or []) + cross.get(rid, []))
        report_cells = [] if rid in done else ex.get("cells", [])
        reports.append({
            **{k: entry.get(k) for k in ("report_id", "source", "sha256", "size", "detected_format", "duplicate_of")},
            "status": _status(error, report_flags), "error": error,
            "office": meta.get("office"), "year": meta.get("year"),
            "format_version": ex.get("format_version", "unknown" if not error else None),
            "province": meta.get("province"), "city": meta.get("city"), "county": meta.get("county"),
            "title": meta.get("title"), "pages": ex.get("pages"), "ocr_pages": ex.get("ocr_pages", []),
            "n_cells": len(report_cells), "n_errors": sum(f["severity"] == "error" for f in report_flags),
            "pipeline_version": pipeline_version()})
        if rid in done:
            continue
        done.add(rid)
        for s in (results["segment"] or {}).get("sections", []) if not error else []:
            sections.append({"report_id": rid, "source": src, "section": s["code"], "heading": s["heading"],
                             "text": s["text"], "first_page": s["first_page"], "last_page": s["last_page"]})
        cells.extend({"report_id": rid, "source": src, **c} for c in report_cells)
        flags.extend({"report_id": rid, "source": src, "flag": f"{f['rule']}@{f['where']}", **f}
                     for f in report_flags)
    return {"reports": reports, "sections": sections, "cells": cells, "flags": flags}


def _status(error, flags) -> str:
    if error:
        return "failed"
    if any(f["rule"] in PARTIAL_RULES for f in flags):
        return "partial"
    return "ok"


def frames(tables: dict) -> dict:
    out = {
        "reports": pd.DataFrame(tables["reports"], columns=REPORT_COLUMNS),
        "sections": pd.DataFrame(tables["sections"], columns=SECTION_COLUMNS),
        "cells": pd.DataFrame(tables["cells"], columns=CELL_COLUMNS),
        "flags": pd.DataFrame(tables["flags"], columns=FLAG_COLUMNS),
    }
    r = out["reports"]
    for col in ("year", "pages", "size", "n_cells", "n_errors"):
        r[col] = r[col].astype("Int64")
    c = out["cells"]
    c["value"] = c["value"].astype("float64")
    c["page"] = c["page"].astype("Int64")
    c["ocr_confidence"] = c["ocr_confidence"].astype("float64")
    c["low_confidence"] = c["low_confidence"].fillna(False).astype(bool)
    c["bbox"] = c["bbox"].map(lambda b: [float(x) for x in b] if b is not None and len(b) else None)
    for name in ("first_page", "last_page"):
        out["sections"][name] = out["sections"][name].astype("Int64")
    return out


def publish(ws: Workspace) -> dict:
    """Write the four datasets atomically; returns {name: path}."""
    paths = {}
    for name, df in frames(collect(ws)).items():
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        path = ws.out / f"{name}.parquet"
        write_atomic(path, buf.getvalue())
        paths[name] = path
    return paths
