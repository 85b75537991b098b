"""Page images: .jpg / .png / .tif (multi-page TIFF → pages), other single images PIL opens, and a
.zip or a folder of page images (pages in natural name order: p2 before p10).

Every page is OCR'd (`ocr_pages` lists them all). Bounding boxes are in points at the image's own
resolution when the file records one (a 200-dpi scan maps to its paper size), else one point per
pixel.
"""
from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.failures import Kind
from pipeline.core.findings import Finding
from pipeline.core.model import Document
from pipeline.core.options import Options
from pipeline.readers import ReaderError, limits

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp")
DEFAULT_DPI = 72.0       # no recorded resolution: one point per pixel
_PLAUSIBLE_DPI = (50, 1200)


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    try:
        from pipeline.readers.ocr import for_options, ocr_image
    except ImportError as e:
        raise ReaderError(f"an image needs OCR but the OCR engine is not installed: {e}", Kind.MISSING_TOOL) from e
    pages = list(_pages(path, options))
    if not pages:
        raise ReaderError("no page images found", Kind.UNSUPPORTED)
    doc = Document(source=str(path), format="image", pages=len(pages),
                   ocr_pages=list(range(1, len(pages) + 1)))
    engine = for_options(options)
    for number, (name, image) in enumerate(pages, start=1):
        items = ocr_image(image, page=number, dpi=_dpi(image), engine=engine, findings=doc.findings)
        if not items:
            doc.findings.append(Finding("ocr.empty_page", f"page_{number}", "warning", found=name, page=number,
                                        message_zh=f"第{number}页（{name}）没有识别出任何文字",
                                        message_en=f"page {number} ({name}): OCR found no text"))
        doc.items.extend(items)
    return doc


def _pages(path: Path, options: Options):
    """(name, PIL image in RGB or L) for each page, in order."""
    if path.is_dir():
        files = sorted((p for p in path.iterdir() if _is_page(p.name) and not p.is_symlink() and p.is_file()),
                       key=lambda p: natural_key(p.name))
        limits.pages(len(files), options, "the folder of page images")
        for p in files:
            for k, im in enumerate(_frames(p.read_bytes(), p.name, options)):
                yield (p.name if k == 0 else f"{p.name}#{k + 1}"), im
        return
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as z:
                names = sorted((n for n in z.namelist() if _is_page(n)), key=natural_key)
                limits.pages(len(names), options, "the zip of page images")
                limits.unpacked(z, options, "the zip of page images", names)
                for n in names:
                    for k, im in enumerate(_frames(z.read(n), n, options)):
                        yield (n if k == 0 else f"{n}#{k + 1}"), im
        except zipfile.BadZipFile as e:
            raise ReaderError(f"a damaged zip archive: {e}") from e
        return
    yield from ((path.name if k == 0 else f"{path.name}#{k + 1}", im)
                for k, im in enumerate(_frames(path.read_bytes(), path.name, options)))


def _is_page(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return (name.lower().endswith(IMAGE_SUFFIXES) and not base.startswith((".", "._"))
            and "__MACOSX/" not in name)


def _frames(data: bytes, name: str, options: Options):
    """Each frame of an image file (TIFF pages), upright per its EXIF orientation, one at a time
    (a long TIFF need not sit in memory whole). Each frame's size is checked against the pixel
    limit before it is decoded."""
    from PIL import Image, ImageOps, ImageSequence

    try:
        with _own_pixel_limit():
            im = Image.open(io.BytesIO(data))
        for k, frame in enumerate(ImageSequence.Iterator(im)):
            limits.pages(k + 1, options, name)
            limits.pixels(frame.size[0], frame.size[1], options, name)
            dpi = frame.info.get("dpi")
            page = _flatten(ImageOps.exif_transpose(frame))
            if dpi:
                page.info["dpi"] = dpi
            yield page
    except ReaderError:
        raise
    except MemoryError as e:
        raise limits.out_of_memory(name, options) from e
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as e:
        raise ReaderError(f"{name}: not a readable image: {e}") from e


@contextmanager
def _own_pixel_limit():
    """Pillow's own decompression-bomb check off while a file is opened (it raises above 179
    megapixels whatever --max-pixels says); the reader checks the size itself before decoding."""
    import warnings

    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = before


def _flatten(im):
    """Any PIL mode → 8-bit grey or RGB: bilevel fax TIFFs, 16-bit scans (scaled, not clipped to
    white), palette images, and transparent PNGs (laid on white, not on black)."""
    import numpy as np
    from PIL import Image

    if im.mode in ("1", "L", "RGB"):
        return im.convert("L") if im.mode == "1" else im
    if im.mode.startswith("I") or im.mode == "F":
        a = np.asarray(im, dtype=np.float64)
        top = 65535.0 if a.max(initial=0) > 255 else 255.0
        return Image.fromarray((a * (255.0 / top)).clip(0, 255).astype(np.uint8))
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return im.convert("RGB")


def _dpi(image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[1] if isinstance(dpi, (tuple, list)) else dpi)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return value if _PLAUSIBLE_DPI[0] <= value <= _PLAUSIBLE_DPI[1] else DEFAULT_DPI


def natural_key(name: str) -> list:
    """'page10.png' after 'page2.png': digit runs compare as numbers."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t.lower())
            for t in re.split(r"(\d+)", name) if t]
