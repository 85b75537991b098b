"""Hostile, broken and odd inputs, written by the test suite itself (never product code).

`write(folder, outside)` fills `folder` with one or more files of every kind in `KINDS`, and
`outside` (a folder beside it, never inside) and `sibling(folder)` (`in_secret/` beside `in/`: a
name a string-prefix test would take for inside) with the canaries the links point at, and returns
{source: Kind}: the `source` each file gets in reports.parquet and what it should come out as:

    failed        a row with status `failed` and a sentence in `error`
    not_a_report  read, but no annual report: status `not_a_report`, `error` says what was found
    extracted     a good report (re-encoded, renamed, a duplicate, with JavaScript …): every cell of
                  `like` (a sample of raw/) is read, and status is ok

Everything is deterministic and small on disk where it can be (a 5,000-page PDF is written by hand,
bombs are a few MB compressed). The canary holds `MARKER`: no output of a run may contain it.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

RAW = Path(__file__).resolve().parents[1] / "raw"
MARKER = "CANARY-7f3a9c2e-outside-the-input-folder"

GOOD = {                   # the good reports the hostile files sit beside, one per form and office
    "good/合肥市包河区人民政府_2019.pdf": "合肥市包河区人民政府_2019.pdf",
    "good/成都市武侯区民政局_2021.html": "成都市武侯区民政局_2021.html",
    "good/杭州市西湖区北山街道办事处_2020.docx": "杭州市西湖区北山街道办事处_2020.docx",
    "good/泗阳县市场监督管理局_2022.txt": "泗阳县市场监督管理局_2022.txt",
    "good/浙江省生态环境厅_2022.md": "浙江省生态环境厅_2022.md",
}
HTML_SAMPLE = "南京市玄武区人民政府_2023.html"      # re-encoded in every encoding below
TXT_SAMPLE = "合肥市包河区人民政府_2020.txt"


@dataclass(frozen=True)
class Kind:
    name: str
    outcome: str          # failed | not_a_report | extracted
    what: str             # what the file is, for people
    like: str = ""        # extracted: the raw/ sample whose cells it must keep
    error: str = ""       # a word the error sentence must contain (case-insensitive)


# ---------------------------------------------------------------- hand-written PDFs

def pdf_bytes(objects: list, root: int = 1, trailer_extra: str = "", prev_self: bool = False) -> bytes:
    """A PDF from object bodies (object k+1 is objects[k], bytes or str) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(len(out))
        body = body.encode("latin-1") if isinstance(body, str) else body
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    prev = f" /Prev {xref}" if prev_self else ""
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R{prev}{trailer_extra} >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def text_pdf(lines: list, extra_page: str = "", prev_self: bool = False, catalog_extra: str = "") -> bytes:
    """One A4 page of Helvetica text lines."""
    ops = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({l}) '" for l in lines) + " ET"
    return pdf_bytes([f"<< /Type /Catalog /Pages 2 0 R{catalog_extra} >>",
                      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                      f"/Resources << /Font << /F1 5 0 R >> >>{extra_page} >>",
                      stream(ops.encode()),
                      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"], prev_self=prev_self)


def many_pages_pdf(n: int) -> bytes:
    kids = " ".join(f"{k} 0 R" for k in range(4, n + 4))
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>",
            stream(b"BT /F1 12 Tf 72 770 Td (page) Tj ET")]
    objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * n
    return pdf_bytes(objs)


def deep_pdf(depth: int) -> bytes:
    return text_pdf(["A page whose dictionary nests arrays very deep."],
                    extra_page=" /Nest " + "[" * depth + "]" * depth)


def deflated(megabytes: int, fill: bytes = b" ", crc: bool = True) -> tuple:
    """(raw deflate data, crc32 or None, adler32) of `megabytes` MB of `fill`, made fast: one 1 MB
    block compressed from a fresh state and flushed to a byte boundary decodes the same wherever
    it stands, so the stream is that block repeated and an empty final block."""
    mb = fill * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(mb) + c.flush(zlib.Z_FULL_FLUSH)
    crc32 = None
    if crc:
        crc32 = 0
        for _ in range(megabytes):
            crc32 = zlib.crc32(mb, crc32)
    adler, part, part_len, n = 1, zlib.adler32(mb), len(mb), megabytes   # adler32 of n blocks, by doubling
    while n:
        if n & 1:
            adler = _adler_combine(adler, part, part_len)
        part, part_len, n = _adler_combine(part, part, part_len), part_len * 2, n >> 1
    return block * megabytes + b"\x03\x00", crc32, adler


def _adler_combine(a1: int, a2: int, len2: int) -> int:
    base = 65521
    rem = len2 % base
    s1 = a1 & 0xFFFF
    s2 = (rem * s1) % base
    s1 = (s1 + (a2 & 0xFFFF) + base - 1) % base
    s2 = (s2 + ((a1 >> 16) & 0xFFFF) + ((a2 >> 16) & 0xFFFF) + base - rem) % base
    return s1 | (s2 << 16)


def flate_bomb_pdf(gigabytes: float) -> bytes:
    """A page whose content stream inflates to `gigabytes` GB of spaces (a few MB on disk)."""
    import struct

    raw, _, adler = deflated(int(gigabytes * 1024), crc=False)
    data = b"\x78\xda" + raw + struct.pack(">I", adler)
    return pdf_bytes(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                      stream(data, " /Filter /FlateDecode")])


