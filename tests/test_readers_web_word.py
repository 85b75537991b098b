"""Readers for web pages, Word files, Markdown/plain-text exports and OFD."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import CORPUS, need_corpus, need_soffice
from ofd_fixture import write_ofd

from pipeline.core.model import Table, TextBlock
from pipeline.ingest.sniff import sniff
from pipeline.readers import ReaderError, legacy_word, markdown, ofd
from pipeline.readers import docx as docx_reader
from pipeline.readers import html as html_reader

SHANGHAI = CORPUS / "real" / "上海市人民政府办公厅_2019.html"
SHUYANG = CORPUS / "real" / "沭阳县发展和改革局_2023.html"


def _real(path: Path) -> Path:
    need_corpus(path)
    return path


def _find_cell(table: Table, text: str):
    return next(c for c in table.cells if c.text.startswith(text))


def _value_at(table: Table, row_label: str, col_label: str) -> str:
    """The grid value at the row whose label starts with row_label and the column headed col_label."""
    grid = table.grid()
    row = _find_cell(table, row_label).row
    col = _find_cell(table, col_label).col
    cell = grid[row][col]
    return cell.text if cell else None


# ---------------------------------------------------------------- real web pages

@pytest.mark.unit
def test_shanghai_page_tables_and_grid_positions():
    doc = html_reader.read(_real(SHANGHAI))
    assert len(doc.tables) == 3
    requests = next(t for t in doc.tables if "本年新收" in "".join(c.text for c in t.cells))
    assert _value_at(requests, "一、本年新收", "自然人") == "821"
    assert _value_at(requests, "一、本年新收", "总计") == "859"
    # under the 20-row rowspan of 三、本年度办理结果 and the 8-row one of （三）不予公开
    assert _value_at(requests, "8.属于行政查询事项", "自然人") == "10"
    assert _value_at(requests, "二、上年结转", "科研机构") == ""     # &nbsp; → empty
    assert doc.meta["date"] == "2020-01-31"
    assert "年度报告" in doc.meta["title"]


@pytest.mark.unit
def test_shuyang_page_metadata_and_no_navigation():
    doc = html_reader.read(_real(SHUYANG))
    assert doc.meta["publisher"] == "沭阳县发展和改革局"
    assert doc.meta["date"] == "2024-01-17"
    assert doc.meta["title"] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert len(doc.tables) == 3                       # the 索引号/发布机构 box is not one of them
    text = doc.text()
    for noise in ("繁體版", "无障碍", "智能问答", "首页", "走进沭阳", "websiteId", "function", "采集时间", "索引号"):
        assert noise not in text, noise
    assert doc.blocks[0].text == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert any(b.text == "一、总体情况" for b in doc.blocks)
    requests = next(t for t in doc.tables if "本年新收" in "".join(c.text for c in t.cells))
    assert _value_at(requests, "一、本年新收", "自然人") == "26"   # '自然' + '人' split across spans
    assert any(c.text == "商业企业" for c in requests.cells)          # '商业' <p> '企业' joined
    # tables come right after their section headings
    kinds = ["T" if isinstance(i, Table) else i.text[:2] for i in doc.items]
    assert kinds[kinds.index("二、") + 1] == "T" and kinds[kinds.index("三、") + 1] == "T"


# ---------------------------------------------------------------- synthetic web pages

PAGE = """<html><head><title>{title}</title><script>var nav = "首页";</script>
<style>.x{{color:red}}</style></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li></ul></div>
<div class="article">{body}</div>
<div class="footer">版权所有 网站标识码</div></body></html>"""


def _write(tmp_path: Path, name: str, data) -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


@pytest.mark.unit
def test_gbk_page_without_declaration(tmp_path):
    body = ("<h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本机关收到申请12件。</p>"
            "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>3</td></tr></table>")
    raw = PAGE.format(title="年度报告", body=body).encode("gbk") + b"<p>\xff\xfe</p>"
    doc = html_reader.read(_write(tmp_path, "gbk.html", raw))
    assert "本机关收到申请12件。" in doc.text()
    assert doc.tables[0].grid()[1][0].text == "规章"


@pytest.mark.unit
def test_declared_gb2312_is_read_as_gb18030(tmp_path):
    body = "<p>一、总体情况</p><p>朱镕基同志（镕 is GBK, not GB2312）</p><table><tr><td>信息内容</td><td>1</td></tr></table>"
    page = PAGE.format(title="t", body=body).replace("<head>", '<head><meta http-equiv="Content-Type" '
                                                       'content="text/html; charset=gb2312">')
    doc = html_reader.read(_write(tmp_path, "gb.shtml", page.encode("gb18030")))
    assert "朱镕基" in doc.text()


@pytest.mark.unit
def test_spans_nested_layout_tables_and_word_styling(tmp_path):
    data = ("<table><tr><td>行政复议</td><td colspan='2'>行政诉讼</td></tr>"
            "<tr><td rowspan='2'><p>结果</p><p>维持</p></td><td>未经复议<br>直接起诉</td><td>&nbsp;</td></tr>"
            "<tr><td><span><font face='仿宋'>1</font></span><span><font face='仿宋'>2</font></span></td>"
            "<td>\n  7\n</td></tr></table>")
    body = ("<table width='100%'><tr><td><p>某局2023年政府信息公开工作年度报告</p></td></tr>"
            f"<tr><td><p>四、政府信息公开行政复议、行政诉讼情况</p>{data}<p>五、存在的主要问题</p></td></tr></table>")
    doc = html_reader.read(_write(tmp_path, "nested.htm", PAGE.format(title="t", body=body)))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    g = t.grid()
    assert (t.n_rows, t.n_cols) == (3, 3)
    assert g[0][2].text == "行政诉讼" and g[0][2].colspan == 2
    assert g[1][0].text == "结果维持" and g[2][0] is g[1][0]          # rowspan covers row 2
    assert g[1][1].text == "未经复议直接起诉" and g[1][2].text == ""
    assert g[2][1].text == "12" and g[2][2].text == "7"               # placed after the rowspan
    order = [i.text if isinstance(i, TextBlock) else "TABLE" for i in doc.items]
    assert order == ["某局2023年政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况",
                     "TABLE", "五、存在的主要问题"]


@pytest.mark.unit
def test_metadata_table_and_info_line(tmp_path):
    body = ("<table class='info'><tr><td>索引号</td><td>123/2024-1</td><td>发布机构</td><td>某县财政局</td></tr>"
            "<tr><td>公开日期</td><td>2024年1月5日</td><td>文号</td><td></td></tr></table>"
            "<h2>某县财政局2023年政府信息公开工作年度报告</h2><p>一、总体情况</p><p>正文。</p>"
            "<table><tr><td>信息内容</td><td>1</td></tr></table>")
    doc = html_reader.read(_write(tmp_path, "meta.jhtml", PAGE.format(title="页面标题", body=body)))
    assert doc.meta["publisher"] == "某县财政局"
    assert doc.meta["date"] == "2024-01-05"
    assert doc.meta["page_title"] == "页面标题"
    assert doc.meta["title"] == "某县财政局2023年政府信息公开工作年度报告"
    assert len(doc.tables) == 1 and "索引号" not in doc.text()


@pytest.mark.unit
def test_page_that_only_links_to_an_attachment(tmp_path):
    body = ("<h1>某局2023年政府信息公开工作年度报告</h1><p>发布日期：2024-01-20</p>"
            "<p>附件：<a href='/files/2024/nb2023.pdf'>某局2023年政府信息公开工作年度报告.pdf</a></p>")
    path = _write(tmp_path, "link.html", PAGE.format(title="t", body=body))
    with pytest.raises(ReaderError, match=r"only links to an attachment.*nb2023\.pdf"):
        html_reader.read(path)


# ---------------------------------------------------------------- DOCX and legacy Word

def _make_docx(path: Path, title: str = "测试年报") -> Path:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.core_properties.title = title
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph("本机关收到申请12件。")
    p.add_run().add_break()
    p.add_run("第二行")
    t = d.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "信息内容"      # vMerge restart/continue → rowspan 2
    t.cell(0, 1).merge(t.cell(0, 3)).text = "申请人情况"    # gridSpan 3 → colspan 3
    for k, label in enumerate(["自然人", "商业企业", "总计"], start=1):
        t.cell(1, k).text = label
    t.cell(1, 2).paragraphs[0].add_run().add_break()
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 3).text = "一、本年新收", "5", "5"
    t.cell(3, 0).text, t.cell(3, 1).text = "二、上年结转", "0"
    d.add_paragraph("三、结尾")
    textbox = (
        '<w:r %s><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p>'
        '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>' % " ".join([
            'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"',
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"',
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"',
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
            'xmlns:v="urn:schemas-microsoft-com:vml"']))
    d.paragraphs[-1]._p.append(parse_xml(textbox))
    d.save(path)
    return path


def _check_docx_table(t: Table):
    g = t.grid()
    assert (t.n_rows, t.n_cols) == (4, 4)
    origin = g[0][0]
    assert origin.text == "信息内容" and origin.rowspan == 2 and g[1][0] is origin
    assert g[0][1].text == "申请人情况" and g[0][1].colspan == 3 and g[0][3] is g[0][1]
    assert [g[1][k].text for k in (1, 2, 3)] == ["自然人", "商业企业", "总计"]
    assert g[2][1].text == "5" and g[2][2].text == "" and g[2][3].text == "5"


@pytest.mark.unit
def test_docx_spans_order_and_text_box(tmp_path):
    doc = docx_reader.read(_make_docx(tmp_path / "r.docx"))
    assert doc.meta["title"] == "测试年报"
    order = [i.text if isinstance(i, TextBlock) else "TABLE" for i in doc.items]
    assert order == ["一、总体情况", "本机关收到申请12件。", "第二行", "TABLE", "三、结尾", "文本框里的字"]
    _check_docx_table(doc.tables[0])


@pytest.mark.unit
def test_docx_grid_before_skips_columns(tmp_path):
    import docx
    from docx.oxml import parse_xml
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for k in range(3):
        t.cell(0, k).text = f"h{k}"
    t.cell(1, 1).text, t.cell(1, 2).text = "a", "b"
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])
    tr.insert(0, parse_xml('<w:trPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                           '<w:gridBefore w:val="1"/></w:trPr>'))
    d.save(tmp_path / "gb.docx")
    g = docx_reader.read(tmp_path / "gb.docx").tables[0].grid()
    assert g[1][0] is None and g[1][1].text == "a" and g[1][2].text == "b"


@pytest.mark.unit
def test_broken_docx_is_a_reader_error(tmp_path):
    with pytest.raises(ReaderError):
        docx_reader.read(_write(tmp_path, "bad.docx", b"PK\x03\x04 not really a zip"))


@pytest.mark.unit
def test_legacy_word_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy_word, "find_soffice", lambda: None)
    with pytest.raises(ReaderError, match="needs LibreOffice.*apt-get install libreoffice-writer-nogui"):
        legacy_word.read(_write(tmp_path, "a.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100))


@pytest.mark.e2e
def test_doc_converted_by_libreoffice(tmp_path):
    exe = need_soffice()
    src = _make_docx(tmp_path / "src.docx")
    (tmp_path / "conv").mkdir()
    subprocess.run([exe, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "conv"), str(src)],
                   check=True, capture_output=True, timeout=180)
    path = tmp_path / "conv" / "src.doc"
    assert sniff(path) == "doc"
    doc = legacy_word.read(path)
    assert doc.format == "doc" and doc.source == str(path)
    assert "本机关收到申请12件。" in doc.text()
    _check_docx_table(doc.tables[0])


@pytest.mark.e2e
def test_damaged_doc_is_a_reader_error_not_mojibake(tmp_path):
    need_soffice()
    import random
    noise = bytes(random.Random(7).randrange(256) for _ in range(3000))
    with pytest.raises(ReaderError, match="could not"):
        legacy_word.read(_write(tmp_path, "damaged.doc", b"\xd0\xcf\x11\xe0" + noise))


# ---------------------------------------------------------------- Markdown and plain-text exports

MD = """# 某局2023年政府信息公开工作年度报告

