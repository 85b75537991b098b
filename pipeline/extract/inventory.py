"""What a document holds, for deciding whether it is a report at all (pipeline.publish.status) and
for saying what it is when it is not."""
from __future__ import annotations

from pipeline.core.results import Inventory


def inventory(doc, sections: list, standard_tables: list) -> Inventory:
    """What a document holds, for deciding whether it is a report and for saying what it is when
    it is not: text lines and characters, tables and their sizes, the section headings and the
    standard tables found, pages and OCR'd pages."""
    blocks = doc.blocks
    return Inventory(len(blocks), sum(len(b.text) for b in blocks), [[t.n_rows, t.n_cols] for t in doc.tables],
                     [s.code for s in sections], list(standard_tables), doc.pages, len(doc.ocr_pages))
