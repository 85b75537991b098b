"""The fast text-PDF path: pdfium reads the page objects, pdfplumber's own algorithms do the rest.

Why: a pdfplumber pass spends most of its time in pdfminer, interpreting content streams in
Python; the table finder and text-line builder that follow work on plain dicts. Here pdfium
(C, already a dependency) reads the characters, ruling lines, rects, curves and images of every
page (`pdfium_layer`), and they are handed to the very pdfplumber `Page` objects the reference
path uses. Everything after that — page triage for OCR, `find_tables`, the cell grid, the text
lines — is the reference code running on the same inputs, so its results are the same by
construction. Two pdfplumber loops that rescan the whole page for every item are replaced by
`fast_tables`, which runs the same tests on fewer candidates. `tests/test_pdf_parity.py` holds
the two paths to identical documents on every PDF we have.

A file is read the fast way only when every page can be: one page the layer is unsure of
(`pdfium_layer.Unsupported`) and the whole file goes the pdfplumber way, with a reader warning
saying why.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from pipeline.readers.engines import pdfium as pdfium_engine
from pipeline.readers.engines import pdfplumber as plumber
from pipeline.readers.fast_tables import FastPage
from pipeline.readers.pdfium_layer import FontCache, PageLayer, Unsupported

WARNING = "pdf.fast_path_declined"


def attach_objects(path: Path, pages: list):
    """Give each pdfplumber page of `path` its objects as pdfium reads them.

    Returns None when every page got them, else the reason none did (the pages are then left
    untouched, to be parsed by pdfminer as usual). An engine its adapter does not support raises
    EngineChanged (pipeline/readers/engines): that is no doubt about one file.
    """
    pdfium_engine.check()
    plumber.check()
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:   # pypdfium2 raises PdfiumError, but be sure: this is only a shortcut
        return f"pdfium cannot open it ({type(e).__name__}: {e})"
    fonts = FontCache()
    try:
        if len(pdf) != len(pages):
            return f"pdfium sees {len(pdf)} pages, pdfminer {len(pages)}"
        layers = []
        for i, page in enumerate(pages):
            try:
                layers.append(PageLayer(pdf, i, page.initial_doctop, page.height, fonts).objects)
            except Unsupported as e:
                return f"page {i + 1}: {e}"
            except Exception as e:
                return f"page {i + 1}: {type(e).__name__}: {e}"
    finally:
        fonts.close()
        pdf.close()
    for page, objects in zip(pages, layers):
        # the same page, its objects read by pdfium, with the quicker (same-result) table finder
        plumber.give_objects(page, objects, FastPage)
    return None
