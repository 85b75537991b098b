"""Single-file web pages (.mht / .mhtml, "save as single file"): one MIME message
(multipart/related) holding the page's HTML and its pictures as parts.

The stdlib `email` parser splits the parts; the HTML part (the one at the snapshot's address, else
the first text/html part) is read by the web page reader (`html.read_page`), and the pictures of
its article come from the other parts, looked up by their Content-Location (the `src` resolved
against the page's own address) or Content-ID (`cid:` sources). Nothing is fetched: a picture
the file does not hold is reported, not downloaded (pipeline.readers.html_images).
"""
from __future__ import annotations

import email
import email.policy
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from pipeline.core.failures import Kind
from pipeline.core.model import Document
from pipeline.core.options import Options
from pipeline.readers import ReaderError
from pipeline.readers.html import read_page
from pipeline.readers.html_images import MAX_BYTES, Refused, data_uri, remote

MAX_PARTS = 2000        # a MIME file with more parts is not a saved page


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    try:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    except Exception as e:   # the parser is lenient; anything it raises means a broken file
        raise ReaderError(f"{path.name}: not a readable MIME file: {type(e).__name__}: {e}") from e
    parts = [p for p in msg.walk() if not p.is_multipart()]
    if len(parts) > MAX_PARTS:
        raise ReaderError(f"{path.name}: {len(parts)} MIME parts; a saved page has far fewer")
    snapshot = _location(msg.get("Snapshot-Content-Location", ""))
    pages = [p for p in parts if p.get_content_type() in ("text/html", "application/xhtml+xml")]
    if not pages:
        raise ReaderError(f"{path.name}: the MIME file holds no HTML part", Kind.UNSUPPORTED)
    page = next((p for p in pages if _location(p.get("Content-Location", "")) == snapshot), pages[0])
    raw = page.get_payload(decode=True) or b""
    charset = page.get_content_charset()
    if charset and b"charset" not in raw[:2048].lower():
        raw = f'<meta charset="{charset}">'.encode("ascii") + raw   # the part's charset, for the decoder
    base = page.get("Content-Location", "") or msg.get("Snapshot-Content-Location", "")
    return read_page(raw, path, options, PartsSource(parts, page, str(base)), fmt="mht")


def _location(value: str) -> str:
    return unquote(str(value).strip())


class PartsSource:
    """Pictures of a single-file page: its MIME parts, by address or content id."""

    def __init__(self, parts: list, page, base: str):
        self.base = base
        self.by_location, self.by_id = {}, {}
        for p in parts:
            if p is page:
                continue
            loc = p.get("Content-Location")
            if loc:
                self.by_location.setdefault(_location(loc), p)
            cid = p.get("Content-ID")
            if cid:
                self.by_id.setdefault(str(cid).strip().strip("<>"), p)

    def get(self, src: str) -> tuple:
        s = src.strip()
        if s.lower().startswith("data:"):
            return "data: URI", data_uri(s)
        if s.lower().startswith("cid:"):
            part = self.by_id.get(unquote(s[4:]).strip("<>"))
        else:
            part = self.by_location.get(_location(urljoin(self.base, s))) or self.by_location.get(_location(s))
        if part is None:
            if remote(urljoin(self.base, s)):
                raise Refused(f"{src} is not in the file: not fetched, the pipeline works offline")
            raise Refused(f"{src} is not in the file")
        data = part.get_payload(decode=True) or b""
        if len(data) > MAX_BYTES:
            raise Refused(f"{src}: larger than {MAX_BYTES >> 20} MB")
        name = Path(urlsplit(str(part.get("Content-Location", s))).path).name or s[:60]
        return name, data
