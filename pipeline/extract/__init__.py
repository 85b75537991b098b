"""The extract stage: a segmented document → who published it and when (`meta`, with `identity`
and `gazetteer`), the three standard tables as canonical cells (table, row, col codes of
SCHEMA.md) with provenance, the format version, the findings, and what the document holds
(`inventory`). `extract_report` is the stage; `extract` its tables part.

    find      which model tables are which standard table; fragments joined into regions
    align     rows and columns whose labels were lost, placed by the layout and confirmed by arithmetic
    tables    format-blind views of a model table: rows, header leaves, value placement
    active    table 二   requests  table 三   review  table 四
    formats   legacy (before 2019) or national; 2019 or 2021, from the cells only one format has
    complete  the cells the layout asks for against the cells read: what is missing
    units     amounts printed in 元, stored in 万元: each conversion recorded
    collect   the cell records and findings of one report
    meta      office, year and region from the title and the opening; identity, gazetteer
    inventory lines, tables, headings: whether a document is a report at all
    legacy    a report from before 2019: its statistics table (legacy_runs: a crawler's copy with
              the cells run together) or the figures its text states (legacy_text)
"""
from __future__ import annotations

from pipeline.core.findings import Finding
from pipeline.core.model import Document
from pipeline.core.options import ExtractSettings
from pipeline.core.results import Extracted, Segmented
from pipeline.extract.active import extract_active
from pipeline.extract.collect import Collector, TablesRead, attach_evidence
from pipeline.extract.complete import account, accounting
from pipeline.extract.find import regions
from pipeline.extract.formats import check_layout, detect_format, outline
from pipeline.extract.inventory import inventory
from pipeline.extract.legacy import extract_legacy
from pipeline.extract.meta import report_meta
from pipeline.extract.requests import extract_requests
from pipeline.extract.review import extract_review
from pipeline.extract.units import conversions
from pipeline.formats import headings, layout
from pipeline.formats.headings import NATIONAL
from pipeline.segment import CODES

READERS = {"active": extract_active, "requests": extract_requests, "review_litigation": extract_review}

__all__ = ["extract_report", "extract", "detect_format", "recount"]

_ACCOUNT_RULES = ("structure.missing_rows", "structure.missing_cells")


def extract_report(doc: Document, segmented: Segmented, settings: ExtractSettings = ExtractSettings()) -> Extracted:
    """The extract stage: who published the report and when, its tables as canonical cells, every
    finding of the reader and the extractor, and what the document holds. `settings`: the run's
    thresholds and search bounds (`Options.extract_settings`)."""
    meta, meta_findings = report_meta(doc, segmented.item_sections)
    tables = extract(doc, segmented.item_sections, settings, segmented.outline)
    findings = (doc.findings + meta_findings + tables.findings + conversions(tables.cells)
                + _missing_sections(segmented))
    headed = [s for s in segmented.sections if s.found_by == "heading"]
    found = inventory(doc, headed, tables.tables)
    return Extracted(meta, tables.format_version, tables.cells, findings, tables.completeness, found,
                     doc.pages, list(doc.ocr_pages))


def extract(doc: Document, item_sections=None, settings: ExtractSettings = ExtractSettings(),
            report_outline=None) -> TablesRead:
    """The standard tables of one report as canonical cells.
    `item_sections`: the section code of each item (from the segmenter), which tells a table
    whose labels fit two kinds which it is, and bounds each table's region. `settings`: the
    run's thresholds and search bounds (`Options.extract_settings`). `report_outline`: the
    segmenter's `national` or `legacy` (found from the document when not given)."""
    if (report_outline or outline(doc)) == layout.LEGACY:
        return extract_legacy(doc, settings)
    out = Collector(settings)
    found = regions(doc.items, item_sections)
    for code in layout.tables():
        if code in found:
            READERS[code](found[code], out)
        else:
            out.flag("structure.missing_table", code,
                     zh=f"未找到{layout.title(code)}表", en=f"the {layout.title(code, 'en')} table was not found")
    fmt = detect_format(out.cells, out.located)
    check_layout(out, fmt)
    missing = set(layout.tables()) - set(found)
    completeness = account(out, fmt, missing)
    for table, texts in out.unmatched.items():
        out.flag("extract.unmatched_label", table, found="；".join(texts),
                 zh=f"{layout.title(table)}表中有无法识别的行标签：{'；'.join(texts)}",
                 en=f"{layout.title(table, 'en')}: row labels not recognised: {'; '.join(texts)}")
    out.attach_evidence()
    return TablesRead(fmt, out.cells, out.findings, completeness, [t for t in layout.tables() if t in found])


def _missing_sections(segmented: Segmented) -> list:
    """A warning for each of the six sections of the national outline without a heading (the
    legacy outline was a recommendation: offices left out parts of it freely)."""
    if segmented.outline != NATIONAL:
        return []
    found = {s.code for s in segmented.sections}
    return [Finding("structure.missing_section", code, "warning", expected=code,
                    message_zh=f"未找到“{headings.section_name(code)}”部分的标题", message_en=f"no heading found for the {code} section")
            for code in CODES if code not in found]


def recount(format_version: str, cells: list, findings: list) -> tuple:
    """(Completeness, findings) of a report whose cells a later stage completed (a row decided
    by the dataset, pipeline.dataset.decide): its missing-rows and missing-cells findings
    accounted again, in the place of the old ones, the rest kept as they were."""
    missing_tables = {f.location for f in findings if f.rule == "structure.missing_table"}
    completeness, fresh = accounting(cells, format_version, missing_tables)
    attach_evidence(fresh, cells)
    at = next((k for k, f in enumerate(findings) if f.rule in _ACCOUNT_RULES), None)
    kept = [f for f in findings if f.rule not in _ACCOUNT_RULES]
    at = len([f for f in findings[:at] if f.rule not in _ACCOUNT_RULES]) if at is not None else len(kept)
    return completeness, kept[:at] + fresh + kept[at:]
