"""Image-only scans of a report: the text PDF printed and scanned back, with no text layer, so that
the pipeline's OCR path has generated input with known truth.

Each page of the `pdf` form is rendered with pdfium at the report's dpi (150–300), turned to
grayscale, skewed by a small angle (0.3°–1.2° either way, as a sheet lies on a scanner's glass),
tinted like paper, sometimes softened, and given sensor noise and a few dust specks. The choices
come from the report's own random stream and the noise from a numpy generator seeded from it, so
the same seed gives the same bytes (on the same pdfium, Pillow and numpy).

    write(report, path)      -> <stem>_scan.pdf: one JPEG page image per page, each page the text
                                PDF's size in points (Pillow's PDF writer, dates left out)
    write_tif(report, path)  -> <stem>_scan.tif: multi-page grayscale TIFF (JPEG) with its dpi
    write_png_zip(report, path) -> <stem>_scan.zip: <stem>_scan_p1.png …, one report file
    write_harsh(report, path) -> <stem>_scan_harsh.pdf: the worst an office's scanner does: 150 dpi,
                                JPEG quality 40–60, skew up to 2°, and one or two sheets fed
                                upside down or sideways, often the one where table 三 continues
                                from the page before (`harsh_params`)

The text PDF uses reportlab's non-embedded CID font STSong-Light: pdfium draws its Chinese only
with a CJK font from the system and silently leaves the characters out without one (digits and
Latin letters still appear), so every writer first checks that Chinese really renders.
"""
from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

from . import content as C
from . import pdf

DPI_CHOICES = (150, 200, 240, 300)     # what office scanners are set to
ANGLE_RANGE = (0.3, 1.2)               # |skew| in degrees
JPEG_QUALITY = (55, 80)
HARSH_DPI = 150
HARSH_ANGLE = 2.0                      # |skew| up to this, in degrees
HARSH_QUALITY = (40, 60)
HARSH_TURNS = (90, 180, 270)           # degrees counter-clockwise a sheet fed the wrong way shows
MID_TABLE_TURNED = 0.6                 # share of harsh scans whose turned pages include table 三's
                                       # continuation page
FONT_PACKAGE = "fonts-wqy-microhei"


class MissingCJKFont(RuntimeError):
    """pdfium finds no system font for Chinese, so a scan would silently lose all its Chinese."""


@dataclass(frozen=True)
class ScanParams:
    """How one report is scanned."""
    dpi: int
    angle: float          # degrees, counter-clockwise; |angle| in ANGLE_RANGE
    paper: int            # gray level of the blank paper (255 = white)
    noise: float          # standard deviation of the gaussian noise, in gray levels
    specks: int           # dust specks per page
    blur: float           # gaussian blur radius in pixels, 0 for none
    quality: int          # JPEG quality of the PDF's page images
    seed: int             # of the numpy noise


def params(report: C.Report) -> ScanParams:
    """The report's scan settings, from its own random stream (so other forms are unaffected)."""
    rng = report.rng("scan")
    return ScanParams(
        dpi=rng.choice(DPI_CHOICES),
        angle=round(rng.choice((-1, 1)) * rng.uniform(*ANGLE_RANGE), 2),
        paper=rng.randint(238, 252),
        noise=round(rng.uniform(1.5, 4.0), 1),
        specks=rng.randint(5, 40),
        blur=rng.choice((0.0, 0.0, 0.5, 0.8)),
        quality=rng.randint(*JPEG_QUALITY),
        seed=rng.getrandbits(32),
    )


@functools.lru_cache(maxsize=1)
def cjk_font_available() -> bool:
    """True when pdfium draws STSong-Light's Chinese: a probe PDF with two large characters is
    rendered and must come out with ink. (`fc-list :lang=zh` is only a hint: pdfium searches the
    font directories itself.)"""
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(120, 60), invariant=1)
    c.setFont(pdf._font(), 40)
    c.drawString(10, 15, "政府")
    c.save()
    doc = pdfium.PdfDocument(buf.getvalue())
    try:
        ink = np.asarray(doc[0].render(scale=1, grayscale=True).to_pil()) < 128
    finally:
        doc.close()
    return ink.mean() > 0.02