def giant_page_pdf() -> bytes:
    """A page of 200 × 200 inches that is one image and no text, so it goes to OCR, which would
    render it at 40,000 pixels square."""
    return pdf_bytes(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R "
                      "/Resources << /XObject << /Im1 5 0 R >> >> >>",
                      stream(b"q 14400 0 0 14400 0 0 cm /Im1 Do Q"),
                      stream(b"\x80", " /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                                      "/BitsPerComponent 8")])


def with_javascript(pdf: bytes) -> bytes:
    """An incremental update that gives the catalogue an /OpenAction running JavaScript."""
    tail = pdf[pdf.rindex(b"trailer"):]
    root = int(re.search(rb"/Root (\d+) 0 R", tail).group(1))
    size = int(re.search(rb"/Size (\d+)", tail).group(1))
    prev = int(re.search(rb"startxref\s+(\d+)", tail).group(1))
    body = re.search(rb"\n%d 0 obj\s*(<<.*?>>)\s*endobj" % root, pdf, re.S).group(1)
    js = b" /OpenAction << /S /JavaScript /JS (app.alert\\('opened'\\);) >> "
    new = body[:-2] + js + b">>"
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offset = len(out)
    out += b"%d 0 obj\n" % root + new + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \n" % (root, offset)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, prev, xref)
    return bytes(out)


def reportlab_pdf(encrypt: str = "") -> bytes:
    """An ordinary PDF that is no annual report: a short letter and a ruled 3 × 4 table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt or None)
    y = 780
    for line in ("Minutes of the garden club", "We met on Tuesday and planted tulips.",
                 "Next meeting: the first Monday of May."):
        c.drawString(72, y, line)
        y -= 18
    top, rows, cols = 700, 3, 4
    for r in range(rows + 1):
        c.line(72, top - 20 * r, 72 + 100 * cols, top - 20 * r)
    for k in range(cols + 1):
        c.line(72 + 100 * k, top, 72 + 100 * k, top - 20 * rows)
    for r in range(rows):
        for k in range(cols):
            c.drawString(76 + 100 * k, top - 20 * r - 14, f"r{r}c{k}")
    c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- zips: DOCX, OFD

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                 'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                 '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_bytes(body: str, doctype: str = "", extra: dict = None) -> bytes:
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
           f'<w:document {W_NS}><w:body>{body}</w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", doc)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def zip_bytes(members: list) -> bytes:
    """A zip written by hand from (name, data) and (name, raw deflate data, crc, size) members."""
    import struct

    out, central = bytearray(), bytearray()
    for m in members:
        name = m[0].encode()
        if len(m) == 2:
            data = m[1] if isinstance(m[1], bytes) else m[1].encode()
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            raw, crc, size = c.compress(data) + c.flush(), zlib.crc32(data), len(data)
        else:
            raw, crc, size = m[1], m[2], m[3]
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(name), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw), size,
                               len(name), 0, 0, 0, 0, 0, len(out)) + name
        out += head + name + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def zip_bomb_docx(megabytes: int) -> bytes:
    """A DOCX with a part that unpacks to `megabytes` MB of zeros (about 1/1000 of it on disk)."""
    raw, crc, _ = deflated(megabytes, b"\0")
    body = f'<w:document {W_NS}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>'
    return zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                      ("word/document.xml", body), ("word/media/bomb.bin", raw, crc, megabytes << 20)])


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def laughs(depth: int = 9) -> str:
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{k} "{("&lol%d;" % (k - 1)) * 10}">' for k in range(1, depth + 1)]
    return "".join(ents)


def ofd_bytes(ofd_xml: str, files: dict = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd_xml)
        for name, data in (files or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


# ---------------------------------------------------------------- images

def png_pixel_bomb() -> bytes:
    """A valid PNG header claiming 100,000 × 100,000 pixels, with one tiny IDAT."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


def image_bytes(fmt: str, size=(400, 300), blank: bool = False) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", size, "white")
    if not blank:
        d = ImageDraw.Draw(im)
        for k in range(0, size[0], 7):
            d.line([(k, 0), (size[0] - k, size[1])], fill=(k % 256, 90, 200 - k % 150), width=3)
    buf = io.BytesIO()
    im.save(buf, fmt, quality=90) if fmt == "JPEG" else im.save(buf, fmt)
    return buf.getvalue()


# ---------------------------------------------------------------- encodings

def reencode_html(text: str, encoding: str, declared: str = None, bom: bool = False) -> bytes:
    """The page in `encoding`, its meta charset replaced by `declared` (None: removed)."""
    meta = re.compile(r"<meta[^>]*charset[^>]*>", re.I)
    text = meta.sub("", text)
    if declared:
        text = re.sub(r"(<head[^>]*>)", rf'\1<meta http-equiv="Content-Type" content="text/html; charset={declared}">',
                      text, count=1, flags=re.I)
    data = text.encode(encoding)
    boms = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
            "utf-32-be": b"\x00\x00\xfe\xff", "utf-8": b"\xef\xbb\xbf"}
    return (boms[encoding] if bom else b"") + data


# ---------------------------------------------------------------- the kinds

def _kinds():
    K = Kind
    return [
        # -- links and the file system
        K("link_loop", "failed", "two symbolic links pointing at each other, and one at itself", error="loop"),
        K("link_outside", "failed", "passwd.txt: a link to a file outside the input folder (the canary)",
          error="outside"),
        K("link_outside_etc", "failed", "a link to /etc/passwd", error="outside"),
        K("link_dangling", "failed", "a link to a file that does not exist", error="does not exist"),
        K("dir_link_loop", "failed", "a folder link to its own parent folder", error="loop"),
        K("dir_link_outside", "failed", "a folder link to a folder outside the input folder", error="outside"),
        K("link_sibling_prefix", "failed", "a link into in_secret/, beside the input folder in/ and named like "
          "it (inside only by a string prefix)", error="outside"),
        K("dir_link_sibling_prefix", "failed", "a folder link to in_secret/dir, beside the input folder in/",
          error="outside"),
        K("fifo", "failed", "a named pipe (opening it would block for ever)", error="not a regular file"),
        K("bad_utf8_name", "not_a_report", "a file whose name is not valid UTF-8"),
        K("newline_name", "extracted", "a good report whose name holds a newline and spaces",
          like="南京市玄武区人民政府_2022.txt"),
        K("chinese_space_name", "extracted", "a good report under a Chinese name with spaces",
          like="南京市玄武区人民政府_2021.md"),
        K("folder_named_pdf", "not_a_report", "a folder named x.pdf holding a short note"),
        K("duplicate", "extracted", "a second copy of a good report (a duplicate row, cells not repeated)",
          like="合肥市包河区人民政府_2019.pdf"),
        # -- PDFs
        K("pdf_empty", "failed", "an empty .pdf", error="empty"),
        K("pdf_truncated", "failed", "the first 40 % of a good PDF", error="PDF"),
        K("pdf_encrypted", "failed", "a PDF that needs a password", error="password"),
        K("pdf_garbage", "failed", "%PDF- followed by garbage", error="PDF"),
        K("pdf_xref_loop", "failed", "a PDF whose cross-reference table lists itself as its previous one",
          error="loop"),
        K("pdf_5000_pages", "failed", "a PDF with 5,000 pages", error="--max-pages"),
        K("pdf_deep_nesting", "not_a_report", "a PDF whose page nests arrays 100,000 deep (harmless: never resolved)"),
        K("pdf_not_a_report", "not_a_report", "an ordinary PDF: a letter and a 3 × 4 table"),
        K("pdf_javascript", "extracted", "a good report PDF with an /OpenAction JavaScript",
          like="合肥市包河区人民政府_2019.pdf"),
        K("pdf_flate_bomb", "failed", "a page whose content stream inflates to 6 GB", error="memory"),
        K("pdf_giant_page", "failed", "a text-less page 200 inches square (OCR would render 1.6 Gpx)",
          error="--max-pixels"),
        # -- Word, OFD, zips
        K("docx_zero_bytes", "failed", "a .docx of 0 bytes", error="empty"),
        K("docx_empty", "not_a_report", "a valid DOCX with no text at all"),
        K("docx_truncated", "failed", "the first half of a good DOCX", error="zip"),
        K("docx_zip_bomb", "failed", "a DOCX with a part that unpacks to 1.5 GB", error="--max-decompressed"),
        K("docx_xxe", "not_a_report", "a DOCX whose XML names the canary as an external entity"),
        K("docx_billion_laughs", "failed", "a DOCX with an XML entity bomb", error="entity bomb"),
        K("docx_deep_xml", "failed", "a DOCX whose XML nests 100,000 elements deep", error="--max-depth"),
        K("ofd_broken", "failed", "an OFD without a document root", error="OFD"),
        K("ofd_xxe", "failed", "an OFD whose OFD.xml names the canary as an external entity", error="OFD"),
        K("zip_no_pages", "failed", "a zip of text files", error="zip"),
        # -- images
        K("png_pixel_bomb", "failed", "a PNG claiming 100,000 × 100,000 pixels", error="--max-pixels"),
        K("jpeg_truncated", "failed", "the first half of a JPEG", error="image"),
        K("image_blank", "not_a_report", "a blank PNG: OCR finds nothing"),
        # -- text and web pages
        K("binary_txt", "failed", "random bytes named .txt", error="not recognised"),
        K("txt_long_line", "failed", "a text file of one 2 MB line", error="--max-line"),
        K("txt_huge", "failed", "a text file of one 50 MB line (the text-size limit comes first)", error="--max-text"),
        K("readme", "not_a_report", "a README.txt"),
        K("html_deep", "failed", "a web page nesting 100,000 <div>s", error="--max-depth"),
        K("html_billion_laughs", "not_a_report", "a web page with an entity bomb in its DOCTYPE"),
        K("html_attachment_only", "failed", "a page that only links to the report's PDF", error="attachment"),
        K("html_no_report", "not_a_report", "an ordinary web page: a menu and a paragraph"),
        # -- encodings of good reports
        K("html_utf16_bom", "extracted", "a good web page in UTF-16 LE with a BOM", like=HTML_SAMPLE),
        K("html_utf16be_nobom", "extracted", "a good web page in UTF-16 BE without a BOM", like=HTML_SAMPLE),
        K("html_utf16le_nobom", "extracted", "a good web page in UTF-16 LE without a BOM", like=HTML_SAMPLE),
        K("html_utf32_bom", "extracted", "a good web page in UTF-32 LE with a BOM", like=HTML_SAMPLE),
        K("html_utf32_nobom", "extracted", "a good web page in UTF-32 BE without a BOM", like=HTML_SAMPLE),
        K("html_gb18030", "extracted", "a good web page in GB18030 with no charset declared", like=HTML_SAMPLE),
        K("html_big5", "extracted", "a good web page in Big5 (traditional characters), declared", like=HTML_SAMPLE),
        K("html_big5_undeclared", "extracted", "the same in Big5, no charset declared", like=HTML_SAMPLE),
        K("html_utf8_says_gbk", "extracted", "a UTF-8 page whose meta says gb2312", like=HTML_SAMPLE),
        K("html_gbk_says_utf8", "extracted", "a GBK page whose meta says utf-8", like=HTML_SAMPLE),
        K("txt_utf16_bom", "extracted", "a good plain-text report in UTF-16 with a BOM", like=TXT_SAMPLE),
        K("txt_gb18030", "extracted", "a good plain-text report in GB18030", like=TXT_SAMPLE),
    ]


KINDS = _kinds()
BY_NAME = {k.name: k for k in KINDS}


def sibling(folder: Path) -> Path:
    """The folder beside `folder` whose name starts with its name: in/ → in_secret/."""
    folder = Path(folder)
    return folder.with_name(folder.name + "_secret")


def write(folder: Path, outside: Path, good: bool = True) -> dict:
    """Write every kind (and, with `good`, the good reports) into `folder`; the canary into
    `outside`. Returns {source relative to folder: Kind}; good reports map to Kind('good', …)."""
    folder, outside = Path(folder), Path(outside)
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    canary = outside / "canary.txt"
    canary.write_text(f"root:x:0:0:{MARKER}:/root:/bin/bash\n", encoding="utf-8")
    (outside / "dir").mkdir(exist_ok=True)
    (outside / "dir" / "secret.txt").write_text(f"{MARKER} in a folder outside\n", encoding="utf-8")
    beside = sibling(folder)
    (beside / "dir").mkdir(parents=True, exist_ok=True)
    (beside / "secret.txt").write_text(f"root:x:0:0:{MARKER} beside the input folder\n", encoding="utf-8")
    (beside / "dir" / "secret.txt").write_text(f"{MARKER} in a folder beside the input folder\n", encoding="utf-8")
    made = {}

    def put(name: str, data, kind: str) -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        made[name] = BY_NAME[kind]

    def link(name: str, target, kind: str, record: bool = True) -> None:
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, p)
        if record:
            made[name] = BY_NAME[kind]

    raw = lambda n: (RAW / n).read_bytes()   # noqa: E731
    if good:
        for name, sample in GOOD.items():
            put(name, raw(sample), "duplicate")
            made[name] = Kind("good", "extracted", "a good report", like=sample)

    # links and the file system
    link("links/a.pdf", "b.pdf", "link_loop")
    link("links/b.pdf", "a.pdf", "link_loop")
    link("links/self.pdf", "self.pdf", "link_loop")
    link("links/passwd.txt", canary, "link_outside")
    link("links/etc_passwd.txt", "/etc/passwd", "link_outside_etc")
    link("links/dangling.pdf", folder / "no-such-file.pdf", "link_dangling")
    link("links/parent", "..", "dir_link_loop")
    link("links/outside_dir", outside / "dir", "dir_link_outside")
    link("links/sibling.txt", beside / "secret.txt", "link_sibling_prefix")
    link("links/sibling_relative.txt", os.path.join("..", "..", beside.name, "secret.txt"), "link_sibling_prefix")
    link("links/sibling_dir", beside / "dir", "dir_link_sibling_prefix")
    os.mkfifo(folder / "pipe.txt")
    made["pipe.txt"] = BY_NAME["fifo"]
    bad = os.fsencode(folder) + b"/bad-\xff\xfe-name.txt"
    with open(bad, "wb") as f:
        f.write("会议通知：周二下午开会。\n".encode("utf-8"))
    made["bad-\ufffd\ufffd-name.txt"] = BY_NAME["bad_utf8_name"]
    put("odd/line\nbreak  report.txt", raw(BY_NAME["newline_name"].like), "newline_name")
    put("odd/年度 报告 副本.md", raw(BY_NAME["chinese_space_name"].like), "chinese_space_name")
    put("odd/x.pdf/note.txt", "This folder is named like a PDF.\n", "folder_named_pdf")
    put("odd/copy of the 2019 report.pdf", raw("合肥市包河区人民政府_2019.pdf"), "duplicate")

    # PDFs
    good_pdf = raw("南京市玄武区人民政府_2021.pdf")
    put("pdf/empty.pdf", b"", "pdf_empty")
    put("pdf/truncated.pdf", good_pdf[: len(good_pdf) * 2 // 5], "pdf_truncated")
    put("pdf/encrypted.pdf", reportlab_pdf(encrypt="secret"), "pdf_encrypted")
    put("pdf/garbage.pdf", b"%PDF-1.7\n" + bytes((k * 37 + 11) % 256 for k in range(4000)), "pdf_garbage")
    put("pdf/xref_loop.pdf", text_pdf(["Loop"], prev_self=True), "pdf_xref_loop")
    put("pdf/5000_pages.pdf", many_pages_pdf(5000), "pdf_5000_pages")
    put("pdf/deep.pdf", deep_pdf(100_000), "pdf_deep_nesting")
    put("pdf/garden_club.pdf", reportlab_pdf(), "pdf_not_a_report")
    put("pdf/with_javascript.pdf", with_javascript(raw("合肥市包河区人民政府_2019.pdf")), "pdf_javascript")
    put("pdf/flate_bomb.pdf", flate_bomb_pdf(6), "pdf_flate_bomb")
    put("pdf/giant_page.pdf", giant_page_pdf(), "pdf_giant_page")

    # Word, OFD, zips
    good_docx = raw("南京市玄武区人民政府_2021.docx")
    put("word/zero.docx", b"", "docx_zero_bytes")
    put("word/empty.docx", docx_bytes(""), "docx_empty")
    put("word/truncated.docx", good_docx[: len(good_docx) // 2], "docx_truncated")
    put("word/zip_bomb.docx", zip_bomb_docx(1536), "docx_zip_bomb")
    put("word/xxe.docx", docx_bytes(para("&xxe;"), f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{canary}">]>'),
        "docx_xxe")
    put("word/laughs.docx", docx_bytes(para("&lol9;"), f"<!DOCTYPE w:document [{laughs()}]>"), "docx_billion_laughs")
    put("word/deep.docx", docx_bytes("<w:sdt>" * 100_000 + "</w:sdt>" * 100_000), "docx_deep_xml")
    put("ofd/broken.ofd", ofd_bytes('<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016">'
                                    '<ofd:DocBody/></ofd:OFD>'), "ofd_broken")
    put("ofd/xxe.ofd", ofd_bytes(f'<?xml version="1.0"?><!DOCTYPE ofd:OFD [<!ENTITY xxe SYSTEM "file://{canary}">]>'
                                 '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody>'
                                 '<ofd:DocRoot>&xxe;</ofd:DocRoot></ofd:DocBody></ofd:OFD>'), "ofd_xxe")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("notes/a.txt", "hello")
        z.writestr("notes/b.txt", "world")
    put("archive.zip", zbuf.getvalue(), "zip_no_pages")

    # images
    put("img/bomb/pixel_bomb.png", png_pixel_bomb(), "png_pixel_bomb")      # one image a folder: two or
    jpeg = image_bytes("JPEG", (800, 600))                                    # more would be the pages
    put("img/cut/truncated.jpg", jpeg[: len(jpeg) // 2], "jpeg_truncated")    # of one scanned report
    put("img/blank/blank.png", image_bytes("PNG", (300, 200), blank=True), "image_blank")

    # text and web pages
    put("text/binary.txt", bytes((k * 131 + 7) % 256 for k in range(5000)), "binary_txt")
    put("text/one_line.txt", "A line that never ends. " * (2 * 1024 * 1024 // 24 + 1), "txt_long_line")
    put("text/huge.txt", "没有表格，也没有标题。" * (50 * 1024 * 1024 // 33 + 1), "txt_huge")
    put("README.txt", "Reports of 2019-2023, collected from the offices' websites.\n\nSee the index for details.\n"
                      "Files are named office_year.ext.\n", "readme")
    put("web/deep.html", "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>",
        "html_deep")
    put("web/laughs.html", f"<!DOCTYPE html [{laughs()}]><html><body><p>&lol9;</p></body></html>",
        "html_billion_laughs")
    put("web/attachment.html", '<html><head><title>2022年政府信息公开工作年度报告</title></head><body>'
                               '<h1>2022年政府信息公开工作年度报告</h1><p>附件：<a href="/files/report2022.pdf">'
                               '2022年政府信息公开工作年度报告.pdf</a></p></body></html>', "html_attachment_only")
    put("web/menu.html", '<html><head><meta charset="utf-8"><title>首页</title></head><body><ul><li>首页</li>'
                         '<li>新闻</li><li>联系我们</li></ul><p>欢迎访问本网站。本站提供各类便民服务信息，'
                         '敬请关注。</p></body></html>', "html_no_report")

    # encodings of good reports
    html = (RAW / HTML_SAMPLE).read_bytes().decode("utf-8")
    trad = to_traditional(html)
    put("enc/utf16_bom.html", reencode_html(html, "utf-16-le", "utf-16", bom=True), "html_utf16_bom")
    put("enc/utf16be_nobom.html", reencode_html(html, "utf-16-be", None), "html_utf16be_nobom")
    put("enc/utf16le_nobom.html", reencode_html(html, "utf-16-le", "utf-16"), "html_utf16le_nobom")
    put("enc/utf32_bom.html", reencode_html(html, "utf-32-le", None, bom=True), "html_utf32_bom")
    put("enc/utf32_nobom.html", reencode_html(html, "utf-32-be", None), "html_utf32_nobom")
    put("enc/gb18030.html", reencode_html(html, "gb18030", None), "html_gb18030")
    put("enc/big5.html", reencode_html(trad, "big5", "big5"), "html_big5")
    put("enc/big5_undeclared.html", reencode_html(trad, "big5", None), "html_big5_undeclared")
    put("enc/utf8_says_gbk.html", reencode_html(html, "utf-8", "gb2312"), "html_utf8_says_gbk")
    put("enc/gbk_says_utf8.html", reencode_html(html, "gb18030", "utf-8"), "html_gbk_says_utf8")
    txt = (RAW / TXT_SAMPLE).read_bytes().decode("utf-8")
    put("enc/utf16_bom.txt", b"\xff\xfe" + txt.encode("utf-16-le"), "txt_utf16_bom")
    put("enc/gb18030.txt", txt.encode("gb18030"), "txt_gb18030")
    return made


def to_traditional(text: str) -> str:
    """The text in traditional characters, for the Big5 cases (Big5 has no simplified ones)."""
    from opencc_purepy import OpenCC
    return OpenCC("s2t").convert(text)
