"""A report as a site archive's plain-text copy of its web page (form `txt_crawl`).

What such a copy looks like, varied per report from the report's own stream:

- a header block: `标题: …`, `发布时间: …`, `原文链接: …` (the field names vary: 题目, 发布日期,
  链接, 网址; sometimes a `来源: …` line), then a `==== 正文 ====` line (or `---- 正文 ----`, or
  a bare `正文`);
- the whole body on one line, or (a quarter of the copies) each paragraph, heading and table on
  a line of its own, so that a table's rows still run together on one line; the title run into
  the first sentence, or on two lines of its own after the 正文 line (cut where a narrow page
  wraps it), or not repeated at all; sometimes a full-width indent (`　　`) before each paragraph;
- the cells of each table row run together with no separator at all:
  `一、本年新收政府信息公开申请数量521000053` for 52 | 1 | 0 | 0 | 0 | 0 | 53, table 二 likewise
  (`规章000规范性文件0075`, `行政许可20+180` for 20 | +1 | 80), the header cells too, and
  table 四 as its header's words followed by its fifteen numbers. Some copies keep a space
  between the cells of table 二 (`规章 0 0 0`), some between the cells of tables 三 and 四
  (a blank cell then one U+00A0 of its own: `5 \u00a0 2`).

Decisions, since what is not on the page cannot be in the copy:

- Blank cells: the web page a crawler copies holds `&nbsp;` in a blank cell (both HTML forms of
  the generator write it so, as content systems do), and the copy keeps it: one U+00A0 per
  blank cell, or one plain space where the crawler normalises whitespace (a choice per report).
  That space is all that is left of the cell, so it is a cell of its own, not a separator. In
  half the copies that keep a space between cells, one blank cell of table 三 was empty without
  `&nbsp;` and left nothing: its row shows six values for seven columns, and only the table's
  arithmetic (each column's balance) can say which cell is the empty one.
- Na marks ("/", "—", "无", "-") are text and stay as they are between the digits, as do
  thousands separators ("1,295"), signs ("+2") and full-width digits.
- Digits alone do not say where one cell ends: a careful reader splits them by the row's sum
  and the table's balance and outcome sums, and a row that splits several ways (or whose own
  total is wrong, as in the deliberate defects) stays unread. A 2019-format row of table 二
  (`行政许可20180`) has no sum of its own: only the office's neighbouring years (上一年项目数量 +
  本年增/减 = next year's 上一年项目数量) or another form of the same report can decide it.
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Optional

from . import content as C
from . import layouts as L

FIELDS = {"title": ("标题", "标题", "题目"), "date": ("发布时间", "发布时间", "发布日期"),
          "url": ("原文链接", "原文链接", "链接", "网址")}
BODY_MARKS = ("==== 正文 ====", "==== 正文 ====", "====正文====", "---- 正文 ----", "正文")
TITLE_STYLES = {"run_on": 5, "two_lines": 4, "none": 1}
BODY_STYLES = {"one_line": 3, "line_per_block": 1}        # the body on one line, or a line per block
ACTIVE_STYLES = {"glued": 3, "spaced": 2}                 # table 二's cells run together, or a space apart
GRID_STYLES = {"glued": 4, "spaced": 1}                  # tables 三 and 四: glued, or a space apart


def _grid_rows(grid: L.Grid, blank: str, glue: str, hidden: Optional[tuple] = None) -> list:
    """Each grid row as the copy writes it: the texts of the cells starting in that row, joined
    by `glue`; a blank data cell as `blank`, but the cell coded `hidden` as nothing at all."""
    out = []
    for r in range(grid.n_rows):
        texts = []
        for c in grid.row_cells(r):
            t = c.text.strip()
            if c.role == "data" and not t and c.code != hidden:
                t = blank
            if t:
                texts.append(t)
        out.append(glue.join(texts))
    return out


def _hidden_blank(report: C.Report, rng: random.Random, log: Counter) -> Optional[tuple]:
    """One blank cell of table 三 that leaves nothing in a copy with a space between cells (an
    empty cell without &nbsp;, its whitespace collapsed), in half the copies that have one."""
    blanks = [code for code, w in report.cells.items() if code[0] == "requests" and w.kind == "blank"]
    if not blanks or rng.random() < 0.5:
        return None
    log["hidden_blank"] += 1
    return rng.choice(blanks)


def _url(report: C.Report, rng: random.Random) -> str:
    y, m, d = report.year + 1, rng.randint(1, 3), rng.randint(1, 28)
    if rng.random() < 0.5:
        return f"http://{report.domain}/art/{y}/{m}/{d}/art_{rng.randint(100, 9999)}_{rng.randint(10**6, 10**7)}.html"
    return f"https://{report.domain}/xxgk/{rng.choice(['ndbg', 'zfxxgk', 'gknb'])}/{y}{m:02d}/t{y}{m:02d}{d:02d}_{rng.randint(10**5, 10**6)}.html"


def text(report: C.Report, log: Optional[Counter] = None) -> str:
    """The crawler's text of a report; `log`, when given, counts its variants (see `drawn`)."""
    rng = report.rng("txt_crawl")
    log = log if log is not None else Counter()
    blank = "\u00a0" if rng.random() < 0.6 else " "
    indent = "\u3000\u3000" if rng.random() < 0.3 else ""
    log["blank_as_nbsp" if blank != " " else "blank_as_space"] += 1
    if indent:
        log["indent"] += 1
    title = "".join(b.text for b in C.blocks(report) if b.kind == "title")
    date = f"{report.year + 1}-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.6:
        date += f" {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
        if rng.random() < 0.5:
            date += f":{rng.randint(0, 59):02d}"
    head = [f"{rng.choice(FIELDS['title'])}: {title}", f"{rng.choice(FIELDS['date'])}: {date}",
            f"{rng.choice(FIELDS['url'])}: {_url(report, rng)}"]
    if rng.random() < 0.3:
        head.insert(2, f"来源: {report.portal}")
        log["source_field"] += 1
    head.append(rng.choice(BODY_MARKS))
    log[f"body_mark:{head[-1]}"] += 1
    style = rng.choices(list(TITLE_STYLES), weights=list(TITLE_STYLES.values()))[0]
    log[f"title:{style}"] += 1
    texts = report.texts()
    grids = {
        "active": L.fill(L.active_grid(report.format), texts),
        "requests": L.fill(L.requests_grid(report.format, report.split_other), texts),
        "review_litigation": L.fill(L.review_grid(), texts),
    }
    body_style = _draw(rng, BODY_STYLES, log, "body")
    active_style = _draw(rng, ACTIVE_STYLES, log, "active")
    grid_style = _draw(rng, GRID_STYLES, log, "grids")
    hidden = _hidden_blank(report, rng, log) if grid_style == "spaced" else None
    body = []
    if style == "run_on":
        body.append(title)
    elif style == "two_lines":
        cut = title.find("政府信息公开")
        cut = cut + len("政府信息公开") if cut > 0 and rng.random() < 0.6 else rng.randint(6, len(title) - 4)
        head += [title[:cut], title[cut:]]
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "table":
            if b.text == "active":
                glue, cell_blank = ("", blank) if active_style == "glued" else (" ", blank)
            else:
                glue, cell_blank = ("", blank) if grid_style == "glued" else (" ", "\u00a0")
            body.append(glue.join(_grid_rows(grids[b.text], cell_blank, glue, hidden)))
        elif b.kind == "para":
            body.append(indent + b.text)
        else:
            body.append(b.text)
    joint = "" if body_style == "one_line" else "\n"
    return "\n".join(head) + "\n" + joint.join(body) + "\n"


def _draw(rng, weights: dict, log: Counter, what: str) -> str:
    choice = rng.choices(list(weights), weights=list(weights.values()))[0]
    log[f"{what}:{choice}"] += 1
    return choice


def drawn(report: C.Report) -> Counter:
    """The variants this report's crawler text has, counted (for the forms benchmark)."""
    log = Counter()
    text(report, log)
    return log


def write(report: C.Report, path: Path) -> Path:
    """Write the report as a crawler's UTF-8 text at `path`."""
    path = Path(path)
    path.write_text(text(report), encoding="utf-8")
    return path
