"""Saved web pages → Document.

A government page saved from a browser wraps the report in a site header, menus, a metadata table
(索引号 / 发布机构 / 公开日期), scripts and a footer. This reader decodes the bytes whatever the
encoding, reads the metadata into `Document.meta` (pipeline.readers.html_meta), finds the element that holds the report (its
title, section headings and statistic tables), and turns that element alone into TextBlocks and
Tables in document order. Table grids are laid out the way a browser does it, so a value's
(row, col) is right even under rowspans. Pictures in the report element (tables published as
images) are OCR'd in place (pipeline.readers.html_images); a single-file page (.mht) is read by
pipeline.readers.mht through `read_page`.
"""
from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag

from pipeline.core.failures import Kind
from pipeline.core.model import Cell, Document, Table, TextBlock
from pipeline.core.options import Options
from pipeline.formats.headings import (
    annual_report_words,
    heading_words,
    numbered_heading,
    report_title,
    table_words,
)
from pipeline.readers import ReaderError, limits
from pipeline.readers.html_dom import BLOCK_TAGS, SKIP_STRINGS, block_of, cell_text
from pipeline.readers.html_images import FolderSource, PageImages
from pipeline.readers.html_meta import is_meta_table, merge_meta, meta_from_tables, meta_from_text, page_meta
from pipeline.readers.textfile import clean_text, decode_bytes

# ---------------------------------------------------------------- page structure

_DROP_TAGS = ["script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
              "embed", "svg", "canvas", "link", "meta", "input", "select", "button", "textarea",
              "map", "audio", "video", "head", "xml"]
_NOISE_TAGS = {"nav", "footer", "aside", "header"}
_NOISE_NAME = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|topbar|footer|foot|bottom|breadcrumb|crumb|position|location|"
    r"sidebar|share|print|search|login|copyright|banner|toolbar|related|xggj|xgxx|dqwz|wzdh|"
    r"header)(\d*)([\s_-]|$)", re.I)
_ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z)(?=$|[?#&\s\"'])", re.I)


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    limits.text_size(path, options, "the web page")
    return read_page(path.read_bytes(), path, options, FolderSource(path))


def read_page(raw: bytes, path: Path, options: Options, source, fmt: str = "html") -> Document:
    """A page's markup → Document; pictures of the article come from `source`
    (pipeline.readers.html_images) and are OCR'd in place."""
    text = decode_bytes(raw)
    limits.depth(limits.html_depth(text), options, "the web page")
    soup = BeautifulSoup(text, "lxml")
    body = soup.body or soup
    meta = page_meta(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.extract()
    meta_tables = [t for t in body.find_all("table") if is_meta_table(t)]
    merge_meta(meta, meta_from_tables(meta_tables))
    merge_meta(meta, meta_from_text(body))
    for t in meta_tables:
        t.extract()

    root, title_el, anchors = _find_report_root(body)
    if title_el is not None:
        merge_meta(meta, {"title": (1, clean_text(title_el.get_text()))})
    _drop_noise(root, anchors + ([title_el] if title_el is not None else []))
    images = PageImages(source, options)
    items = _Walker(images).run(root)
    _check_not_attachment_only(path, items, root, body)
    meta = {k: v for k, (_, v) in sorted(meta.items())}
    return Document(source=str(path), format=fmt, pages=1, items=items, meta=meta,
                    ocr_pages=[1] if images.ocr_used else [], findings=images.findings)


# ---------------------------------------------------------------- finding the report

def _find_report_root(body: Tag):
    """The element holding the report, its title element (or None) and the content anchors.

    Anchors are the statistic tables and the section headings (一、总体情况 …); their lowest common
    ancestor holds the report's content. Going up a few levels from there picks up the title
    heading (often a sibling of the content box) as long as little else comes with it.
    """
    anchors = _anchors(body)
    if not anchors:
        return _densest_text(body), None, []
    root = _common_ancestor(anchors)
    while any(root is a for a in anchors) and isinstance(root.parent, Tag) and root.parent is not body.parent:
        root = root.parent          # one anchor alone (a heading whose words one span holds): the
                                    # report is what holds it, not the anchor itself
    content_len = len(clean_text(root.get_text()))
    node = root
    for _ in range(4):
        title = _title_element(node)
        if title is not None:
            return node, title, anchors
        parent = node.parent
        if parent is None or not isinstance(parent, Tag) or parent is body.parent:
            break
        if len(clean_text(parent.get_text())) - content_len > 300:
            break
        node = parent
    return root, None, anchors


def _anchors(body: Tag) -> list:
    """Statistic tables and the blocks holding a section heading (一、总体情况 …)."""
    anchors = [t for t in body.find_all("table")
               if not t.find("table") and table_words().search(t.get_text())]
    seen = set()
    for s in body.find_all(string=heading_words()):
        block = block_of(s)
        if block is not None and id(block) not in seen and block.name not in ("table", "tr"):
            seen.add(id(block))
            text = clean_text(block.get_text())
            if len(text) <= 60 and numbered_heading().match(text):
                anchors.append(block)
    return anchors


def _common_ancestor(nodes: list) -> Tag:
    paths = [list(reversed([n] + list(n.parents))) for n in nodes]
    common = paths[0]
    for p in paths[1:]:
        i = 0
        while i < min(len(common), len(p)) and common[i] is p[i]:
            i += 1
        common = common[:i]
    node = common[-1]
    return node if node.name != "[document]" else (node.body or node)


def _title_element(node: Tag):
    """The first block naming the report (…政府信息公开…年度报告) on its own: short, not a
    'label：value' line, not a link (a list of other years' reports is not the title)."""
    for s in node.find_all(string=annual_report_words()):
        if s.find_parent("a") is not None:
            continue
        block = block_of(s)
        if block is None or block.name in ("tr", "table", "body", "html"):
            continue
        text = clean_text(block.get_text())
        if len(text) <= 80 and report_title().search(text) and not re.search(r"[:：]", text):
            return block
    return None


def _densest_text(body: Tag) -> Tag:
    """Fallback when the page has no statistic table or heading: the parent of the most text
    in paragraphs (the usual article box)."""
    scores = {}
    for p in body.find_all(["p", "div"]):
        if p.find(["p", "div", "table"]):
            continue
        parent = p.parent
        scores[id(parent)] = (scores.get(id(parent), (0, parent))[0] + len(clean_text(p.get_text())), parent)
    if not scores:
        return body
    return max(scores.values(), key=lambda s: s[0])[1]


def _drop_noise(root: Tag, keep_nodes: list) -> None:
    """Remove navigation, footers and hidden elements inside the report element, never one that
    holds a statistic table, a section heading or the title."""
    keep = {id(n) for n in keep_nodes} | {id(p) for n in keep_nodes for p in n.parents}
    removed, doomed = set(), []
    for el in root.find_all(True):          # document order: a parent comes before its children
        if id(el.parent) in removed:
            removed.add(id(el))
            continue
        if id(el) in keep:
            continue
        names = " ".join([str(el.get("id", ""))] + list(el.get("class", []) or []))
        hidden = re.search(r"display\s*:\s*none", str(el.get("style", "")), re.I)
        if el.name in _NOISE_TAGS or _NOISE_NAME.search(names) or hidden:
            removed.add(id(el))
            doomed.append(el)
    for el in doomed:
        el.extract()


def _check_not_attachment_only(path: Path, items: list, root: Tag, body: Tag) -> None:
    """A page that only links to the report (a PDF/Word attachment) holds nothing to read here."""
    if any(isinstance(i, Table) for i in items):
        return
    text = "".join(i.text for i in items)
    if any(numbered_heading().match(i.text) for i in items) and len(text) > 300:
        return
    link = _attachment_link(root) or _attachment_link(body)
    if link is not None and len(text) < 1500:
        href, label = link
        raise ReaderError(f"{path.name}: the page only links to an attachment ({label or href}: {href}) "
                          "and holds no report text or tables; read the attachment instead", Kind.UNSUPPORTED)
    if not items:
        raise ReaderError(f"{path.name}: the page holds no report text or tables", Kind.UNSUPPORTED)


def _attachment_link(node: Tag):
    links = []
    for a in node.find_all("a"):
        href, label = str(a.get("href", "")), clean_text(a.get_text())
        if _ATTACHMENT.search(href) or _ATTACHMENT.search(label):
            links.append((href, label))
    links.sort(key=lambda l: not annual_report_words().search(l[0] + l[1]))
    return links[0] if links else None


# ---------------------------------------------------------------- walking the report element

def html_fragment_items(markup: str) -> list:
    """Items of an HTML fragment (a <table> inside Markdown, say), read like a report element."""
    soup = BeautifulSoup(markup, "lxml")
    return _Walker().run(soup.body or soup)


class _Walker:
    """Turns the report element into items in document order: one TextBlock per paragraph or line
    (a block element or <br> ends it), one Table per data table, layout tables opened up."""

    def __init__(self, images=None):
        self.items, self.buf = [], []
        self.images = images          # PageImages: pictures OCR'd in place; None: pictures ignored

    def run(self, root: Tag) -> list:
        self._walk(root)
        self._flush()
        return self.items

    def _flush(self):
        text = clean_text("".join(self.buf))
        self.buf = []
        if text:
            self.items.append(TextBlock(text=text))

    def _walk(self, el: Tag):
        """Depth-first with an explicit stack: Word pages nest unclosed <font> tags very deep."""
        stack = [(iter(el.children), False)]
        while stack:
            children, is_block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if is_block:
                    self._flush()
            elif isinstance(child, NavigableString):
                if not isinstance(child, SKIP_STRINGS):
                    self.buf.append(str(child))
            elif child.name == "br":
                self._flush()
            elif child.name == "img":
                self._flush()
                if self.images is not None and child.get("src"):
                    after = next((i.text for i in reversed(self.items) if isinstance(i, TextBlock)), "")
                    self.items.extend(self.images.read(str(child.get("src")), after))
            elif child.name == "table":
                self._flush()
                self._table(child)
            else:
                block = child.name in BLOCK_TAGS
                if block:
                    self._flush()
                stack.append((iter(child.children), block))

    def _table(self, table: Tag):
        rows = table_rows(table)
        if _is_layout(table, rows):
            for tr in rows:
                for td in tr.find_all(["td", "th"], recursive=False):
                    self._walk(td)
                    self._flush()
            return
        caption = table.find("caption", recursive=False)
        if caption is not None:
            self._walk(caption)
            self._flush()
        parsed = parse_table(rows)
        if any(c.text for c in parsed.cells):
            self.items.append(parsed)


def _is_layout(table: Tag, rows: list) -> bool:
    """A table used for page layout: it holds another table, or is a single framing cell."""
    if table.find("table") is not None:
        return True
    cells = [td for tr in rows for td in tr.find_all(["td", "th"], recursive=False)]
    return len(cells) <= 1


def table_rows(table: Tag) -> list:
    """The table's own <tr>s (not nested tables'), thead first and tfoot last as browsers show them."""
    head, main, foot = [], [], []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            main.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows = child.find_all("tr", recursive=False)
            {"thead": head, "tbody": main, "tfoot": foot}[child.name].extend(rows)
    if not (head or main or foot):   # malformed markup: <tr> under a <form> or similar
        main = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return head + main + foot


def parse_table(rows: list) -> Table:
    """Cells at the grid positions a browser gives them: each cell takes the first free column of
    its row, after those still covered by rowspans from above; spans past the last row are cut."""
    taken, cells = set(), []
    n = len(rows)
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in taken:
                c += 1
            rs = _span(td.get("rowspan"), 1, 65534)
            rs = n - r if rs == 0 else min(rs, n - r)
            cs = max(1, _span(td.get("colspan"), 1, 1000))
            for i in range(r, r + rs):
                for k in range(c, c + cs):
                    taken.add((i, k))
            cells.append(Cell(text=cell_text(td), row=r, col=c, rowspan=rs, colspan=cs))
            c += cs
    return Table(cells=cells)


def _span(value, default: int, limit: int) -> int:
    m = re.match(r"\s*(\d+)", str(value)) if value is not None else None
    return min(int(m.group(1)), limit) if m else default
