"""A report as a PDF-to-Markdown converter leaves it (form `md_converted`): the defects of the
shared corpus's converter file, each drawn at random per report from the report's own stream,
so that reading them means handling the class, not one file.

What the converter does, and how often (`DEFECTS` below holds the rates):

- prose wrapped at the PDF's line width, with the page footers ("— 3 —") between its lines;
  headings as `##` lines or as plain lines; the title on one `#` line, or on two plain lines
  under a "正文" line; spaces around the numbers of the prose ("2021 年").
- the heading of one section lost altogether (about half the reports; any of the six).
- table 二: each small table as a pipe table, as lines of text ("第二十条第（五）项",
  "信息内容本年处理决定数量", "行政许可 0"), or as a header table with each of its rows a
  table of its own, between repeated `## 表二：…` captions and a page footer; the first small
  table sometimes printed after the others. A multi-line cell is pulled out above its table:
  a text cell with a note ("22（其中修订16件）") always; a plain number in a few percent of
  reports. Which column a pulled-out cell came from is lost, so that row cannot be read and
  must be reported, not guessed: that is why it is rare. Some converters repeat the header above
  each row's table (as the PDF repeats it on each page).
- table 三: the column headers in fragments — either the header words cut into pieces stacked
  on lines above the table with one line of pieces left in the pipe header row, or the first
  halves of the five 法人 headers run together on one line and their second halves forming the
  header row; row labels floating above number-only rows (a long label wrapped over two lines,
  or its middle line left in the row and the rest floating); the vertical group labels
  (三、本年度办理结果, （三）不予公开 …) broken into fragments in the first cells of consecutive
  rows, floating between rows as text, or lost; the table cut into pieces at page breaks with a
  footer line or footer row, a repeated `## 表三：…` caption, a stray "1" between rows — and by
  some converters the table's header rows repeated above each piece; a trailing empty cell on
  some rows.
- table 四 in one of three layouts: the one row of 15 numbers under a header of fragments that
  lists only some of them (the corpus file's); the national grid with its top row floating as
  text; or three one-row tables under sub-headings (`### 行政复议`, `### 行政诉讼（未经复议直接
  起诉）`, `### 行政诉讼（复议后起诉）`).

Every defect keeps the document readable in principle by a careful reader who knows the
national layout and its arithmetic, except the pulled-out number cell, which is meant to be
reported as unread.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path
from typing import Optional

from . import content as C
from . import layouts as L

# Rates of the defects, per report unless said otherwise.
DEFECTS = {
    "wrap_prose": 0.7,           # prose wrapped at a line width, page footers between lines
    "plain_headings": 0.5,       # headings as plain lines, not `##`
    "zhengwen_title": 0.35,      # "正文" line, then the title on two lines
    "spaced_numbers": 0.5,       # "2021 年" in prose
    "drop_heading": 0.55,        # one section heading lost
    "caption_active": 0.4,       # repeated `## 表二：…` captions inside table 二
    "first_sub_last": 0.15,      # table 二's first small table printed after the others
    "pull_number": 0.03,         # a plain number cell of table 二 pulled out above its table
    "float_label": 0.12,         # per row of table 三: its label floats above its numbers
    "partial_label": 0.45,       # per long row label of table 三: one line of it stays in the row
    "trailing_cell": 0.25,       # table 三's rows (some of them) end with an empty cell
    "stray_one": 0.35,           # a stray "1" between two rows of table 三
    "review_note": 0.3,          # 注：行政复议、行政诉讼数量含上年度结转数量。
}
# Drawn from a stream of their own (so that the draws above stay as they were): a converter that
# repeats a table's header above each block, as the PDF repeats it on each page.
REPEAT_HEADER = 0.35
# Which heading is lost, by section.
DROP_WEIGHTS = {"overview": 1, "active": 2, "requests": 2, "review_litigation": 2, "problems": 2, "other": 1}
SUB_STYLES = {"pipe": 3, "lines": 3, "rowtables": 2}          # table 二's small tables
HEADER_STYLES = {"clean": 1, "stacked": 2, "halves": 2}       # table 三's header
GROUP_MODES = {"first": 3, "split": 3, "float": 2, "lost": 1}  # table 三's group labels
REVIEW_LAYOUTS = {"wide_fragments": 4, "grid": 3, "sub_tables": 3}
BREAKS = {"footer_line": 3, "footer_row": 2, "caption": 3}     # where table 三 is cut

FOOTER = "— {} —"
ACTIVE_CAPTION = "## 表二：主动公开政府信息情况"
REQUESTS_CAPTION = "## 表三：收到和处理政府信息公开申请情况"


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _pipe(cells: list) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _sep(n: int) -> str:
    return "|" + "|".join(["---"] * n) + "|"


def _wrap(text: str, width: int) -> list:
    return [text[k:k + width] for k in range(0, len(text), width)] or [""]


def _cut(text: str, rng: random.Random, pieces: int = 2) -> list:
    """A label cut into `pieces` non-empty fragments at random places."""
    if len(text) < pieces:
        return [text]
    points = sorted(rng.sample(range(1, len(text)), pieces - 1))
    return [text[a:b] for a, b in zip([0] + points, points + [len(text)])]


_NUMBER_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])(?=\d)|(?<=\d)(?=[\u4e00-\u9fff])")


class _Pages:
    """The page count, for the footers ("— 3 —") a converter leaves where a page ended."""

    def __init__(self, rng: random.Random):
        self.page = 1
        self.length = rng.randint(26, 36)      # lines of prose on a page
        self.lines = rng.randint(4, 12)        # lines already on the first page

    def footer(self) -> str:
        s = FOOTER.format(self.page)
        self.page += 1
        self.lines = 0
        return s

    def prose(self, lines: list) -> list:
        out = []
        for line in lines:
            if self.lines >= self.length:
                out.append(self.footer())
            out.append(line)
            self.lines += 1
        return out


def markdown(report: C.Report, log: Optional[Counter] = None) -> str:
    """The converter's Markdown of a report; `log`, when given, counts the defects drawn (see
    `drawn`). A legacy report's is samples.legacy_md's."""
    if report.legacy is not None:
        from . import legacy_md
        return legacy_md.markdown(report, log)
    rng = report.rng("md_converted")
    d = {k: rng.random() < p for k, p in DEFECTS.items() if k not in ("float_label", "partial_label")}
    d["repeat_header"] = report.rng("md_converted:header").random() < REPEAT_HEADER
    log = log if log is not None else Counter()
    log.update(k for k, v in d.items() if v)
    d["log"] = log
    width = rng.randint(26, 34)
    dropped = _pick(rng, DROP_WEIGHTS) if d["drop_heading"] else None
    if dropped:
        log[f"drop_heading:{dropped}"] += 1
    pages = _Pages(rng)
    hcodes = dict(zip(C.headings(report), L.SECTION_CODES))
    out = []
    titles = [b.text for b in C.blocks(report) if b.kind == "title"]
    title = "".join(titles)
    if d["zhengwen_title"]:
        cut = title.find("政府信息公开")
        cut = cut + len("政府信息公开") if cut > 0 and rng.random() < 0.7 else rng.randint(6, len(title) - 4)
        lines = [title[:cut], title[cut:]]
        if d["spaced_numbers"]:
            lines = [_NUMBER_SPACE.sub(" ", x) for x in lines]
        out += ["正文"] + lines + [""]
    else:
        out += ["# " + title, ""]
    tables = {"active": _active, "requests": _requests, "review_litigation": _review}
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "heading":
            if hcodes.get(b.text) == dropped:
                continue
            out += [b.text if d["plain_headings"] else "## " + b.text, ""]
        elif b.kind == "subheading":
            out += [b.text if d["plain_headings"] else "### " + b.text, ""]
        elif b.kind == "table":
            out += tables[b.text](report, rng, d, pages) + [""]
        else:
            text = _NUMBER_SPACE.sub(" ", b.text) if d["spaced_numbers"] else b.text
            if d["wrap_prose"]:
                out += pages.prose(_wrap(text, width))
                if rng.random() < 0.3:
                    out.append("")
            else:
                out += [text, ""]
    out.append(pages.footer())
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Table 二

def _active(report: C.Report, rng: random.Random, d: dict, pages: _Pages) -> list:
    subs = list(L.ACTIVE[report.format])
    pull_at = None
    if d["pull_number"]:
        multi = [(i, code) for i, s in enumerate(subs) if len(s.cols) > 1 for code, _ in s.rows]
        i, code = rng.choice(multi)
        pull_at = (code, rng.choice(subs[i].cols))
    blocks = [_sub_table(report, sub, rng, d, pages, pull_at) for sub in subs]
    if d["first_sub_last"]:
        blocks = blocks[1:] + [[pages.footer()] + blocks[0]]
    return [line for b in blocks for line in b]


def _sub_table(report: C.Report, sub: L.SubTable, rng: random.Random, d: dict, pages: _Pages,
               pull_at) -> list:
    n = len(sub.cols)
    styles = dict(SUB_STYLES) if n > 1 else {k: v for k, v in SUB_STYLES.items() if k != "rowtables"}
    style = _pick(rng, styles)
    d["log"][f"active_sub:{style}"] += 1
    pulled, rows = [], []
    for code, label in sub.rows:
        values = []
        for col in sub.cols:
            w = report.cells[("active", code, col)]
            note = re.match(r"^(\d[\d,]*)(（.+）)$", w.text)
            if n > 1 and (note or (code, col) == pull_at):
                # a multi-line cell: the converter lifts it out above its table
                pulled += [note.group(1), note.group(2)] if note else [w.text]
                d["log"]["pull_text" if note else "pulled_number"] += 1
                continue
            values.append(w.text)
        rows.append((label, values))
    header = list(sub.header)
    out = ["", sub.item] + pulled
    if style == "lines":
        glue = "" if rng.random() < 0.5 else " "
        out.append(header[0] + glue + " ".join(header[1:]) if n > 1 else header[0] + glue + header[1])
        out += [" ".join([label] + values) for label, values in rows]
    elif style == "pipe":
        out += [_pipe(header), _sep(len(header))]
        out += [_pipe([label] + values) for label, values in rows]
    else:                                     # a header table, then each row a table of its own
        out += [_pipe(header), _sep(len(header))]
        if rng.random() < 0.4:
            out.insert(len(out) - 2, pages.footer())
        for label, values in rows:
            if d["caption_active"]:
                out.append(ACTIVE_CAPTION)
                d["log"]["active_captions"] += 1
            if d["repeat_header"]:             # the header again, above each row's table
                out += [_pipe(header), _sep(len(header))]
                d["log"]["active_header_repeated"] += 1
                out.append(_pipe([label] + values))
                continue
            out += [_pipe([label] + values), _sep(1 + len(values))]
    return out


# ---------------------------------------------------------------------------------------------
# Table 三

_LEGAL = [label for _, label in L.REQUEST_COLS[1:-1]]


def _requests(report: C.Report, rng: random.Random, d: dict, pages: _Pages) -> list:
    rows = L.request_rows(report.format, report.split_other)
    cols = [c for c, _ in L.REQUEST_COLS]
    style = _pick(rng, HEADER_STYLES)
    log = d["log"]
    log[f"requests_header:{style}"] += 1
    out, header = _requests_header(style, rng)
    trailing = d["trailing_cell"] and rng.random() < 0.8
    cell_width = rng.randint(12, 16)           # characters of a label line in the PDF's cells
    groups = _group_cells(rows, rng, log)
    breaks = {}
    for k in rng.sample(range(1, len(rows)), rng.randint(0, 3)):
        breaks[k] = _pick(rng, BREAKS)
    if d["stray_one"]:
        k = rng.randrange(1, len(rows))
        breaks.setdefault(k, "stray")
    lines = list(out)
    start = True              # the next row starts a pipe table of its own

    def emit_row(cells: list):
        nonlocal start
        lines.append(_pipe(cells))
        if start:
            lines.append(_sep(len(cells)))
            start = False

    def text(*ts):
        nonlocal start
        if any(t for t in ts):
            lines.extend(t for t in ts if t)
            start = True

    if header:
        lines += [header[0], _sep(len(header[0].split("|")) - 2)] + header[1:]
        start = False
    for i, (code, path) in enumerate(rows):
        how = breaks.get(i)
        if how:
            log[f"requests_break:{how}"] += 1
        if how == "footer_line":
            lines.append(pages.footer())
        elif how == "footer_row":
            lines.append(_pipe([pages.footer()] + [""] * 7))
        elif how == "caption":
            text(*(([pages.footer()] if rng.random() < 0.6 else []) + [REQUESTS_CAPTION]))
        elif how == "stray":
            text("1")
        if how in ("footer_line", "caption") and d["repeat_header"] and header:
            text(" ")                          # a new table: the header again, above the next block
            lines.pop()
            lines += [header[0], _sep(len(header[0].split("|")) - 2)] + header[1:]
            start = False
            log["requests_header_repeated"] += 1
        values = [report.cells[("requests", code, col)].text for col in cols]
        before, row_labels, after = groups[i]
        text(*before)
        leaf = path[-1]
        state = "in"
        if rng.random() < DEFECTS["float_label"]:
            state = "float"
        elif len(leaf) > cell_width + 2 and rng.random() < DEFECTS["partial_label"]:
            state = "partial"
        label_cells = list(row_labels)
        if state == "in":
            label_cells.append(leaf)
        else:
            parts = _wrap(leaf, cell_width) if len(leaf) > cell_width + 2 else [leaf]
            if state == "partial":
                k = rng.randrange(len(parts))
                keep = parts[k:k + 2] if k + 1 < len(parts) and rng.random() < 0.3 else parts[k:k + 1]
                text(*[p for p in parts if p not in keep])
                label_cells += keep
            else:
                text(*parts)
                label_cells = []
        if state != "in":
            log[f"{state}_label"] += 1
        if style == "clean" and label_cells:
            label_cells = (label_cells + ["", "", ""])[:max(3, len(label_cells))]
        cells = label_cells + values + ([""] if trailing and rng.random() < 0.5 else [])
        if len(cells) > len(label_cells) + len(values):
            log["trailing_cells"] += 1
        emit_row(cells)
        text(*after)
    return lines


def _requests_header(style: str, rng: random.Random):
    """(text lines above the table, [pipe header lines]) for table 三's header."""
    corner = L.REQUEST_CORNER
    if style == "clean":
        grid = L.requests_grid("2021")
        at = grid.at()
        rows = []
        for r in range(grid.header_rows):
            row = []
            for k in range(grid.n_cols):
                c = at[r][k]
                row.append(c.text if c is not None and (c.row, c.col) == (r, k) else "")
            rows.append(_pipe(row))
        return [], rows
    cut = corner.index("，等于") + 1 if rng.random() < 0.7 else rng.randint(6, len(corner) - 6)
    above = []
    if rng.random() < 0.8:
        above += [L.REQUEST_APPLICANTS, L.REQUEST_LEGAL]
    above.append(corner[:cut])
    if style == "halves":
        halves = [_cut(h, rng) if len(h) > 1 else [h, ""] for h in _LEGAL]
        above.append("".join(h[0] for h in halves))
        row = [corner[cut:], "自然人"] + [h[1] for h in halves if h[1]] + ["总计"]
        return above, [_pipe(row)]
    w = rng.choice([2, 2, 3])
    stacks = [_wrap(h, w) for h in _LEGAL]
    height = max(len(s) for s in stacks)
    lines = [[] for _ in range(height)]
    for s in stacks:
        off = (height - len(s)) // 2 if rng.random() < 0.7 else (height - len(s) + 1) // 2
        for k, piece in enumerate(s):
            lines[off + k].append(piece)
    base = rng.randrange(height)
    above += ["".join(line) for k, line in enumerate(lines) if k != base and line]
    row = [corner[cut:], "自然人"] + lines[base] + ["总计"]
    return above, [_pipe(row)]


