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


def pages(report: C.Report, p: Optional[ScanParams] = None) -> tuple:
    """(page images, page sizes in points) of the scanned report."""
    _require_font()
    p = p or params(report)
    with tempfile.TemporaryDirectory() as tmp:
        text_pdf = pdf.write(report, Path(tmp) / "text.pdf")
        doc = pdfium.PdfDocument(str(text_pdf))
        try:
            sizes = [doc[i].get_size() for i in range(len(doc))]
            images = [_degrade(doc[i].render(scale=p.dpi / 72, grayscale=True).to_pil(), p, i + 1)
                      for i in range(len(doc))]
        finally:
            doc.close()
    return images, sizes


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
