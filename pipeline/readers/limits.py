"""The resource limits every reader enforces, each a field of `pipeline.core.options.Options` with a
command-line flag, and each violation a `ReaderError` sentence naming the limit, its value and the
flag that changes it ("the PDF has 5,000 pages; the limit is 1,000 (--max-pages)").

    max_pages         pages of a PDF or OFD, frames of a TIFF, images of a zip or page folder
    max_pixels        pixels of one image, or of one PDF page rendered for OCR
    max_decompressed  bytes an archive (DOCX, OFD, zip of page images) unpacks to
    max_depth         nesting of HTML elements and of the XML inside DOCX and OFD files
    max_line          characters of one line of a plain-text or Markdown file
    max_text          bytes of a text file (plain text, Markdown, web page)

The time per file (`--timeout`) and the memory per worker (`--max-memory`) are enforced by the
run (pipeline.runtime.run), around the readers.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

from pipeline.core.failures import Kind, memory_sentence
from pipeline.readers import LimitExceeded, ReaderError

MB = 1024 * 1024
# libxml2 refuses XML nested deeper than this unless told otherwise (python-docx does not tell it).
XML_DEPTH = 256
# libxml2's HTML parser stops nesting here even when told the tree may be huge: a page measured
# this deep is at least this deep.
HTML_DEPTH_MEASURED = 2048


def _n(v) -> str:
    return f"{v:,}"


def _mb(v) -> str:
    if v < MB:
        return f"{v:,} bytes"
    return f"{v / MB:,.0f} MB" if v % MB == 0 else f"{v / MB:,.1f} MB"


def pages(n: int, options, what: str = "the file") -> None:
    if options.max_pages and n > options.max_pages:
        raise LimitExceeded(f"{what} has {_n(n)} pages; the limit is {_n(options.max_pages)} (--max-pages)")


def pixels(width: int, height: int, options, what: str = "the image") -> None:
    if options.max_pixels and width * height > options.max_pixels:
        raise LimitExceeded(f"{what} is {_n(width)} × {_n(height)} = {_n(width * height)} pixels; the limit is "
                          f"{_n(options.max_pixels)} (--max-pixels)")


def unpacked(z: zipfile.ZipFile, options, what: str, names=None) -> None:
    """The members of `z` that will be read (all, or `names`) must unpack to at most
    max_decompressed bytes, as their headers declare (zipfile never unpacks more than that)."""
    infos = z.infolist() if names is None else [z.getinfo(n) for n in names]
    unpacked_total(sum(i.file_size for i in infos), options, what)


def unpacked_total(total: int, options, what: str) -> None:
    if options.max_decompressed and total > options.max_decompressed:
        raise LimitExceeded(f"{what} would unpack to {_mb(total)}; the limit is {_mb(options.max_decompressed)} "
                          "(--max-decompressed)")


def out_of_memory(what: str, options) -> ReaderError:
    return ReaderError(memory_sentence(what, options.max_memory), Kind.OUT_OF_MEMORY)


def depth(d: int, options, what: str) -> None:
    if options.max_depth and d > options.max_depth:
        deep = f"at least {_n(d)}" if d >= HTML_DEPTH_MEASURED else _n(d)
        raise LimitExceeded(f"{what} nests elements {deep} deep; the limit is {_n(options.max_depth)} (--max-depth)")


def xml_refused(e: Exception, options, what: str):
    """The sentence for libxml2's own refusals — XML nested deeper than XML_DEPTH, entities that
    expand past its amplification limit (an entity bomb) — or None for any other error."""
    text = str(e)
    if "Excessive depth" in text:
        limit = min(options.max_depth or XML_DEPTH, XML_DEPTH)
        return LimitExceeded(f"{what} nests XML elements more than {_n(XML_DEPTH)} deep; the limit is {_n(limit)} "
                           "(--max-depth; XML can go no deeper)")
    if "amplification" in text or ("entity" in text.lower() and "loop" in text.lower()):
        return ReaderError(f"{what} holds XML entities that expand without bound (an entity bomb); not read")
    return None


def tree_depth(root) -> int:
    """Depth of an lxml element tree (the root is 1), without recursion."""
    from lxml import etree

    d = best = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        d += 1 if event == "start" else -1
        best = max(best, d)
    return best


def html_depth(text: str) -> int:
    """Depth of the element tree a browser (libxml2's HTML parser, as BeautifulSoup's lxml builder
    uses it) makes of the page; measured with lxml alone, in C, before the page is built into a
    Python tree, which for a page nested 100,000 deep takes minutes."""
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), etree.HTMLParser(encoding="utf-8", huge_tree=True))
    except (etree.XMLSyntaxError, ValueError):
        return 0
    return tree_depth(root) if root is not None else 0


def text_size(path: Path, options, what: str = "the text file") -> None:
    size = os.stat(path).st_size
    if options.max_text and size > options.max_text:
        raise LimitExceeded(f"{what} is {_mb(size)}; the limit is {_mb(options.max_text)} (--max-text)")


def line_length(text: str, options, what: str = "the text file") -> None:
    """No line longer than max_line characters (a file of one huge line is no report)."""
    if not options.max_line or len(text) <= options.max_line:
        return
    longest = max(map(len, text.splitlines()), default=0)
    if longest > options.max_line:
        raise LimitExceeded(f"{what} has a line of {_n(longest)} characters; the limit is "
                          f"{_n(options.max_line)} (--max-line)")
