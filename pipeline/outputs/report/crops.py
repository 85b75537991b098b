"""Crop images of the page region that holds a finding's cells: the auditor's evidence.

What a crop shows: the table's header band (its column headings: 结果维持 … 总计) above the rows
that hold the finding's cells, each row with its label (the page's full width is cut, then
trimmed to the ink), every cell involved outlined in red. A cell's box alone would show a number
without its row or column; a strip of its rows without the header would leave the auditor to
count columns. Where the rows lie right under the header the crop is one piece; where they lie
further down (or on a later page, the table continuing) the header band is put above them with
a dashed line between, so the gap is plain.

The header band is found on the page itself: from the table's first row read (the top of the
table's first cells) upwards, the ink continues through the heading rows and the table's top
rule, and stops at the first band of blank paper (HEADER_GAP_PT) — at most HEADER_MAX_PT above.
No box of the header is needed from the dataset (cells.parquet holds the values' boxes only).

Coordinates: cells.bbox is (x0, top, x1, bottom) in PDF points, top-left origin (model.py).
- A PDF page with a text layer was read by pdfplumber, whose origin is the MediaBox's top-left;
  pypdfium2 renders the CropBox, so the boxes are shifted by the difference of the two.
- A PDF page read by OCR (reports.ocr_pages) was rendered by pypdfium2 itself and its boxes scaled
  back to points of that rendering: no shift.
- A page image: points at the image's own resolution (its dpi, else one point per pixel), as
  pipeline/readers/image.py reads it.
Which formats have pages to crop from is data (evidence.csv); the others show the printed row.

Legible on a phone: pages are rendered at RENDER_DPI and a crop is shown at DISPLAY_DPI (a 9 pt
digit is 12 CSS pixels), in a box that scrolls sideways on a narrow screen rather than shrinking
the picture; a click shows it at full size. Images are palette PNGs (PALETTE_COLOURS), at most
MAX_CROPS_PER_REPORT per file: the report says how many were left out.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.outputs.report.data import table

RENDER_DPI = 150          # pixels of the crop: sharp when enlarged
DISPLAY_DPI = 100         # CSS pixels per inch of page shown: a 9 pt digit is 12.5 px high
MARGIN_PT = 8             # above the first and below the last row involved
HEADER_MAX_PT = 160       # how far above the table's first row its header band may reach
HEADER_GAP_PT = 9         # a band of blank paper this high ends the header band
INK = 160                 # grey level below which a pixel is ink
SIDE_PT = 6               # paper kept left and right of the ink
PALETTE_COLOURS = 64
MAX_CROPS_PER_REPORT = 6
OUTLINE = (220, 0, 0)
DIVIDER = (150, 150, 150)


@dataclass(frozen=True)
class Crop:
    page: int
    data_uri: str
    width: int            # pixels of the image
    height: int

    @property
    def shown_width(self) -> int:
        """CSS pixels the page shows it at (DISPLAY_DPI)."""
        return max(1, round(self.width * DISPLAY_DPI / RENDER_DPI))

    @property
    def shown_height(self) -> int:
        return max(1, round(self.height * DISPLAY_DPI / RENDER_DPI))


def evidence_kind(detected_format: str) -> str:
    """`pdf_page`, `image_page` or `printed_row` (no geometry): evidence.csv."""
    kinds = {r["detected_format"]: r["evidence"] for r in table("evidence.csv")}
    return kinds.get(str(detected_format), "printed_row")


class PageImages:
    """The pages of one source file, rendered once each however many findings they hold."""

    def __init__(self, path: Path, kind: str, ocr_pages=()):
        self.path, self.kind = Path(path), kind
        self.ocr_pages = set(int(p) for p in (ocr_pages if ocr_pages is not None else ()))
        self._pages = {}

    def page(self, number: int):
        """(PIL image, pixels per point, (dx, dy) shift in points) of a 1-based page."""
        if number not in self._pages:
            render = _render_pdf_page if self.kind == "pdf_page" else _image_page
            self._pages[number] = render(self.path, number, number in self.ocr_pages)
        return self._pages[number]


def _render_pdf_page(path: Path, number: int, ocr: bool):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number - 1]
        scale = RENDER_DPI / 72.0
        image = page.render(scale=scale).to_pil().convert("RGB")
        shift = (0.0, 0.0) if ocr else _mediabox_shift(page)
        page.close()
        return image, scale, shift
    finally:
        pdf.close()


def _mediabox_shift(page) -> tuple:
    """Points to add to a pdfplumber box to land on pypdfium2's rendering of the CropBox."""
    ml, _, _, mt = page.get_mediabox()
    cl, _, _, ct = page.get_cropbox()
    return (ml - cl, ct - mt)


def _image_page(path: Path, number: int, _ocr: bool):
    """Page `number` of a page image, a multi-page TIFF, a zip or a folder of images, taken the way
    the image reader takes them (same order, same resolution), so the boxes land where it read."""
    from pipeline.core.options import Options
    from pipeline.readers.image import _dpi, _pages

    for k, (_, image) in enumerate(_pages(path, Options()), start=1):
        if k == number:
            return image.convert("RGB"), _dpi(image) / 72.0, (0.0, 0.0)
    raise ValueError(f"{path.name} has no page {number}")


