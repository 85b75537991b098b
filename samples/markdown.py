"""A report as Markdown, the way PDF-to-Markdown converters and site exports leave it.

Headings are `#` lines, tables are pipe tables. Pipe tables cannot merge cells, so a merged
cell is flattened: its text in its first position and the covered positions either repeating
the label or left empty (one choice per report). The first grid row becomes the pipe table's
header line, the other header rows become ordinary rows. As in converted PDFs, a page footer
line ("— 3 —") ends up as a row inside the requests table, where the page broke.
"""
from __future__ import annotations

from pathlib import Path

from . import content as C
from . import layouts as L


def _flat_rows(grid: L.Grid, repeat: bool) -> list:
    """The grid as rows of strings: a merged cell's text at its top-left position; the rest of
    its positions repeat the text (repeat=True) or stay empty."""
    at = grid.at()
    rows = []
    for r in range(grid.n_rows):
        row = []
        for k in range(grid.n_cols):
            c = at[r][k]
            if c is None:
                row.append("")
            elif (c.row, c.col) == (r, k) or (repeat and c.role == "label" and c.col == k):
                row.append(c.text.strip())
            else:
                row.append("")
        rows.append(row)
    return rows


def _pipe(rows: list) -> list:
    """Pipe-table lines: the first row, the separator, the others."""
    esc = lambda s: s.replace("|", "\\|")
    lines = ["| " + " | ".join(esc(x) for x in rows[0]) + " |",
             "|" + "|".join(["---"] * len(rows[0])) + "|"]
    lines += ["| " + " | ".join(esc(x) for x in row) + " |" for row in rows[1:]]
    return lines


def markdown(report: C.Report) -> str:
    """The Markdown text of a report."""
    rng = report.rng("md")
    repeat = rng.random() < 0.5
    grids = C.grids(report)
    page = rng.randint(2, 3)
    out = []
    titles = [b.text for b in C.blocks(report) if b.kind == "title"]
    out += ["# " + "".join(titles), ""]
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "heading":
            out += ["## " + b.text, ""]
        elif b.kind == "subheading":
            out += ["### " + b.text, ""]
        elif b.kind == "table":
            g = grids[b.text]
            rows = _flat_rows(g, repeat)
            if b.text == "requests":                   # the page broke inside this table
                k = g.header_rows + rng.randint(8, 16)
                rows = rows[:k] + [[f"— {page} —"] + [""] * (g.n_cols - 1)] + rows[k:]
            out += _pipe(rows) + [""]
        else:
            out += [b.text, ""]
    return "\n".join(out)


def write(report: C.Report, path: Path) -> Path:
    """Write the report as Markdown (UTF-8) at `path`."""
    path = Path(path)
    path.write_text(markdown(report), encoding="utf-8")
    return path
