"""A born-digital text PDF of a report, drawn with reportlab like an office's Word-to-PDF export.

The Chinese text uses reportlab's built-in CID font STSong-Light, so no font file is needed and
pdfplumber extracts the characters through the font's Unicode CMap. The tables are drawn with
ruling lines (pdfplumber's `find_tables()` relies on them) and merged cells, and the requests
table is always broken across a page: its header and first rows on one page, the remaining rows
on the next, without a repeated header, as most real reports print it. Output is byte-identical
for the same report (reportlab's `invariant=1` fixes dates and document ids).
"""
from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import content as C
from . import layouts as L

FONT = "STSong-Light"
_registered = False


def _font() -> str:
    """Register the CID font once per process (reportlab keeps a global registry)."""
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True
    return FONT


def _styles(size: float = 13) -> dict:
    """Paragraph styles of an official document: big centred title, indented body text in
    `size` points (offices print anything from 12pt to the official 16pt 三号)."""
    f = _font()
    base = dict(fontName=f, wordWrap="CJK")
    lead = round(size * 1.7)
    return {
        "title": ParagraphStyle("title", fontSize=size + 6, leading=lead + 8, alignment=TA_CENTER, spaceAfter=6,
                                **base),
        "heading": ParagraphStyle("heading", fontSize=size + 2, leading=lead + 4, spaceBefore=8, spaceAfter=4,
                                  keepWithNext=1, **base),
        "heading_free": ParagraphStyle("heading_free", fontSize=size + 2, leading=lead + 4, spaceBefore=8,
                                       spaceAfter=4, **base),
        "subheading": ParagraphStyle("subheading", fontSize=size, leading=lead, firstLineIndent=2 * size,
                                     keepWithNext=1, **base),
        "para": ParagraphStyle("para", fontSize=size, leading=lead, firstLineIndent=2 * size, alignment=TA_LEFT,
                               **base),
        "cell": ParagraphStyle("cell", fontSize=8.5, leading=11, alignment=TA_LEFT, **base),
        "cell_c": ParagraphStyle("cell_c", fontSize=8.5, leading=11, alignment=TA_CENTER, **base),
    }


def _esc(s: str) -> str:
    """Text safe for reportlab's mini-markup."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Column widths (points) of each table, filling the 453pt text width.
_WIDTHS = {
    "active": [141, 104, 104, 104],
    "requests": [17, 88, 127] + [31.5] * 7,
    "review_litigation": [30.2] * 15,
}


# Vertical cell padding: the requests table has the roomy rows (about 25pt) of the official form,
# which makes it taller than a page's text area, so it breaks across pages by itself.
_PAD = {"active": 3, "requests": 6.5, "review_litigation": 3, "legacy": 3}
# A legacy statistics table: the indicator column takes what its other columns leave.
_LEGACY_COL = {"label": 40, "data": 72}


def _widths(grid: L.Grid) -> list:
    """Column widths (points) of a table; a legacy table's by its number of columns."""
    if grid.table in _WIDTHS:
        return _WIDTHS[grid.table]
    narrow = [_LEGACY_COL["data"] if any(c.role == "data" and c.col == k for c in grid.cells)
              else _LEGACY_COL["label"] for k in range(1, grid.n_cols)]
    return [453 - sum(narrow)] + narrow


def broken_label(label: str, br: str) -> str:
    """A short header label broken into lines of two characters (结果<br/>维持, 社会<br/>公益<br/>组织),
    as narrow header cells of real reports are typed."""
    if len(label) not in (4, 6) or not all("\u4e00" <= ch <= "\u9fff" for ch in label):
        return _esc(label)
    return br.join(label[i:i + 2] for i in range(0, len(label), 2))


def table_from_grid(grid: L.Grid, styles: dict) -> Table:
    """A reportlab Table drawing a layout grid: SPAN for merged cells, a full GRID of lines,
    shaded item-title rows and header rows."""
    data = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    pad = _PAD[grid.table]
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    cmds += [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 10),
             ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    for c in grid.cells:
        if c.role == "data":
            data[c.row][c.col] = c.text        # a plain string: numbers never wrap inside a cell
        else:
            style = styles["cell_c"] if c.role in ("header", "title") else styles["cell"]
            text = _esc(c.text)
            if c.role == "header" and c.colspan == 1 and grid.table != "active":
                text = broken_label(c.text, "<br/>")
            data[c.row][c.col] = Paragraph(text, style) if c.text else ""
        if c.rowspan > 1 or c.colspan > 1:
            cmds.append(("SPAN", (c.col, c.row), (c.col + c.colspan - 1, c.row + c.rowspan - 1)))
        if c.role == "title":
            cmds.append(("BACKGROUND", (c.col, c.row), (c.col + c.colspan - 1, c.row), colors.HexColor("#c6d9f1")))
    widths = _widths(grid)
    t = Table(data, colWidths=widths, splitByRow=1, hAlign="CENTER")
    t.setStyle(TableStyle(cmds))
    return t


