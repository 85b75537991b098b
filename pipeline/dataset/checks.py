"""The checks that look at more than one document: forms of a report against each other, an
office's consecutive years.

The dataset checks run after the per-file stages, over every report of the dataset:

    decide      rows a report's own arithmetic left undecided, decided by another form of the
                report or the office's neighbouring years (pipeline.dataset.decide)
    groups      documents with the same office_id and year are forms of one report; the
                canonical one is chosen (pipeline.dataset.groups) and the others compared with it
    cross_year  the canonical documents of an office's consecutive years (pipeline.dataset.cross_year)

Their findings are stored in `work/cross_year.json` ({report_id: [finding]}) and published
with the others.
"""
from __future__ import annotations

from pipeline.core.findings import Finding
from pipeline.core.store import Workspace, read_json, write_json
from pipeline.dataset import groups as GR
from pipeline.dataset.cross_year import YearReport, check_cross_year
from pipeline.dataset.decide import decide
from pipeline.dataset.reports import Documents

CROSS_YEAR = "cross_year.json"


def by_office(facts: list) -> dict:
    """{office: [Facts]} in the order each office first appears; a document with no office is
    alone (it has no other forms and no other years)."""
    out = {}
    for f in facts:
        out.setdefault(f.office_key or ("", f.report_id), []).append(f)
    return out


def year_report(f, doc) -> YearReport:
    """A canonical document as the cross-year checks compare it: its Facts and Reviewed contents."""
    return YearReport(f.report_id, f.source, f.office_key, f.year, f.format_version, doc.cells, doc.overview)


def check_dataset(docs: Documents) -> dict:
    """Group the forms, compare them, run the cross-year checks on the canonical documents;
    writes work/cross_year.json and returns {report_id: [Finding]}.

    The groups are chosen from the small facts of every document; the contents are then read one
    office at a time (its forms and years are all the comparisons need), so memory holds one
    office's documents, not the dataset's."""
    decide(docs)                     # rows the report alone left undecided, decided first
    facts = docs.facts()
    assigned = GR.assign(facts)
    entries = {e["report_id"]: e for e in docs.entries()}
    forms, cross = {}, []
    offices = by_office(facts)
    canonical_first = list(dict.fromkeys(f.office_key for f in facts if _canonical(f, assigned) and f.year))
    for key in list(dict.fromkeys([k for k in canonical_first if k] + list(offices))):
        members = offices[key]
        contents = {f.report_id: docs.reviewed(entries[f.report_id]) for f in members}
        for f in members:
            g = assigned[f.report_id]
            if g.canonical != f.report_id and not f.failed:
                canonical = next(m for m in members if m.report_id == g.canonical)
                found = GR.disagreements(contents[f.report_id].cells, contents[g.canonical].cells,
                                         canonical.report_id, canonical.source)
                if found:
                    forms[f.report_id] = found
        cross.extend(check_cross_year([year_report(f, contents[f.report_id])
                                       for f in members if _canonical(f, assigned)]).items())
    # the order the findings were always written in: the forms' in the documents' order, then
    # the cross-year ones office by office (offices in the order of their first canonical document)
    findings = {f.report_id: forms[f.report_id] for f in facts if f.report_id in forms}
    for rid, fs in cross:
        findings.setdefault(rid, []).extend(fs)
    write_json(docs.ws.work / CROSS_YEAR, {rid: [f.to_dict() for f in fs] for rid, fs in findings.items()})
    return findings


def dataset_findings(ws: Workspace) -> dict:
    """{report_id: [Finding]} of the dataset checks, as the last run of them left them."""
    path = ws.work / CROSS_YEAR
    return {rid: [Finding.from_dict(f) for f in fs] for rid, fs in read_json(path).items()} if path.exists() else {}


def _canonical(f, assigned: dict) -> bool:
    return assigned[f.report_id].canonical == f.report_id and not f.failed
