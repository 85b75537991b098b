"""Put recognised text lines into table cells and text blocks.

Why by centre: a detected line box may overhang its cell by a few pixels (thick rules, tilt), but
its centre lies in the cell it was written in. Several lines in one cell are joined in reading
order (top to bottom, left to right) with nothing between Chinese characters, since a cell's line
breaks are only wrapping; vertical labels written one character per line (三、本年度办理结果)
join the same way. Lines outside every table become text blocks, one per line.

A table cell that shows ink but got no detected line (detection can miss a lone thin digit) is
read again on its own crop by the recogniser; when nothing is read the cell stays empty with
confidence 0, so that the miss is visible downstream instead of passing for a blank. A lone dash
("-", not applicable) has less ink than a digit but its flat shape tells it from a speck. A dot the
recogniser reads beside a number ("2.", "·0") stays in the cell's text, as read; value parsing
(pipeline/values.py) knows it for speckle.

How much ink a cell holds and what shape a lone stroke has are judged in `ink`.

Everything here is in pixels of the straightened page image.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.core.model import Cell, Table, TextBlock
from pipeline.readers.ocr.grid import SNAP
from pipeline.readers.ocr.ink import ONE_LIKE, SPECK_MARKS, dash_or_dot, ink_box, slash_or_one, specks

NOISE_SCORE = 0.5       # outside tables, lines scoring below this are speckle, not text
BLANK_CONFIDENCE = 1.0  # an empty cell with no ink is certainly blank
SPECKS_ONLY = 0.95      # a cell whose only marks are specks is blank, nearly as surely
READ_HEIGHT = 24        # px: a crop read on its own is at least this high (digits are ~21 px)


def page_items(words, tables, masks, color, page: int, engine) -> list:
    """Items of one page, top to bottom: a Table per grid, a TextBlock per text line outside them.
    `color()` returns the straightened colour page, for re-reading cells with `engine`
    (readers.ocr.engine.OcrEngine)."""
    items, rest = [], list(words)
    # Smallest first: a ruled frame drawn around a table must not take the table's words.
    for grid in sorted(tables, key=lambda g: (g.bbox[2] - g.bbox[0]) * (g.bbox[3] - g.bbox[1])):
        if len(grid.cells) < 2:
            continue  # a framed paragraph, not a table: its lines stay text
        inside = [w for w in rest if _inside(w.centre, grid.bbox)]
        rest = [w for w in rest if not _inside(w.centre, grid.bbox)]
        items.append(_table(grid, inside, masks, color, page, engine))
    for line in group_lines([w for w in rest if w.score >= NOISE_SCORE], split_gaps=True):
        items.append(TextBlock(text=join_line(line), page=page, bbox=_union([w.box for w in line])))
    items.sort(key=lambda it: (round(it.bbox[1]), it.bbox[0]))
    return items


def _table(grid, words, masks, color, page, engine) -> Table:
    image = _Lazy(color)
    rules = _Lazy(lambda: cv2.dilate(cv2.bitwise_or(masks.horizontal, masks.vertical),
                                     cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))))
    by_cell = {id(c): [] for c in grid.cells}
    for w in words:
        for cell, part in _split_across(grid, w, masks, rules, image, engine):
            by_cell[id(cell)].append(part)
    cells, blanks = [], []
    for gc in grid.cells:
        ws = by_cell[id(gc)]
        cell = Cell(text="", row=gc.row, col=gc.col, rowspan=gc.rowspan, colspan=gc.colspan,
                    page=page, bbox=tuple(float(v) for v in gc.bbox), confidence=BLANK_CONFIDENCE)
        if ws:
            cell.text = join_lines(group_lines(ws))
            cell.confidence = min(w.score for w in ws)
        else:
            blanks.append(cell)
        cells.append(cell)
    _reread_inked(blanks, masks, rules, image, engine)
    _despeckle([c for c in cells if SPECK_MARKS & set(c.text)], masks, rules, image, engine)
    for cell in cells:
        if cell.text.strip() in ONE_LIKE | {"/"}:
            slash_or_one(cell, masks, rules)
        elif cell.text.strip() and set(cell.text.strip()) <= SPECK_MARKS:
            dash_or_dot(cell, masks, rules)
    return Table(cells=cells, page=page, bbox=tuple(float(v) for v in grid.bbox))


class _Lazy:
    """A value computed on first use: warped colour pages and rule masks are rarely needed."""

    def __init__(self, make):
        self._make, self._value = make, None

    def __call__(self):
        if self._value is None:
            self._value = self._make()
        return self._value


def _crop(image, box, pad: int = 6, origin: bool = False):
    """The image around box; a low mark (a dash) gets room above and below, so that the
    recogniser, which scales crops to one height, sees it at the size of text, not as a blot.
    With `origin`, also the crop's top-left corner in the image: (crop, (x, y))."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    v = max(pad, (READ_HEIGHT - (y1 - y0) + 1) // 2)
    top, left = max(y0 - v, 0), max(x0 - pad, 0)
    crop = np.ascontiguousarray(image[top:y1 + v, left:x1 + pad])
    return (crop, (left, top)) if origin else crop


def _reread_inked(cells: list, masks, rules, image, engine) -> None:
    """Blank cells that show ink: recognise their ink on its own."""
    targets, crops = [], []
    for cell in cells:
        x0, y0, x1, y1 = cell.bbox
        ink = ink_box(masks, rules, (x0 + SNAP, y0 + SNAP, x1 - SNAP, y1 - SNAP))
        if ink is not None:
            targets.append(cell)
            crops.append(_crop(image(), ink))
    for cell, (text, score) in zip(targets, engine.recognise_crops(crops)):
        cell.text = text
        cell.confidence = score if text else 0.0


