"""Crop images of the page region that holds a finding's cells: the auditor's evidence.

Why whole-width strips: a cell's box alone shows a number without its row label or column
header; the strip from the page's left edge to its right edge, from just above the first cell
involved to just below the last, shows the numbers with their labels, and every cell involved is
outlined in red.

Coordinates: cells.bbox is (x0, top, x1, bottom) in PDF points, top-left origin (model.py).
- A PDF page with a text layer was read by pdfplumber, whose origin is the MediaBox's top-left;
  pypdfium2 renders the CropBox, so the boxes are shifted by the difference of the two.
- A PDF page read by OCR (reports.ocr_pages) was rendered by pypdfium2 itself and its boxes scaled
  back to points of that rendering: no shift.
- A page image: points at the image's own resolution (its dpi, else one point per pixel), as
  pipeline/readers/image.py reads it.
Which formats have pages to crop from is data (evidence.csv); the others show the printed row.

Images are kept small (rendered at RENDER_DPI, at most MAX_WIDTH_PX wide, a 64-colour palette)
and at most MAX_CROPS_PER_REPORT per file: the report says how many were left out.
"""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.outputs.report.data import table

RENDER_DPI = 110          # enough to read a 9 pt digit; a page strip stays a few tens of kB
MARGIN_PT = 16            # above the first and below the last cell involved
MAX_WIDTH_PX = 640
PALETTE_COLOURS = 64
MAX_CROPS_PER_REPORT = 6
OUTLINE = (220, 0, 0)


@dataclass(frozen=True)
class Crop:
    page: int
    data_uri: str
    width: int
    height: int


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


def crop_strip(pages: PageImages, number: int, boxes: list) -> Crop:
    """The full-width strip of page `number` around `boxes` (points), each box outlined."""
    from PIL import ImageDraw

    image, scale, (dx, dy) = pages.page(number)
    top = max(0, int((min(b[1] for b in boxes) + dy - MARGIN_PT) * scale))
    bottom = min(image.height, int((max(b[3] for b in boxes) + dy + MARGIN_PT) * scale) + 1)
    strip = image.crop((0, top, image.width, max(bottom, top + 1)))
    draw = ImageDraw.Draw(strip)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle(((x0 + dx) * scale - 2, (y0 + dy) * scale - top - 2,
                        (x1 + dx) * scale + 2, (y1 + dy) * scale - top + 2), outline=OUTLINE, width=2)
    if strip.width > MAX_WIDTH_PX:
        strip = strip.resize((MAX_WIDTH_PX, max(1, round(strip.height * MAX_WIDTH_PX / strip.width))))
    return Crop(number, _png_uri(strip), strip.width, strip.height)


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
    out, made, left_out = {}, 0, 0
    for f in findings:
        by_page = boxes_by_page([cells_by_code[c] for c in f["cells"] if c in cells_by_code])
        if not by_page:
            continue
        if made + len(by_page) > MAX_CROPS_PER_REPORT:
            left_out += len(by_page)
            continue
        try:
            out[f["finding_id"]] = [crop_strip(pages, p, boxes) for p, boxes in by_page.items()]
        except Exception as e:  # pdfium/PIL errors on a damaged file: evidence lost, not the report
            return out, left_out, f"无法渲染页面 (could not render the page: {type(e).__name__}: {e})"
        made += len(by_page)
    return out, left_out, None
