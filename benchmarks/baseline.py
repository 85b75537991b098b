"""The baselines the benchmarks measure the pipeline against, in one place.

`bare_pdfplumber` is what any pdfplumber user pays for a text PDF: `extract_text` and
`extract_tables` on every page.
"""
from __future__ import annotations

import pdfplumber


def bare_pdfplumber(pdfs: list) -> int:
    """Read every page of the PDFs the plain pdfplumber way; returns the number of pages."""
    pages = 0
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return pages