def crop_strip(pages: PageImages, number: int, boxes: list, header: tuple = None) -> Crop:
    """The rows of page `number` around `boxes` (points), each box outlined, under the table's
    header band; `header` is (page, top of the table's first row in points), or None when the
    table's start is unknown (then the rows alone)."""
    from PIL import ImageDraw

    image, scale, (dx, dy) = pages.page(number)
    top = max(0, int((min(b[1] for b in boxes) + dy - MARGIN_PT) * scale))
    bottom = min(image.height, int((max(b[3] for b in boxes) + dy + MARGIN_PT) * scale) + 1)
    band = None
    if header is not None:
        hpage, first_top = header
        himage, hscale, (_, hdy) = pages.page(hpage)
        first = int((first_top + hdy) * hscale)
        start = _header_top(himage, first, hscale)
        if hpage == number and start <= top <= first + int(HEADER_GAP_PT * scale):
            top = start                          # the rows sit right under the header: one piece
        elif start < first:
            band = himage.crop((0, start, himage.width, first))
    rows = image.crop((0, top, image.width, max(bottom, top + 1)))
    draw = ImageDraw.Draw(rows)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle(((x0 + dx) * scale - 2, (y0 + dy) * scale - top - 2,
                        (x1 + dx) * scale + 2, (y1 + dy) * scale - top + 2), outline=OUTLINE, width=2)
    picture = _trimmed(_stacked(band, rows) if band is not None else rows, int(SIDE_PT * scale))
    return Crop(number, _png_uri(picture), picture.width, picture.height)


def _header_top(image, first: int, scale: float) -> int:
    """The pixel row where the header band above pixel row `first` starts: going up, the first
    band of blank paper HEADER_GAP_PT high ends it; at most HEADER_MAX_PT above."""
    import numpy as np

    lo = max(0, first - int(HEADER_MAX_PT * scale))
    if first <= lo:
        return first
    grey = np.asarray(image.crop((0, lo, image.width, first)).convert("L"))
    inked = (grey < INK).sum(axis=1) > 0
    gap = max(1, int(HEADER_GAP_PT * scale))
    blank = 0
    for y in range(len(inked) - 1, -1, -1):
        blank = blank + 1 if not inked[y] else 0
        if blank >= gap:
            return lo + y + blank
    return lo


def _stacked(band, rows):
    """The header band above the rows, a dashed line between them."""
    from PIL import Image, ImageDraw

    sep = 9
    out = Image.new("RGB", (max(band.width, rows.width), band.height + sep + rows.height), "white")
    out.paste(band, (0, 0))
    out.paste(rows, (0, band.height + sep))
    draw = ImageDraw.Draw(out)
    for x in range(0, out.width, 12):
        draw.line(((x, band.height + sep // 2), (x + 6, band.height + sep // 2)), fill=DIVIDER, width=1)
    return out


def _trimmed(image, side: int):
    """The picture cut to its ink, left and right (page margins cost width on a phone)."""
    import numpy as np

    grey = np.asarray(image.convert("L"))
    cols = np.nonzero((grey < INK).sum(axis=0))[0]
    if not len(cols):
        return image
    return image.crop((max(0, int(cols[0]) - side), 0, min(image.width, int(cols[-1]) + side + 1), image.height))


def _png_uri(image) -> str:
    """A palette PNG as a data: URI (PIL writes no timestamp: same pixels, same bytes)."""
    buf = io.BytesIO()
    image.quantize(colors=PALETTE_COLOURS).save(buf, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def boxes_by_page(cell_rows) -> dict:
    """{page: [bbox …]} of the cells (rows of cells.parquet) that have a box."""
    out = {}
    for c in cell_rows:
        if c["bbox"] is not None and len(c["bbox"]) == 4 and c["page"] is not None:
            out.setdefault(int(c["page"]), []).append(tuple(float(v) for v in c["bbox"]))
    return dict(sorted(out.items()))


def table_starts(cell_rows) -> dict:
    """{table code: (page, top in points)} of the first row read of each table (the topmost cell
    of its first page): where its header band ends."""
    out = {}
    for c in cell_rows:
        if c["bbox"] is None or len(c["bbox"]) != 4 or c["page"] is None:
            continue
        here = (int(c["page"]), float(c["bbox"][1]))
        if c["table_code"] not in out or here < out[c["table_code"]]:
            out[c["table_code"]] = here
    return out


def crops_for_report(report, findings: list, cells_by_code: dict) -> tuple:
    """Crops of one file's findings, in the order given: ({finding_id: [Crop]}, left out, problem).

    `findings` are dicts with `finding_id` and `cells` (codes); `cells_by_code` maps a cell code of
    this file to its cells.parquet row. At most MAX_CROPS_PER_REPORT images are made; `problem` says
    why none could be made (a moved source file, an unreadable page) instead of failing the report.
    """
    from pipeline.outputs.report.data import source_path

    kind = evidence_kind(report["detected_format"])
    if kind == "printed_row":
        return {}, 0, None
    path = source_path(report)
    if not path.exists():
        return {}, 0, f"源文件不在原处，无法截图 (source file not found: {path})"
    pages = PageImages(path, kind, report.get("ocr_pages"))
    starts = table_starts(cells_by_code.values())
    out, made, left_out = {}, 0, 0
    for f in findings:
        involved = [cells_by_code[c] for c in f["cells"] if c in cells_by_code]
        by_page = boxes_by_page(involved)
        if not by_page:
            continue
        if made + len(by_page) > MAX_CROPS_PER_REPORT:
            left_out += len(by_page)
            continue
        tables = {c["table_code"] for c in involved}
        header = starts.get(next(iter(tables))) if len(tables) == 1 else None
        try:
            out[f["finding_id"]] = [crop_strip(pages, p, boxes, header) for p, boxes in by_page.items()]
        except Exception as e:  # pdfium/PIL errors on a damaged file: evidence lost, not the report
            return out, left_out, f"无法渲染页面 (could not render the page: {type(e).__name__}: {e})"
        made += len(by_page)
    return out, left_out, None
