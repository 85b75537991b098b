"""A report's status, decided in one place from its error, its findings and what was found in it.

    ok            a report, and every part the completeness rules look for was read
    partial       a report, incompletely read: `incomplete()` names what is missing
    failed        the file could not be read; `error` says why, as a sentence
    not_a_report  read, but it has no standard table and fewer than two of the six section
                  headings; `error` says what was found instead ("12 lines of text, 1 table of
                  3 × 4 cells"), and a `structure.not_a_report` finding says the same

pipeline.extract.inventory counts what a document holds; `decide()` (called by
publish) turns error, findings and inventory into the status. Whether a report is complete is
decided by `incomplete()` alone: the extract stage's account of completeness (every cell of the
layout expected against found, pipeline/extract/complete.py) reaches it as findings.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from pipeline.core.findings import Finding
from pipeline.core.results import Inventory

STATUSES = ("ok", "partial", "failed", "not_a_report")
# Findings that make a report `partial`: a standard table, rows or cells of its layout missing
# (pipeline/extract/complete.py), office or year not found.
PARTIAL_RULES = ("structure.missing_table", "structure.missing_rows", "structure.missing_cells",
                 "meta.no_office", "meta.no_year")
# What a non-report would otherwise be flagged with: said once by structure.not_a_report instead.
HIDDEN_WHEN_NOT_A_REPORT = PARTIAL_RULES + ("structure.missing_section",)
MIN_HEADINGS = 2           # section headings that make a document a report even without a table
MAX_SENTENCE = 600         # characters of an error sentence kept


@dataclass
class Verdict:
    status: str
    error: Optional[str] = None         # the sentence for `failed` and `not_a_report`
    finding: Optional[Finding] = None   # structure.not_a_report, for flags.parquet


def is_report(found: Inventory) -> bool:
    return bool(found.standard_tables) or len(set(found.sections)) >= MIN_HEADINGS


def incomplete(findings: list) -> list:
    """The rule ids that make a report `partial`; empty when it is complete."""
    return sorted({f.rule for f in findings if f.rule in PARTIAL_RULES})


def decide(error, findings: list, found: Optional[Inventory]) -> Verdict:
    if error:
        return Verdict("failed", sentence(error))
    if found is not None and not is_report(found):
        what = found_instead(found)
        text = f"no annual-report tables or section headings; found instead: {what}"
        finding = Finding("structure.not_a_report", "report", "warning", expected="a standard table or "
                          f"{MIN_HEADINGS} section headings", found=what,
                          message_zh=f"不是政府信息公开年度报告：没有标准表格，也没有各部分标题（{what}）",
                          message_en=f"not an annual report: {text}")
        return Verdict("not_a_report", text, finding)
    if incomplete(findings):
        return Verdict("partial")
    return Verdict("ok")


def shown_findings(verdict: Verdict, findings: list) -> list:
    """The findings published for a report: a non-report's missing-table/section/office/year
    warnings are replaced by the one structure.not_a_report finding."""
    if verdict.status != "not_a_report":
        return findings
    return [f for f in findings if f.rule not in HIDDEN_WHEN_NOT_A_REPORT] + [verdict.finding]


def found_instead(found: Inventory) -> str:
    parts = []
    lines, chars = found.lines, found.chars
    if lines:
        parts.append(f"{_n(lines, 'line')} of text ({_n(chars, 'character')})")
    tables = found.tables
    if tables:
        sizes = ", ".join(f"{r} × {c}" for r, c in tables[:3]) + (", …" if len(tables) > 3 else "")
        parts.append(f"{_n(len(tables), 'table')} of {sizes} cells")
    heads = found.sections
    if heads:
        parts.append(f"{_n(len(heads), 'section heading')} ({', '.join(heads)})")
    if not parts:
        pages = found.pages or 1
        ocr = " (read by OCR)" if found.ocr_pages else ""
        return f"nothing: no text and no tables on its {_n(pages, 'page')}{ocr}"
    return ", ".join(parts)


def _n(k: int, word: str) -> str:
    return f"{k:,} {word}{'' if k == 1 else 's'}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def sentence(text: str) -> str:
    """An error as one readable line: control characters shown as escapes (a file name with a
    newline in it), undecodable bytes as U+FFFD, at most MAX_SENTENCE characters."""
    text = str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    text = _CONTROL.sub(lambda m: "\\n" if m.group() == "\n" else f"\\x{ord(m.group()):02x}"
                        if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cs").strip()
    return text if len(text) <= MAX_SENTENCE else text[: MAX_SENTENCE - 1] + "…"
