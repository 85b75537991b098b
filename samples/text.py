"""A report as plain text, like a page copied from a browser or a Word file saved as .txt.

Paragraphs are separated by blank lines; tables become tab-separated rows whose columns drift:
a merged cell is one field followed by empty fields for the columns it covers, but the empty
fields a vertical merge leaves in the rows below it are sometimes there and sometimes not, and
trailing tabs come and go, as in text copied from real report pages. Blank cells are empty
fields; a row's value fields are always all there.
"""
from __future__ import annotations

import random
from pathlib import Path

from . import content as C
from . import layouts as L


def _table_lines(grid: L.Grid, rng: random.Random) -> list:
    """Tab-separated rows of a grid, with the drift described above."""
    at = grid.at()
    lines = []
    for r in range(grid.n_rows):
        fields = []
        k = 0
        while k < grid.n_cols:
            c = at[r][k]
            if c is None:
                fields.append("")
                k += 1
                continue
            if (c.row, c.col) == (r, k):
                fields.append(c.text.strip())
                fields += [""] * (c.colspan - 1)
            elif c.role == "label" and c.row != r:
                # under a vertical merge: Word's text export keeps an empty field, copying from a
                # browser often drops it
                if rng.random() < 0.6:
                    fields += [""] * c.colspan
            else:
                fields += [""] * c.colspan
            k += c.colspan
        if rng.random() < 0.35:
            fields.append("")
        lines.append("\t".join(fields))
        if grid.table == "requests" and r == grid.header_rows + 8 and rng.random() < 0.7:
            lines.append("")                            # a stray empty line, as in copied pages
    return lines


def text(report: C.Report) -> str:
    """The plain text of a report."""
    rng = report.rng("txt")
    grids = C.grids(report)
    out = ["", ""]
    titles = [b.text for b in C.blocks(report) if b.kind == "title"]
    out += [" ".join(titles), ""]
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "table":
            out += _table_lines(grids[b.text], rng) + [""]
        else:
            out += [b.text, ""]
    return "\n".join(out)


def write(report: C.Report, path: Path) -> Path:
    """Write the report as UTF-8 text at `path`."""
    path = Path(path)
    path.write_text(text(report), encoding="utf-8")
    return path
