"""The typed results the per-file stages hand to each other, and what they are made of.

    parse    Document            (pipeline.core.model)
    segment  Segmented           the sections found, and the section of every item
    extract  Extracted           meta, format, cells, findings, completeness, inventory
    check    Checked             the within-report findings, the low-confidence cells

A stage that could not do its work returns a `Failure` (pipeline.core.failures) instead. Each
result has `to_dict` / `from_dict`; pipeline.core.store is the one codec that writes and reads
them in the work folder. Nothing after a stage reads another stage's result as a dict.

A cell of a report's standard tables is a `CellRecord`: its codes, kind and value, the raw text
it came from, its page and box, the labels it was matched from and how well, how it was placed,
and, once a reviewer corrected it (pipeline.dataset.corrections), what was read beside the new
value. Its fields are the columns of cells.parquet (pipeline.publish.schema).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Optional

from pipeline.core.findings import Finding, number_text
from pipeline.core.model import Document


def _tuple(b):
    return tuple(b) if b is not None else None


@dataclass
class Section:
    """A section of a report: its code (data/sections.csv), the heading as printed (empty when it
    was found by its content), its running text (tables excluded) and its pages."""
    code: str
    heading: str
    text: str
    first_page: int
    last_page: int
    found_by: str = "heading"     # heading | content (the heading was lost)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Segmented:
    """The segment stage's result: the sections found, in order, the section code of every item
    of the document (None before the first section), and the outline they were found by
    (`national`, or `legacy` for a report before 2019: pipeline.formats.headings)."""
    sections: list = field(default_factory=list)
    item_sections: list = field(default_factory=list)
    outline: str = "national"

    def text_of(self, code: str) -> str:
        """The running text of the section(s) with this code, joined by spaces."""
        return " ".join(s.text for s in self.sections if s.code == code)

    @property
    def overview(self) -> str:
        """The text of 一、总体情况, whose stated numbers the narrative checks compare with the tables."""
        return self.text_of("overview")

    def to_dict(self) -> dict:
        return {"sections": [s.to_dict() for s in self.sections], "item_sections": list(self.item_sections),
                "outline": self.outline}

    @classmethod
    def from_dict(cls, d: dict) -> "Segmented":
        return cls([Section(**s) for s in d["sections"]], list(d["item_sections"]), d["outline"])


@dataclass
class ReportMeta:
    """Who published a report and when: the office and its identity (pipeline.extract.identity),
    its region, the title as found and the reporting year. None where it was not found."""
    title: str = ""
    office: Optional[str] = None
    office_as_printed: Optional[str] = None
    office_id: Optional[str] = None
    division_code: Optional[str] = None
    level: Optional[str] = None
    kind: Optional[str] = None
    province: str = ""
    city: str = ""
    county: str = ""
    year: Optional[int] = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "ReportMeta":
        return cls(**d)


@dataclass
class Completeness:
    """The cells a report's layout asks for, those read, and the missing ones ({table: {row: [cols]}})."""
    expected: Optional[int] = None
    found: Optional[int] = None
    missing: dict = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.expected is not None and self.found == self.expected

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Inventory:
    """What a document holds, for deciding whether it is a report (pipeline.publish.status) and for
    saying what it is when it is not: lines and characters of text, the sizes of its tables, the
    section headings and standard tables found, its pages and OCR'd pages."""
    lines: int = 0
    chars: int = 0
    tables: list = field(default_factory=list)      # [[rows, cols]]
    sections: list = field(default_factory=list)
    standard_tables: list = field(default_factory=list)
    pages: int = 1
    ocr_pages: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class CellRecord:
    """One cell of a report's standard tables, with its provenance (see the module docstring)."""
    table_code: str
    row_code: str
    col_code: str
    kind: str                        # number | blank | na | text
    value: Optional[float]
    raw: str
    page: int
    bbox: Optional[tuple]
    grid_row: int
    grid_col: int
    row_label: str
    col_label: str
    match_score: float
    ocr_confidence: Optional[float] = None
    placement: str = "labelled"      # labelled | aligned | split (pipeline/extract/align.py) | text (legacy_text.py)
    low_confidence: bool = False     # an OCR'd reading below the run's threshold (set by the check stage)
    # a reviewer's correction (pipeline.dataset.corrections): what was read is kept beside it
    corrected: bool = False
    extracted_kind: Optional[str] = None
    extracted_value: Optional[float] = None
    correction_note: Optional[str] = None
    corrected_by: Optional[str] = None

    @classmethod
    def at(cls, table: str, row: str, col: str, kind: str, value: Optional[float], raw: Optional[str] = None,
           page: int = 1, bbox: Optional[tuple] = None, **more) -> "CellRecord":
        """A cell placed by hand (not read from a grid cell): tests, figures stated in the text."""
        raw = raw if raw is not None else ("" if value is None else f"{value:g}")
        return cls(table, row, col, kind, value, raw, page, bbox, more.pop("grid_row", -1),
                   more.pop("grid_col", -1), more.pop("row_label", ""), more.pop("col_label", ""),
                   more.pop("match_score", 1.0), **more)

    @property
    def key(self) -> tuple:
        return (self.table_code, self.row_code, self.col_code)

    @property
    def code(self) -> str:
        """`table.row.col`, as findings and corrections name a cell."""
        return f"{self.table_code}.{self.row_code}.{self.col_code}"

    @property
    def shown(self) -> str:
        """The cell as a message quotes it: its text as printed, or, for a cell a reviewer
        corrected, the corrected value (the printed text is no longer what the checks read)."""
        if not self.corrected:
            return self.raw
        return number_text(self.value) if self.value is not None else self.kind

    def with_(self, **changes) -> "CellRecord":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, d: dict) -> "CellRecord":
        return cls(**{**{k: v for k, v in d.items() if k in _CELL_FIELDS}, "bbox": _tuple(d.get("bbox"))})