def _despeckle(cells: list, masks, rules, image, engine) -> None:
    """Cells whose reading holds a speck-like mark (".0", ":") and whose ink shows specks: read
    again with the specks painted out; a cell holding nothing but specks is blank. A reading
    the ink does not explain so is left as it is."""
    targets, crops = [], []
    for cell in cells:
        x0, y0, x1, y1 = cell.bbox
        found, keep = specks(masks, rules, (x0 + SNAP, y0 + SNAP, x1 - SNAP, y1 - SNAP))
        if not found:
            continue
        if keep is None:
            cell.text, cell.confidence = "", SPECKS_ONLY
            continue
        crop, (ox, oy) = _crop(image(), keep, origin=True)
        crop = crop.copy()
        for a, b, c, d in found:
            crop[max(b - oy, 0):max(d - oy, 0), max(a - ox, 0):max(c - ox, 0)] = 255
        targets.append(cell)
        crops.append(crop)
    for cell, (text, score) in zip(targets, engine.recognise_crops(crops)):
        if text and not SPECK_MARKS & set(text):
            cell.text, cell.confidence = text, score


def _split_across(grid, w, masks, rules, image, engine) -> list:
    """[(cell, word)] for a word: its own cell or, when one detected box runs over a vertical
    rule (faint rules let "0 0" be found as one line), a piece for each cell it covers. Pieces
    follow the spaces in the text when they match the cells; otherwise each cell's part of the
    box is recognised on its own, and a part with no ink (box padding over a rule) is dropped."""
    x0, y0, x1, y1 = w.box
    cy = w.centre[1]
    reach = max(6.0, 0.3 * (y1 - y0))
    row = sorted((c for c in grid.cells if c.bbox[1] <= cy <= c.bbox[3]
                  and min(x1, c.bbox[2]) - max(x0, c.bbox[0]) >= reach), key=lambda c: c.bbox[0])
    if len(row) < 2:
        return [(_nearest_cell(grid, w.centre), w)]
    tokens = w.text.split()
    if len(tokens) == len(row):
        return [(c, _piece(w, c, t, w.score)) for c, t in zip(row, tokens)]
    parts, crops = [], []
    for c in row:
        ink = ink_box(masks, rules, (max(x0, c.bbox[0] + SNAP), y0, min(x1, c.bbox[2] - SNAP), y1))
        if ink is not None:
            parts.append(c)
            crops.append(_crop(image(), ink, pad=4))
    read = [(c, t, s) for c, (t, s) in zip(parts, engine.recognise_crops(crops)) if t]
    if not read:
        return [(_nearest_cell(grid, w.centre), w)]
    return [(c, _piece(w, c, t, s)) for c, t, s in read]


def _piece(w, cell, text, score):
    """The part of word w that lies in cell, as a word of its own."""
    from pipeline.readers.ocr.engine import Word

    x0, y0, x1, y1 = w.box
    a, b = max(x0, cell.bbox[0]), min(x1, cell.bbox[2])
    quad = np.array([[a, y0], [b, y0], [b, y1], [a, y1]], dtype=np.float64)
    return Word(quad, text, score, w.flipped)


def _nearest_cell(grid, pt):
    """The cell containing pt, else the closest one (pt on a rule, rounding at the border)."""
    def dist(c):
        x0, y0, x1, y1 = c.bbox
        return max(x0 - pt[0], 0, pt[0] - x1) + max(y0 - pt[1], 0, pt[1] - y1)
    return min(grid.cells, key=dist)


def _inside(pt, box) -> bool:
    return box[0] <= pt[0] <= box[2] and box[1] <= pt[1] <= box[3]


def _union(boxes) -> tuple:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def group_lines(words, split_gaps: bool = False) -> list:
    """Words → lines (lists of words, left to right), top to bottom. Two words share a line when
    their vertical extents overlap by half the smaller height; with split_gaps, a horizontal gap
    wider than three line heights starts a new line (a page number beside text, two columns)."""
    lines: list = []
    for w in sorted(words, key=lambda w: (w.centre[1], w.centre[0])):
        x0, y0, x1, y1 = w.box
        for line in lines:
            lx0, ly0, lx1, ly1 = _union([v.box for v in line])
            overlap = min(y1, ly1) - max(y0, ly0)
            if overlap < 0.5 * min(y1 - y0, ly1 - ly0):
                continue
            if split_gaps and max(x0 - lx1, lx0 - x1) > 3 * max(y1 - y0, ly1 - ly0):
                continue
            line.append(w)
            break
        else:
            lines.append([w])
    for line in lines:
        line.sort(key=lambda w: w.box[0])
    lines.sort(key=lambda ln: (min(w.box[1] for w in ln), min(w.box[0] for w in ln)))
    return lines


def _glue(a: str, b: str) -> str:
    """Nothing between Chinese text; a space where two Latin words or numbers would run together."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def join_line(line, keep_gaps: bool = True) -> str:
    """A line's words left to right; with keep_gaps, a gap wider than the line is high stays a
    space (a form's label and value); inside a cell it is only spacing and is dropped."""
    text = ""
    prev = None
    for w in line:
        if keep_gaps and prev is not None and w.box[0] - prev.box[2] > (prev.box[3] - prev.box[1]):
            text = text + " " + w.text if text else w.text  # a visible gap: keep it
        else:
            text = _glue(text, w.text)
        prev = w
    return text


def join_lines(lines) -> str:
    text = ""
    for line in lines:
        text = _glue(text, join_line(line, keep_gaps=False))
    return text
