"""Render PDF pages to images for OCR, with pypdfium2.

Why 200 dpi by default: scanned reports are mostly 150–300 dpi; at 200 dpi a 10.5 pt table digit
is ~30 px tall, which the recogniser reads reliably, while the page stays under the engine's
2000 px working size limit by little, so nothing is wasted on upscaling.
The scale factor (pixels per PDF point) comes back with the image so that every box found on it can
be mapped back to the page's own coordinates.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import numpy as np

DEFAULT_DPI = 200


@contextmanager
def open_pdf(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(Path(path)))
    try:
        yield pdf
    finally:
        pdf.close()


def render_page(pdf, page_number: int, dpi: float = DEFAULT_DPI) -> tuple:
    """Page `page_number` (1-based) of an open pypdfium2 document → (BGR uint8 image, px per pt,
    page size in points)."""
    page = pdf[page_number - 1]
    try:
        scale = dpi / 72.0
        bitmap = page.render(scale=scale, rev_byteorder=False)  # BGR(x) byte order, as cv2 uses
        img = bitmap.to_numpy()
        if img.ndim == 3 and img.shape[2] == 4:
            img = img[:, :, :3]
        size = (float(page.get_width()), float(page.get_height()))
        return np.ascontiguousarray(img), scale, size
    finally:
        page.close()


def render_pages(path, page_numbers, dpi: float = DEFAULT_DPI):
    """Yield (page_number, image, px_per_pt) for each requested page, in the order given."""
    with open_pdf(path) as pdf:
        for n in page_numbers:
            img, scale, _ = render_page(pdf, n, dpi)
            yield n, img, scale
