"""The one document model every reader produces.

Readers (pipeline/readers/*) turn a file of any format into a `Document`: an ordered list of
text blocks and tables, each with the page and position it came from. Everything after the parse
stage sees only this model, never the original format.

Coordinates: `bbox` is (x0, top, x1, bottom) in PDF points, top-left origin, for formats with
geometry (PDF, OFD, OCR'd images); None elsewhere. `page` is 1-based; formats without pages use 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from pipeline.core.findings import Finding

BBox = Optional[tuple]


@dataclass
class TextBlock:
    """A line or paragraph of running text, in reading order."""
    text: str
    page: int = 1
    bbox: BBox = None
    kind: str = "text"


@dataclass
class Cell:
    """One cell of a table, at its top-left grid position, with its spans."""
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int = 1
    bbox: BBox = None
    confidence: Optional[float] = None  # OCR recognition confidence, None for text layers


@dataclass
class Table:
    """A table as a grid of cells with spans.

    `ragged` marks tables whose rows have no reliable column geometry (plain-text and some
    markdown exports: tab-separated rows whose columns drift). The extractor aligns the values
    of such rows by count rather than by grid column.
    """
    cells: list = field(default_factory=list)
    page: int = 1
    bbox: BBox = None
    ragged: bool = False
    kind: str = "table"

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def grid(self) -> list:
        """Rows of grid positions; each position holds the cell covering it, or None."""
        g = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    g[r][k] = c
        return g

    def last_page(self) -> int:
        return max((c.page for c in self.cells), default=self.page)



@dataclass
class Document:
    """What a reader made of one file."""
    source: str
    format: str
    pages: int = 1
    items: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)   # e.g. title, publisher, date found by the reader
    ocr_pages: list = field(default_factory=list)
    findings: list = field(default_factory=list)  # [Finding]: what the reader noticed (an OCR'd page …)

    @property
    def tables(self) -> list:
        return [i for i in self.items if isinstance(i, Table)]

    @property
    def blocks(self) -> list:
        return [i for i in self.items if isinstance(i, TextBlock)]

    def text(self) -> str:
        return "\n".join(i.text for i in self.items if isinstance(i, TextBlock))

    def to_dict(self) -> dict:
        """Plain data for JSON (dataclasses.asdict deep-copies everything; this does not)."""
        d = {k: v for k, v in self.__dict__.items() if k not in ("items", "findings")}
        d["items"] = [_item_dict(i) for i in self.items]
        d["findings"] = [f.to_dict() for f in self.findings]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Document":
        items = []
        for it in d.get("items", []):
            if it.get("kind") == "table":
                cells = [Cell(**{**c, "bbox": _tuple(c.get("bbox"))}) for c in it["cells"]]
                items.append(Table(cells=cells, page=it["page"], bbox=_tuple(it.get("bbox")),
                                   ragged=it.get("ragged", False)))
            else:
                items.append(TextBlock(text=it["text"], page=it["page"], bbox=_tuple(it.get("bbox"))))
        return cls(source=d["source"], format=d["format"], pages=d.get("pages", 1), items=items,
                   meta=d.get("meta", {}), ocr_pages=d.get("ocr_pages", []),
                   findings=[Finding.from_dict(f) for f in d.get("findings", [])])


def _item_dict(item) -> dict:
    if isinstance(item, Table):
        d = {k: v for k, v in item.__dict__.items() if k != "cells"}
        d["cells"] = [dict(c.__dict__) for c in item.cells]
        return d
    return dict(item.__dict__)


def _tuple(b):
    return tuple(b) if b is not None else None


def table_from_rows(rows: list, page: int = 1, ragged: bool = False) -> Table:
    """A table from a list of rows of strings, one cell per string (no spans)."""
    cells = [Cell(text=t or "", row=r, col=c, page=page)
             for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Table(cells=cells, page=page, ragged=ragged)
