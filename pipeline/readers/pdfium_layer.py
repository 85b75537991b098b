"""pdfplumber-shaped page objects (chars, lines, rects, curves, images) read with pdfium.

Why: pdfplumber's table finder and text-line builder are pure Python over plain dicts; what makes
a pdfplumber pass slow is pdfminer interpreting the content streams in Python. pdfium does that
part in C. This module rebuilds, from pdfium's text page and page objects, the dicts pdfminer and
pdfplumber would have made — pdfminer's character boxes (from the font's widths and descent, not
the glyph outlines), the same top-left coordinates, the same object classes (a path becomes a
line, a rect or a curve by pdfminer's own rules) and the same content-stream order — so that
pdfplumber's algorithms, fed with them, give the same tables and text lines.

Everything pdfium reports differently from pdfminer in a way that cannot be undone raises
`Unsupported`, and the caller reads the file with pdfplumber instead: text without a Unicode
mapping (pdfminer writes "(cid:N)"), text objects pdfium leaves out of its text page (it drops
fake-bold duplicates), one character code read as several characters (ligatures), a width that
pdfium's own box for the glyph contradicts, vertical writing other than one glyph per string
(WPS's vertical table headers are that), form XObjects, rotated pages and MediaBoxes that do not
start at the origin.

Numbers: pdfium keeps coordinates as 32-bit floats. Matrices and path points are turned back
into the shortest decimal that gives the same float32, which is the number written in the content
stream (and so pdfminer's float64) whenever that number has at most 7 significant digits.
Character origins are pdfium's own (float32 sums of advances): within 1e-3 pt of pdfminer's.

The dicts carry what pdfplumber's algorithms read — positions, sizes, text, `upright`, `pts`,
stroke and fill — but not font names, colours, line widths or marked-content ids, which pdfium
reports differently (substituted font names, line width 1 for unstroked paths) and which no
step of the pipeline uses.

The pdfium functions of the loops come from pypdfium2's adapter (pipeline/readers/engines/pdfium.py),
bound on plain integer handles.
"""
from __future__ import annotations

import ctypes
import struct

import pypdfium2 as pdfium
import pypdfium2.raw as R

from pipeline.readers.engines.pdfium import address, functions

TEXT, PATH, IMAGE, SHADING, FORM = 1, 2, 3, 4, 5
LINETO, BEZIERTO, MOVETO = 0, 1, 2
EPS = 0.01  # points: slack when comparing pdfium's float32 boxes with our float64 ones


class Unsupported(Exception):
    """A page this layer cannot reproduce exactly; read the file with pdfplumber instead."""


_F32 = struct.Struct("<f")
_SHORT = {}


def f32(v: float) -> float:
    """The shortest decimal that rounds to the same float32 as `v` (the number in the file)."""
    s = _SHORT.get(v)
    if s is None:
        s = v
        if v != 0.0:
            want = _F32.pack(v)
            for digits in (6, 7, 8):
                t = float(f"{v:.{digits}g}")
                if _F32.pack(t) == want:
                    s = t
                    break
        if len(_SHORT) > 100_000:
            _SHORT.clear()
        _SHORT[v] = s
    return s


class FontCache:
    """What the layer learns about fonts, for every page of one document.

    Keyed by pdfium's font handles, which stay valid — and are not reused for another font —
    only while the pages that use them are open: so the cache keeps its pages open until
    `close()`, which the owner calls when the document is done.
    """

    def __init__(self):
        # font -> descent; font -> {char: width}; raw (a, b, c, d) -> rounded; (font, size) -> chars
        self.descents, self.widths, self.matrices, self.checked = {}, {}, {}, {}
        self.pages = []
        self.matrix = R.FS_MATRIX()

    def close(self) -> None:
        for page in self.pages:
            page.close()
        self.pages = []


