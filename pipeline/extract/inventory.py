"""What a document holds, for deciding whether it is a report at all (pipeline.publish.status) and
for saying what it is when it is not."""
from __future__ import annotations


def inventory(doc, sections: list, standard_tables: list) -> dict:
    """What a document holds, for deciding whether it is a report and for saying what it is when
    it is not: text lines and characters, tables and their sizes, the section headings and the
    standard tables found, pages and OCR'd pages."""
    blocks = doc.blocks
    return {"lines": len(blocks), "chars": sum(len(b.text) for b in blocks),
            "tables": [[t.n_rows, t.n_cols] for t in doc.tables],
            "sections": [s["code"] for s in sections], "standard_tables": list(standard_tables),
            "pages": doc.pages, "ocr_pages": len(doc.ocr_pages)}
