"""Table grids from ruling lines (OpenCV morphology).

Why ruling lines: every national-format table in these reports is fully ruled, and the lines give
the exact grid (rows, columns, merged cells) that text positions alone cannot. Steps:

1. binarise (adaptive, so grey-shaded header rows and uneven scan lighting drop out);
2. horizontal / vertical line masks by morphological opening with long thin kernels; a piece
   must reach a crossing rule at both ends, or at one end and be long (strokes of large or bold
   characters pass the opening but float between rules);
3. each connected group of lines is a table; its line positions, clustered, are the grid;
4. two neighbouring grid cells are one merged cell when the ruling between them is missing;
   merged groups become cells with rowspan / colspan.

Works on a deskewed grey image; all coordinates are pixels of that image. The pixel constants
suit pages of 1600–3000 px (150–300 dpi A4), the range pages.py brings every image to.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from pipeline.readers.ruling import merged_cells

SNAP = 8            # px: line positions closer than this are one line (doubled or thick rules)
MIN_COVER = 0.6     # share of a cell border that must be inked to count as a separator


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: tuple  # px (x0, top, x1, bottom)


@dataclass
class GridTable:
    bbox: tuple
    rows: list          # y of each horizontal boundary, top to bottom
    cols: list          # x of each vertical boundary, left to right
    cells: list = field(default_factory=list)


@dataclass
class LineMasks:
    binary: np.ndarray      # ink (255) on a black background
    horizontal: np.ndarray
    vertical: np.ndarray


def binarise(gray: np.ndarray) -> np.ndarray:
    gray = cv2.medianBlur(gray, 3)  # scan speckle would otherwise bridge or break thin rules
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 31, 18)


def line_masks(gray: np.ndarray) -> LineMasks:
    binary = binarise(gray)
    h, w = binary.shape
    # Close 1–2 px breaks of scanned rules, then keep only long straight runs.
    horiz = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, _kernel(3, 1))
    hk = max(40, w // 30)
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_OPEN, _kernel(hk, 1))
    vert = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, _kernel(1, 3))
    vk = max(20, h // 90)
    vert = cv2.morphologyEx(vert, cv2.MORPH_OPEN, _kernel(1, vk))
    # Strokes of large or bold characters survive the opening but float between rules: a rule
    # reaches a crossing rule at both ends, or at one end when it is much longer than a stroke
    # (a table continued from the previous page has no top rule over its merged columns).
    vert = _anchored(vert, horiz, vertical=True, medium=4 * vk)
    horiz = _anchored(horiz, vert, vertical=False, medium=4 * hk)
    return LineMasks(binary, horiz, vert)


def _kernel(w: int, h: int):
    return cv2.getStructuringElement(cv2.MORPH_RECT, (w, h))


def _anchored(mask: np.ndarray, crossing: np.ndarray, vertical: bool, medium: int) -> np.ndarray:
    """Pieces of `mask` whose two ends touch `crossing`, or one end and longer than `medium`, or
    that are long on their own."""
    reach = cv2.dilate(crossing, _kernel(2 * SNAP + 1, 2 * SNAP + 1))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    long_enough = (mask.shape[0] if vertical else mask.shape[1]) // 5
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        length, thickness = (h, w) if vertical else (w, h)
        if thickness > 3 * SNAP:
            continue  # a blob, not a line
        if length >= long_enough:
            keep[i] = True
            continue
        if vertical:
            a = reach[y:y + 3, x:x + w].any()
            b = reach[max(y + h - 3, 0):y + h, x:x + w].any()
        else:
            a = reach[y:y + h, x:x + 3].any()
            b = reach[y:y + h, max(x + w - 3, 0):x + w].any()
        keep[i] = bool(a and b) or (bool(a or b) and length >= medium)
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def find_tables(gray: np.ndarray, masks: LineMasks | None = None) -> list:
    """All ruled tables on a grey page image, top to bottom."""
    masks = masks or line_masks(gray)
    lines = cv2.bitwise_or(masks.horizontal, masks.vertical)
    lines = cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    tables = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < 100 or h < 40:
            continue
        # Only this group's own rules: a page frame drawn around a table must not lend it its lines.
        own = (labels[y:y + h, x:x + w] == i).astype(np.uint8) * 255
        t = _grid(masks, (x, y, x + w, y + h), own)
        if t is not None:
            tables.append(t)
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


def _segments(mask: np.ndarray, box: tuple, own: np.ndarray, axis: int) -> list:
    """Line pieces of one line group (`own`, the group's pixels in box) as (position across, start,
    end) in page pixels; axis 0 = horizontal."""
    x0, y0, x1, y1 = box
    sub = cv2.bitwise_and(mask[y0:y1, x0:x1], own)
    n, _, stats, _ = cv2.connectedComponentsWithStats(sub, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if axis == 0:
            out.append((y0 + y + h / 2.0, x0 + x, x0 + x + w))
        else:
            out.append((x0 + x + w / 2.0, y0 + y, y0 + y + h))
    return out


def _cluster(positions: list, weights: list) -> list:
    """Positions within SNAP of each other → their weighted mean, sorted."""
    if not positions:
        return []
    order = np.argsort(positions)
    groups, cur = [], [order[0]]
    for k in order[1:]:
        if positions[k] - positions[cur[-1]] <= SNAP:
            cur.append(k)
        else:
            groups.append(cur)
            cur = [k]
    groups.append(cur)
    return [float(np.average([positions[k] for k in g], weights=[weights[k] for k in g]))
            for g in groups]


def _grid(masks: LineMasks, box: tuple, own: np.ndarray):
    hs = _segments(masks.horizontal, box, own, 0)
    vs = _segments(masks.vertical, box, own, 1)
    if len(hs) < 2 or len(vs) < 2:
        return None
    x0, y0, x1, y1 = box
    rows = _cluster([s[0] for s in hs], [s[2] - s[1] for s in hs])
    cols = _cluster([s[0] for s in vs], [s[2] - s[1] for s in vs])
    # A table whose outer rule is missing (continued from the previous page) still ends where its
    # lines end.
    top, bottom = min(s[1] for s in vs), max(s[2] for s in vs)
    left, right = min(s[1] for s in hs), max(s[2] for s in hs)
    if rows[0] - top > SNAP:
        rows.insert(0, float(top))
    if bottom - rows[-1] > SNAP:
        rows.append(float(bottom))
    if cols[0] - left > SNAP:
        cols.insert(0, float(left))
    if right - cols[-1] > SNAP:
        cols.append(float(right))
    if len(rows) < 2 or len(cols) < 2:
        return None
    table = GridTable(bbox=(cols[0], rows[0], cols[-1], rows[-1]), rows=rows, cols=cols)
    table.cells = _merge_cells(masks, rows, cols)
    return table


def _covered(mask: np.ndarray, axis: int, at: float, start: float, end: float) -> float:
    """Share of the border from start to end, at position `at`, that is inked in mask."""
    a = int(round(at))
    s, e = int(round(start)), int(round(end))
    margin = max(2, (e - s) // 10)  # ignore corners, where crossing rules always ink
    s, e = s + margin, e - margin
    if e <= s:
        return 1.0
    if axis == 0:   # horizontal border: look SNAP px up and down
        band = mask[max(a - SNAP, 0):a + SNAP + 1, s:e]
        return float(band.any(axis=0).mean()) if band.size else 0.0
    band = mask[s:e, max(a - SNAP, 0):a + SNAP + 1]
    return float(band.any(axis=1).mean()) if band.size else 0.0


def _merge_cells(masks: LineMasks, rows: list, cols: list) -> list:
    def open_right(r, c):
        return _covered(masks.vertical, 1, cols[c + 1], rows[r], rows[r + 1]) < MIN_COVER

    def open_down(r, c):
        return _covered(masks.horizontal, 0, rows[r + 1], cols[c], cols[c + 1]) < MIN_COVER

    return [GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (cols[c0], rows[r0], cols[c1 + 1], rows[r1 + 1]))
            for r0, c0, r1, c1 in merged_cells(len(rows) - 1, len(cols) - 1, open_right, open_down)]
