"""One page image → document items: detect, orient, straighten, find grids, recognise, assign,
map back to points.

What each step costs, and why it is done so (the bare engine detects at up to 2000 px, asks the
direction classifier about every line and pads every crop to 320 px before recognising it):
- lines are detected once, on the page reduced to DET_SIDE px (engine.detect): boxes are all the
  later steps need from the detector, and the reduced page costs a third as much;
- the direction classifier sees only the page's longest lines, once (orient.orientation); a page
  found turned or tilted is straightened once, and the boxes are mapped through the same matrix
  instead of being detected again;
- the ruling lines give the tables' grids (grid), and every text line — in a cell or outside the
  tables — is recognised on its own crop of the straightened page at full resolution, batched by
  width (engine.recognise_crops); cells showing ink where no line was detected are read on their
  own crop (assign);
- every page is read whole, its prose included, at the same cost whatever it holds: the section
  text is published (sections.parquet), so no page or line is skipped. Prose narrower than
  PROSE_WIDTH was tried (0.6: 8% less for the page's OCR) and turned full-width parentheses into
  ASCII ones.
Everything after the detection works on the straightened image; the boxes are then mapped back
through the inverse of the straightening and scaled to PDF points of the original page, so a
rotated scan still reports where on *its* page each cell is.

A page whose orientation neither the classifier nor the text direction settles is read the way
most votes say, and an `ocr.unoriented_page` finding says so (`findings`, when the caller passes
a list): its cells may then be missing, and completeness accounting reports them.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.core.findings import Finding
from pipeline.core.model import Table
from pipeline.readers.ocr import assign, grid, orient, render
from pipeline.readers.ocr.engine import OcrEngine, Word, engine_for

# Page images are brought to the size range a 150–250 dpi A4 scan has: the recogniser reads
# small print badly below it, and the engine shrinks larger images to 2000 px anyway.
MIN_SIDE = 1600   # px of the long side: smaller images (thumbnails, 100-dpi scans) are enlarged
MAX_SIDE = 3000   # px of the long side: larger images (phone photos) are reduced
DET_SIDE = 960    # px of the long side lines are detected at: an A4 page at about 80 dpi
TALL = 1.5        # a box this much higher than wide is cropped turned by the engine (see read_lines)
PROSE_WIDTH = 0.75  # text outside the tables is recognised at this share of its width …
PROSE_SURE = 0.9    # … and again at full width when it reads below this


def ocr_pdf_pages(path, page_numbers, dpi: float = render.DEFAULT_DPI, threads: int = 0,
                  findings: list | None = None, engine: OcrEngine | None = None) -> dict:
    """OCR the given 1-based pages of a PDF → {page: [TextBlock | Table]} with bboxes in points.
    `engine`: the OCR engine to read with (readers pass the one for their options,
    engine.for_options), else this process's engine for `threads` (0: onnxruntime's default,
    every core); `findings`: a list that receives the pages' notices (a page that could not be
    oriented)."""
    engine = engine if engine is not None else engine_for(threads)
    out = {}
    for n, img, scale in render.render_pages(path, page_numbers, dpi):
        out[n] = read_page_image(img, page=n, px_per_pt=scale, engine=engine, findings=findings)
    return out


def ocr_image(image, page: int = 1, dpi: float = 72.0, threads: int = 0,
              findings: list | None = None, engine: OcrEngine | None = None) -> list:
    """OCR a page image (numpy array: BGR or grey, or a PIL image) → items. Bboxes are in points
    at `dpi` (default 72: one point per pixel of the image as given); `engine` and `threads` as
    for ocr_pdf_pages."""
    engine = engine if engine is not None else engine_for(threads)
    img = to_bgr(image)
    factor, side = 1.0, max(img.shape[:2])
    if side < MIN_SIDE or side > MAX_SIDE:
        factor = (MIN_SIDE if side < MIN_SIDE else MAX_SIDE) / side
        img = cv2.resize(img, None, fx=factor, fy=factor,
                         interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
    return read_page_image(img, page=page, px_per_pt=factor * dpi / 72.0, engine=engine, findings=findings)


def to_bgr(image) -> np.ndarray:
    if not isinstance(image, np.ndarray):  # PIL
        image = np.asarray(image.convert("RGB"))[:, :, ::-1]
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(image)


def read_page_image(img: np.ndarray, page: int, px_per_pt: float, engine: OcrEngine,
                    findings: list | None = None) -> list:
    quads = engine.detect(img, DET_SIDE)
    o = orient.orientation(img, quads, engine)
    if not o.sure and findings is not None:
        findings.append(unoriented(page, o))
    m, size = orient.rotation(img.shape, o.turns, o.skew)
    work = orient.warp(img, m, size)
    quads = orient.upright_quads(m, quads, o.turns)
    gray = cv2.cvtColor(work, cv2.COLOR_BGR2GRAY)
    masks = grid.line_masks(gray)
    tables = grid.find_tables(gray, masks)
    boxes = [t.bbox for t in tables if len(t.cells) >= 2]
    prose = [not any(_inside(q.mean(axis=0), b) for b in boxes) for q in quads]
    words = read_lines(work, quads, engine, prose)
    items = assign.page_items(words, tables, masks, lambda: work, page, engine)
    _to_points(items, np.linalg.inv(m), px_per_pt)
    return items


def read_lines(img: np.ndarray, quads: np.ndarray, engine: OcrEngine, prose=None) -> list:
    """[Word] for the line boxes of an upright page: each recognised on its own crop.

    A line outside the tables (`prose[i]`) is read narrowed to PROSE_WIDTH of its width: running
    text is square characters at 48 px high, which read the same with fewer columns, and the
    recogniser's cost is its input's width. A narrowed line that reads below PROSE_SURE is read
    again at full width and the better reading kept. Table cells are always read at full width.

    A box much higher than wide is a narrow character ("1", "（") or a column of them, never a
    sideways line (the page is upright by now), but the engine's crop turns it a quarter: it is
    read both ways and the better reading kept."""
    prose = list(prose) if prose is not None else [False] * len(quads)
    crops, first, tall = [], [], []
    for i, q in enumerate(quads):
        c = engine.crop(img, q)
        crops.append(c)
        first.append(_narrowed(c) if prose[i] else c)
        length, height = orient._size(q)
        if height >= TALL * length:
            tall.append(i)
    reads = engine.recognise_crops(first + [np.ascontiguousarray(np.rot90(crops[i], -1)) for i in tall])
    best = reads[:len(crops)]
    for i, again in zip(tall, reads[len(crops):]):
        if again[1] > best[i][1]:
            best[i] = again
    doubtful = [i for i, (text, score) in enumerate(best) if prose[i] and score < PROSE_SURE]
    for i, again in zip(doubtful, engine.recognise_crops([crops[i] for i in doubtful])):
        if again[1] > best[i][1]:
            best[i] = again
    return [Word(np.asarray(q, dtype=np.float64), text, score)
            for q, (text, score) in zip(quads, best) if text]


def _narrowed(crop: np.ndarray) -> np.ndarray:
    w = max(1, int(round(crop.shape[1] * PROSE_WIDTH)))
    return cv2.resize(crop, (w, crop.shape[0]), interpolation=cv2.INTER_AREA)


def _inside(pt, box) -> bool:
    return box[0] <= pt[0] <= box[2] and box[1] <= pt[1] <= box[3]


def unoriented(page: int, o: orient.Orientation) -> Finding:
    """The notice for a page OCR could not orient."""
    turned = {0: "未旋转", 1: "顺时针旋转90°", 2: "旋转180°", 3: "逆时针旋转90°"}[o.turns]
    return Finding("ocr.unoriented_page", f"page_{page}", "warning", found=o.how, page=page,
                   message_zh=f"第{page}页无法确定文字方向，已按{turned}识别；该页的表格单元格可能缺失或有误",
                   message_en=f"page {page}: OCR could not tell which way up the page is ({o.how}); "
                              f"read turned by {o.turns * 90}° clockwise, its cells may be missing or wrong")


def _to_points(items: list, back: np.ndarray, px_per_pt: float) -> None:
    def conv(box):
        x0, y0, x1, y1 = orient.map_box(back, box)
        return tuple(round(max(v, 0.0) / px_per_pt, 2) for v in (x0, y0, x1, y1))

    for it in items:
        it.bbox = conv(it.bbox)
        if isinstance(it, Table):
            for c in it.cells:
                c.bbox = conv(c.bbox)
