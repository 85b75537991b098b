"""A report as a saved web page whose three tables are pictures, as many portals publish them:
the article's text as HTML, each table an `<img>` in its place.

    write_saved_page(report, path) -> <stem>_img.html and its folder <stem>_img_files/ holding the
                                      table images (PNG or JPEG), referenced by relative `src`, as a
                                      browser's "save page, complete" leaves them
    write_mht(report, path)        -> <stem>.mht: the same page as one MIME file (multipart/related),
                                      the HTML quoted-printable and the images inline as base64
                                      parts, each at the URL the page gives it (Content-Location)

The tables are drawn by the PDF writer's own table code (`samples.pdf.table_from_grid`) on a page
of their size and rendered with pdfium at a dpi drawn from the report's random stream, so they
look like the tables of the report's PDF; like the scans, this needs a CJK system font for pdfium
(`samples.scan.cjk_font_available`). The same report gives the same bytes.
"""
from __future__ import annotations

import base64
import io
import quopri
from pathlib import Path
from urllib.parse import quote

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4

from . import content as C
from . import html, pdf, scan

TABLE_DPI = (110, 130, 150)          # what a portal's editor exported the table pictures at
MARGIN = 6                           # points of white around a table picture
BOUNDARY = "----MultipartBoundary--ogiSampleTablePictures----"


def table_images(report: C.Report) -> dict:
    """{table key: (file name, image bytes, mime type)} for the report's tables, in report order."""
    scan._require_font()
    from reportlab.pdfgen import canvas

    rng = report.rng("html_images")
    styles = pdf._styles(13)
    grids = html._grids(report)
    out = {}
    for k, key in enumerate(grids, start=1):
        table = pdf.table_from_grid(grids[key], styles)
        w, h = table.wrap(A4[0], 10 * A4[1])
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(w + 2 * MARGIN, h + 2 * MARGIN), invariant=1)
        table.drawOn(c, MARGIN, MARGIN)
        c.showPage()
        c.save()
        doc = pdfium.PdfDocument(buf.getvalue())
        try:
            image = doc[0].render(scale=rng.choice(TABLE_DPI) / 72).to_pil().convert("RGB")
        finally:
            doc.close()
        data = io.BytesIO()
        stem = f"W0{report.year + 1}0{rng.randint(100, 999)}{k:03d}"
        if rng.random() < 0.5:
            image.save(data, "PNG", optimize=False)
            out[key] = (f"{stem}.png", data.getvalue(), "image/png")
        else:
            image.save(data, "JPEG", quality=rng.randint(80, 92))
            out[key] = (f"{stem}.jpg", data.getvalue(), "image/jpeg")
    return out


def _img(src: str) -> str:
    return f'<p style="text-align:center;"><img src="{src}" style="max-width:100%;" border="0" alt=""></p>'


def write_saved_page(report: C.Report, path: Path) -> Path:
    """The page at `path` and its images in `<path stem>_files/`."""
    path = Path(path)
    images = table_images(report)
    folder = path.parent / f"{path.stem}_files"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data, _ in images.values():
        (folder / name).write_bytes(data)
    encoded = report.rng("html_images_src").random() < 0.5     # some browsers percent-encode the name
    ref = quote(folder.name) if encoded else folder.name
    page = html.clean_html(report, lambda key, grid: _img(f"./{ref}/{images[key][0]}"))
    path.write_bytes(page.encode("utf-8"))
    return path


def page_url(report: C.Report) -> str:
    return f"http://{report.domain}/art/{report.year + 1}/1/15/art_{report.facts['index'][-5:]}.html"


def write_mht(report: C.Report, path: Path) -> Path:
    """The page as a single MHTML file, as a browser's "save as single file" writes it."""
    path = Path(path)
    images = table_images(report)
    base = page_url(report)
    pictures = f"http://{report.domain}/picture/0/"
    page = html.clean_html(report, lambda key, grid: _img(pictures + images[key][0]))
    title = "".join(C.title_lines(report))
    head = [
        "From: <Saved by Blink>",
        f"Snapshot-Content-Location: {base}",
        "Subject: =?utf-8?B?" + base64.b64encode(title.encode("utf-8")).decode("ascii") + "?=",
        f"Date: {report.facts['date']}",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/related; type="text/html"; boundary="{BOUNDARY}"',
        "",
        "",
    ]
    parts = ["\r\n".join(head)]
    body = quopri.encodestring(page.encode("utf-8")).decode("ascii").replace("\r\n", "\n").replace("\n", "\r\n")
    parts.append(f"--{BOUNDARY}\r\nContent-Type: text/html\r\nContent-ID: <frame-0@mhtml.blink>\r\n"
                 f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {base}\r\n\r\n{body}\r\n")
    for name, data, mime in images.values():
        b64 = base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
        parts.append(f"--{BOUNDARY}\r\nContent-Type: {mime}\r\nContent-Transfer-Encoding: base64\r\n"
                     f"Content-Location: {pictures}{name}\r\n\r\n{b64}\r\n")
    parts.append(f"--{BOUNDARY}--\r\n")
    path.write_bytes("".join(parts).encode("ascii"))
    return path
