"""ocr.low_confidence: OCR'd numbers (and blanks where ink was seen but not read) whose
recognition confidence is below the run's threshold (`Options.ocr_low_confidence`).

A check, not part of extraction: the extractor records each cell's confidence as read; whether
that is doubtful is a judgement made here, with the threshold the run was given.
"""
from __future__ import annotations

from pipeline.core.findings import Finding, with_evidence


def low_confidence_cells(cells: list, threshold: float) -> list:
    """The cells whose reading is doubtful at this threshold."""
    return [c for c in cells if c.ocr_confidence is not None
            and c.kind in ("number", "blank") and c.ocr_confidence < threshold]


def check_confidence(cells: list, threshold: float) -> list:
    out = []
    for c in low_confidence_cells(cells, threshold):
        where, conf = c.code, c.ocr_confidence
        out.append(with_evidence(Finding(
            "ocr.low_confidence", where, "warning", f">= {threshold}", f"{c.raw} ({conf:.2f})",
            f"第{c.page}页 {where} 识别置信度低（{conf:.2f}），读作“{c.raw}”，请核对原件 {c.bbox}",
            f"page {c.page} {where}: low OCR confidence {conf:.2f}, read as {c.raw!r}; "
            f"check the scan at {c.bbox}"), [c]))
    return out
