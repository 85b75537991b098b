"""A legacy report as a PDF-to-Markdown converter leaves it (form `md_converted`): the converter's
habits that samples.md_converted draws for the national tables, on a legacy report's prose and
its one statistics table. Each is drawn per report from the report's own stream (`DEFECTS` the
rates):

- prose wrapped at the PDF's line width, page footers ("— 3 —") between its lines; headings as
  `##` lines or plain ones; the title on a `#` line or on two lines under a "正文" line; spaces
  around the numbers of the prose ("2013 年"); one section heading lost now and then;
- the statistics table as pipe tables: its header words spaced or broken ("计量 单位", "2013
  年度"), or floating as lines of text above a table whose first row is the table's first
  indicator; the table cut at a page break (a footer line, sometimes the header printed again,
  sometimes a caption line), each piece a pipe table of its own; the rows of a section of the
  State Council's form (一、主动公开情况) lifted out of the table as lines of text; a trailing empty
  cell on some rows.

Every defect keeps the table readable in principle by a careful reader: the pieces after a page
break are as wide as the table, and a lifted-out section row holds no figure.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from . import content as C
from . import layouts as L
from . import md_converted as M
from .markdown import _flat_rows as flat_rows

DEFECTS = {
    "wrap_prose": 0.7,
    "plain_headings": 0.5,
    "zhengwen_title": 0.35,
    "spaced_numbers": 0.5,
    "drop_heading": 0.3,
    "trailing_cell": 0.25,
}
HEADER_STYLES = {"clean": 3, "spaced": 3, "floating": 2}
BREAKS = {"footer": 3, "footer_header": 2, "footer_caption": 1}


def _header_words(cells: list, style: str, rng) -> list:
    """The header cells as the converter writes them."""
    if style != "spaced":
        return cells
    out = []
    for c in cells:
        m = re.match(r"^((?:19|20)\d{2})(年度?)$", c)
        if m:
            out.append(f"{m.group(1)} {m.group(2)}")
        elif len(c) == 4 and rng.random() < 0.7:
            out.append(f"{c[:2]} {c[2:]}")
        else:
            out.append(c)
    return out


def _table(report: C.Report, grid: L.Grid, rng, d: dict, pages: M._Pages) -> list:
    style = M._pick(rng, HEADER_STYLES)
    d["log"][f"legacy_header:{style}"] += 1
    at = grid.at()
    rows = flat_rows(grid, repeat=False)
    header, body = rows[0], rows[1:]
    header = _header_words(header, style, rng)
    n = grid.n_cols
    cut = rng.randrange(len(body) // 3, len(body)) if len(body) > 6 and rng.random() < 0.6 else None
    out = []
    if style == "floating":
        out += [" ".join(header) if rng.random() < 0.5 else "".join(header)]
    else:
        out += [M._pipe(header), M._sep(n)]
    start = style == "floating"
    for i, row in enumerate(body):
        if i == cut:
            how = M._pick(rng, BREAKS)
            d["log"][f"legacy_break:{how}"] += 1
            out.append(pages.footer())
            if how == "footer_caption":
                out.append(f"{C.title_lines(report)[0][:12]}…统计表（续）")
            if how == "footer_header":
                out += [M._pipe(header), M._sep(n)]
                start = False
            else:
                start = True
        heading = row[0] and not any(row[1:]) and at[i + 1][0] is not None and at[i + 1][0].colspan == n
        if heading:                                   # a section row lifted out of the table
            out.append(row[0])
            start = True
            d["log"]["legacy_section_line"] += 1
            continue
        cells = row + ([""] if d["trailing_cell"] and rng.random() < 0.5 else [])
        out.append(M._pipe(cells))
        if start:
            out.append(M._sep(len(cells)))
            start = False
    return out


def markdown(report: C.Report, log: Optional[Counter] = None) -> str:
    """The converter's Markdown of a legacy report; `log`, when given, counts the defects drawn."""
    rng = report.rng("legacy_md")
    d = {k: rng.random() < p for k, p in DEFECTS.items()}
    log = log if log is not None else Counter()
    log.update(k for k, v in d.items() if v)
    d["log"] = log
    width = rng.randint(26, 34)
    heads = [b.text for b in C.blocks(report) if b.kind == "heading" and b.text in C.headings(report)]
    dropped = rng.choice(heads) if d["drop_heading"] and heads else None
    pages = M._Pages(rng)
    out = []
    title = "".join(C.title_lines(report))
    if d["zhengwen_title"]:
        cut = title.find("政府信息公开")
        cut = cut + len("政府信息公开") if cut > 0 else len(title) // 2
        lines = [title[:cut], title[cut:]]
        out += ["正文"] + [M._NUMBER_SPACE.sub(" ", x) if d["spaced_numbers"] else x for x in lines] + [""]
    else:
        out += ["# " + title, ""]
    grids = C.grids(report)
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "heading":
            if b.text == dropped:
                log["drop_heading:" + b.text[:2]] += 1
                continue
            out += [b.text if d["plain_headings"] else "## " + b.text, ""]
        elif b.kind == "table":
            out += _table(report, grids[b.text], rng, d, pages) + [""]
        else:
            text = M._NUMBER_SPACE.sub(" ", b.text) if d["spaced_numbers"] else b.text
            if d["wrap_prose"]:
                out += pages.prose(M._wrap(text, width))
            else:
                out += [text, ""]
    out.append(pages.footer())
    return "\n".join(out) + "\n"
