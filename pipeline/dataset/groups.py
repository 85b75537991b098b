"""One report per office-year: documents that are forms of the same report, and the canonical one.

Documents with the same `office_id` and year are forms of one report (its PDF, its web page, a
scan, a crawler's text …): a group, `group_id` = `<office_id>/<year>`. One of them is the group's
canonical document — the one the panel takes its numbers from and the cross-year checks compare —
chosen by this order, each step breaking the ties of the one before:

1. read before failed (a file that could not be read is never canonical while another can be);
2. complete before partial (every cell of its layout read: status `ok`);
3. more cells read;
4. born-digital before converted before scanned: PDF with a text layer, OFD, DOCX, DOC, WPS,
   HTML, then Markdown and plain text (converter or crawler output), then anything read by OCR;
5. fewer errors (within-report relations that do not hold);
6. the source path, so the choice is the same on every machine.

The cells of every other form are compared with the canonical's: each cell both have and read
differently is a `forms.disagree@table.row.col` finding on that form, naming both values and
both sources. A document whose office or year is unknown is a group of its own.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.findings import Finding, number_text, with_evidence
from pipeline.formats.labels import code_name

FORMAT_ORDER = ("pdf", "ofd", "docx", "doc", "wps", "html", "md", "txt")


@dataclass(frozen=True)
class Group:
    group_id: str
    canonical: str          # report_id of the canonical document
    members: tuple          # report_ids, canonical first


def group_key(f) -> str:
    """`<office_id>/<year>` of a document's Facts (pipeline.dataset.reports); None when either is unknown."""
    return f"{f.office_id}/{f.year}" if f.office_id and f.year else None


def rank(f) -> tuple:
    """The canonical order of a document's Facts: smaller is better."""
    fmt = f.detected_format
    born = len(FORMAT_ORDER) if f.ocr or fmt not in FORMAT_ORDER else FORMAT_ORDER.index(fmt)
    return (f.failed, not f.complete, -f.found, born, f.errors, f.source, f.input)


def assign(documents: list) -> dict:
    """{report_id: Group} for distinct documents (their Facts; duplicates of a content left out)."""
    by_key = {}
    for f in documents:
        by_key.setdefault(group_key(f) or f.report_id, []).append(f)
    out = {}
    for key, members in by_key.items():
        members = sorted(members, key=rank)
        g = Group(key, members[0].report_id, tuple(m.report_id for m in members))
        for m in members:
            out[m.report_id] = g
    return out


def _value(c: dict) -> str:
    if c.kind == "number" and c.value is not None:
        return number_text(c.value)
    return c.kind if c.kind in ("blank", "na") else (c.raw or "")


def disagreements(form_cells: list, canonical_cells: list, canonical_id: str, canonical_source: str) -> list:
    """forms.disagree findings of one form's cells against the canonical document's."""
    mine = {c.code: c for c in form_cells}
    out = []
    for c in canonical_cells:
        code = c.code
        other = mine.get(code)
        if other is None:
            continue                     # not read in this form: its completeness says so
        a, b = _value(c), _value(other)
        if a == b:
            continue
        out.append(with_evidence(Finding(
            "forms.disagree", code, "warning", expected=a, found=b,
            message_zh=f"{code_name(code)}：本文件为 {b}（{other.shown!s}），同一报告的 {canonical_source} 为 {a}",
            message_en=f"{code_name(code, 'en')}: this form reads {b}, the canonical form {canonical_source} reads {a}",
            extra={"canonical": canonical_id, "canonical_source": canonical_source}), [other]))
    return out