def _group_cells(rows: list, rng: random.Random, log: Counter) -> list:
    """Per row: (text lines before it, its group label cells, text lines after it): the vertical
    labels of its row groups as the converter left them."""
    out = [([], [], []) for _ in rows]
    depth = max(len(p) for _, p in rows)
    for level in range(depth - 1):
        i = 0
        while i < len(rows):
            path = rows[i][1]
            if len(path) - 1 <= level:
                i += 1
                continue
            j = i
            while j < len(rows) and len(rows[j][1]) - 1 > level and rows[j][1][level] == path[level]:
                j += 1
            label = path[level]
            mode = _pick(rng, GROUP_MODES)
            n = j - i
            log[f"group_label:{mode if mode != 'split' or n >= 2 else 'float'}"] += 1
            if mode == "first":
                out[i][1].append(label)
            elif mode == "split" and n >= 2:
                parts = _cut(label, rng, min(n, rng.choice([2, 2, 3])))
                first = i + (n - len(parts)) // 2
                for k, part in enumerate(parts):
                    out[first + k][1].append(part)
            elif mode in ("float", "split"):
                parts = _cut(label, rng, rng.choice([1, 2, 2, 3])) if len(label) > 3 else [label]
                at = i + rng.randrange(n)
                out[at][2].extend(parts) if rng.random() < 0.5 else out[at][0].extend(parts)
            i = j
    return out


