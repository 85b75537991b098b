"""OCR path: scanned PDF pages and page images → the same document model as text layers.

Public API (the PDF reader and the image reader call these):
- `page_ocr_reason(page)` — why a pdfplumber page needs OCR, or None when its text layer is good;
  needs only pdfplumber, so the triage works even where the OCR engine is not installed;
- `for_options(options)` — the OCR engine for a run's options (its thread count), which the two
  below take as `engine=`: one per process and setting, its models loaded once;
- `ocr_pdf_pages(path, page_numbers, dpi=200, engine=…)` — {page: [TextBlock | Table]} for those pages;
- `ocr_image(image, page=1, dpi=72, engine=…)` — items of one page image.

Every table cell carries its recognition confidence; whether it is doubtful is judged by the
check stage against the run's threshold (`Options.ocr_low_confidence`).

`for_options`, `ocr_pdf_pages` and `ocr_image` load lazily: importing them raises ImportError when
OpenCV, onnxruntime or rapidocr (with its bundled models) is missing, which callers already handle.
An installed rapidocr or onnxruntime that its adapter (pipeline/readers/engines/rapidocr.py) does
not support raises EngineChanged when the engine is made.

Modules, one job each: engine (RapidOCR wrapper, bundled models), render (pypdfium2), orient
(rotation / skew), grid (ruling lines → cells), assign (text → cells and blocks), ink (is a cell
written on; a "1" or a "/"), pages (the sequence for one page), reason (cheap text-layer triage).
"""
from __future__ import annotations

from pipeline.readers.ocr.reason import page_ocr_reason

__all__ = ["for_options", "ocr_image", "ocr_pdf_pages", "page_ocr_reason"]


def __getattr__(name):
    if name in ("ocr_pdf_pages", "ocr_image", "for_options"):
        try:
            from pipeline.readers.ocr import engine, pages
            engine.engine_params()  # rapidocr and its bundled model files are there
        except ImportError as e:    # engine.EngineUnavailable is one
            raise ImportError(f"the OCR engine is not available: {e}") from e
        return getattr(engine if name == "for_options" else pages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