_CELL_FIELDS = {f.name for f in fields(CellRecord)}


@dataclass
class Extracted:
    """The extract stage's result for one report: who and when (`meta`), the format its tables
    use, its cells, every finding of the reader and the extractor, the completeness account, and
    the inventory of what the document holds."""
    meta: ReportMeta
    format_version: str
    cells: list                      # [CellRecord]
    findings: list                   # [Finding]
    completeness: Completeness
    found: Inventory
    pages: int = 1
    ocr_pages: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"meta": self.meta.to_dict(), "format_version": self.format_version,
                "cells": [c.to_dict() for c in self.cells], "findings": [f.to_dict() for f in self.findings],
                "completeness": self.completeness.to_dict(), "found": self.found.to_dict(),
                "pages": self.pages, "ocr_pages": list(self.ocr_pages)}

    @classmethod
    def from_dict(cls, d: dict) -> "Extracted":
        return cls(ReportMeta.from_dict(d["meta"]), d["format_version"],
                   [CellRecord.from_dict(c) for c in d["cells"]], [Finding.from_dict(f) for f in d["findings"]],
                   Completeness(**d["completeness"]), Inventory(**d["found"]), d["pages"], list(d["ocr_pages"]))


@dataclass
class Checked:
    """The check stage's result: the within-report findings, and the cells (codes) whose OCR
    reading is of low confidence."""
    findings: list = field(default_factory=list)       # [Finding]
    low_confidence: list = field(default_factory=list)  # ["table.row.col"]

    def to_dict(self) -> dict:
        return {"findings": [f.to_dict() for f in self.findings], "low_confidence": list(self.low_confidence)}

    @classmethod
    def from_dict(cls, d: dict) -> "Checked":
        return cls([Finding.from_dict(f) for f in d["findings"]], list(d["low_confidence"]))


# the result type of each per-file stage, for the codec (pipeline.core.store)
RESULTS = {"parse": Document, "segment": Segmented, "extract": Extracted, "check": Checked}