class BrokenTable(Flowable):
    """A section heading and a table that always breaks across a page: the heading, the table's
    header and some rows on one page, the remaining rows on the next.

    reportlab refuses to split a table inside a vertical span (三、本年度办理结果 spans almost
    every row), so this flowable cuts the layout grid itself and builds two tables. When the
    whole table would fit, it claims to be taller than the space left, so that the frame asks it
    to split anyway, and a page break follows the first part. The heading travels with the
    table so that it is never left alone at the foot of a page.
    """

    def __init__(self, heading: Paragraph, grid: L.Grid, styles: dict, min_first: int = 3, min_rest: int = 4):
        super().__init__()
        self.heading, self.grid, self.styles = heading, grid, styles
        self.min_first, self.min_rest = min_first, min_rest
        self.full = table_from_grid(grid, styles)
        self.forced = False            # set when the table would have fitted and was cut anyway

    def wrap(self, aW, aH):
        _, h0 = self.heading.wrap(aW, aH)
        w, h = self.full.wrap(aW, aH)
        self.width, self.height = w, h0 + h
        self._fits = self.height <= aH
        return (w, aH + 1 if self._fits else self.height)

    def split(self, aW, aH):
        """The heading and the most rows that fit in the space left, then the rest on the next
        page; nothing when not even the header and `min_first` rows fit.

        A first part is taller the more rows it has, so the cut is found by bisection: building
        and measuring a candidate table is what makes a sample PDF slow."""
        g = self.grid
        _, h0 = self.heading.wrap(aW, aH)
        room = aH - h0 - self.heading.getSpaceBefore() - self.heading.getSpaceAfter()
        lo, hi = g.header_rows + self.min_first, g.n_rows - self.min_rest     # candidate row counts
        best = None
        while lo <= hi:
            k = (lo + hi) // 2
            first = table_from_grid(g.slice(0, k), self.styles)
            if first.wrap(aW, room)[1] <= room:
                best, lo = (k, first), k + 1
            else:
                hi = k - 1
        if best is None:
            return []
        k, first = best
        self.forced = self._fits
        rest = table_from_grid(g.slice(k, g.n_rows), self.styles)
        return [self.heading, first, PageBreak(), rest]

    def draw(self):  # never drawn whole: it always splits
        raise RuntimeError("BrokenTable is always split")


def _footer(canvas, doc):
    """Page number in the official style: - 2 -."""
    canvas.saveState()
    canvas.setFont(FONT, 11)
    canvas.drawCentredString(A4[0] / 2, 1.4 * cm, f"- {doc.page} -")
    canvas.restoreState()


def story(report: C.Report, styles: dict, extra: int = 0) -> list:
    """The report's blocks as platypus flowables (`extra` paragraphs of prose added)."""
    out = []
    grids = C.grids(report)
    bs = C.blocks(report, extra)
    for i, b in enumerate(bs):
        nxt = bs[i + 1] if i + 1 < len(bs) else None
        if b.kind == "heading" and nxt is not None and nxt.kind == "table":
            continue                                   # drawn together with its table below
        if b.kind == "table":
            g = grids[b.text]
            heading = Paragraph(_esc(bs[i - 1].text), styles["heading_free"])
            if b.text == "requests":
                out.append(BrokenTable(heading, g, styles))
            elif b.text == "review_litigation":
                out.append(KeepTogether([heading, table_from_grid(g, styles)]))
            else:
                # a long table may start at the foot of a page and go on over the next one, as
                # Word prints it; only a heading with no room for a few rows moves on
                out += [CondPageBreak(heading.wrap(453, 1000)[1] + 90), heading, table_from_grid(g, styles)]
            out.append(Spacer(1, 8))
        else:
            out.append(Paragraph(_esc(b.text), styles[b.kind]))
    return out


def write(report: C.Report, path: Path) -> Path:
    """Write the report as a PDF at `path`.

    When the requests table would fit whole on its page it has to be cut with white space left
    below it; a real report breaks it because the page is full. So the layout is tried again
    with up to eight more sentences of overview prose until the table breaks by itself.
    """
    path = Path(path)
    styles = _styles(report.rng("pdf").choice([12, 13, 14, 15, 16]))
    for extra in range(9):
        buf = io.BytesIO()
        doc = SimpleDocTemplate(
            buf, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, topMargin=2.6 * cm,
            bottomMargin=2.6 * cm, invariant=1, title="".join(C.title_lines(report)),
            author=report.compiler, creator="Microsoft Word", subject="", keywords="",
        )
        flowables = story(report, styles, extra)
        broken = [f for f in flowables if isinstance(f, BrokenTable)]   # build() consumes the list
        doc.build(flowables, onFirstPage=_footer, onLaterPages=_footer)
        if not any(f.forced for f in broken):
            break
    path.write_bytes(buf.getvalue())
    return path
