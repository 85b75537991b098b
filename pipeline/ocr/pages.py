"""One page image → document items: read, straighten, find grids, assign, map back to points.

The order matters for speed: the engine reads the page as it comes, and only a page found turned
(or tilted past orient.REOCR_DEGREES) is straightened and read a second time. Everything after the
read works on the straightened image; the boxes are then mapped back through the inverse of the
straightening and scaled to PDF points of the original page, so a rotated scan still reports
where on *its* page each cell is.
"""
from __future__ import annotations

import cv2
import numpy as np

from ..model import Table
from . import assign, engine, grid, orient, render

# Page images are brought to the size range a 150–250 dpi A4 scan has: the recogniser reads
# small print badly below it, and the engine shrinks larger images to 2000 px anyway.
MIN_SIDE = 1600   # px of the long side: smaller images (thumbnails, 100-dpi scans) are enlarged
MAX_SIDE = 3000   # px of the long side: larger images (phone photos) are reduced


def ocr_pdf_pages(path, page_numbers, dpi: float = render.DEFAULT_DPI, threads: int = 0) -> dict:
    """OCR the given 1-based pages of a PDF → {page: [TextBlock | Table]} with bboxes in points.
    `threads`: for the engine (0: onnxruntime's default, every core)."""
    engine.use_threads(threads)
    out = {}
    for n, img, scale in render.render_pages(path, page_numbers, dpi):
        out[n] = read_page_image(img, page=n, px_per_pt=scale)
    return out


def ocr_image(image, page: int = 1, dpi: float = 72.0, threads: int = 0) -> list:
    """OCR a page image (numpy array: BGR or grey, or a PIL image) → items. Bboxes are in points
    at `dpi` (default 72: one point per pixel of the image as given)."""
    engine.use_threads(threads)
    img = to_bgr(image)
    factor, side = 1.0, max(img.shape[:2])
    if side < MIN_SIDE or side > MAX_SIDE:
        factor = (MIN_SIDE if side < MIN_SIDE else MAX_SIDE) / side
        img = cv2.resize(img, None, fx=factor, fy=factor,
                         interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
    return read_page_image(img, page=page, px_per_pt=factor * dpi / 72.0)


def to_bgr(image) -> np.ndarray:
    if not isinstance(image, np.ndarray):  # PIL
        image = np.asarray(image.convert("RGB"))[:, :, ::-1]
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(image)


def read_page_image(img: np.ndarray, page: int, px_per_pt: float) -> list:
    words = engine.read(img)
    to_work = np.eye(3)
    turns, skew = orient.estimate(words)
    if turns or abs(skew) > orient.REOCR_DEGREES:
        m, size = orient.rotation(img.shape, turns, skew)
        img = orient.warp(img, m, size)
        words = engine.read(img)
        to_work = m
        _, skew = orient.estimate(words)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    color = lambda: img  # noqa: E731 - colour crops are rarely needed (cells re-read): warp lazily
    if abs(skew) > 0.05:
        m, size = orient.rotation(img.shape, 0, skew)
        gray = orient.warp(gray, m, size)
        color = lambda: orient.warp(img, m, size)  # noqa: E731
        words = [w.transformed(m) for w in words]
        to_work = m @ to_work
    masks = grid.line_masks(gray)
    tables = grid.find_tables(gray, masks)
    items = assign.page_items(words, tables, masks, color, page)
    _to_points(items, np.linalg.inv(to_work), px_per_pt)
    return items


def _to_points(items: list, back: np.ndarray, px_per_pt: float) -> None:
    def conv(box):
        x0, y0, x1, y1 = orient.map_box(back, box)
        return tuple(round(max(v, 0.0) / px_per_pt, 2) for v in (x0, y0, x1, y1))

    for it in items:
        it.bbox = conv(it.bbox)
        if isinstance(it, Table):
            for c in it.cells:
                c.bbox = conv(c.bbox)
