"""A report as a web page, in the two ways government sites publish them.

`write_clean`: the report inside a portal page (site header, menus, breadcrumbs, the metadata
table 索引号/发布机构/公开日期, scripts, footer), with plain `<table>` markup using rowspan and
colspan, and `&nbsp;` in blank cells.

`write_word`: the markup Word's "save as web page" produces and content systems paste in:
`<span style=…><font face=…>` around every few characters, `<br>` inside header labels, a `<p>`
inside every cell, one cell per line, and for some reports a gb2312/GBK charset (the bytes are
written in that encoding, and the meta tag says so).
"""
from __future__ import annotations

import random
from html import escape
from pathlib import Path

from . import content as C
from . import layouts as L


def _grids(report: C.Report) -> dict:
    return C.grids(report)


# ---------------------------------------------------------------------------------------------
# Clean portal page

_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进{place}")


def _clean_table(grid: L.Grid) -> str:
    """A table with rowspan/colspan; blank cells hold &nbsp; as content systems write them."""
    out = ['<table border="1" cellspacing="0" cellpadding="0" align="center" width="100%" '
           'style="border-collapse:collapse;">', "<tbody>"]
    for r in range(grid.n_rows):
        tds = []
        for c in grid.row_cells(r):
            attrs = ""
            if c.rowspan > 1:
                attrs += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                attrs += f' colspan="{c.colspan}"'
            if c.role != "label":
                attrs += ' align="center"'
            body = escape(c.text) if c.text.strip() else "&nbsp;"
            tds.append(f"<td{attrs}>{body}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def clean_html(report: C.Report, table_markup=None) -> str:
    """The clean page as a string; `table_markup(key, grid)` gives the markup that stands for each
    table (default: the `<table>` itself)."""
    table_markup = table_markup or (lambda key, grid: _clean_table(grid))
    f = report.facts
    title = "".join(C.title_lines(report))
    grids = _grids(report)
    place = (report.county or report.city or report.province).rstrip("区县市省")
    nav = "".join(f'<li><a href="javascript:;">{escape(n.format(place=place))}</a></li>' for n in _NAV)
    body = []
    for b in C.blocks(report):
        if b.kind == "title":
            continue
        if b.kind == "table":
            body.append(table_markup(b.text, grids[b.text]))
        elif b.kind == "heading":
            body.append(f'<p style="text-indent:2em;"><strong>{escape(b.text)}</strong></p>')
        elif b.kind == "subheading":
            body.append(f'<p style="text-indent:2em;"><strong>{escape(b.text)}</strong></p>')
        else:
            body.append(f'<p style="text-indent:2em;">{escape(b.text)}</p>')
    content = "\n".join(body)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{escape(report.portal)}">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{f['date']}">
<title>{escape(title)}_{escape(report.portal)}</title>
<link rel="stylesheet" type="text/css" href="/css/common.css">
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
<script type="text/javascript">
  var _hmt = _hmt || [];
  (function () {{ var hm = document.createElement("script"); hm.src = "/js/stat.js"; document.head.appendChild(hm); }})();
</script>
</head>
<body>
<div class="top-bar"><div class="w1200"><span>欢迎访问{escape(report.portal)}</span><a href="javascript:;">无障碍</a> <a href="javascript:;">长者模式</a></div></div>
<div class="header"><div class="logo"><img src="/images/logo.png" alt="{escape(report.portal)}"></div>
<ul class="nav">{nav}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="javascript:;">政府信息公开</a> &gt; <a href="javascript:;">政府信息公开年报</a></div>
<div class="xxgk-meta">
<table class="meta-table">
<tr><td class="t">索引号：</td><td>{f['index']}</td><td class="t">分类：</td><td>政府信息公开年报</td></tr>
<tr><td class="t">发布机构：</td><td>{escape(report.compiler)}</td><td class="t">公开日期：</td><td>{f['date']}</td></tr>
<tr><td class="t">名称：</td><td colspan="3">{escape(title)}</td></tr>
<tr><td class="t">文号：</td><td></td><td class="t">主题词：</td><td>年度报告</td></tr>
</table>
</div>
<div class="article">
<h1 class="article-title">{escape(title)}</h1>
<div class="article-info">发布时间：{f['date']} <span>来源：{escape(report.compiler)}</span> <span>浏览次数：<script>document.write(Math.floor(Math.random()*1000))</script></span> 【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</div>
<div class="article-content" id="zoom">
{content}
</div>
<div class="article-tools"><a href="javascript:window.print();">【打印本页】</a> <a href="javascript:window.close();">【关闭窗口】</a></div>
</div>
<div class="footer"><p>主办：{escape(report.compiler)}　网站标识码：{f['index'][:10]}</p><p>ICP备案号：{escape(report.province[:1])}ICP备{f['index'][-5:]}号</p></div>
<script type="text/javascript">$(function () {{ $(".nav li").hover(function () {{ $(this).toggleClass("on"); }}); }});</script>
</body>
</html>
"""


def write_clean(report: C.Report, path: Path) -> Path:
    """Write the clean portal page (UTF-8) at `path`."""
    path = Path(path)
    path.write_bytes(clean_html(report).encode("utf-8"))
    return path


# ---------------------------------------------------------------------------------------------
# Word-exported markup

_SPAN = "<span style='font-size:{size};font-family:{face}'><font face=\"{face}\">{text}</font></span>"


def _runs(text: str, rng: random.Random, face: str, size: str) -> str:
    """Text cut into runs of a few characters, each in its own span/font, as Word emits after
    edits; digits and Latin letters get their own Times New Roman runs."""
    out, i = [], 0
    while i < len(text):
        n = rng.randint(1, 6)
        chunk = text[i:i + n]
        i += n
        f = "Times New Roman" if chunk.isascii() else face
        out.append(_SPAN.format(size=size, face=f, text=escape(chunk, quote=False)))
    return "".join(out)


def _label_with_br(label: str, rng: random.Random) -> list:
    """A header label broken with <br> the way it wraps in the Word cell (本年新<br>制作数量)."""
    if len(label) >= 4 and rng.random() < 0.6:
        k = len(label) // 2
        return [label[:k], label[k:]]
    return [label]


# Column widths in pixels (Word writes them on every cell).
_PX = {"active": [188, 139, 139, 139], "requests": [23, 117, 169] + [42] * 7, "review_litigation": [40] * 15}


def _px(grid: L.Grid) -> list:
    """Column widths in pixels; a legacy table's: the indicator column wide, the others narrow."""
    return _PX.get(grid.table) or [605 - 90 * (grid.n_cols - 1)] + [90] * (grid.n_cols - 1)


def _word_table(grid: L.Grid, rng: random.Random) -> str:
    """A Word-exported table: MsoNormalTable, one <td> per line, a <p class=MsoNormal> in each."""
    out = ["<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=605",
           " style='width:453.6pt;border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
           "mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>"]
    for r in range(grid.n_rows):
        out.append(f" <tr style='mso-yfti-irow:{r};height:{rng.choice(['19.85', '22.7', '28.35'])}pt'>")
        for c in grid.row_cells(r):
            attrs = f" width={round(sum(_px(grid)[c.col:c.col + c.colspan]))}"
            if c.colspan > 1:
                attrs += f" colspan={c.colspan}"
            if c.rowspan > 1:
                attrs += f" rowspan={c.rowspan}"
            align = " align=center style='text-align:center'" if c.role != "label" else ""
            if not c.text.strip():
                inner = "<span lang=EN-US style='font-size:10.5pt'><o:p>&nbsp;</o:p></span>"
            elif c.role == "header":
                parts = _label_with_br(c.text, rng)
                inner = "<br>".join(_runs(p, rng, "仿宋_GB2312", "10.5pt") for p in parts)
            else:
                inner = _runs(c.text, rng, "仿宋_GB2312", "10.5pt")
            out.append(f"  <td{attrs} valign=middle style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'>"
                       f"<p class=MsoNormal{align}>{inner}</p></td>")
        out.append(" </tr>")
    out.append("</table>")
    return "\n".join(out)


def word_html(report: C.Report) -> str:
    """The Word-exported page as a string; its meta charset is the report's `spec.charset`."""
    rng = report.rng("html_word")
    charset = report.spec.charset if report.spec else "utf-8"
    title = "".join(C.title_lines(report))
    grids = _grids(report)
    body = []
    for b in C.blocks(report):
        if b.kind == "title":
            body.append("<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'><b>"
                        + _runs(b.text, rng, "方正小标宋简体", "22.0pt") + "</b></p>")
        elif b.kind == "table":
            body.append(_word_table(grids[b.text], rng))
        elif b.kind == "heading":
            body.append("<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                        + _runs(b.text, rng, "黑体", "16.0pt") + "</p>")
        elif b.kind == "subheading":
            body.append("<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                        + _runs(b.text, rng, "楷体_GB2312", "16.0pt") + "</p>")
        else:
            body.append("<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                        + _runs(b.text, rng, "仿宋_GB2312", "16.0pt") + "</p>")
    content = "\n".join(body)
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset={charset}">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>{escape(title)}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>{escape(report.compiler)}</o:Author>
  <o:Created>{report.year + 1}-01-15T01:00:00Z</o:Created>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{margin:0cm;margin-bottom:.0001pt;text-align:justify;text-justify:inter-ideograph;
	font-size:10.5pt;font-family:"Times New Roman",serif;}}
@page WordSection1
	{{size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
{content}
</div>
</body>
</html>
"""


def write_word(report: C.Report, path: Path) -> Path:
    """Write the Word-exported page at `path`, encoded in its declared charset; characters the
    charset lacks become numeric character references, as browsers and Word do."""
    path = Path(path)
    charset = report.spec.charset if report.spec else "utf-8"
    path.write_bytes(word_html(report).encode(charset, errors="xmlcharrefreplace"))
    return path