def _require_font() -> None:
    if not cjk_font_available():
        raise MissingCJKFont(
            "pdfium found no CJK font, so the scanned pages would show digits and Latin letters "
            f"but none of the Chinese; install one (Debian/Ubuntu: apt-get install {FONT_PACKAGE})")


def _degrade(page: Image.Image, p: ScanParams, number: int) -> Image.Image:
    """One rendered page (mode L) as the scanner returns it. Specks fall only on blank paper
    (nothing inked within about 2 mm), so that no digit is changed and the truth still holds."""
    img = page.rotate(p.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if p.blur:
        img = img.filter(ImageFilter.GaussianBlur(p.blur))
    clean = np.asarray(img)
    rng = np.random.default_rng([p.seed, number])
    a = clean.astype(np.float32) * (p.paper / 255.0)
    a += rng.normal(0.0, p.noise, a.shape).astype(np.float32)
    h, w = a.shape
    r, clear = max(1, p.dpi // 150), p.dpi // 12      # a speck of a few tenths of a millimetre
    ys, xs = rng.integers(clear, h - clear, 4 * p.specks), rng.integers(clear, w - clear, 4 * p.specks)
    placed = 0
    for y, x, dark in zip(ys, xs, rng.integers(20, 120, 4 * p.specks)):
        if placed == p.specks:
            break
        if clean[y - clear:y + clear, x - clear:x + clear].min() > 200:
            a[y - r:y + r + 1, x - r:x + r + 1] = np.minimum(a[y - r:y + r + 1, x - r:x + r + 1], dark)
            placed += 1
    return Image.fromarray(np.clip(a, 0, 255).round().astype(np.uint8))


def pages(report: C.Report, p: Optional[ScanParams] = None, turns: Optional[dict] = None) -> tuple:
    """(page images, page sizes in points) of the scanned report; `turns` maps 1-based pages to
    the degrees (counter-clockwise) their sheet was turned through, or is a function of the text
    PDF's path returning that map."""
    _require_font()
    p = p or params(report)
    with tempfile.TemporaryDirectory() as tmp:
        text_pdf = pdf.write(report, Path(tmp) / "text.pdf")
        if callable(turns):
            turns = turns(text_pdf)
        turns = turns or {}
        doc = pdfium.PdfDocument(str(text_pdf))
        try:
            sizes = [doc[i].get_size() for i in range(len(doc))]
            images = [_turn(_degrade(doc[i].render(scale=p.dpi / 72, grayscale=True).to_pil(), p, i + 1),
                            turns.get(i + 1, 0))
                      for i in range(len(doc))]
        finally:
            doc.close()
    return images, sizes


def _turn(img: Image.Image, degrees: int) -> Image.Image:
    """The page as scanned from a sheet turned through `degrees` counter-clockwise."""
    ops = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
           270: Image.Transpose.ROTATE_270}
    return img.transpose(ops[degrees]) if degrees else img


def write(report: C.Report, path: Path) -> Path:
    """An image-only PDF, each page the size of the text PDF's page.

    The resolution is set per axis from the rendered pixel size, so that the MediaBox is exactly
    the original page size although pdfium rounds the bitmap to whole pixels (Pillow takes one
    resolution for all pages; the text PDF's pages are all A4). Pillow dates the file unless the
    dates are given as None; leaving them and the title out keeps the bytes stable.
    """
    path = Path(path)
    p = params(report)
    images, sizes = pages(report, p)
    (w, h), first = sizes[0], images[0]
    dpi = (first.width * 72 / w, first.height * 72 / h)
    first.save(path, "PDF", save_all=True, append_images=images[1:], dpi=dpi, quality=p.quality,
               title=None, creationDate=None, modDate=None)
    return path


@dataclass(frozen=True)
class HarshParams:
    """How one report is scanned badly: the scan settings and which sheets went in turned."""
    scan: ScanParams
    turns: int            # how many pages are turned: 1 or 2
    mid_table: bool       # one of them is the page where table 三 continues from the page before
    degrees: tuple        # the turn of each of those pages, counter-clockwise: 90, 180 or 270
    picks: tuple          # random numbers (0–1) that choose the other turned pages


def harsh_params(report: C.Report) -> HarshParams:
    """The report's harsh scan settings, from a random stream of their own."""
    rng = report.rng("scan_harsh")
    base = ScanParams(
        dpi=HARSH_DPI,
        angle=round(rng.uniform(-HARSH_ANGLE, HARSH_ANGLE), 2),
        paper=rng.randint(232, 250),
        noise=round(rng.uniform(2.0, 5.0), 1),
        specks=rng.randint(10, 60),
        blur=rng.choice((0.0, 0.5, 0.8)),
        quality=rng.randint(*HARSH_QUALITY),
        seed=rng.getrandbits(32),
    )
    turns = rng.choice((1, 2))
    return HarshParams(base, turns, rng.random() < MID_TABLE_TURNED,
                       tuple(rng.choice(HARSH_TURNS) for _ in range(turns)),
                       tuple(rng.random() for _ in range(turns)))


def continuation_page(report: C.Report, text_pdf: Path) -> Optional[int]:
    """The 1-based page of the text PDF where table 三 (requests) continues: the page after its
    heading's (the PDF writer always breaks that table across a page)."""
    import pdfplumber

    heading = C.headings(report)[2]
    with pdfplumber.open(text_pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            if heading in "".join((page.extract_text() or "").split()):
                return n + 1 if n < len(doc.pages) else None
    return None


def turned_pages(report: C.Report, text_pdf: Path, h: Optional[HarshParams] = None) -> dict:
    """{page: degrees} of the harsh scan's turned sheets."""
    h = h or harsh_params(report)
    import pdfplumber

    with pdfplumber.open(text_pdf) as doc:
        n_pages = len(doc.pages)
    chosen = []
    mid = continuation_page(report, text_pdf) if h.mid_table else None
    if mid is not None:
        chosen.append(mid)
    free = [n for n in range(1, n_pages + 1) if n != mid]
    for pick in h.picks[len(chosen):]:
        chosen.append(free.pop(min(int(pick * len(free)), len(free) - 1)))
    return dict(zip(chosen, h.degrees))


def write_harsh(report: C.Report, path: Path) -> Path:
    """A harsh image-only PDF (see `harsh_params`); turned pages are turned in the PDF too (a
    sideways sheet makes a landscape page), as a scanner writes what it was fed."""
    path = Path(path)
    h = harsh_params(report)
    images, sizes = pages(report, h.scan, lambda text_pdf: turned_pages(report, text_pdf, h))
    upright = next(im for im in images if (im.width < im.height) == (sizes[0][0] < sizes[0][1]))
    (w, ht) = sizes[0]
    dpi = (upright.width * 72 / w, upright.height * 72 / ht)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], dpi=dpi,
                   quality=h.scan.quality, title=None, creationDate=None, modDate=None)
    return path


def write_tif(report: C.Report, path: Path) -> Path:
    """A multi-page grayscale TIFF recording the scan's dpi. JPEG-compressed like the PDF's pages:
    lossless compression of the noise would make it some 2 MB a page."""
    path = Path(path)
    p = params(report)
    first, *rest = pages(report, p)[0]
    first.save(path, "TIFF", save_all=True, append_images=rest, compression="jpeg", quality=p.quality,
               dpi=(p.dpi, p.dpi))
    return path


def write_png_zip(report: C.Report, path: Path) -> Path:
    """A zip of one PNG per page, <stem>_scan_p1.png …, as some portals publish a report as page
    images: one report file, so it gets one truth row (loose PNGs would be read as separate
    reports). Entries are dated 1980-01-01 for stable bytes."""
    path = Path(path)
    p = params(report)
    with zipfile.ZipFile(path, "w") as z:
        for n, im in enumerate(pages(report, p)[0], start=1):
            buf = io.BytesIO()
            im.save(buf, "PNG", dpi=(p.dpi, p.dpi), optimize=False)
            info = zipfile.ZipInfo(f"{report.stem}_scan_p{n}.png", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, buf.getvalue(), compress_type=zipfile.ZIP_STORED)
    return path
