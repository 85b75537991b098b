"""Outputs an auditor hands over: files a colleague can open (the user's umask), the workbook of
the shared corpus on paper (LibreOffice prints it), `ogi compare`, and the years before 2019 in
the audit report and the workbook (the shared corpus's legacy reports, read in place)."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import CORPUS, REAL, REQUIRE_CORPUS, ROOT, absent, need_corpus, need_module

LEGACY_REAL = CORPUS / "legacy" / "real"


def ogi(*args, umask=None):
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=900, preexec_fn=pre)


# ---- every output file with the user's umask ----------------------------------------------------

@pytest.mark.e2e
def test_every_output_is_readable_by_group_and_others_under_umask_022(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for f in (ROOT / "raw").glob("合肥市包河区人民政府_20*"):
        if not f.name.endswith(("_scan.pdf", ".docx", ".md")):
            shutil.copy(f, reports / f.name)
    out = tmp_path / "out"
    for args in (("run", reports, "-o", out, "-q", "--workers", "1"),
                 ("export", out, "--xlsx", tmp_path / "ogi.xlsx", "--csv", tmp_path / "csv"),
                 ("report", out, "-o", tmp_path / "audit.html", "-q"),
                 ("compare", out, "340111:人民政府", "--csv", tmp_path / "c.csv", "--xlsx", tmp_path / "c.xlsx")):
        p = ogi(*args, umask=0o022)
        assert p.returncode == 0, (args[0], p.stderr)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and reports not in p.parents]
    names = {p.name for p in files}
    assert {"reports.parquet", "cells.parquet", "flags.parquet", "panel.parquet", "sections.parquet", "ogi.duckdb",
            "run.json", "ingest.json", "ogi.xlsx", "audit.html", "c.csv", "c.xlsx", "errors.csv"} <= names
    closed = [(str(p.relative_to(tmp_path)), oct(stat.S_IMODE(p.stat().st_mode))) for p in files
              if stat.S_IMODE(p.stat().st_mode) & 0o044 != 0o044]
    assert closed == []


@pytest.mark.unit
def test_the_umask_is_read_not_assumed(tmp_path):
    from pipeline.core.store import umask, write_atomic
    old = os.umask(0o027)
    try:
        assert umask() == 0o027
        write_atomic(tmp_path / "a", b"x")
        assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o640
    finally:
        os.umask(old)


# ---- ogi compare --------------------------------------------------------------------------------

@pytest.mark.e2e
def test_compare_two_offices_in_one_year_and_an_office_across_its_years(samples_run, tmp_path):
    p = ogi("compare", samples_run, "320102:人民政府", "苏州市交通运输局", "--year", "2021")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert "南京市玄武区人民政府 2021" in lines[1] and "苏州市交通运输局 2021" in lines[1]
    new = next(line for line in lines if line.startswith("本年新收政府信息公开申请数量 · 总计"))
    assert new.split()[-2:] == ["260", "120"]
    assert "requests." not in p.stdout                              # labels, not codes
    p = ogi("compare", samples_run, "南京市玄武区", "--csv", tmp_path / "x.csv", "--xlsx", tmp_path / "x.xlsx")
    assert p.returncode == 0, p.stderr
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(tmp_path / "x.csv", encoding="utf-8-sig", dtype=str).set_index("代码")
    assert list(frame.columns) == ["项目", "2021", "2022", "2023", "Δ 2022", "% 2022", "Δ 2023", "% 2023"]
    assert frame.loc["requests.new.total", ["2021", "2022", "2023", "Δ 2023", "% 2023"]].tolist() == \
        ["260", "637", "509", "-128", "-20.1%"]
    openpyxl = need_module("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    codes = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[codes.index("code")] == "requests.new.total")
    assert row[2:5] == (260, 637, 509) and all(isinstance(v, int) for v in row[2:5])
    assert ws.print_title_rows == "$1:$2" and ws.page_setup.orientation == "landscape"
    p = ogi("compare", samples_run, "320102:人民政府", "--year", "2019")
    assert p.returncode == 2 and "2021, 2022, 2023" in p.stderr
    p = ogi("compare", samples_run, "没有这个机关")
    assert p.returncode == 2 and "南京市玄武区人民政府" in p.stderr


@pytest.mark.unit
def test_blank_na_unread_and_absent_are_no_zero():
    from pipeline.outputs.compare import Line, Value
    line = Line("cell", "requests.new.total", "requests", "x", "x",
                (Value("blank"), Value("number", 0.0), Value("na"), Value("number", 4.0), Value("absent"),
                 Value("unread")))
    assert [v.text() for v in line.values] == ["空白", "0", "不适用", "4", "该格式无此项", "未读到"]
    assert line.delta(0, 1) == (None, None) and line.delta(1, 2) == (None, None)
    assert line.delta(1, 3) == (4.0, None)                           # from 0: no share of change
    assert Line("cell", "c", "t", "x", "x", (Value("blank"), Value("number", 0.0))).interesting() is False
    assert Line("cell", "c", "t", "x", "x", (Value("unread"), Value("number", 0.0))).interesting() is True


@pytest.mark.e2e
def test_the_crosswalk_indicators_join_the_comparison_when_the_panel_has_them(samples_run, monkeypatch):
    """An indicator of the crosswalk that the panel holds joins the comparison, labelled by the
    crosswalk, a null one saying why (its `_state`); one the panel lacks does not."""
    from pipeline.outputs import compare
    monkeypatch.setattr(compare, "crosswalk_indicators",
                        lambda: (("requests_received", "收到的申请数", "requests received"), ("not_there", "无", "none")))
    ds = compare.Dataset.read(samples_run)
    ds.panel = ds.panel.assign(requests_received=ds.panel["requests__new__total"].where(ds.panel.year != 2022),
                               requests_received_state=["unread" if y == 2022 else None for y in ds.panel.year])
    assert ("requests_received", "收到的申请数", "requests received", False) in compare.indicator_columns(ds.panel)
    assert "not_there" not in [c for c, *_ in compare.indicator_columns(ds.panel)]
    comp = compare.office_years(ds, "320102:人民政府")
    line = next(l for l in comp.lines if l.code == "requests_received")
    assert line.kind == "indicator" and line.label == "收到的申请数"
    assert [v.value for v in line.values] == [260, None, 509] and line.values[1].text() == "未读到"      # unread
    assert line.delta(0, 1) == (None, None)


# ---- the shared corpus: on paper, and the years before 2019 ----------------------------------------

@pytest.fixture(scope="module")
def corpus_all(tmp_path_factory):
    """The shared corpus, modern and legacy, read in place (the scan has its own tests)."""
    need_corpus()
    if not LEGACY_REAL.is_dir():
        absent(f"the legacy corpus is not at {LEGACY_REAL}", REQUIRE_CORPUS)
    from pipeline.runtime.run import run
    out = tmp_path_factory.mktemp("corpus_all")
    run([REAL, LEGACY_REAL], out, workers=2, progress=False, exclude=("*_scan.pdf",))
    return out


def _calc() -> str:
    """Why LibreOffice cannot print a workbook here ('' when it can)."""
    if not shutil.which("soffice"):
        return "LibreOffice is not installed"
    if not list(Path("/usr/lib/libreoffice/program").glob("libsc*")) and not shutil.which("localc"):
        return "LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)"
    return ""


@pytest.mark.e2e
def test_the_workbook_of_the_shared_corpus_prints_on_fewer_than_40_a4_pages(corpus_all, tmp_path):
    why = _calc()
    if why:
        absent(why)
    import pypdfium2 as pdfium
    assert ogi("export", corpus_all, "--xlsx", tmp_path / "corpus.xlsx").returncode == 0
    p = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(tmp_path / "corpus.xlsx")], capture_output=True, timeout=300)
    assert (tmp_path / "corpus.pdf").exists(), p.stderr
    pdf = pdfium.PdfDocument(str(tmp_path / "corpus.pdf"))
    pages = len(pdf)
    width, height = pdf[0].get_size()
    assert 0 < pages < 40 and width > height                     # A4 landscape
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(pages))
    for sheet in ("概览", "错误", "2008–2018年", "历年指标"):
        assert sheet in text, sheet


@pytest.mark.e2e
def test_the_years_before_2019_in_the_workbook(corpus_all, tmp_path):
    openpyxl = need_module("openpyxl")
    assert ogi("export", corpus_all, "--xlsx", tmp_path / "c.xlsx").returncode == 0
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    ws = book["2008–2018年"]
    codes = [c.value for c in ws[2]]
    rows = {(r[codes.index("office_id")], r[codes.index("year")]): r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {("350128:人民政府", 2012), ("350128:人民政府", 2013), ("350128:地方税务局", 2013)}
    cells = pd.read_parquet(corpus_all / "cells.parquet")
    reports = pd.read_parquet(corpus_all / "reports.parquet")
    for (office, year), row in rows.items():
        rid = reports[(reports.office_id == office) & (reports.year == year) & reports.canonical].report_id.item()
        mine = cells[(cells.report_id == rid) & (cells.kind == "number")]
        assert len(mine)
        for c in mine.itertuples():
            assert row[codes.index(f"legacy__{c.row_code}__{c.col_code}")] == c.value
    header = [c.value for c in ws[1]]
    assert "受理依申请公开信息总数｜本年度" in header and "受理依申请公开信息总数｜历年累计" in header
    overview = book["概览"]
    codes = [c.value for c in overview[2]]
    formats = {r[codes.index("format_version")] for r in overview.iter_rows(min_row=3, values_only=True)}
    assert "2019年以前" in formats


@pytest.mark.e2e
def test_the_years_before_2019_in_the_audit_report(corpus_all, tmp_path):
    from lxml import html as lhtml

    from pipeline.outputs.report import build_report
    from pipeline.outputs.report.parts import office_anchor
    build_report(corpus_all, tmp_path / "a.html")
    doc = lhtml.fromstring((tmp_path / "a.html").read_bytes())
    section = doc.xpath(f'//section[@id="{office_anchor("350128:人民政府")}"]')[0]
    # 平潭县人民政府's legacy reports and 平潭综合实验区's 2020 one: the county's government, one office
    assert section.get("data-years") == "2012 2013 2020"
    table = section.xpath('.//table[@class="compare"]')[0]
    head = [th.text_content() for th in table.xpath("./thead/tr/th")]
    assert head == ["项目", "2012", "2013", "2020", "Δ 2013", "% 2013", "Δ 2020", "% 2020"]
    row = next(tr for tr in table.xpath("./tbody/tr[@title]") if tr.get("title") == "legacy.requests_total.year")
    assert row.xpath("./th")[0].text_content() == "受理依申请公开信息总数 · 本年度"
    assert [td.text_content() for td in row.xpath("./td")] == ["21", "7", "该格式无此项", "-14", "-66.7%", "", ""]
    files = section.xpath('.//table[@class="files"]//td[4]/text()')
    assert set(files) == {"2019年以前", "2019年版"}
    cards = doc.xpath('//article[@data-office="350128:人民政府"]')
    [card] = [c for c in cards if c.get("data-year") == "2013"]               # a legacy report's warning
    assert card.get("data-rule") == "cross_year.copied_overview"
    assert "总体情况与上年相同" in card.text_content()


@pytest.mark.e2e
def test_the_years_before_2019_in_ogi_query(corpus_all):
    p = ogi("query", corpus_all, "SELECT office_id, year, year_value, cumulative FROM legacy "
                                 "WHERE row_code = 'requests_total' ORDER BY office_id, year", "--csv")
    assert p.returncode == 0, p.stderr
    rows = [line.split(",") for line in p.stdout[1:].splitlines()]
    assert rows[0] == ["office_id", "year", "year_value", "cumulative"]
    assert ["350128:人民政府", "2012", "21", "21"] in rows and ["350128:人民政府", "2013", "7", "28"] in rows
    assert len(rows) == 4                                        # three canonical reports, one row each
