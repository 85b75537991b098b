"""Pictures in a web page's article: where their bytes come from, and OCR of them in place.

Many portals publish a report's tables as pictures (`<img>`) between the paragraphs of the article.
The web page readers hand each `<img>` of the report element to `PageImages.read`, which finds
the picture's bytes through a source and OCRs it into the page's items at the `<img>`'s place:

- `FolderSource`: a page saved from a browser (`.html` with its `<stem>_files/` folder): `src`
  resolved relative to the page, and only a file inside the page's own folder is read (after
  following links: a link that leads out of it is refused), never anything else on the disk;
- `PartsSource` (pipeline.readers.mht): a single-file page (`.mht`/`.mhtml`): `src` resolved
  against the page's own address and looked up among the file's MIME parts;
- both read `data:` URIs (the picture inline in the markup).

Nothing is ever fetched: the pipeline is offline. A remote picture (`http:`, `https:`, `//host/…`,
a site-absolute `/path` that only the web server could resolve), one outside the page's folder,
or one that is missing or unreadable is reported (`html.image_not_read`) and left out — its
table then shows up missing in the completeness accounting, never as data. Every picture that
gave a table is reported too (`ocr.table_image`, info: which picture, after which heading), so
the report says which tables came from pictures and carry OCR confidences.

OCR'd items have no geometry in a web page (bbox None); their cells keep their confidence.
"""
from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from pipeline.core.findings import Finding
from pipeline.core.model import Table, TextBlock
from pipeline.readers.engines import EngineChanged

MIN_SIDE = 100                 # px: smaller pictures are icons, bullets and spacers, not tables
MAX_IMAGES = 30                # pictures OCR'd per page at most
MAX_BYTES = 40 * 1024 * 1024   # a picture file larger than this is not read
REMOTE = ("http", "https", "ftp")


class Refused(Exception):
    """A picture the page refers to but that is not read, with the reason."""


def data_uri(src: str) -> bytes:
    """The bytes of a `data:` URI."""
    head, sep, payload = src.partition(",")
    if not sep:
        raise Refused("a malformed data: URI")
    try:
        if head.lower().endswith(";base64"):
            return base64.b64decode(unquote(payload), validate=False)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError) as e:
        raise Refused(f"a malformed data: URI ({e})") from e


def remote(src: str) -> bool:
    s = src.strip()
    return s.startswith("//") or urlsplit(s).scheme.lower() in REMOTE


class FolderSource:
    """Pictures of a page saved on disk: files inside the page's folder only."""

    def __init__(self, page: Path):
        self.root = Path(page).resolve().parent

    def get(self, src: str) -> tuple:
        """(name, bytes) of the picture `src` refers to, or Refused."""
        s = src.strip().replace("\\", "/")
        if s.lower().startswith("data:"):
            return "data: URI", data_uri(s)
        if remote(s):
            raise Refused(f"a remote picture ({src}): not fetched, the pipeline works offline")
        parts = urlsplit(s)
        scheme = parts.scheme.lower()
        if scheme == "file":
            target = Path(unquote(parts.path))
        elif scheme and len(scheme) > 1:          # javascript:, cid:, about: … (c: is a drive)
            raise Refused(f"a picture at a {scheme}: address ({src}) is not a file of the page")
        else:
            rel = unquote(parts.path)
            if rel.startswith("/"):
                raise Refused(f"a picture at a site address ({src}): only the web server has it")
            target = self.root / rel
        try:
            real = target.resolve()
        except (OSError, RuntimeError) as e:
            raise Refused(f"{src}: {e}") from e
        if not _within(real, self.root):
            raise Refused(f"{src} lies outside the page's folder: not read")
        if not real.is_file():
            raise Refused(f"{src}: no such file next to the page")
        if real.stat().st_size > MAX_BYTES:
            raise Refused(f"{src}: larger than {MAX_BYTES >> 20} MB")
        return real.name, real.read_bytes()


def _within(path: Path, root: Path) -> bool:
    try:
        return os.path.commonpath([str(path), str(root)]) == str(root)
    except ValueError:           # different drives
        return False


class PageImages:
    """OCR of a page's pictures, in place; collects the findings and whether OCR ran."""

    def __init__(self, source, options):
        self.source, self.options = source, options
        self.findings: list = []
        self.ocr_used = False
        self.count = 0

    def read(self, src: str, after: str = "") -> list:
        """Items (Tables, TextBlocks) of the picture `src`; `after` is the text before it (the
        heading that tells which table it is), for the finding."""
        k = self.count = self.count + 1
        if k > MAX_IMAGES:
            if k == MAX_IMAGES + 1:
                self._refused(k, src, f"more than {MAX_IMAGES} pictures in the article: the rest are not read")
            return []
        try:
            name, data = self.source.get(src)
            image = _first_frame(data, name, self.options)
        except Refused as e:
            self._refused(k, src, str(e))
            return []
        if image is None or min(image.size) < MIN_SIDE:
            return []                            # an icon or a spacer
        try:
            from pipeline.readers.image import _dpi
            from pipeline.readers.ocr import for_options, ocr_image
            engine = for_options(self.options)
        except ImportError as e:
            self._refused(k, src, f"the OCR engine is not installed: {e}")
            return []
        except EngineChanged as e:          # an engine its adapter does not support: as if missing
            self._refused(k, src, str(e))
            return []
        items = ocr_image(image, page=1, dpi=_dpi(image), engine=engine, findings=[])
        self.ocr_used = True
        for it in items:
            it.page, it.bbox = 1, None
            if isinstance(it, Table):
                for c in it.cells:
                    c.page, c.bbox = 1, None
        tables = sum(isinstance(it, Table) for it in items)
        if tables:
            where = f"（“{after[:30]}”之后）" if after else ""
            self.findings.append(Finding(
                "ocr.table_image", f"image_{k}", "info", found=name, expected=after[:60],
                message_zh=f"表格是图片：{name}{where}经OCR识别出{tables}个表格",
                message_en=f"table picture {name}" + (f" (after “{after[:30]}”)" if after else "")
                           + f": {tables} table(s) read by OCR"))
        return [it for it in items if isinstance(it, Table) or (isinstance(it, TextBlock) and it.text.strip())]

    def _refused(self, k: int, src: str, why: str) -> None:
        self.findings.append(Finding("html.image_not_read", f"image_{k}", "warning", found=src[:200],
                                     message_zh=f"文章中的图片未读取：{why}",
                                     message_en=f"a picture of the article was not read: {why}"))


def _first_frame(data: bytes, name: str, options):
    """The picture as a PIL image (first frame, upright), or Refused when it is not one (or is
    over a limit: too many pixels)."""
    from pipeline.readers import ReaderError
    from pipeline.readers.image import _frames

    try:
        return next(iter(_frames(data, name, options)), None)
    except ReaderError as e:
        raise Refused(str(e)) from e
