"""A legacy report as a site archive's plain-text copy of its web page (form `txt_crawl`), the
way the shared corpus's legacy copies look (/work/shared/corpus/legacy/real/*.txt):

- a header block of `字段: 值` lines — 标题, 发布时间, 文号 (often empty), 发布机构 (sometimes
  empty), 栏目, 原文链接, 本地目录, a line about links.tsv — then `==================== 正文
  ====================`;
- the whole article on one line, paragraphs joined by a space (or nothing); sometimes the page's
  own chrome before it (当前位置： 首页政务公开… 来源：… 时间：… 微信 微博 …) and 附件下载 after it;
- the statistics table's cells run together with no separator at all, header included:
  `指标名称计量单位2012年度历年累计主动公开信息数条20263542其中：1.网站公开条17953304…`; on the
  State Council's form each row's 代码 sits between its label and its unit
  (`主动公开政府信息数01条4567`), and a section row runs into the next label.

As in the national forms' crawler text (samples.txt_crawl), a blank cell of the page (`&nbsp;`)
stays as one U+00A0 or one space, and na marks and thousands separators stay between the digits.
Where a row's digits can be cut more than one way, a careful reader needs the table's arithmetic
or the text's figures; where those do not settle it, the row cannot be read.
"""
from __future__ import annotations

from pathlib import Path

from . import content as C
from . import layouts as L

CHROME = 0.35              # copies that keep the page's chrome (当前位置 …) around the article


def _table_run(grid: L.Grid, blank: str) -> str:
    """The grid's cells, row by row, run together: a blank data cell as `blank`."""
    out = []
    for r in range(grid.n_rows):
        for c in grid.row_cells(r):
            t = c.text.strip()
            if c.role == "data" and not t:
                t = blank
            out.append(t)
    return "".join(out)


def text(report: C.Report) -> str:
    """The crawler's copy of a legacy report."""
    rng = report.rng("legacy_crawl")
    title = "".join(C.title_lines(report))
    blank = "\u00a0" if rng.random() < 0.6 else " "
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    when = f"{report.year + 1}-{month:02d}-{day:02d} 00:00"
    art = rng.randint(10000, 99999)
    path = f"zwgk/zfxxgk/zfxxgknb/{report.year + 1}{month:02d}"
    head = [f"标题: {title}", f"发布时间: {when}", "文号: ",
            f"发布机构: {report.compiler if rng.random() < 0.7 else ''}", "栏目: 政府信息公开年报",
            f"原文链接: https://{report.domain}/{path}/t{report.year + 1}{month:02d}{day:02d}_{art}.htm",
            f"本地目录: {path}/{art}_{title}", "页面链接与图片详见 links.tsv(同目录)",
            "==================== 正文 ===================="]
    glue = " " if rng.random() < 0.7 else ""
    grids = C.grids(report)
    body = [title]
    for b in C.blocks(report):
        if b.kind == "table":
            body.append(_table_run(grids[b.text], blank))
        elif b.kind != "title":
            body.append(b.text)
    article = glue.join(body)
    if rng.random() < CHROME:
        article = (f"当前位置： 首页政务公开政府信息公开政府信息公开年报 {title} 来源：{report.compiler} 时间：{when} "
                   f"微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> {article} 附件下载")
    return "\n".join(head) + "\n" + article + "\n"


def write(report: C.Report, path: Path) -> Path:
    """Write the crawler's UTF-8 text of a legacy report at `path`."""
    path = Path(path)
    path.write_text(text(report), encoding="utf-8")
    return path
