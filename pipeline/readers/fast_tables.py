"""pdfplumber's table finder and text extraction, step for step, without their overheads.

Why: once pdfium has read the page objects (`pdfium_layer`), most of a page's time goes to
pdfplumber loops that rescan everything for every item, or that build extractor objects,
generators and text maps to handle every setting for a cell of three characters:
`intersections_to_cells` scans all later points for those below and to the right of each grid
point, rebuilding the edge sets of both points at each test; `Table.extract` tests every
character of the page against every row; `extract_text` and `extract_text_lines` run the whole
WordExtractor/TextMap machinery. Here the same tests run in the same order on what can pass
them, and the text of upright characters under the default settings (the only case the reader
uses; anything else goes to pdfplumber) follows pdfplumber's rules directly: the same clusters
(`cluster_by_top` is `cluster_objects` on `top`), the same word breaks, the same joins. Each
function says which pdfplumber function it stands for and why its result is the same; edges,
intersections and table grouping are pdfplumber's own functions. `tests/test_pdf_parity.py`
compares the outcome with the pdfplumber path on every PDF we have. The pdfplumber names come
from its adapter (pipeline/readers/engines/pdfplumber.py), which checks first that they are still
what these functions expect.
"""
from __future__ import annotations

from pipeline.readers.engines.pdfplumber import (
    LIGATURES,
    Page,
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    extract_text,
    obj_to_bbox,
)


class FastPage(Page):
    """A pdfplumber page with `FastTableFinder` and `text_lines`; otherwise the same page."""

    def find_tables(self, table_settings=None):
        return FastTableFinder(self, TableSettings.resolve(table_settings)).tables

    def char_midpoints(self) -> list:
        """(h_mid, v_mid, char) of every character, in page order, as Table.extract computes them."""
        mids = self.__dict__.get("_char_midpoints")
        if mids is None:
            mids = self._char_midpoints = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, c)
                                           for c in self.chars]
        return mids

    def extract_text_lines(self, strip=True, return_chars=True, **kwargs):
        if strip and not return_chars and kwargs == {"layout": False}:
            lines = text_lines(self.chars)
            if lines is not None:
                return lines
        return super().extract_text_lines(strip=strip, return_chars=return_chars, **kwargs)


class FastTableFinder(TableFinder):
    """pdfplumber's TableFinder with `intersections_to_cells` below and `FastTable`s."""

    def __init__(self, page, settings=None):
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance,
            self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [FastTable(self.page, group) for group in cells_to_tables(self.cells)]


def intersections_to_cells(intersections: dict) -> list:
    """pdfplumber.table.intersections_to_cells, same cells in the same order.

    For each grid point in sorted order pdfplumber takes the later points on the same vertical
    ("below") and on the same horizontal ("right"), in sorted order, and returns the first
    rectangle whose four sides are edges. Points grouped by x and by y, walked in sorted order,
    give those same lists; `edge_connects` is a pure function, so testing each right point once
    instead of once per below point keeps the outcome.
    """
    v_sets = {p: {obj_to_bbox(e) for e in d["v"]} for p, d in intersections.items()}
    h_sets = {p: {obj_to_bbox(e) for e in d["h"]} for p, d in intersections.items()}

    def edge_connects(p1, p2) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        if p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2]):
            return True
        return False

    points = sorted(intersections)
    same_x, same_y = {}, {}
    for p in points:
        same_x.setdefault(p[0], []).append(p)
        same_y.setdefault(p[1], []).append(p)
    x_rank = {p: k for group in same_x.values() for k, p in enumerate(group)}
    y_rank = {p: k for group in same_y.values() for k, p in enumerate(group)}

    cells = []
    for pt in points:
        below = same_x[pt[0]][x_rank[pt] + 1:]
        right = [r for r in same_y[pt[1]][y_rank[pt] + 1:] if edge_connects(pt, r)]
        cell = None
        for below_pt in below:
            if not edge_connects(pt, below_pt):
                continue
            for right_pt in right:
                bottom_right = (right_pt[0], below_pt[1])
                if (bottom_right in intersections and edge_connects(bottom_right, right_pt)
                        and edge_connects(bottom_right, below_pt)):
                    cell = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


class FastTable(Table):
    """pdfplumber's Table; `extract` tests only the characters inside the table's box."""

    @property
    def rows(self):
        """Table.rows, computed once (the reader asks for them, then extract() does again)."""
        rows = self.__dict__.get("_rows")
        if rows is None:
            rows = self._rows = super().rows
        return rows

    def extract(self, **kwargs):
        """pdfplumber.table.Table.extract, same texts.

        A character belongs to a row when its midpoint is in the row's box (left and top edges
        in, right and bottom out); every row lies inside the table's box, so the characters
        whose midpoint is in the table's box, by the same test and in page order, are all the
        candidates.
        """
        x0, top, x1, bottom = self.bbox
        inside = [t for t in self.page.char_midpoints()
                  if t[0] >= x0 and t[0] < x1 and t[1] >= top and t[1] < bottom]

        table_arr = []
        for row in self.rows:
            rx0, rtop, rx1, rbottom = row.bbox
            row_chars = [t for t in inside
                         if t[0] >= rx0 and t[0] < rx1 and t[1] >= rtop and t[1] < rbottom]
            arr = []
            for cell in row.cells:
                if cell is None:
                    arr.append(None)
                    continue
                cx0, ctop, cx1, cbottom = cell
                cell_chars = [t[2] for t in row_chars
                              if t[0] >= cx0 and t[0] < cx1 and t[1] >= ctop and t[1] < cbottom]
                if cell_chars:
                    if "layout" in kwargs:
                        kwargs["layout_width"] = cell[2] - cell[0]
                        kwargs["layout_height"] = cell[3] - cell[1]
                        kwargs["layout_bbox"] = cell
                    arr.append(cell_text(cell_chars, kwargs))
                else:
                    arr.append("")
            table_arr.append(arr)
        return table_arr


