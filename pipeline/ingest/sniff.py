"""Tell a file's real format from its content, not its extension.

A `.pdf` that is really a saved web page, a `.doc` that is really DOCX, a `.txt` that is HTML:
all are common on government sites. The extension only breaks ties the bytes cannot
(a legacy OLE file is `doc` or `wps`).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pipeline.readers.textfile import wide_encoding

HEAD = 8192
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")
HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table|div|p|meta)\b", re.I)
MIME_VERSION = re.compile(rb"^MIME-Version:\s*1\.0", re.I | re.M)
MULTIPART_RELATED = re.compile(rb"^Content-Type:\s*multipart/related", re.I | re.M)
MD_TABLE = re.compile(r"^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}", re.M)


def sniff(path: Path) -> str:
    """The format name the readers registry knows, or 'unknown'."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if not head:
        return "empty"
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "wps" if path.suffix.lower() in (".wps", ".et") else "doc"
    if head.startswith(IMAGE_MAGIC):
        return "image"
    wide = wide_encoding(head)
    if wide:                 # UTF-16/32 (or UTF-8 with a BOM): look at it as text
        enc, bom = wide
        return _sniff_text(head[bom:].decode(enc, errors="ignore").encode("utf-8"))
    if b"\x00" in head:
        return "unknown"
    headers = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    if MIME_VERSION.search(headers) and MULTIPART_RELATED.search(headers):
        return "mht"           # a single-file web page (.mht/.mhtml): MIME headers, then parts
    return _sniff_text(head)


def unknown_reason(path: Path) -> str:
    """Why a file's format was not recognised, as a sentence."""
    with open(path, "rb") as f:
        head = f.read(HEAD)
    if head.startswith(b"PK"):
        return ("the file's format was not recognised: it starts like a zip archive (a DOCX, OFD or zip) "
                "but the archive is damaged or cut short")
    return "the file's format was not recognised: it holds binary data of no known document format"


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return "unknown"
    if "word/document.xml" in names:
        return "docx"
    if any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    if names and all(n.lower().endswith((".png", ".jpg", ".jpeg", ".tif", ".tiff", "/")) for n in names):
        return "image"
    return "zip"


def _sniff_text(head: bytes) -> str:
    if HTML_HINT.search(head[:4096]):
        return "html"
    text = head.decode("utf-8", errors="ignore")
    if MD_TABLE.search(text) or re.search(r"^#{1,6} \S", text, re.M):
        return "md"
    return "txt"
