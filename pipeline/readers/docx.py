"""Word .docx → Document.

Reads the body XML directly (through python-docx's lxml tree) because python-docx's own table API
repeats a merged cell at every grid position it covers and hides `w:gridBefore`; here a merged cell
is one Cell with its real rowspan/colspan. Paragraphs and tables come out in body order; text boxes
(`w:txbxContent`) come out as TextBlocks after the paragraph that anchors them. A table Word split
in two stays two Tables: the extractor joins them.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.core.model import Cell, Document, Table, TextBlock
from pipeline.core.options import Options
from pipeline.readers import ReaderError, limits
from pipeline.readers.textfile import join_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {W + "delText", W + "instrText", MC_FALLBACK, W + "txbxContent"}


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:       # python-docx unpacks every part into memory
            limits.unpacked(z, options, "the DOCX")
    except zipfile.BadZipFile as e:
        raise ReaderError(f"{path.name} is not a readable DOCX file (not a zip archive: {e})") from e
    try:
        import docx  # python-docx
        wordfile = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReaderError(f"{path.name} is not a readable DOCX file ({type(e).__name__}: {e})") from e
    except MemoryError as e:
        raise limits.out_of_memory("the DOCX", options) from e
    except Exception as e:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise limits.xml_refused(e, options, "the DOCX") or \
            ReaderError(f"{path.name} could not be opened as DOCX: {e}") from e
    limits.depth(limits.tree_depth(wordfile.element), options, "the DOCX's XML")
    items: list = []
    _container(wordfile.element.body, items)
    meta = {}
    title = (wordfile.core_properties.title or "").strip()
    if title:
        meta["title"] = title
    return Document(source=str(path), format="docx", pages=1, items=items, meta=meta)


def _container(el, items: list) -> None:
    """Paragraphs and tables of a body, cell or text box, in order; content controls (w:sdt) and
    other wrappers are looked through."""
    for child in el:
        if child.tag == W + "p":
            _paragraph(child, items)
        elif child.tag == W + "tbl":
            _table(child, items)
        elif child.tag in (W + "sectPr", W + "tblPr", W + "tcPr"):
            continue
        else:
            _container(child, items)


def _paragraph(p, items: list) -> None:
    """One TextBlock per line of the paragraph (a w:br starts a new one), then its text boxes."""
    for line in paragraph_lines(p):
        if line:
            items.append(TextBlock(text=line))
    for box in _text_boxes(p):
        _container(box, items)


def paragraph_lines(p) -> list:
    """The paragraph's text split at line breaks; text boxes, deleted text and field codes left out."""
    lines, buf = [], []

    def walk(el):
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == W + "t":
                buf.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                buf.append(" ")
            elif tag in (W + "br", W + "cr"):
                lines.append("".join(buf))
                buf.clear()
            elif tag == W + "noBreakHyphen":
                buf.append("-")
            else:
                walk(child)

    walk(p)
    lines.append("".join(buf))
    return [" ".join(line.split()) for line in lines]


def _text_boxes(p) -> list:
    """Outermost text box contents anchored in this paragraph; the VML fallback copy of a DrawingML
    box (mc:Fallback) is skipped so a box is read once."""
    boxes = []

    def walk(el):
        for child in el:
            if child.tag == MC_FALLBACK:
                continue
            if child.tag == W + "txbxContent":
                boxes.append(child)
            else:
                walk(child)

    walk(p)
    return boxes


def _table(tbl, items: list) -> None:
    """A data table as one Table; a layout table (one holding another table) opened up into its
    cells' paragraphs and inner tables."""
    rows = tbl.findall(W + "tr")
    if any(tc.find(".//" + W + "tbl") is not None for tr in rows for tc in tr.findall(W + "tc")):
        for tr in rows:
            for tc in tr.findall(W + "tc"):
                _container(tc, items)
        return
    table = grid_table(rows)
    if table.cells:
        items.append(table)


def grid_table(rows) -> Table:
    """Cells with spans from the row XML: w:gridBefore skips columns, w:gridSpan widens a cell,
    w:vMerge="restart" opens a vertical merge that each following w:vMerge cell in the same
    column extends (its rowspan grows)."""
    cells, open_merges = [], {}   # column → Cell whose vertical merge is open
    for r, tr in enumerate(rows):
        col = _int_val(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        for tc in _row_cells(tr):
            span = max(1, _int_val(tc.find(f"{W}tcPr/{W}gridSpan"), 1))
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            text = cell_text(tc)
            origin = open_merges.get(col)
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue") and origin is not None \
                    and origin.colspan == span and origin.row + origin.rowspan == r:
                origin.rowspan += 1
                if text:
                    origin.text = f"{origin.text}{text}"
            else:
                cell = Cell(text=text, row=r, col=col, colspan=span)
                cells.append(cell)
                for k in range(col, col + span):
                    open_merges.pop(k, None)
                if vmerge is not None:
                    open_merges[col] = cell
            col += span
    return Table(cells=cells)


def _row_cells(tr) -> list:
    """A row's cells, looking through content controls (w:sdt/w:sdtContent) that wrap some."""
    out = []
    for child in tr:
        if child.tag == W + "tc":
            out.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            out.extend(child.iter(W + "tc"))
    return out


def cell_text(tc) -> str:
    """A cell's paragraphs joined without line breaks: a label Word wrapped ('商业' / '企业') reads
    as one word; a space only between two Latin letters or digits."""
    return join_lines(line for p in _cell_paragraphs(tc) for line in paragraph_lines(p))


def _cell_paragraphs(el) -> list:
    """Every paragraph in a cell, nested ones included, the mc:Fallback copies of text boxes not."""
    out = []
    for child in el:
        if child.tag == MC_FALLBACK:
            continue
        if child.tag == W + "p":
            out.append(child)
        out.extend(_cell_paragraphs(child))
    return out


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val"))
    except (TypeError, ValueError):
        return default
