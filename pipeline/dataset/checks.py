"""The checks that look at more than one document: forms of a report against each other, an
office's consecutive years.

The dataset checks run after the per-file stages, over every report of the dataset:

    groups      documents with the same office_id and year are forms of one report; the
                canonical one is chosen (pipeline.dataset.groups) and the others compared with it
    cross_year  the canonical documents of an office's consecutive years (pipeline.dataset.cross_year)

Their findings are stored in `work/cross_year.json` ({report_id: [finding]}) and published
with the others.
"""
from __future__ import annotations

from pipeline.core.store import Workspace, write_json
from pipeline.dataset import corrections as CR
from pipeline.dataset import groups as GR
from pipeline.dataset.cross_year import check_cross_year

# -- the dataset checks --------------------------------------------------------------------------

def document_facts(ws: Workspace) -> list:
    """One record per distinct document of the catalogue, in its order: its group facts
    (pipeline.dataset.groups), office and format; read a report at a time, without cells."""
    out, seen = [], set()
    for e in ws.catalogue():
        rid = e["report_id"]
        if e.get("duplicate_of") or rid in seen:
            continue
        seen.add(rid)
        extracted, checked = ws.load("extract", rid), ws.load("check", rid)
        ex = extracted if extracted and not extracted.get("error") else {}
        meta = ex.get("meta", {})
        out.append({**GR.facts(e, extracted, checked), "office": meta.get("office"),
                    "format_version": ex.get("format_version")})
    return out


def with_contents(ws: Workspace, doc: dict, fixes=None) -> dict:
    """A document's facts with its cells — corrected by the dataset's corrections file
    (pipeline.dataset.corrections) — and overview text, which the comparisons need."""
    extracted = ws.load("extract", doc["report_id"])
    ex = extracted if extracted and not extracted.get("error") else {}
    seg = ws.load("segment", doc["report_id"]) or {}
    overview = " ".join(s["text"] for s in seg.get("sections", []) if s["code"] == "overview")
    cells = ex.get("cells", [])
    if fixes:
        cells, _ = fixes.correct_cells(doc["report_id"], ex.get("meta", {}), cells)
    return {**doc, "cells": cells, "overview": overview}


def load_documents(ws: Workspace) -> list:
    """Every distinct document with its cells and overview, all in memory (small datasets, tests)."""
    fixes = CR.load(ws.out, ws.options.corrections)
    return [with_contents(ws, d, fixes) for d in document_facts(ws)]


def office_key(doc: dict):
    """The office the cross-year checks know a document by (pipeline.dataset.cross_year); every
    group of forms lies within one office."""
    return doc.get("office_id") or doc.get("office")


def by_office(docs: list) -> dict:
    """{office: [documents]} in the order each office first appears; a document with no office
    is alone (it has no other forms and no other years)."""
    out = {}
    for d in docs:
        out.setdefault(office_key(d) or ("", d["report_id"]), []).append(d)
    return out


def check_dataset(ws: Workspace) -> dict:
    """Group the forms, compare them, run the cross-year checks on the canonical documents;
    writes work/cross_year.json and returns {report_id: [Finding]}.

    The groups are chosen from the small facts of every document; the cells are then read one
    office at a time (its forms and years are all the comparisons need), so memory holds one
    office's documents, not the dataset's."""
    docs = document_facts(ws)
    assigned = GR.assign(docs)
    fixes = CR.load(ws.out, ws.options.corrections)
    forms, cross = {}, []
    offices = by_office(docs)
    canonical_first = list(dict.fromkeys(office_key(d) for d in docs if _canonical(d, assigned) and d.get("year")))
    for key in list(dict.fromkeys([k for k in canonical_first if k] + list(offices))):
        full = [with_contents(ws, d, fixes) for d in offices[key]]
        by_id = {d["report_id"]: d for d in full}
        for d in full:
            g = assigned[d["report_id"]]
            if g.canonical != d["report_id"] and not d["failed"]:
                found = GR.disagreements(d, by_id[g.canonical])
                if found:
                    forms[d["report_id"]] = found
        cross.extend(check_cross_year([d for d in full if _canonical(d, assigned)]).items())
    # the order the findings were always written in: the forms' in the documents' order, then
    # the cross-year ones office by office (offices in the order of their first canonical document)
    findings = {d["report_id"]: forms[d["report_id"]] for d in docs if d["report_id"] in forms}
    for rid, fs in cross:
        findings.setdefault(rid, []).extend(fs)
    write_json(ws.work / "cross_year.json", {rid: [f.to_dict() for f in fs] for rid, fs in findings.items()})
    return findings


def _canonical(doc: dict, assigned: dict) -> bool:
    return assigned[doc["report_id"]].canonical == doc["report_id"] and not doc["failed"]
