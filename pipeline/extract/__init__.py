"""The extract stage's tables part: the three standard tables of a report → canonical cells
(table, row, col codes of SCHEMA.md) with provenance, the format version, and findings.

    find      which model tables are which standard table; fragments joined into regions
    align     rows and columns whose labels were lost, placed by the layout and confirmed by arithmetic
    tables    format-blind views of a model table: rows, header leaves, value placement
    active    table 二   requests  table 三   review  table 四
    formats   legacy (before 2019) or national; 2019 or 2021, from the cells only one format has
    complete  the cells the layout asks for against the cells read: what is missing
    collect   the cell records and findings of one report
    legacy    a report from before 2019: its statistics table (legacy_runs: a crawler's copy with
              the cells run together) or the figures its text states (legacy_text)
"""
from __future__ import annotations

from pipeline.core.model import Document
from pipeline.extract.active import extract_active
from pipeline.extract.collect import Collector, Extracted
from pipeline.extract.complete import account
from pipeline.extract.find import regions
from pipeline.extract.formats import check_layout, detect_format, outline
from pipeline.extract.legacy import extract_legacy
from pipeline.extract.requests import extract_requests
from pipeline.extract.review import extract_review
from pipeline.formats import layout

READERS = {"active": extract_active, "requests": extract_requests, "review_litigation": extract_review}

__all__ = ["Extracted", "extract", "detect_format"]


def extract(doc: Document, item_sections=None, report_outline=None) -> dict:
    """{format_version, cells: [cell records], findings: [Finding], completeness, tables: the
    standard tables found} of one report.
    `item_sections`: the section code of each item (from the segmenter), which tells a table
    whose labels fit two kinds which it is, and bounds each table's region. `report_outline`:
    the segmenter's `national` or `legacy` (found from the document when not given)."""
    if (report_outline or outline(doc)) == layout.LEGACY:
        return extract_legacy(doc)
    out = Collector()
    found = regions(doc.items, item_sections)
    for code in layout.tables():
        if code in found:
            READERS[code](found[code], out)
        else:
            out.flag("structure.missing_table", code,
                     zh=f"未找到{layout.title(code)}表", en=f"the {layout.title(code, 'en')} table was not found")
    fmt = detect_format(out.cells)
    check_layout(out, fmt)
    completeness = account(out, fmt, set(layout.tables()) - set(found))
    for table, texts in out.unmatched.items():
        out.flag("extract.unmatched_label", table, found="；".join(texts),
                 zh=f"{layout.title(table)}表中有无法识别的行标签：{'；'.join(texts)}",
                 en=f"{layout.title(table, 'en')}: row labels not recognised: {'; '.join(texts)}")
    out.attach_evidence()
    return {"format_version": fmt, "cells": [c.to_dict() for c in out.cells], "findings": out.findings,
            "completeness": completeness.__dict__, "tables": [t for t in layout.tables() if t in found]}
