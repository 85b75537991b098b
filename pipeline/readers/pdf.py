"""Text PDFs (born-digital, mostly WPS or Word exports) with pdfplumber.

One pass per page: `find_tables` for ruled tables, `extract_text_lines` for running text outside
them. Ruled "tables" that are really page frames or text boxes (one column of prose, as WPS
draws them) are not tables: their rows fall back to text. Pages whose text layer is missing or
garbage go to the OCR path when it is installed.
"""
from __future__ import annotations

from pathlib import Path

import pdfplumber

from pipeline.core.failures import Kind, is_out_of_memory
from pipeline.core.findings import Finding
from pipeline.core.model import Cell, Document, Table, TextBlock
from pipeline.core.options import Options
from pipeline.readers import ReaderError, limits
from pipeline.readers.engines import pdfplumber as plumber

SNAP = 1.0  # points: grid coordinates closer than this are the same line
ENGINES = ("fast", "pdfplumber")   # Options.pdf_engine: see pipeline/readers/pdf_fast.py


def read(path: Path, options: Options = Options()) -> Document:
    """`options.pdf_engine`: "fast" — pdfium reads the page objects (pdf_fast), pdfplumber's
    algorithms do the rest; "pdfplumber" — pdfminer reads them too, the reference path."""
    engine = options.pdf_engine
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; one of {ENGINES}")
    plumber.check()
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many types for broken files
        raise _error(e, options) from e
    with pdf:
        limits.pages(plumber.declared_pages(pdf), options, "the PDF")
        try:
            pages = pdf.pages
            limits.pages(len(pages), options, "the PDF")
            doc = Document(source=str(path), format="pdf", pages=len(pages))
            doc.meta.update(_metadata(pdf))
            if engine == "fast":
                _attach_fast_objects(doc, path, pages)
            ocr_needed, sizes = {}, {}
            for number, page in enumerate(pages, start=1):
                reason = _ocr_reason(page)
                if reason:
                    ocr_needed[number] = reason
                    sizes[number] = (float(page.width), float(page.height))
                    continue
                doc.items.extend(read_page(page, number, options.pdf_settings()))
        except ReaderError:
            raise
        except Exception as e:  # a page pdfminer cannot interpret (or one that exhausts memory)
            raise _error(e, options) from e
        if ocr_needed:
            for number, (w, h) in sizes.items():
                scale = options.ocr_dpi / 72.0
                limits.pixels(round(w * scale), round(h * scale), options,
                              f"page {number} rendered at {options.ocr_dpi:g} dpi for OCR")
            _ocr_into(doc, path, ocr_needed, options)
    return doc


def _attach_fast_objects(doc: Document, path: Path, pages: list) -> None:
    """Give pdfplumber's pages the objects pdfium read (pdf_fast); a file the fast path cannot
    read with certainty is read by pdfminer, and says so."""
    from pipeline.readers.pdf_fast import WARNING, attach_objects
    declined = attach_objects(path, pages)
    if declined:
        doc.findings.append(Finding(WARNING, "report", "info", found=declined,
                                    message_zh=f"快速路径未能确定地读取本文件，已改用 pdfplumber 读取：{declined}",
                                    message_en=f"read with pdfplumber: {declined}"))


def _error(e: Exception, options: Options) -> ReaderError:
    """Why pdfminer could not read the file: its kind and a sentence."""
    cause = plumber.cause(e)
    if is_out_of_memory(cause):
        return limits.out_of_memory("the PDF", options)
    if plumber.needs_password(cause):
        return ReaderError("the PDF is encrypted and needs a password to be opened; not read", Kind.ENCRYPTED)
    if plumber.unreadable_encryption(cause):
        return ReaderError(f"the PDF is encrypted in a way that cannot be read ({cause})", Kind.ENCRYPTED)
    if isinstance(cause, RecursionError):
        return ReaderError("not a readable PDF: its objects or cross-reference tables nest or loop deeper than "
                           "can be followed (a damaged or hostile file)")
    detail = str(cause).strip()
    return ReaderError(f"not a readable PDF: {type(cause).__name__}" + (f": {detail}" if detail else ""))


def read_page(page, number: int, table_settings: dict) -> list:
    """Tables and text lines of one page, in reading order (top to bottom)."""
    tables = [t for found in page.find_tables(table_settings) for t in _tables(found, number)]
    boxes = [t.bbox for t in tables]
    items = list(tables)
    for line in page.extract_text_lines(layout=False, strip=True, return_chars=False):
        text = line["text"].strip()
        if not text or _inside_any(line, boxes):
            continue
        items.append(TextBlock(text=text, page=number,
                               bbox=(line["x0"], line["top"], line["x1"], line["bottom"])))
    items.sort(key=lambda it: it.bbox[1])
    return items


