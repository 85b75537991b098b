"""Page orientation and skew, read from the engine's own text lines.

Why from the text lines: the detector returns each line as a tilted quadrilateral, and the
direction classifier says per line whether the crop had to be turned by 180°. Upright pages (the
norm) therefore cost nothing extra to check. A page found upside down, sideways or tilted by more
than `REOCR_DEGREES` is turned and read again: single digits turned 180° read as other digits
(6/9), so fixing the image beats trusting the per-line fix. Smaller tilts are only corrected for
the ruling-line search (`warp`) and the words' coordinates, which needs no second OCR pass.

All transforms are 3×3 matrices mapping pixel coordinates of the input image to pixel
coordinates of the output image, so they compose and invert exactly.
"""
from __future__ import annotations

import math

import cv2
import numpy as np

REOCR_DEGREES = 1.5     # tilt beyond which the page is straightened and read again
MIN_VOTE_CHARS = 3      # lines shorter than this do not vote on orientation (digits, labels)


def estimate(words) -> tuple:
    """(quarter turns clockwise that make the page upright: 0-3, residual skew in degrees).

    Skew is positive when lines rise to the right (the image must turn clockwise)."""
    voters = [w for w in words if len(w.text) >= MIN_VOTE_CHARS]
    if not voters:
        return 0, 0.0
    tall = [w for w in voters if _is_tall(w)]
    wide = [w for w in voters if not _is_tall(w)]
    weight = lambda ws: sum(len(w.text) for w in ws)  # noqa: E731
    if weight(tall) > weight(wide):
        # The engine turns tall crops a quarter counter-clockwise before reading: an upright crop
        # then means the page was turned clockwise, a flipped one counter-clockwise.
        flipped = weight([w for w in tall if w.flipped])
        turns = 1 if flipped > weight(tall) / 2 else 3
        return turns, 0.0
    flipped = weight([w for w in wide if w.flipped])
    if flipped > weight(wide) / 2:
        return 2, 0.0
    return 0, skew_degrees(wide)


def skew_degrees(words) -> float:
    """Median baseline angle of long, wide lines; 0 when there are too few to tell."""
    angles = []
    for w in words:
        length, height = w.size
        if length < 4 * height or length < 80:
            continue
        q = w.quad
        dx, dy = (q[1] - q[0]) + (q[2] - q[3])
        angles.append(math.degrees(math.atan2(-dy, dx)))
    if len(angles) < 3:
        return 0.0
    return float(np.median(angles))


def _is_tall(w) -> bool:
    length, height = w.size
    return height >= 1.5 * length


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
