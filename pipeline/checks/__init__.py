"""The check stage: everything judged about a report's extracted cells.

    (pipeline.formats.relations)  the reconciliation relations of data/rules.csv within a report; the
                extractor uses the same engine to confirm rows it placed by alignment
    counts      every count a non-negative whole number (data/value_types.csv)
    narrative   numbers stated in 一、总体情况 against the tables (data/narrative.csv)
    confidence  OCR'd numbers below the run's confidence threshold
    cross_year  the relations between an office's consecutive years (run over the dataset)
"""
from __future__ import annotations

from pipeline.checks.confidence import check_confidence, low_confidence_cells
from pipeline.checks.counts import check_counts
from pipeline.checks.narrative import check_narrative
from pipeline.core.options import Options
from pipeline.core.results import Checked
from pipeline.formats.relations import check_relations


def check_report(cells: list, overview: str = "", options: Options = Options(), fmt=None) -> Checked:
    """The within-report checks of one report's cells (CellRecords): relations, counts, the
    overview's numbers, OCR confidence. `overview`: the text of 一、总体情况; `fmt`: the format."""
    low = {c.code for c in low_confidence_cells(cells, options.ocr_low_confidence)}
    marked = [c.with_(low_confidence=c.code in low) for c in cells]
    findings = (check_relations(marked, fmt) + check_counts(marked) + check_narrative(overview, marked)
                + check_confidence(marked, options.ocr_low_confidence))
    return Checked(findings, sorted(low))
