"""OFD (GB/T 33190, China's fixed-layout format) → Document.

An OFD is a zip of XML: OFD.xml names Doc_N/Document.xml, which lists the pages; each page's
Content.xml holds TextObjects (Boundary "x y w h" in mm, TextCode runs with X/Y baseline offsets
and DeltaX glyph advances) and PathObjects (ruling lines as AbbreviatedData "M x y L x y …").

Read here with lxml rather than `easyofd`, which pulls in PyMuPDF, loguru and fontTools to render
pages and does not recover tables. Text becomes one TextBlock per line, with page and bbox in
points (1 mm = 72/25.4 pt, top-left origin, as the model wants); a table is recovered from its
ruling: horizontal and vertical segments give the grid lines, a missing rule between two grid
cells merges them (rowspan/colspan), and each glyph goes to the cell that holds its centre.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.core.model import Cell, Document, Table, TextBlock
from pipeline.core.options import Options
from pipeline.readers import ReaderError, limits
from pipeline.readers.ruling import merged_cells

PT_PER_MM = 72 / 25.4
TOL = 2.0          # pt: rules closer than this are one line; ends this close still meet
MIN_RULE = 4.0     # pt: shorter segments are tick marks or the ends of a thin filled box
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)


@dataclass
class Glyph:
    ch: str
    x: float       # left, pt
    base: float    # baseline, pt
    w: float
    size: float


def read(path: Path, options: Options = Options()) -> Document:
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            pkg = _Package(z, options)
            doc_path = pkg.doc_root()
            pages = pkg.page_paths(doc_path)
            items = []
            for n, page_path in enumerate(pages, start=1):
                items.extend(_read_page(pkg.xml(page_path), n))
            meta = pkg.doc_info()
    except zipfile.BadZipFile as e:
        raise ReaderError(f"{path.name} is not an OFD file (not a zip archive: {e})") from e
    except KeyError as e:
        raise ReaderError(f"{path.name} is an incomplete OFD package: {e.args[0]}") from e
    return Document(source=str(path), format="ofd", pages=len(pages), items=items, meta=meta)


# ---------------------------------------------------------------- package

def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _children(el, name: str) -> list:
    return [c for c in el.iter() if _local(c) == name]


class _Package:
    """The zip's files by normalised name (OFD writers differ in case and leading slashes)."""

    def __init__(self, z: zipfile.ZipFile, options: Options = Options()):
        self.z, self.options, self.unpacked = z, options, 0
        self.names = {n.replace("\\", "/").lstrip("/").lower(): n for n in z.namelist()}

    def xml(self, name: str):
        real = self.names.get(name.lstrip("/").lower())
        if real is None:
            raise KeyError(f"{name} is missing")
        self.unpacked += self.z.getinfo(real).file_size      # the XML read so far, as declared
        limits.unpacked_total(self.unpacked, self.options, "the OFD's XML")
        root = etree.fromstring(self.z.read(real), _PARSER)
        for err in _PARSER.error_log:        # recover=True: libxml2's refusals are only logged
            refused = limits.xml_refused(err.message, self.options, f"{name} of the OFD")
            if refused is not None:
                raise refused
        if root is None:
            raise KeyError(f"{name} is not XML")
        limits.depth(limits.tree_depth(root), self.options, f"{name} of the OFD")
        return root

    def _ofd(self):
        return self.xml(next((n for n in self.names if n.endswith("ofd.xml") and "/" not in n), "OFD.xml"))

    def doc_root(self) -> str:
        roots = _children(self._ofd(), "DocRoot")
        if not roots or not (roots[0].text or "").strip():
            raise KeyError("OFD.xml names no DocRoot")
        return roots[0].text.strip().lstrip("/")

    def page_paths(self, doc_path: str) -> list:
        base = posixpath.dirname(doc_path)
        pages = []
        for page in _children(self.xml(doc_path), "Page"):
            loc = (page.get("BaseLoc") or "").strip()
            if loc:
                pages.append(loc.lstrip("/") if loc.startswith("/") else posixpath.normpath(posixpath.join(base, loc)))
        return pages

    def doc_info(self) -> dict:
        meta = {}
        for el in _children(self._ofd(), "Title")[:1]:
            if (el.text or "").strip():
                meta["title"] = el.text.strip()
        return meta


