"""The dataset an output folder holds, across runs: its catalogue, and the checks that look at more
than one document (forms of a report against each other, an office's consecutive years).

A dataset grows. `ogi run A -o OUT` and then `ogi run B -o OUT` holds the reports of A and of B;
`ogi run A B -o OUT` does the same in one run. A file is known by its input folder and its path
in it (`input`, `source`), its content by its hash (`report_id`): running A again with a file
changed replaces that file's entry (its new content is processed, the old one is no longer
published); files of earlier runs that this run did not see are kept. Stage results are stored
per content hash, so nothing already computed is computed again, and a second identical run
writes the same bytes.

The dataset checks run after the per-file stages, over every report of the dataset:

    groups      documents with the same office_id and year are forms of one report; the
                canonical one is chosen (pipeline.groups) and the others compared with it
    cross_year  the canonical documents of an office's consecutive years (pipeline.checks.cross_year)

Their findings are stored in `work/cross_year.json` ({report_id: [finding]}) and published
with the others.
"""
from __future__ import annotations

from pathlib import Path

from . import groups as GR
from .checks.cross_year import check_cross_year
from .ingest import ingest
from .store import Workspace, read_json, write_json
from .version import pipeline_version


def input_root(path: Path) -> str:
    """The folder a file's `source` is relative to: the input itself, or a single file's folder."""
    path = Path(path).resolve()
    return str(path if path.is_dir() else path.parent)


def merge(existing: list, fresh: list) -> list:
    """The catalogue after a run: `existing` entries with this run's `fresh` ones put in place
    (same input and source: replaced where they were; new ones: appended in their order).
    `duplicate_of` is worked out again over the whole catalogue."""
    key = lambda e: (e.get("input", ""), e["source"])   # noqa: E731
    new = {key(e): e for e in fresh}
    out = [new.pop(key(e), e) for e in existing]
    out += [e for e in fresh if key(e) in new]
    first_of = {}
    for e in out:
        e["duplicate_of"] = first_of.get(e["sha256"])
        first_of.setdefault(e["sha256"], e["source"])
    return out


def update_catalogue(ws: Workspace, inputs, exclude: tuple = (), follow_external: bool = False) -> list:
    """Ingest every input folder and merge it into the output folder's catalogue."""
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    roots = list(dict.fromkeys(input_root(p) for p in inputs))
    fresh = []
    for p in dict.fromkeys(Path(p) for p in inputs):
        root = input_root(p)
        fresh += [{**e, "input": root} for e in ingest(p, exclude, follow_external)]
    before = read_json(ws.catalogue_path) if ws.catalogue_path.exists() else {}
    old_root = before.get("input")
    existing = [{"input": old_root or "", **e} for e in before.get("files", [])]
    entries = merge(existing, fresh)
    known = list(dict.fromkeys(before.get("inputs", [old_root] if old_root else []) + roots))
    write_json(ws.catalogue_path, {"version": pipeline_version(), "inputs": known, "files": entries})
    return entries


# -- the dataset checks --------------------------------------------------------------------------

def load_documents(ws: Workspace) -> list:
    """One record per distinct document of the catalogue: its group facts, cells, overview."""
    out, seen = [], set()
    for e in ws.catalogue():
        rid = e["report_id"]
        if e.get("duplicate_of") or rid in seen:
            continue
        seen.add(rid)
        extracted, checked = ws.load("extract", rid), ws.load("check", rid)
        ex = extracted if extracted and not extracted.get("error") else {}
        seg = ws.load("segment", rid) or {}
        overview = " ".join(s["text"] for s in seg.get("sections", []) if s["code"] == "overview")
        meta = ex.get("meta", {})
        out.append({**GR.facts(e, extracted, checked), "cells": ex.get("cells", []), "overview": overview,
                    "office": meta.get("office"), "format_version": ex.get("format_version")})
    return out


def check_dataset(ws: Workspace) -> dict:
    """Group the forms, compare them, run the cross-year checks on the canonical documents;
    writes work/cross_year.json and returns {report_id: [Finding]}."""
    docs = load_documents(ws)
    assigned = GR.assign(docs)
    by_id = {d["report_id"]: d for d in docs}
    findings = {}
    for d in docs:
        g = assigned[d["report_id"]]
        if g.canonical != d["report_id"] and not d["failed"]:
            found = GR.disagreements(d, by_id[g.canonical])
            if found:
                findings[d["report_id"]] = found
    canonical = [d for d in docs if assigned[d["report_id"]].canonical == d["report_id"] and not d["failed"]]
    for rid, fs in check_cross_year(canonical).items():
        findings.setdefault(rid, []).extend(fs)
    write_json(ws.work / "cross_year.json", {rid: [f.to_dict() for f in fs] for rid, fs in findings.items()})
    return findings
