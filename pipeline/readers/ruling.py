"""Cells of a ruled grid: the grid cells no rule separates are one merged cell.

Shared by the readers that rebuild tables from drawn rules (OFD paths, OCR'd ruling lines).
"""
from __future__ import annotations

from typing import Callable


def merged_cells(n_rows: int, n_cols: int, open_right: Callable, open_down: Callable) -> list:
    """Rectangles (r0, c0, r1, c1) covering the grid, sorted by position.

    `open_right(r, c)` is true when no rule separates grid cell (r, c) from (r, c + 1);
    `open_down(r, c)` likewise for (r + 1, c). A merged group that is not a rectangle (an L shape
    means a rule was lost, not a real cell) is returned as one run of columns per row.
    """
    parent = list(range(n_rows * n_cols))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and open_right(r, c):
                union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and open_down(r, c):
                union(r * n_cols + c, (r + 1) * n_cols + c)
    groups: dict = {}
    for i in range(n_rows * n_cols):
        groups.setdefault(find(i), []).append(divmod(i, n_cols))
    return sorted((rect for members in groups.values() for rect in _rectangles(members)),
                  key=lambda r: (r[0], r[1]))


def _rectangles(members: list) -> list:
    rs = [m[0] for m in members]
    cs = [m[1] for m in members]
    r0, r1, c0, c1 = min(rs), max(rs), min(cs), max(cs)
    if (r1 - r0 + 1) * (c1 - c0 + 1) == len(members):
        return [(r0, c0, r1, c1)]
    out, by_row = [], {}
    for r, c in members:
        by_row.setdefault(r, []).append(c)
    for r in sorted(by_row):
        run = sorted(by_row[r])
        start = prev = run[0]
        for c in run[1:] + [None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            out.append((r, start, r, prev))
            if c is not None:
                start = prev = c
    return out