# ---------------------------------------------------------------------------------------------
# Table 四

_REVIEW_WORDS = [label for _, label in L.REVIEW_COLS]


def _review(report: C.Report, rng: random.Random, d: dict, pages: _Pages) -> list:
    values = [report.cells[("review_litigation", r, c)].text for r, _ in L.REVIEW_ROWS for c, _ in L.REVIEW_COLS]
    layout = _pick(rng, REVIEW_LAYOUTS)
    d["log"][f"review_layout:{layout}"] += 1
    note = ["注：行政复议、行政诉讼数量含上年度结转数量。"] if d["review_note"] else []
    out = []
    if layout == "wide_fragments":
        out += ["行政复议行政诉讼"]
        if rng.random() < 0.7:
            out.append("未经复议直接起诉复议后起诉")
        tops = [w[:2] for w in _REVIEW_WORDS[:4]]
        bottoms = [w[2:] for w in _REVIEW_WORDS[:4]]
        if rng.random() < 0.5:
            out += ["".join(tops), "总计" + "".join(tops * 2), "".join(bottoms * 3)]
        else:
            out += ["".join(tops + ["总计"]) * 3]
        out += note
        shown = [w for w in bottoms + ["总计"]]
        k = rng.randint(2, 5)
        header = sorted(rng.sample(range(5), k)) if rng.random() < 0.5 else list(range(5))
        header = [shown[i] for i in header] + (["总计"] if rng.random() < 0.6 else [])
        out += [_pipe(header), _sep(len(header)), _pipe(values), _sep(15) if rng.random() < 0.5 else ""]
    elif layout == "grid":
        out += ["行政复议行政诉讼" if rng.random() < 0.5 else "行政复议 行政诉讼"]
        grid = L.fill(L.review_grid(), report.texts())
        at = grid.at()
        rows = []
        for r in range(1, grid.n_rows):
            row = []
            for k in range(grid.n_cols):
                c = at[r][k]
                row.append(c.text if c is not None and (c.row, c.col) == (r, k) else "")
            rows.append(row)
        out += note + [_pipe(rows[0]), _sep(15)] + [_pipe(r) for r in rows[1:]]
    else:
        style = rng.choice(["###", "plain", "bold"])
        names = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
        for g, name in enumerate(names):
            head = {"###": f"### {name}", "plain": name, "bold": f"**{name}**"}[style]
            out += [head, "", _pipe(_REVIEW_WORDS), _sep(5), _pipe(values[5 * g:5 * g + 5]), ""]
        out += note
    return [x for x in out if x is not None]


def drawn(report: C.Report) -> Counter:
    """The defects this report's converter Markdown has, counted (for the forms benchmark)."""
    log = Counter()
    markdown(report, log)
    return log


def write(report: C.Report, path: Path) -> Path:
    """Write the report as converter Markdown (UTF-8) at `path`."""
    path = Path(path)
    path.write_text(markdown(report), encoding="utf-8")
    return path
