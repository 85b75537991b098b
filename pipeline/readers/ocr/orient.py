"""Page orientation and skew, read from the detector's line boxes and a sample of their crops.

Two signals, as a person turning a sheet uses them: which way the lines run (wide boxes: the
page is upright or upside down; tall boxes: it lies on its side), and which way up the writing
is, from the direction classifier's verdict on the longest lines (a long line is the surest
verdict; short ones, digits above all, are not asked). When the classifier's votes do not agree
clearly, the text direction settles it: the longest lines are recognised as they stand and
turned by 180°, and the reading that scores clearly better wins. A page neither signal settles
is `sure=False`: it is read the way most votes say and the reader reports it
(`ocr.unoriented_page`), so that what it loses is never silent.

Skew is measured on the page itself, once it is quarter-turned upright: the angle that makes the
rows of ink sharpest (the projection profile of a reduced, binarised copy, searched coarse to
fine; each angle's profile counts the ink pixels' turned coordinates, no image is warped). Line
boxes found at the detector's reduced size are too coarse for it: a short line's box
comes out axis-aligned whatever its tilt, and the grid search needs the rules straight to a few
pixels over a page. The page is turned and straightened once; the detected boxes are mapped
through the same matrix, so no second detection pass is needed.

All transforms are 3×3 matrices mapping pixel coordinates of the input image to pixel
coordinates of the output image, so they compose and invert exactly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

LINE_RATIO = 2.5        # a box this many times longer than high is a line of several characters
SAMPLE = 16             # longest lines the classifier is asked about
SURE_SHARE = 0.8        # share of the (length-weighted) votes a verdict needs on its own
DIRECTION_LINES = 4     # lines recognised both ways when the classifier is not sure
DIRECTION_MARGIN = 0.1  # mean recognition score by which one way must beat the other
STRAIGHT = 0.05         # degrees: a smaller skew is left alone
PROFILE_SIDE = 1000     # px: the long side of the copy skew is measured on
MAX_SKEW = 4.0          # degrees either way that the skew search covers
SEARCH = ((0.25, None), (0.05, 0.25), (0.01, 0.05))   # (step, half width around the best so far)
MIN_INK_PIXELS = 50     # fewer ink pixels on the reduced copy: a blank page, no skew to measure


@dataclass
class Orientation:
    """How to make a page upright: quarter turns clockwise (0–3) and then `skew` degrees
    clockwise; `sure` is False when neither signal settled which way up the page is."""
    turns: int = 0
    skew: float = 0.0
    sure: bool = True
    how: str = "classifier"


def orientation(img: np.ndarray, quads: np.ndarray, engine) -> Orientation:
    """The page's orientation from its detected line boxes (pixels of `img`), asking `engine`
    (readers.ocr.engine.OcrEngine) for the crops' direction."""
    sizes = [_size(q) for q in quads]
    wide = [(q, l) for q, (l, h) in zip(quads, sizes) if l >= LINE_RATIO * h]
    tall = [(q, h) for q, (l, h) in zip(quads, sizes) if h >= LINE_RATIO * l]
    if not wide and not tall:
        return Orientation(0, 0.0, len(quads) == 0, "no text" if len(quads) == 0 else "no lines")
    sideways = sum(h for _, h in tall) > sum(l for _, l in wide)
    sample = sorted(tall if sideways else wide, key=lambda t: -t[1])[:SAMPLE]
    # A tall crop comes out turned a quarter counter-clockwise (the engine's crop does it): an
    # upright verdict then means the page was turned clockwise, a turned one counter-clockwise.
    crops = [engine.crop(img, q) for q, _ in sample]
    flipped = upright = 0.0
    for (_, length), (turned, score) in zip(sample, engine.classify(crops)):
        strength = length * max(2.0 * score - 1.0, 0.0)
        if turned:
            flipped += strength
        else:
            upright += strength
    share = flipped / (flipped + upright) if flipped + upright > 0 else 0.5
    how, sure = "classifier", True
    if SURE_SHARE > share > 1 - SURE_SHARE:
        turned = _reads_better_turned([c for c in crops[:DIRECTION_LINES]], engine)
        if turned is None:
            how, sure = f"unsure: classifier {share:.0%} turned, recognition undecided", False
            turned = share > 0.5
        else:
            how = "text direction"
    else:
        turned = share >= SURE_SHARE
    turns = (1 if turned else 3) if sideways else (2 if turned else 0)
    return Orientation(turns, skew_of(img, turns), sure, how)


def _reads_better_turned(crops: list, engine):
    """True when the crops read clearly better turned by 180°, False when clearly better as they
    are, None when neither way is clearly better."""
    if not crops:
        return None
    both = engine.recognise_crops(crops + [cv2.rotate(c, cv2.ROTATE_180) for c in crops])
    n = len(crops)
    as_is = float(np.mean([s for _, s in both[:n]]))
    turned = float(np.mean([s for _, s in both[n:]]))
    if abs(as_is - turned) < DIRECTION_MARGIN:
        return None
    return turned > as_is


