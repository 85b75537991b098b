"""A report as a Word document, laid out like the official form it follows.

The tables are built from the same layout grids as every other form, with merged cells made by
python-docx's `merge()` (gridSpan for horizontal merges, vMerge for vertical ones) exactly as the
blank 2021 template has them; 2019-format reports get the 2019 layout. Fonts are the ones such
documents name (仿宋_GB2312, 黑体, 方正小标宋简体), set as East Asian fonts. The file is made
byte-identical for the same report: fixed core properties and fixed zip entry dates.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell

from . import content as C
from . import layouts as L

# Column widths (cm) per table, filling the 15.6 cm text width of an A4 page.
_WIDTHS = {
    "active": [5.1, 3.5, 3.5, 3.5],
    "requests": [0.8, 2.6, 3.8] + [1.2] * 7,
    "review_litigation": [1.04] * 15,
}

_FONTS = {"title": ("方正小标宋简体", 22), "heading": ("黑体", 16), "subheading": ("楷体_GB2312", 16),
          "para": ("仿宋_GB2312", 16), "cell": ("仿宋_GB2312", 10)}


def _font(run, kind: str) -> None:
    """Give a run the East Asian font and size an official document uses for this kind of text."""
    name, size = _FONTS[kind]
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, kind: str) -> None:
    p = doc.add_paragraph()
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind in ("para", "subheading"):
        p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(text), kind)


def _table(doc, grid: L.Grid, blank: str) -> None:
    """One layout grid as a Word table: merge every spanned range, then write the texts."""
    t = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    widths = _WIDTHS.get(grid.table) or [15.6 - 2.2 * (grid.n_cols - 1)] + [2.2] * (grid.n_cols - 1)
    _narrow_margins(t)
    # The cell elements, taken before any merge: looking cells up through python-docx after
    # merges recomputes the whole grid on every call, which is slow for a 28 x 10 table.
    tcs = [list(tr.tc_lst) for tr in t._tbl.tr_lst]
    for k, col in enumerate(t._tbl.tblGrid.gridCol_lst):   # Word and LibreOffice lay out by the grid
        col.w = Cm(widths[k])
    for row in tcs:
        for k, tc in enumerate(row):
            tc.width = Cm(widths[k])
    for c in grid.cells:
        cell = _Cell(tcs[c.row][c.col], t)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(_Cell(tcs[c.row + c.rowspan - 1][c.col + c.colspan - 1], t))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        if c.role in ("header", "title", "data"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = c.text if c.text or c.role != "data" else blank
        if text:
            _font(p.add_run(text), "cell")


def _narrow_margins(t) -> None:
    """Cell margins of 0.1 cm left and right (tblCellMar), so three digits fit a 1.2 cm column."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), "57")
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    t._tbl.tblPr.append(mar)


def _footer(doc) -> None:
    """A centred page number field between dashes, as in the printed reports: - 2 -."""
    p = doc.sections[0].footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    p.add_run(" -")


def build(report: C.Report):
    """The python-docx Document of a report."""
    rng = report.rng("docx")
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    blank = rng.choice(["", "", "\u3000"])          # the blank template's cells hold ideographic spaces
    grids = C.grids(report)
    for b in C.blocks(report):
        if b.kind == "table":
            _table(doc, grids[b.text], blank)
        else:
            _para(doc, b.text, b.kind)
    _footer(doc)
    when = dt.datetime(report.year + 1, 1, 15, 9, 0, 0)
    cp = doc.core_properties
    cp.title = "".join(C.title_lines(report))
    cp.author = cp.last_modified_by = report.compiler
    cp.created = cp.modified = when
    cp.last_printed = when
    cp.revision = 1
    cp.comments = cp.keywords = cp.subject = cp.category = ""
    return doc


def write(report: C.Report, path: Path) -> Path:
    """Write the report as a .docx at `path`, with zip entries dated so output is reproducible."""
    buf = io.BytesIO()
    build(report).save(buf)
    path = Path(path)
    path.write_bytes(_fixed_zip(buf.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, so that equal documents are equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            z = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            z.compress_type = zipfile.ZIP_DEFLATED
            z.external_attr = info.external_attr
            dst.writestr(z, src.read(info.filename))
    return out.getvalue()