# what TableSettings resolves to, and extract_text's defaults when extract() gets no settings
DEFAULT_TEXT_SETTINGS = {"x_tolerance": 3, "y_tolerance": 3}


def _x0(obj) -> float:
    return obj["x0"]


def _cluster_ids(objs: list, tolerance: float) -> list:
    """pdfplumber's make_cluster_dict on the objects' `top`, as one cluster id per object.

    The distinct values, sorted, start a new cluster where one is more than `tolerance` above
    the last (cluster_list); the ids count clusters from the smallest value.
    """
    tops = [o["top"] for o in objs]
    ids, cid, last = {}, -1, None
    for v in sorted(set(tops)):
        if last is None or v > last + tolerance:
            cid += 1
        ids[v] = cid
        last = v
    return [ids[t] for t in tops], cid + 1


def cluster_by_top(objs: list, tolerance: float = 3) -> list:
    """pdfplumber's cluster_objects(objs, "top", tolerance): clusters by id, objects in order."""
    if len(objs) < 2:
        return [list(objs)] if objs else []
    ids, n = _cluster_ids(objs, tolerance)
    groups = [[] for _ in range(n)]
    for o, k in zip(objs, ids):
        groups[k].append(o)
    return [g for g in groups if g]


def runs_by_top(objs: list, tolerance: float = 3) -> list:
    """pdfplumber's cluster_objects(..., preserve_order=True): runs of objects sharing an id."""
    if not objs:
        return []
    ids, _ = _cluster_ids(objs, tolerance)
    runs, last = [], None
    for o, k in zip(objs, ids):
        if k != last:
            runs.append([])
            last = k
        runs[-1].append(o)
    return runs


def _words(chars: list) -> list:
    """The words of upright characters, each a list of chars, in pdfplumber's WordExtractor order.

    With the default settings (tolerance 3 either way, blanks not kept, no punctuation split):
    characters clustered into lines by `top` (as pdfplumber's `cluster_objects`), each line sorted
    by `x0` (the "ltr" sort key (x0, x0), stable the same way), cut at blanks and where the next
    character starts left of the previous one, more than 3 pt after its end, or more than 3 pt
    above or below it.
    """
    words = []
    for line in cluster_by_top(chars):
        line.sort(key=_x0)
        word = []
        for char in line:
            text = char["text"]
            if text.isspace():      # keep_blank_chars=False: a blank ends the word
                if word:
                    words.append(word)
                word = []
            elif text == "":        # `text in split_at_punctuation`, which is ""
                if word:
                    words.append(word)
                words.append([char])
                word = []
            elif word and (char["x0"] < word[-1]["x0"] or char["x0"] > word[-1]["x1"] + 3
                           or abs(char["top"] - word[-1]["top"]) > 3):
                words.append(word)
                word = [char]
            else:
                word.append(char)
        if word:
            words.append(word)
    return words


def _word(chars: list) -> dict:
    """WordExtractor.merge_chars, the keys used here."""
    return {"top": min(c["top"] for c in chars),
            "text": "".join(LIGATURES.get(c["text"], c["text"] or "") for c in chars),
            "chars": chars}


def cell_text(chars: list, kwargs: dict) -> str:
    """pdfplumber.utils.extract_text(chars, **kwargs) for a cell of upright characters.

    With the table finder's default text settings and upright text, extract_text is: the words
    (`_words`), clustered into lines by their `top`, joined by spaces and newlines. That is what
    this does, minus the per-call machinery (extractor objects, generators, text maps) that costs
    more than the work for a few characters. Anything else goes to extract_text itself.
    """
    if (kwargs and kwargs != DEFAULT_TEXT_SETTINGS) or not all(c["upright"] for c in chars):
        return extract_text(chars, **kwargs)
    words = [_word(w) for w in _words(chars)]
    return "\n".join(" ".join(w["text"] for w in line) for line in cluster_by_top(words))


def text_lines(chars: list):
    """Page.extract_text_lines(layout=False, strip=True, return_chars=False), or None.

    pdfplumber builds a text map (the words of each run of upright characters, clustered into
    lines by `top` in their order, `preserve_order=True`; one space between words, a newline
    between lines) and finds the lines in it with a regular expression that strips spaces. As
    words hold no blanks, each line of the map is its words joined by spaces, and its box is the
    box of their characters. None (use pdfplumber) unless every character is upright, with a
    text that is not empty and holds no line break.
    """
    for c in chars:
        if not c["upright"] or not c["text"] or "\n" in c["text"] or "\r" in c["text"]:
            return None
    words = [_word(w) for w in _words(chars)]
    lines = []
    for line in runs_by_top(words):
        text = " ".join(w["text"] for w in line)
        if not text.strip():
            continue
        line_chars = [c for w in line for c in w["chars"]]
        lines.append({"text": text,
                      "x0": min(c["x0"] for c in line_chars),
                      "top": min(c["top"] for c in line_chars),
                      "x1": max(c["x1"] for c in line_chars),
                      "bottom": max(c["bottom"] for c in line_chars)})
    return lines