一、总体情况

2020年，本机关认真贯彻落实《条例》，全年共收到政府信息公开
申请12件。

| 信息内容 | 本年制发件数 |
|---|---|
| 规章 | 3 | 12 |
| 规范性文件 | 0 | 5 |

— 3 —

| 行政许可 | 7 |

## 二、结尾
"""


@pytest.mark.unit
def test_markdown_table_with_footer_inside(tmp_path):
    doc = markdown.read(_write(tmp_path, "r.md", MD))
    assert [b.text for b in doc.blocks] == ["某局2023年政府信息公开工作年度报告", "一、总体情况",
                                            "2020年，本机关认真贯彻落实《条例》，全年共收到政府信息公开申请12件。",
                                            "二、结尾"]
    assert len(doc.tables) == 1
    t = doc.tables[0]
    rows = [[c.text for c in t.cells if c.row == r] for r in range(t.n_rows)]
    assert rows == [["信息内容", "本年制发件数"], ["规章", "3", "12"], ["规范性文件", "0", "5"], ["行政许可", "7"]]
    assert t.ragged
    assert "—" not in doc.text()


@pytest.mark.unit
def test_tab_separated_rows_make_a_ragged_table(tmp_path):
    text = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t现行有效件数\n规章\t3\t\t12\n- 2 -\n行政许可\t\t1\n\n结尾。\n"
    doc = markdown.read(_write(tmp_path, "r.txt", text.encode("gb18030")))
    assert len(doc.tables) == 1 and doc.tables[0].ragged
    assert doc.tables[0].n_rows == 3
    assert [b.text for b in doc.blocks] == ["二、主动公开政府信息情况", "结尾。"]


@pytest.mark.unit
def test_equal_width_pipe_table_is_not_ragged(tmp_path):
    doc = markdown.read(_write(tmp_path, "r.md", "| a | b |\n| --- | :---: |\n| 1 | 2 |\n"))
    assert not doc.tables[0].ragged and doc.tables[0].n_rows == 2


# ---------------------------------------------------------------- OFD

@pytest.mark.unit
def test_ofd_fixture_text_and_ruled_table(tmp_path):
    path = write_ofd(tmp_path / "r.ofd", "某局2023年政府信息公开工作年度报告",
                     [["信息内容", "本年制发件数", "现行有效件数"], ["规章", "3", "12"]],
                     paragraphs=["一、总体情况"])
    assert sniff(path) == "ofd"
    doc = ofd.read(path)
    assert doc.meta["title"] == "某局2023年政府信息公开工作年度报告"
    assert [b.text for b in doc.blocks] == ["某局2023年政府信息公开工作年度报告", "一、总体情况"]
    title = doc.blocks[0]
    assert title.page == 1 and title.bbox[0] == pytest.approx(20 * 2.8346, abs=0.1)
    t = doc.tables[0]
    assert (t.n_rows, t.n_cols) == (2, 3)
    assert [[c.text for c in row] for row in t.grid()] == [["信息内容", "本年制发件数", "现行有效件数"],
                                                           ["规章", "3", "12"]]
    assert t.bbox[1] == pytest.approx(60 * 2.8346, abs=0.1)
    assert isinstance(doc.items[-1], Table)       # below the text on the page


@pytest.mark.unit
def test_ofd_missing_rule_is_a_span(tmp_path):
    path = write_ofd(tmp_path / "m.ofd", "t", [["合并表头", "", ""], ["规章", "3", "12"]], merge_first_row=True)
    t = ofd.read(path).tables[0]
    head = t.grid()[0][0]
    assert head.text == "合并表头" and head.colspan == 3 and t.grid()[1][2].text == "12"


@pytest.mark.unit
def test_not_an_ofd_is_a_reader_error(tmp_path):
    with pytest.raises(ReaderError):
        ofd.read(_write(tmp_path, "x.ofd", b"not a zip"))


@pytest.mark.unit
def test_form_feed_pages_and_html_table_in_markdown(tmp_path):
    text = ("一、总体情况\n正文。\n\f二、主动公开政府信息情况\n"
            "<table><tr><td rowspan='2'>信息内容</td><td>本年制发件数</td></tr>\n<tr><td>3</td></tr></table>\n"
            "三、收到和处理\n")
    doc = markdown.read(_write(tmp_path, "r.md", text))
    assert doc.pages == 2
    assert [(b.text, b.page) for b in doc.blocks] == [("一、总体情况", 1), ("正文。", 1),
                                                      ("二、主动公开政府信息情况", 2), ("三、收到和处理", 2)]
    t = doc.tables[0]
    assert t.page == 2 and t.grid()[1][0].text == "信息内容" and t.grid()[1][1].text == "3"