# ---------------------------------------------------------------- page content

def _read_page(root, page_no: int) -> list:
    """A page's items, top to bottom: recovered tables and the lines of text outside them."""
    glyphs = [g for obj in _children(root, "TextObject") for g in _glyphs(obj)]
    hs, vs = [], []
    for obj in _children(root, "PathObject"):
        for seg in _segments(obj):
            _classify(seg, hs, vs)
    tables = []
    for h_group, v_group in _rule_groups(hs, vs):
        table, glyphs = _grid_table(h_group, v_group, glyphs, page_no)
        if table is not None:
            tables.append(table)
    items = tables + _lines(glyphs, page_no)
    items.sort(key=lambda it: (it.bbox[1], it.bbox[0]))
    return items


def _floats(s) -> list:
    return [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", s or "")]


def _placement(obj):
    """A function mapping the object's own coordinates (mm) to page points: CTM, then Boundary."""
    bx, by = (_floats(obj.get("Boundary")) + [0, 0])[:2]
    ctm = _floats(obj.get("CTM"))
    a, b, c, d, e, f = ctm if len(ctm) == 6 else (1, 0, 0, 1, 0, 0)

    def to_pt(x, y):
        return ((a * x + c * y + e + bx) * PT_PER_MM, (b * x + d * y + f + by) * PT_PER_MM)
    scale = abs(a * d - b * c) ** 0.5 or 1.0
    return to_pt, scale


def _deltas(spec) -> list:
    """DeltaX/DeltaY values, with the 'g N v' shorthand (N times v) expanded."""
    out, tokens = [], (spec or "").split()
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([float(tokens[i + 2])] * int(float(tokens[i + 1])))
            i += 3
        else:
            try:
                out.append(float(tokens[i]))
            except ValueError:
                pass
            i += 1
    return out


def _glyphs(obj) -> list:
    """Every character of a TextObject at its page position."""
    to_pt, scale = _placement(obj)
    size_mm = (_floats(obj.get("Size")) or [3.5])[0] * scale
    out = []
    x = y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        x = float(code.get("X", x))
        y = float(code.get("Y", y))
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for i, ch in enumerate(text):
            px, py = to_pt(x, y)
            width = size_mm * (0.5 if ch.isascii() else 1.0) * PT_PER_MM
            if not ch.isspace():
                out.append(Glyph(ch, px, py, width, size_mm * PT_PER_MM))
            x += dx[i] if i < len(dx) else (dx[-1] if dx else width / PT_PER_MM / scale)
            y += dy[i] if i < len(dy) else 0.0
    return out


def _segments(obj) -> list:
    """Straight segments of a PathObject's AbbreviatedData, in page points."""
    to_pt, _ = _placement(obj)
    data = next((el.text for el in _children(obj, "AbbreviatedData")), "") or ""
    tokens = re.findall(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", data)
    segs, cur, start, i = [], None, None, 0
    takes = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(tokens):
        op = tokens[i].upper()
        n = takes.get(op)
        if n is None:
            i += 1
            continue
        args = [float(t) for t in tokens[i + 1:i + 1 + n]]
        i += 1 + n
        if len(args) < n:
            break
        if op in ("S", "M"):
            cur = start = (args[0], args[1])
        elif op == "L" and cur is not None:
            segs.append((to_pt(*cur), to_pt(*args)))
            cur = (args[0], args[1])
        elif op == "C" and cur is not None and start is not None:
            segs.append((to_pt(*cur), to_pt(*start)))
            cur = start
        elif n:
            cur = (args[-2], args[-1])
    return segs


def _classify(seg, hs: list, vs: list) -> None:
    """Keep axis-parallel segments long enough to be rules: (y, x0, x1) or (x, y0, y1)."""
    (x0, y0), (x1, y1) = seg
    if abs(y1 - y0) <= TOL / 2 and abs(x1 - x0) >= MIN_RULE:
        hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= TOL / 2 and abs(y1 - y0) >= MIN_RULE:
        vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


# ---------------------------------------------------------------- tables from rules

def _rule_groups(hs: list, vs: list) -> list:
    """Rules that touch one another, grouped: each group is one table's ruling."""
    rules = [("h", r) for r in hs] + [("v", r) for r in vs]
    parent = list(range(len(rules)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (ki, (hy, hx0, hx1)) in enumerate(rules):
        if ki != "h":
            continue
        for j, (kj, (vx, vy0, vy1)) in enumerate(rules):
            if kj == "v" and hx0 - TOL <= vx <= hx1 + TOL and vy0 - TOL <= hy <= vy1 + TOL:
                parent[find(i)] = find(j)
    groups = {}
    for i, (kind, rule) in enumerate(rules):
        g = groups.setdefault(find(i), ([], []))
        (g[0] if kind == "h" else g[1]).append(rule)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _cluster(values: list) -> list:
    """Sorted positions with those within TOL of each other merged."""
    out = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= TOL:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _grid_table(hs: list, vs: list, glyphs: list, page_no: int):
    """The table a group of rules draws, and the glyphs left outside it."""
    ys, xs = _cluster([h[0] for h in hs]), _cluster([v[0] for v in vs])
    if len(ys) < 2 or len(xs) < 2:
        return None, glyphs
    nr, nc = len(ys) - 1, len(xs) - 1

    def v_rule(k, i):   # a vertical rule at xs[k] crossing row i
        mid = (ys[i] + ys[i + 1]) / 2
        return any(abs(x - xs[k]) <= TOL and y0 - TOL <= mid <= y1 + TOL for x, y0, y1 in vs)

    def h_rule(i, j):   # a horizontal rule at ys[i] crossing column j
        mid = (xs[j] + xs[j + 1]) / 2
        return any(abs(y - ys[i]) <= TOL and x0 - TOL <= mid <= x1 + TOL for y, x0, x1 in hs)

    boxes = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
             for r0, c0, r1, c1 in merged_cells(nr, nc, lambda i, j: not v_rule(j + 1, i),
                                                lambda i, j: not h_rule(i + 1, j))}
    cells, rest, texts = [], [], {}
    for g in glyphs:
        cx, cy = g.x + g.w / 2, g.base - g.size / 3
        hit = next((k for k, (_, _, b) in boxes.items() if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
        if hit is None:
            rest.append(g)
        else:
            texts.setdefault(hit, []).append(g)
    for (r, c), (rs, cs, box) in sorted(boxes.items()):
        lines = _group_lines(texts.get((r, c), []))
        text = "".join(_line_text(line) for line in lines)
        cells.append(Cell(text=text, row=r, col=c, rowspan=rs, colspan=cs, page=page_no, bbox=box))
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return Table(cells=cells, page=page_no, bbox=bbox), rest


# ---------------------------------------------------------------- lines of text

def _group_lines(glyphs: list) -> list:
    """Glyphs grouped by baseline (within 40% of the font size), top to bottom, each left to right."""
    lines = []
    for g in sorted(glyphs, key=lambda g: (g.base, g.x)):
        if lines and abs(g.base - lines[-1][0].base) <= 0.4 * max(g.size, lines[-1][0].size):
            lines[-1].append(g)
        else:
            lines.append([g])
    return [sorted(line, key=lambda g: g.x) for line in lines]


def _line_text(line: list) -> str:
    """A line's characters, with a space where the gap between two glyphs is a word space."""
    out, prev = "", None
    for g in line:
        if prev is not None and g.x - (prev.x + prev.w) > 0.8 * g.size:
            out += " "
        out += g.ch
        prev = g
    return out


def _lines(glyphs: list, page_no: int) -> list:
    blocks = []
    for line in _group_lines(glyphs):
        bbox = (min(g.x for g in line), min(g.base - g.size for g in line),
                max(g.x + g.w for g in line), max(g.base + 0.2 * g.size for g in line))
        blocks.append(TextBlock(text=_line_text(line), page=page_no, bbox=bbox))
    return blocks