class PageLayer:
    """The pdfplumber objects of one page: `objects` maps object_type to a list of dicts.

    `height` must be pdfplumber's page height and `initial_doctop` its running total over the
    pages before, as pdfplumber computes them; the layer checks that pdfium sees the same page.
    """

    def __init__(self, pdf: pdfium.PdfDocument, index: int, initial_doctop: float = 0.0,
                 height: float = None, fonts: "FontCache" = None):
        self.page_number = index + 1
        self.initial_doctop = initial_doctop
        own = fonts is None
        self.fonts = fonts = FontCache() if own else fonts
        page = pdf[index]
        fonts.pages.append(page)
        try:
            if page.get_rotation() % 360:
                raise Unsupported("rotated page")
            mb = page.get_mediabox()
            if mb[0] != 0 or mb[1] != 0:
                raise Unsupported(f"MediaBox does not start at the origin: {mb}")
            self.height = height if height is not None else mb[3]
            if abs(self.height - mb[3]) > EPS:
                raise Unsupported("pdfium and pdfminer read different page sizes")
            self.objects = {}
            textpage = page.get_textpage()
            try:
                by_object = self._chars_by_text_object(textpage)
            finally:
                textpage.close()
            self._walk(address(page.raw), by_object)
        finally:
            if own:
                fonts.close()

    # -- characters ---------------------------------------------------------------------------

    def _chars_by_text_object(self, textpage) -> dict:
        """pdfminer char dicts, grouped by the address of the pdfium text object they come from.

        This loop runs once per character: it asks pdfium for each text object's matrix, size
        and font once, and for a glyph's width once per font.
        """
        C = functions()
        tp = address(textpage.raw)
        n = C.count_chars(tp)
        text = textpage.get_text_range(0, n) if n else ""
        if len(text) != n or (n and C.text_index(tp, n - 1) != n - 1):
            text = "".join(chr(C.unicode(tp, i)) for i in range(n))
        is_generated, map_error, text_object = C.is_generated, C.map_error, C.text_object
        origin, loose_box = C.origin, C.loose_box
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pox, poy = ctypes.byref(ox), ctypes.byref(oy)
        loose = R.FS_RECTF()
        ploose = ctypes.byref(loose)
        by_object, states = {}, {}
        last_key, last_x, last_y, state, group = None, None, None, None, None
        H, doctop0, number = self.height, self.initial_doctop, self.page_number
        for i, ch in enumerate(text):
            if ch in " \r\n" and is_generated(tp, i):
                continue   # pdfium's own spaces and line breaks; pdfminer has none
            if ch == "\0" or map_error(tp, i) == 1:
                raise Unsupported("a character without a Unicode mapping")
            key = text_object(tp, i)
            origin(tp, i, pox, poy)
            x, y = ox.value, oy.value
            first = False
            if key != last_key:
                state = states.get(key)
                if state is None:
                    first = True
                    state = states[key] = self._text_state(tp, i, key)
                    by_object[key] = group = []
                else:
                    group = by_object[key]
            elif x == last_x and y == last_y:
                raise Unsupported("one character code read as several characters")
            a, b, c, d, e, f, size, descent, font, widths, seen = state
            w = widths.get(ch)
            if w is None:
                w = self._width(font, ch, widths)
            adv = w * size / 1000.0
            if w >= 0:
                # pdfminer's LTChar, horizontal: (0, descent) .. (adv, descent + size)
                X0, Y0, X1, Y1 = 0.0, descent, adv, descent + size
                mx, my = x, y
            else:
                # Vertical writing. pdfium's origin is the pen position moved by the glyph's
                # vertical origin (vx, vy); pdfminer boxes (-size/2, vy' + adv)..(size/2, vy')
                # from the pen position with vy' = size - vy. Only the pen position of a text
                # object's first glyph is known (the object's matrix), and pdfminer takes vx as
                # half the size where pdfium takes half the glyph's width: they must agree.
                if not first:
                    raise Unsupported("vertical writing of several characters in one string")
                det = a * d - b * c
                tx = (d * (x - e) - c * (y - f)) / det
                ty = (a * (y - f) - b * (x - e)) / det
                if abs(tx + size * 0.5) > 1e-3 * abs(size):
                    raise Unsupported("vertical writing with a glyph origin off the middle")
                vy = size + ty
                X0, Y0, X1, Y1 = -size * 0.5, vy + adv, size * 0.5, vy
                mx, my = f32(e), f32(f)
            if b == 0.0 and c == 0.0:
                xa, xb = a * X0 + mx, a * X1 + mx
                ya, yb = d * Y0 + my, d * Y1 + my
                x0, x1 = (xa, xb) if xa <= xb else (xb, xa)
                y0, y1 = (ya, yb) if ya <= yb else (yb, ya)
            else:   # pdfminer's apply_matrix_rect: the box around the four turned corners
                xs = (a * X0 + c * Y0 + mx, a * X1 + c * Y0 + mx, a * X1 + c * Y1 + mx,
                      a * X0 + c * Y1 + mx)
                ys = (b * X0 + d * Y0 + my, b * X1 + d * Y0 + my, b * X1 + d * Y1 + my,
                      b * X0 + d * Y1 + my)
                x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
            if w >= 0:
                if ch not in seen:
                    # pdfium's loose box holds the advance box of the code actually drawn; a
                    # width looked up through the Unicode value that overshoots it is wrong
                    loose_box(tp, i, ploose)
                    if x0 < loose.left - EPS or x1 > loose.right + EPS:
                        raise Unsupported(f"character {ch!r}: width differs from the font's")
                    seen.add(ch)
                if group and key == last_key:
                    dx, dy = x - last_x, y - last_y
                    # the advance in text space runs along x, unless the font writes vertically
                    if abs(a * dy - b * dx) > abs(d * dx - c * dy) + EPS:
                        raise Unsupported("vertical writing")
            elif group:
                raise Unsupported("vertical writing of several characters in one string")
            last_key, last_x, last_y = key, x, y
            top = H - y1
            group.append({
                "matrix": (a, b, c, d, mx, my), "adv": adv,
                "upright": a * d > 0 and b * c <= 0, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                "width": x1 - x0, "height": y1 - y0, "size": y1 - y0 if w >= 0 else x1 - x0,
                "object_type": "char", "page_number": number, "text": ch,
                "top": top, "bottom": H - y0, "doctop": doctop0 + top,
            })
        return by_object

    def _text_state(self, tp: int, i: int, textobj: int) -> tuple:
        """The text object of character i: its matrix (a, b, c, d, e, f), font size, descent ×
        size, font handle, the font's width table and the characters whose width was checked."""
        C = functions()
        cache = self.fonts
        m = cache.matrix
        C.char_matrix(tp, i, m)
        raw = (m.a, m.b, m.c, m.d)
        abcd = cache.matrices.get(raw)
        if abcd is None:
            abcd = cache.matrices[raw] = tuple(f32(v) for v in raw)
        size = C.font_size(tp, i)
        font = C.text_font(textobj)
        descent = cache.descents.get(font)
        if descent is None:
            out = ctypes.c_float()
            C.descent(font, 1000.0, ctypes.byref(out))
            dsc = round(out.value, 3)
            # pdfminer: "/Descent should always be a negative number"
            descent = cache.descents[font] = (-dsc if dsc > 0 else dsc) / 1000.0
        widths = cache.widths.get(font)
        if widths is None:
            widths = cache.widths[font] = {}
        seen = cache.checked.get((font, size))
        if seen is None:
            seen = cache.checked[(font, size)] = set()
        # e, f unrounded: only vertical writing uses them
        return abcd + (m.e, m.f, size, descent * size, font, widths, seen)

    @staticmethod
    def _width(font: int, ch: str, widths: dict) -> float:
        """The advance of `ch` in 1/1000 em, from the font's /Widths or /W (negative: vertical)."""
        C = functions()
        out = ctypes.c_float()
        if not C.glyph_width(font, ord(ch), 1000.0, ctypes.byref(out)):
            raise Unsupported("no glyph width")
        w = widths[ch] = f32(out.value)
        return w

    # -- page objects in content order --------------------------------------------------------

    def _walk(self, page: int, by_object: dict) -> None:
        C = functions()
        chars, seen = [], 0
        for k in range(C.count_objects(page)):
            obj = C.get_object(page, k)
            kind = C.object_type(obj)
            if kind == TEXT:
                group = by_object.get(obj)
                if not group:
                    raise Unsupported("a text object pdfium left out of its text page")
                chars.extend(group)
                seen += 1
            elif kind == PATH:
                self._path(obj)
            elif kind == IMAGE:
                self._image(obj)
            elif kind == FORM:
                raise Unsupported("form XObject")
            # shadings: pdfminer ignores `sh` too
        if seen != len(by_object):
            raise Unsupported("text page characters outside the page's text objects")
        if chars:
            self.objects["char"] = chars

    def _matrix(self, obj: int) -> tuple:
        C = functions()
        m = R.FS_MATRIX()
        if not C.object_matrix(obj, ctypes.byref(m)):
            raise Unsupported("no object matrix")
        return (f32(m.a), f32(m.b), f32(m.c), f32(m.d), f32(m.e), f32(m.f))

    def _path(self, obj: int) -> None:
        """pdfminer's subpaths of one pdfium path object, as ("m"|"l"|"c"|"h", point) lists."""
        C = functions()
        a, b, c, d, e, f = self._matrix(obj)
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        C.draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        attrs = {"stroke": bool(stroke.value), "fill": bool(fill.value),
                 "evenodd": fill.value == 1}
        px, py = ctypes.c_float(), ctypes.c_float()
        ppx, ppy = ctypes.byref(px), ctypes.byref(py)
        subpaths, ops = [], None
        bezier = 0
        for i in range(C.count_segments(obj)):
            seg = C.segment(obj, i)
            C.segment_point(seg, ppx, ppy)
            x, y = f32(px.value), f32(py.value)
            pt = (a * x + c * y + e, b * x + d * y + f)
            kind = C.segment_type(seg)
            closed = bool(C.segment_close(seg))
            if kind == MOVETO:
                ops = [("m", pt)]
                subpaths.append(ops)
                bezier = 0
                continue
            if ops is None:
                raise Unsupported("path without a starting point")
            if kind == BEZIERTO:
                bezier += 1
                if bezier % 3:
                    continue      # control points: pdfminer keeps only the end point
                ops.append(("c", pt))
                if closed:
                    ops.append(("h", ops[0][1]))
            elif kind == LINETO:
                if closed and pt == ops[0][1]:
                    ops.append(("h", pt))   # pdfium stores `h` as a line back to the start
                else:
                    ops.append(("l", pt))
                    if closed:
                        ops.append(("h", ops[0][1]))
            else:
                raise Unsupported(f"path segment type {kind}")
        for ops in subpaths:
            if len(ops) >= 2:     # pdfminer splits at each `m` and drops a lone `m`
                self._paint(ops, attrs)

    def _paint(self, ops: list, attrs: dict) -> None:
        """pdfminer's PDFLayoutAnalyzer.paint_path for one subpath: a line, a rect or a curve."""
        shape = "".join(o for o, _ in ops)
        pts = [p for _, p in ops]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        kind = "curve"
        if shape in ("mlh", "ml"):
            kind = "line"
            pts = pts[:2]
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            if pts[0] == pts[4] and ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                                     or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)):
                kind = "rect"   # LTRect: corners from the first and third points, as drawn
                pts = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        H = self.height
        top = H - y1
        self.objects.setdefault(kind, []).append({
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "pts": [(x, H - y) for x, y in pts], **attrs,
            "object_type": kind, "page_number": self.page_number,
            "top": top, "bottom": H - y0, "doctop": self.initial_doctop + top,
        })

    def _image(self, obj: int) -> None:
        """pdfminer's LTImage: the unit square through the image's matrix."""
        C = functions()
        a, b, c, d, e, f = self._matrix(obj)
        xs = (e, a + e, c + e, a + c + e)
        ys = (f, b + f, d + f, b + d + f)
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        w, h = ctypes.c_uint(), ctypes.c_uint()
        C.image_size(obj, ctypes.byref(w), ctypes.byref(h))
        H = self.height
        top = H - y1
        self.objects.setdefault("image", []).append({
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
            "srcsize": (w.value, h.value), "object_type": "image",
            "page_number": self.page_number, "top": top, "bottom": H - y0,
            "doctop": self.initial_doctop + top,
        })