def _tables(found, number: int):
    """Model Tables from one pdfplumber table, split at its full-width rows.

    WPS and Word draw page frames and text boxes as ruled cells: prose and headings arrive as
    rows of one cell spanning the whole width, before, between or after the real tables. Those
    rows are left to the text lines; each run of real rows between them is a table.
    """
    cells = _cells(found, number)
    n_cols = max((c.col + c.colspan for c in cells), default=0)
    by_row = {}
    for c in cells:
        by_row.setdefault(c.row, []).append(c)
    runs, run = [], []
    for r in sorted(by_row):
        row = by_row[r]
        if len(row) == 1 and row[0].colspan >= n_cols:
            runs.append(run)
            run = []
        else:
            run.append(row)
    runs.append(run)
    return [_table([c for row in run for c in row], number) for run in runs
            if any(len(row) >= 2 for row in run)]


def _cells(found, number: int) -> list:
    """The cells of a pdfplumber table with their grid spans, from the cell rectangles."""
    boxes = [c for row in found.rows for c in row.cells if c is not None]
    xs = _snap(sorted({b[0] for b in boxes} | {b[2] for b in boxes}))
    ys = _snap(sorted({b[1] for b in boxes} | {b[3] for b in boxes}))
    texts = found.extract()
    cells = []
    for r, row in enumerate(found.rows):
        for k, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            c0, c1 = _index(xs, bbox[0]), _index(xs, bbox[2])
            r0, r1 = _index(ys, bbox[1]), _index(ys, bbox[3])
            cells.append(Cell(text=texts[r][k] or "", row=r0, col=c0, rowspan=max(1, r1 - r0),
                              colspan=max(1, c1 - c0), page=number, bbox=tuple(bbox)))
    return cells


def _table(cells: list, number: int) -> Table:
    top = min(c.bbox[1] for c in cells)
    bottom = max(c.bbox[3] for c in cells)
    x0 = min(c.bbox[0] for c in cells)
    x1 = max(c.bbox[2] for c in cells)
    return Table(cells=_renumber(cells), page=number, bbox=(x0, top, x1, bottom))


def _renumber(cells: list) -> list:
    """Make row and column indexes start at 0 in a table cut out of a larger grid."""
    r0 = min(c.row for c in cells)
    c0 = min(c.col for c in cells)
    for c in cells:
        c.row -= r0
        c.col -= c0
    return cells


def _snap(values: list) -> list:
    out = []
    for v in values:
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(grid: list, v: float) -> int:
    return min(range(len(grid)), key=lambda i: abs(grid[i] - v))


def _inside_any(line: dict, boxes: list) -> bool:
    cx = (line["x0"] + line["x1"]) / 2
    cy = (line["top"] + line["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _metadata(pdf) -> dict:
    meta = {}
    title = pdf.metadata.get("Title")
    if isinstance(title, str) and title.strip() and "ÿþ" not in title:
        meta["title"] = title.strip()
    return meta


def _ocr_reason(page):
    try:
        from pipeline.readers.ocr import page_ocr_reason
    except ImportError:
        return "no text layer" if not page.chars else None
    return page_ocr_reason(page)


def _ocr_into(doc: Document, path: Path, needed: dict, options: Options) -> None:
    """Replace the pages that need it by their OCR reading, keeping page order."""
    try:
        from pipeline.readers.ocr import for_options, ocr_pdf_pages
    except ImportError as e:
        pages = ", ".join(str(p) for p in sorted(needed))
        raise ReaderError(f"pages {pages} need OCR ({needed[min(needed)]}) but the OCR engine "
                          f"is not installed: {e}", Kind.MISSING_TOOL) from e
    notes = []
    read = ocr_pdf_pages(path, sorted(needed), options.ocr_dpi, engine=for_options(options), findings=notes)
    for number, items in read.items():
        doc.items.extend(items)
    # By page only: each page's items already come in reading order, and on a page scanned
    # sideways or upside down the upright reading order is not the order of `top` on the page.
    doc.items.sort(key=_page_of)
    doc.ocr_pages = sorted(needed)
    for number, reason in sorted(needed.items()):
        doc.findings.append(Finding("ocr.page", f"page_{number}", "info", found=reason, page=number,
                                    message_zh=f"第{number}页没有可用的文字层（{reason}），已用OCR识别",
                                    message_en=f"page {number} was read by OCR: {reason}"))
    doc.findings.extend(notes)      # pages the OCR could not orient


def _page_of(item) -> int:
    return item.page
