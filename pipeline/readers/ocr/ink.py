"""Ink heuristics for OCR'd table cells: is there writing in a cell, and is a lone stroke a "1"
or a "/"?

Why: detection can miss a lone thin digit, so a cell that shows ink but got no line is read again
(`ink_box` says where the ink is, with rules and speckle removed; a dash has little ink but a long
flat shape, which tells it from a speck). And a cell read as a lone "1" (or l, I, |) may be a "/"
(not applicable): the recogniser confuses the two, sometimes confidently. The ink decides: a slash
leans, a one stands upright (its flag even tips it the other way); a stroke that does neither, or
a "/" reading that does not lean, keeps its reading with a doubtful confidence.

Dust specks are the third job: a speck beside a digit or alone in a blank cell is read as "." or
":" (".0", ":"), and a speck is the size of a decimal point. Position tells them apart: a decimal
point sits between digits, a speck off to one side of the writing or alone (`specks`).

Everything here is in pixels of the straightened page image.
"""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.readers.ocr.grid import SNAP

MIN_INK = 60            # px of ink (rules removed) for a cell to count as written on
MIN_DASH = 7            # px: a mark this long and flat is a dash ("-"), however little ink it has
ONE_LIKE = {"1", "l", "I", "|"}  # lone readings that may be a "/"
# Lean of a lone stroke: horizontal shift per unit of height, positive when the top is to the
# right. On the generated scans "/" leans +0.31…+0.34 and "1" −0.06…−0.11.
SLASH_LEAN = 0.2        # at least this: a "/"
UPRIGHT_LEAN = 0.08     # at most this: a "1"; in between the reading is doubtful
SLASH_CONFIDENCE = 0.95  # a stroke that leans clearly is a slash, whatever the recogniser scored
SPECK_MARKS = set(".:·•‧∙'`‘’,，。、：;；°º˚")   # what the recogniser makes of a speck
SPECK_SHARE = 0.35       # a mark at most this share of the writing's height is speck-sized …
SPECK_PX = 10            # … or at most this many px when there is no writing beside it
DASH_CONFIDENCE = 0.95   # a lone mark that is one long flat stroke is a dash, whatever it was read as
DASH_RATIO = 2.5
DOUBTFUL = 0.45          # the confidence of a reading the ink contradicts: below any threshold a
                         # run would use (the default is 0.9)


def ink_box(masks, rules, box) -> tuple | None:
    """The bounding box of the ink inside `box` once rules and speckle are removed, or None.
    Little ink counts when it is a dash (a hyphen is small but long), not when it is a speck."""
    ink = _ink(masks, rules, box)
    if ink is None or (cv2.countNonZero(ink) < MIN_INK and not _is_dash(ink)):
        return None
    x0, y0 = (max(int(round(v)), 0) for v in box[:2])
    ys, xs = np.nonzero(ink)
    return (x0 + xs.min(), y0 + ys.min(), x0 + xs.max() + 1, y0 + ys.max() + 1)


def _is_dash(ink) -> bool:
    """Some piece of the ink is long and flat: a hyphen or dash, where a speck is round."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return any(_flat(w, h) for _, _, w, h, _ in stats[1:])


def _flat(w: int, h: int) -> bool:
    return w >= MIN_DASH and w >= 1.5 * h


def dash_or_dot(cell, masks, rules) -> None:
    """A lone speck-like reading ("•", "·", ".") of a cell: the recogniser reads a short "-" as a
    dot now and then. One long flat stroke (at least DASH_RATIO times as wide as high) is a dash;
    a flatter-than-round mark reads as a dash but stays doubtful (a blurred hyphen and two specks
    run together look alike); anything else keeps its reading, doubtful."""
    x0, y0, x1, y1 = cell.bbox
    ink = _ink(masks, rules, (x0 + SNAP, y0 + SNAP, x1 - SNAP, y1 - SNAP))
    if ink is not None:
        n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        pieces = [tuple(int(v) for v in stats[k, 2:4]) for k in range(1, n)]
        if len(pieces) == 1 and _flat(*pieces[0]):
            w, h = pieces[0]
            sure = w >= DASH_RATIO * h
            cell.text = "-"
            cell.confidence = max(cell.confidence, DASH_CONFIDENCE) if sure else min(cell.confidence, DOUBTFUL)
            return
    cell.confidence = min(cell.confidence, DOUBTFUL)


def _ink(masks, rules, box):
    """Ink inside `box` once rules and speckle are removed (255 on 0), or None for a sliver."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    x0, y0 = max(x0, 0), max(y0, 0)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    ink = cv2.bitwise_and(masks.binary[y0:y1, x0:x1], cv2.bitwise_not(rules()[y0:y1, x0:x1]))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def slash_or_one(cell, masks, rules) -> None:
    """A lone "1"-like or "/" reading, checked against its stroke: one that leans clearly is a
    "/"; one that stands upright keeps a "1"-like reading; anything else is doubtful."""
    x0, y0, x1, y1 = cell.bbox
    lean = _stroke_lean(_ink(masks, rules, (x0 + SNAP, y0 + SNAP, x1 - SNAP, y1 - SNAP)))
    if lean is not None and lean >= SLASH_LEAN:
        # The recogniser's score for a "1" says nothing about a "/": the lean decides.
        score = cell.confidence if cell.text.strip() == "/" else 0.0
        cell.text, cell.confidence = "/", max(score, SLASH_CONFIDENCE)
    elif lean is None or lean > UPRIGHT_LEAN or cell.text.strip() == "/":
        cell.confidence = min(cell.confidence, DOUBTFUL)


def _stroke_lean(ink) -> float | None:
    """Lean of the tallest piece of ink (a speck beside it must not count): its principal axis's
    x shift per unit of height, positive when the top is to the right. None when there is no
    stroke-shaped piece to measure."""
    if ink is None:
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return None
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_HEIGHT]))
    w, h = stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT]
    if h < 10 or h <= w:
        return None  # no upright stroke: a dash, a blot
    m = cv2.moments((labels == k).astype(np.uint8), binaryImage=True)
    return -m["mu11"] / m["mu02"]  # x = a·y + b fitted to the pixels; y grows downwards


def specks(masks, rules, box) -> tuple:
    """(speck boxes, box of the remaining ink or None) inside `box`, in page pixels. A speck is a
    speck-sized mark that does not sit between two pieces of writing (a decimal point does)."""
    ink = _ink(masks, rules, box)
    if ink is None:
        return [], None
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    parts = [tuple(int(v) for v in stats[k, :4]) for k in range(1, n)]
    if not parts:
        return [], None
    tallest = max(h for _, _, _, h in parts)
    limit = SPECK_SHARE * tallest if tallest > 3 * SPECK_PX else SPECK_PX
    big = [p for p in parts if max(p[2], p[3]) > limit or _flat(p[2], p[3])]   # a dash is no speck
    lo = min((x for x, _, _, _ in big), default=None)
    hi = max((x + w for x, _, w, _ in big), default=None)
    small = [p for p in parts if p not in big and (lo is None or p[0] + p[2] <= lo or p[0] >= hi)]
    x0, y0 = (max(int(round(v)), 0) for v in box[:2])
    to_page = lambda p: (x0 + p[0], y0 + p[1], x0 + p[0] + p[2], y0 + p[1] + p[3])  # noqa: E731
    rest = [to_page(p) for p in parts if p not in small]
    keep = None if not rest else (min(b[0] for b in rest), min(b[1] for b in rest),
                                  max(b[2] for b in rest), max(b[3] for b in rest))
    return [to_page(p) for p in small], keep
