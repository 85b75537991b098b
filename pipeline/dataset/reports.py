"""The documents of a dataset as the dataset level sees them, read from the work folder.

Two views of each distinct document (a content read once, whatever number of copies it has):

    Facts      what choosing a report's canonical form needs, without the cells: office, year,
               format, how complete, how it was read, how many errors (pipeline.dataset.groups)
    Reviewed   the document as published: its stage results with the reviewer's corrections
               applied and, where a correction changed a cell, its within-report checks run again
               on the corrected cells

`Documents` is the one place that applies the corrections (pipeline.dataset.corrections) and
re-runs the checks they call for: once per document and run. Before them it applies the rows
the dataset decided (pipeline.dataset.decide: a crawler copy's run-together row decided by the
office's neighbouring years or another form of the report). The dataset checks (forms against
each other, consecutive years) and publish both take a document's contents from it, so they see
the same corrected numbers, and nothing is corrected or checked twice. Only corrected documents
are kept in memory; any other is read again when asked for (a dataset does not fit in memory).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from pipeline.checks import check_report
from pipeline.core.failures import Failure
from pipeline.core.results import Checked, Extracted, Segmented
from pipeline.core.store import STAGES, Workspace
from pipeline.dataset import corrections as CR
from pipeline.dataset import decide as DC
from pipeline.extract import recount


@dataclass(frozen=True)
class Facts:
    """One distinct document, as far as the choice of canonical forms and the grouping by office
    and year need to know it."""
    report_id: str
    source: str
    input: str
    detected_format: Optional[str]
    failed: bool                     # no extract result (the file could not be read)
    office_id: Optional[str]
    office: Optional[str]
    year: Optional[int]
    format_version: Optional[str]
    expected: Optional[int]          # cells its layout asks for
    found: int                       # of those, cells read
    ocr: bool                        # some page was read by OCR
    errors: int                      # findings of severity error (reader, extractor, checks)
    undecided: int = 0               # rows left unread that the dataset may decide (pipeline.dataset.decide)

    @property
    def complete(self) -> bool:
        return self.expected is not None and self.found == self.expected

    @property
    def office_key(self):
        """The office the dataset checks know a document by; every group of forms lies within one."""
        return self.office_id or self.office


@dataclass
class Reviewed:
    """A document as published: its stage results (a Failure, or None, where a stage has none),
    with the corrections applied (`applied`: their correction.applied / conflict findings)."""
    entry: dict
    parsed: object = None            # the parse stage's Failure, if it failed (the document itself is not read)
    segmented: object = None         # Segmented | Failure | None
    extracted: object = None         # Extracted | Failure | None
    checked: object = None           # Checked | Failure | None
    applied: list = field(default_factory=list)

    @property
    def failure(self) -> Optional[Failure]:
        """The first stage failure, if any."""
        return next((r for r in (self.parsed, self.segmented, self.extracted, self.checked)
                     if isinstance(r, Failure)), None)

    @property
    def cells(self) -> list:
        return self.extracted.cells if isinstance(self.extracted, Extracted) else []

    @property
    def overview(self) -> str:
        return self.segmented.overview if isinstance(self.segmented, Segmented) else ""


class Documents:
    """The distinct documents of a dataset's catalogue, read from its work folder, with the
    corrections of `fixes` (pipeline.dataset.corrections) applied once."""

    def __init__(self, ws: Workspace, fixes: Optional[CR.Corrections] = None):
        self.ws = ws
        self.fixes = fixes if fixes is not None else CR.load(ws.out, ws.options.corrections)
        self._corrected = {}          # report_id → Reviewed, for the documents a correction changed
        self._facts = None
        self.decisions = DC.load(ws.work)   # report_id → [Decision] (pipeline.dataset.decide)

    def use_decisions(self, decisions: dict) -> None:
        """Read the documents with these rows decided (pipeline.dataset.decide) from now on; the
        documents whose decisions changed are read again when asked for."""
        changed = {rid for rid in set(self.decisions) | set(decisions)
                   if self.decisions.get(rid) != decisions.get(rid)}
        self.decisions = decisions
        self._corrected = {rid: doc for rid, doc in self._corrected.items() if rid not in changed}
        if self._facts is not None and changed:
            self._facts = [self._facts_of(e) if f.report_id in changed else f
                           for e, f in zip(self.entries(), self._facts)]

    def entries(self) -> list:
        """The catalogue's entries that are distinct documents, in its order (a copy of an earlier
        file's content left out; what ingest did not open is a document that failed)."""
        seen, out = set(), []
        for e in self.ws.catalogue():
            if e.get("duplicate_of") or e["report_id"] in seen:
                continue
            seen.add(e["report_id"])
            out.append(e)
        return out

    def facts(self) -> list:
        """Facts of every distinct document, in the catalogue's order (read once per run)."""
        if self._facts is None:
            self._facts = [self._facts_of(e) for e in self.entries()]
        return self._facts

    def _facts_of(self, entry: dict) -> Facts:
        opened = not entry.get("error")
        if opened and entry["report_id"] in self.decisions:
            doc = self.reviewed(entry)
            ex, check = doc.extracted, doc.checked
        else:
            ex = self.ws.load("extract", entry["report_id"]) if opened else None
            check = self.ws.load("check", entry["report_id"]) if opened else None
        ex = ex if isinstance(ex, Extracted) else None
        findings = (ex.findings if ex else []) + (check.findings if isinstance(check, Checked) else [])
        meta = ex.meta if ex else None
        return Facts(entry["report_id"], entry["source"], entry.get("input", ""), entry.get("detected_format"),
                     ex is None, meta and meta.office_id, meta and meta.office, meta and meta.year,
                     ex and ex.format_version, ex and ex.completeness.expected,
                     (ex and ex.completeness.found) or 0, bool(ex and ex.ocr_pages),
                     sum(f.severity == "error" for f in findings), len(DC.open_rows(ex.findings)) if ex else 0)

    def reviewed(self, entry: dict) -> Reviewed:
        """The document of `entry` as published (see `Reviewed`)."""
        rid = entry["report_id"]
        if rid in self._corrected:
            return self._corrected[rid]
        doc = self._read(entry)
        decided = self.decisions.get(rid)
        if not isinstance(doc.extracted, Extracted) or doc.failure or not (self.fixes or decided):
            return doc
        if decided:
            doc.extracted = DC.apply(doc.extracted, decided, recount)
        cells, applied = self.fixes.correct_cells(entry, doc.extracted.meta, doc.extracted.cells) \
            if self.fixes else (doc.extracted.cells, [])
        if not applied and not decided:
            return doc
        ex = doc.extracted
        doc.extracted = Extracted(ex.meta, ex.format_version, cells, ex.findings, ex.completeness, ex.found,
                                  ex.pages, ex.ocr_pages)
        # a corrected OCR'd cell is no longer of low confidence: a person has read it
        seen = [c.with_(ocr_confidence=None) if c.corrected else c for c in cells]
        checked = check_report(seen, doc.overview, self.ws.options, ex.format_version)
        doc.checked = Checked(checked.findings + applied, checked.low_confidence)
        doc.applied = applied
        self._corrected[rid] = doc
        return doc

    def _read(self, entry: dict) -> Reviewed:
        """The stage results of one file; of the parse result only its failure (the rest is the
        whole document, which nothing after the extract stage needs)."""
        rid = entry["report_id"]
        if entry.get("error"):
            return Reviewed(entry)
        return Reviewed(entry, self.ws.failure("parse", rid),
                        *(self.ws.load(stage, rid) for stage in STAGES if stage != "parse"))