def _size(q: np.ndarray) -> tuple:
    """(length along the first edge, height along the second) of a quad tl tr br bl."""
    return (float(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))),
            float(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))


def skew_of(img: np.ndarray, turns: int = 0) -> float:
    """Degrees (positive when lines rise to the right: the page must turn clockwise) that make the
    rows of ink of the page, turned by `turns` quarter turns clockwise, sharpest; 0 below
    STRAIGHT or when no angle sharpens them (a blank page)."""
    gray = img if img.ndim == 2 else cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    f = min(1.0, PROFILE_SIDE / max(gray.shape[:2]))
    small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else gray
    if turns % 4:
        small = cv2.rotate(small, {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180,
                                   3: cv2.ROTATE_90_COUNTERCLOCKWISE}[turns % 4])
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    ys, xs = np.nonzero(ink)
    if len(xs) < MIN_INK_PIXELS:
        return 0.0
    xs = xs.astype(np.float64) - ink.shape[1] / 2.0
    ys = ys.astype(np.float64) - ink.shape[0] / 2.0
    size = int(np.hypot(*ink.shape)) + 2

    def sharpness(a: float) -> float:
        """How sharp the rows of ink are once the page is turned clockwise by `a` degrees: each
        ink pixel's row on the turned page (y' = x·sin a + y·cos a), counted per row. Projecting
        the pixels costs a sixth of warping the image for each of the ~60 angles tried."""
        t = math.radians(a)
        rows = np.bincount((xs * math.sin(t) + ys * math.cos(t) + size / 2.0).astype(np.intp),
                           minlength=size).astype(np.float64)
        d = np.diff(rows)
        return float(np.dot(d, d))

    flat = sharpness(0.0)
    best, score = 0.0, flat
    for step, half in SEARCH:
        lo, hi = (-MAX_SKEW, MAX_SKEW) if half is None else (best - half, best + half)
        for a in np.arange(lo, hi + step / 2, step):
            v = sharpness(float(a))
            if v > score:
                best, score = float(a), v
    if score <= flat * 1.01 or abs(best) < STRAIGHT:
        return 0.0
    return round(best, 2)


def map_quads(m: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """Quads (N×4×2) through matrix `m`."""
    quads = np.asarray(quads, dtype=np.float64)
    if len(quads) == 0:
        return quads.reshape(0, 4, 2)
    pts = np.concatenate([quads, np.ones(quads.shape[:2] + (1,))], axis=2) @ m.T
    return pts[..., :2] / pts[..., 2:3]


def upright_quads(m: np.ndarray, quads: np.ndarray, turns: int) -> np.ndarray:
    """Quads through `rotation`'s matrix `m` for `turns` quarter turns, each again in the order
    tl tr br bl of the turned page (a clockwise quarter turn brings a box's bottom-left corner
    to its top-left)."""
    return np.roll(map_quads(m, quads), turns % 4, axis=1)


def rotation(shape, quarter_turns: int = 0, degrees: float = 0.0) -> tuple:
    """Matrix that turns an image of `shape` clockwise by quarter_turns·90° + degrees about its
    centre onto a canvas just large enough to hold it, and that canvas's (width, height)."""
    h, w = shape[:2]
    angle = quarter_turns * 90.0 + degrees
    a = math.radians(angle)
    c, s = math.cos(a), math.sin(a)
    # clockwise on screen (y down): x' = c·x − s·y, y' = s·x + c·y
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    rot = np.array([[c, -s], [s, c]])
    turned = corners @ rot.T
    x0, y0 = turned.min(axis=0)
    x1, y1 = turned.max(axis=0)
    m = np.array([[c, -s, -x0], [s, c, -y0], [0, 0, 1]], dtype=np.float64)
    return m, (int(round(x1 - x0)), int(round(y1 - y0)))


def warp(img: np.ndarray, m: np.ndarray, size: tuple) -> np.ndarray:
    """Apply `rotation`'s matrix to an image, filling the uncovered corners with white."""
    if np.allclose(m[:2, :2], np.eye(2)) and np.allclose(m[:2, 2], 0):
        return img
    fill = (255,) * (img.shape[2] if img.ndim == 3 else 1)
    return cv2.warpAffine(img, m[:2], size, flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def map_box(m: np.ndarray, box: tuple) -> tuple:
    """Axis-aligned box (x0, top, x1, bottom) through matrix `m` → the axis-aligned box around it."""
    x0, y0, x1, y1 = box
    pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=np.float64) @ m.T
    pts = pts[:, :2] / pts[:, 2:3]
    return (float(pts[:, 0].min()), float(pts[:, 1].min()),
            float(pts[:, 0].max()), float(pts[:, 1].max()))
