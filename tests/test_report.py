"""`ogi report`: the audit report of the samples' dataset, checked as a file and in a real
headless Chromium (selenium; the browser tests skip when chromium or chromedriver is absent):
one report counted once, corrections copied from a card that fix every form, comparisons,
evidence that reads on a phone, print."""
from __future__ import annotations

import base64
import csv
import io
import re
import shutil

import browser
import pandas as pd
import pytest
from conftest import ROOT, absent

from pipeline.cli import main
from pipeline.outputs.report import build_report, crops, load
from pipeline.outputs.report.evidence import CORRECTION_COLUMNS, code_of

ZHEJIANG = ("330000:生态环境厅", 2022)        # prints 2.5 for a count: values.integer, in its six forms


@pytest.fixture(scope="module")
def audit_html(samples_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "audit.html"
    assert main(["report", str(samples_run), "-o", str(out), "-q"]) == 0
    return out


def _counted(dataset):
    """flags.parquet with the province, year and level of their file, one per report and flag."""
    reports = pd.read_parquet(dataset / "reports.parquet")
    flags = pd.read_parquet(dataset / "flags.parquet").merge(
        reports[["report_id", "province", "year", "level", "office_id", "group_id", "canonical"]], on="report_id")
    flags["report"] = flags.group_id.fillna(flags.report_id)
    return flags.sort_values("canonical", ascending=False, kind="mergesort").drop_duplicates(["report", "flag"])


@pytest.fixture(scope="module")
def flags(samples_run):
    return _counted(samples_run)


# ---- the file -----------------------------------------------------------------------------------

RESOURCE = re.compile(r"""(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*https?:|url\(\s*["']?https?:|@import""", re.I)


@pytest.mark.e2e
def test_the_report_references_no_network_resource(audit_html):
    text = audit_html.read_text(encoding="utf-8")
    assert not RESOURCE.search(text), RESOURCE.search(text).group(0)
    assert "<script src" not in text and '<link rel="stylesheet"' not in text
    assert "data:image/png;base64," in text          # the crops are inline


@pytest.mark.e2e
def test_the_same_dataset_gives_the_same_bytes(samples_run, audit_html, tmp_path):
    again = build_report(samples_run, tmp_path / "again.html")
    assert again.read_bytes() == audit_html.read_bytes()


@pytest.mark.e2e
def test_a_folder_without_a_dataset_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "a.html")]) == 2
    err = capsys.readouterr().err
    assert "holds no dataset" in err and "ogi run" in err
    assert not (tmp_path / "a.html").exists()


@pytest.mark.e2e
def test_one_report_one_count(samples_run, audit_html, flags):
    """The samples publish each report in six forms: 63 error findings in the files are 13 errors
    of reports, each on one card, shown on the canonical form."""
    text = audit_html.read_text(encoding="utf-8")
    every = pd.read_parquet(samples_run / "flags.parquet")
    assert (every.severity == "error").sum() == 63
    assert re.search(r'data-stat="severity-error"><b>13</b>', text)
    errors = flags[flags.severity == "error"]
    assert len(errors) == 13
    cards = re.findall(r'<article class="finding-card error"[^>]*data-report="([0-9a-f]+)"', text)
    assert sorted(cards) == sorted(errors.report_id)
    reports = pd.read_parquet(samples_run / "reports.parquet").set_index("report_id")
    assert reports.loc[cards, "canonical"].all()
    assert text.count("另有 5 个文件相同") == int((errors.flag.str.startswith("cross_year") == False).sum())  # noqa: E712
    assert re.search(r'data-stat="reports"><b>12</b>', text) and re.search(r'data-stat="files"><b>72</b>', text)


@pytest.mark.e2e
def test_every_error_card_has_a_corrections_editor_keyed_by_office_and_year(audit_html, flags):
    from lxml import html as lhtml
    doc = lhtml.fromstring(audit_html.read_bytes())
    editors = doc.xpath('//article[contains(@class,"finding-card")]//div[@class="fix"]')
    assert len(editors) == len(flags[flags.severity.isin(["error", "warning"]) & flags.cells.map(len).gt(0)])
    for box in editors:
        assert box.get("data-report-id") == "" and box.get("data-office-id") and box.get("data-year")
        for tr in box.xpath('.//tr[@data-fix]'):
            read = tr.xpath("./td[2]")[0].text_content()
            value = tr.xpath('.//input[@class="fix-value"]')[0].get("value")
            assert value == read or (value == "" and not read[:1].isdigit())


@pytest.mark.e2e
def test_every_office_has_its_section_and_its_years_with_change(samples_run, audit_html):
    from lxml import html as lhtml

    from pipeline.outputs.report.parts import office_anchor
    doc = lhtml.fromstring(audit_html.read_bytes())
    reports = pd.read_parquet(samples_run / "reports.parquet")
    offices = sorted(set(reports.office_id.dropna()))
    assert sorted(doc.xpath('//section[@class="office"]/@id')) == sorted(office_anchor(o) for o in offices)
    table = doc.xpath(f'//section[@id="{office_anchor("320102:人民政府")}"]//table[@class="compare"]')[0]
    head = [th.text_content() for th in table.xpath("./thead/tr/th")]
    assert head == ["项目", "2021", "2022", "2023", "Δ 2022", "% 2022", "Δ 2023", "% 2023"]
    row = next(tr for tr in table.xpath("./tbody/tr[@title]") if tr.get("title") == "requests.new.total")
    cells = [td.text_content() for td in row.xpath("./td")]
    assert cells == ["260", "637", "509", "+377", "+145.0%", "-128", "-20.1%"]       # panel: 260, 637, 509
    assert "requests" not in row.xpath("./th")[0].text_content()                     # a label, not a code


@pytest.mark.e2e
def test_a_blank_that_became_a_number_is_no_change(samples_run):
    """Across an office's years, Δ is the change of two numbers: a blank (or n/a) is no 0."""
    from pipeline.outputs.compare import Dataset, office_years
    ds = Dataset.read(samples_run)
    cells = pd.read_parquet(samples_run / "cells.parquet").merge(
        pd.read_parquet(samples_run / "reports.parquet")[["report_id", "office_id", "year", "canonical"]])
    cells = cells[cells.canonical]
    kinds = cells.pivot_table(index=["office_id", "table_code", "row_code", "col_code"], columns="year",
                              values="kind", aggfunc="first")
    found = 0
    for (office, t, r, c), years in kinds.iterrows():
        pairs = [(a, b) for a, b in zip(years.index, years.index[1:]) if {years[a], years[b]} == {"blank", "number"}]
        if not pairs:
            continue
        comp = office_years(ds, office)
        line = next(l for l in comp.lines if l.code == f"{t}.{r}.{c}")
        i = [col.year for col in comp.columns].index(pairs[0][0])
        assert line.delta(i, i + 1) == (None, None)
        assert {line.values[i].text(), line.values[i + 1].text()} & {"空白"}
        found += 1
    assert found > 0


@pytest.mark.e2e
def test_help_says_what_the_report_holds(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    for word in ("corrections.csv", "no network", "--region", "--year", "--level", "--office"):
        assert word in out, word


@pytest.mark.e2e
def test_a_region_prefix_selects_and_a_wrong_one_lists_the_regions(samples_run, tmp_path, capsys):
    assert main(["report", str(samples_run), "-o", str(tmp_path / "js.html"), "-q", "--region", "江苏"]) == 0
    from lxml import html as lhtml
    doc = lhtml.fromstring((tmp_path / "js.html").read_bytes())
    assert set(doc.xpath('//section[@class="office"]/@data-region')) == {"江苏省"}
    assert main(["report", str(samples_run), "-o", str(tmp_path / "x.html"), "-q", "--region", "江西"]) == 2
    err = capsys.readouterr().err
    assert "江苏省" in err and "浙江省" in err and not (tmp_path / "x.html").exists()
    assert main(["report", str(samples_run), "-o", str(tmp_path / "y.html"), "-q", "--year", "2022",
                 "--level", "县级"]) == 0
    doc = lhtml.fromstring((tmp_path / "y.html").read_bytes())
    assert set(doc.xpath('//section[@class="office"]/@data-level')) == {"county"}


@pytest.mark.unit
def test_a_files_region_is_its_province_or_that_of_its_division_code():
    from pipeline.outputs.select import UNKNOWN_REGION, region_of
    assert region_of({"province": "浙江省", "division_code": "330000"}) == "浙江省"
    assert region_of({"province": None, "division_code": "320102"}) == "江苏省"
    assert region_of({"province": "", "division_code": "000000"}) == UNKNOWN_REGION


@pytest.mark.unit
def test_a_line_chart_does_not_join_across_a_missing_year():
    from pipeline.outputs.report.charts import line_chart
    svg = line_chart([(2019, 1.0), (2020, 2.0), (2021, None), (2022, 4.0)], "t")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert all(f">{y}<" in svg for y in (2019, 2020, 2021, 2022))


@pytest.mark.unit
def test_every_rule_has_a_name():
    from pipeline import data
    from pipeline.core.findings import catalogue
    names = {r["id"] for r in data.rows("rule_names.csv")}
    assert set(catalogue()) <= names, set(catalogue()) - names


# ---- crops land on the cells they name, under the table's header ---------------------------------

def _decode(crop):
    from PIL import Image
    return Image.open(io.BytesIO(base64.b64decode(crop.data_uri.split(",", 1)[1]))).convert("RGB")


def _ink_inside_outline(image) -> int:
    """Dark pixels inside the red outline: the digits of the cell, when the box is in the right place."""
    import numpy as np
    a = np.asarray(image).astype(int)
    red = (a[:, :, 0] > 180) & (a[:, :, 1] < 80) & (a[:, :, 2] < 80)
    ys, xs = np.nonzero(red)
    assert len(ys), "no red outline drawn"
    inner = a[ys.min() + 3: ys.max() - 2, xs.min() + 3: xs.max() - 2]
    grey = np.abs(inner[:, :, 0] - inner[:, :, 1]) < 40             # ink is grey, the outline red
    return int(((inner.sum(axis=2) < 450) & grey).sum())


def _one_error_cell(samples_run, source):
    audit = load(samples_run)
    report = audit.reports[audit.reports.source == source].iloc[0]
    f = audit.findings[(audit.findings.report_id == report.report_id) & (audit.findings.severity == "error")]
    finding = f.iloc[0].to_dict()
    by_code = {code_of(c): c for c in audit.cells[audit.cells.report_id == report.report_id].to_dict("records")}
    return report, finding, by_code


@pytest.mark.e2e
def test_a_pdf_crop_outlines_the_printed_number(samples_run):
    report, finding, by_code = _one_error_cell(samples_run, "合肥市包河区人民政府_2020.pdf")
    made, left_out, problem = crops.crops_for_report(report, [finding], by_code)
    assert problem is None and left_out == 0
    (crop,) = made[finding["finding_id"]]
    assert _ink_inside_outline(_decode(crop)) > 10


@pytest.mark.e2e
def test_a_crop_holds_the_tables_header_band_above_the_rows(samples_run):
    """The crop of a cell far down table 三 shows the table's column headings (申请人情况 … 总计),
    found on the page above the table's first row, and the row's own label."""
    import pdfplumber
    report, finding, by_code = _one_error_cell(samples_run, "合肥市包河区人民政府_2020.pdf")
    cell = by_code[finding["cells"][0]]
    with pdfplumber.open(ROOT / "raw" / report.source) as pdf:
        page = pdf.pages[int(cell["page"]) - 1]
        heading = next(w for w in page.extract_words() if "申请人情况" in w["text"])
    starts = crops.table_starts(by_code.values())
    first_page, first_top = starts[cell["table_code"]]
    pages = crops.PageImages(ROOT / "raw" / report.source, "pdf_page")
    image, scale, (_, dy) = pages.page(first_page)
    top = crops._header_top(image, int((first_top + dy) * scale), scale)
    assert first_page == int(cell["page"]) and top / scale - dy < heading["top"] < first_top
    (crop,) = crops.crops_for_report(report, [finding], by_code)[0][finding["finding_id"]]
    rows_only = (cell["bbox"][3] - cell["bbox"][1] + 2 * crops.MARGIN_PT) * scale
    assert crop.height > rows_only + (first_top - heading["top"]) * scale * 0.8


@pytest.mark.e2e
def test_a_page_image_crop_uses_the_images_resolution(samples_run, tmp_path):
    """The same page as a 144-dpi PNG: boxes in points land on the same digits."""
    import pypdfium2 as pdfium
    report, finding, by_code = _one_error_cell(samples_run, "合肥市包河区人民政府_2020.pdf")
    page = int(by_code[finding["cells"][0]]["page"])
    pdf = pdfium.PdfDocument(str(ROOT / "raw" / report.source))
    pdf[page - 1].render(scale=2).to_pil().save(tmp_path / "page.png", dpi=(144, 144))
    pdf.close()
    image_report = {**report.to_dict(), "detected_format": "image", "input": str(tmp_path), "source": "page.png",
                    "ocr_pages": [1]}
    cells = {k: {**v, "page": 1} for k, v in by_code.items()}
    made, _, problem = crops.crops_for_report(image_report, [finding], cells)
    assert problem is None
    assert _ink_inside_outline(_decode(made[finding["finding_id"]][0])) > 10


@pytest.mark.e2e
def test_crops_are_limited_per_file_and_a_moved_file_is_said(samples_run, tmp_path):
    report, finding, by_code = _one_error_cell(samples_run, "合肥市包河区人民政府_2020.pdf")
    many = [{**finding, "finding_id": f"x{i}"} for i in range(crops.MAX_CROPS_PER_REPORT + 3)]
    made, left_out, _ = crops.crops_for_report(report, many, by_code)
    assert len(made) == crops.MAX_CROPS_PER_REPORT and left_out == 3
    moved = {**report.to_dict(), "input": str(tmp_path / "gone")}
    made, _, problem = crops.crops_for_report(moved, [finding], by_code)
    assert made == {} and "source file not found" in problem


# ---- in the browser -------------------------------------------------------------------------------

def _open(path, width=1280, height=900):
    why = browser.available()
    if why:
        absent(why)
    d = browser.driver(width, height)
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    d.get(browser.file_url(path))
    return d


@pytest.fixture(scope="module")
def page(audit_html):
    d = _open(audit_html)
    yield d
    d.quit()


@pytest.fixture(scope="module")
def phone(audit_html):
    d = _open(audit_html, 390, 844)
    yield d
    d.quit()


def _select(page, key, value):
    from selenium.webdriver.support.ui import Select
    Select(page.find_element("id", f"filter-{key}")).select_by_value(value)


def _shown_cards(page) -> int:
    return page.execute_script(
        "return Array.from(document.querySelectorAll('#evidence-list [data-finding]'))"
        ".filter(e => e.offsetParent !== null).length;")


def _stat(page, key) -> int:
    return int(page.find_element("css selector", f'[data-stat="{key}"] b').text)


@pytest.mark.browser
@pytest.mark.e2e
def test_no_script_errors_in_the_console(page):
    page.execute_script("document.getElementById('filter-severity').dispatchEvent(new Event('change'));")
    severe = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


@pytest.mark.browser
@pytest.mark.e2e
def test_the_page_loads_nothing_from_the_network(page):
    names = page.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert all(n.startswith(("data:", "file:", "blob:")) for n in names), names


@pytest.mark.browser
@pytest.mark.e2e
def test_screenshot_shows_the_overview_and_a_chart(page, tmp_path):
    from PIL import Image
    page.execute_script("window.scrollTo(0, 0);")
    assert page.find_element("id", "overview").is_displayed()
    chart = page.find_element("css selector", "#overview svg.chart")
    assert chart.is_displayed() and chart.size["width"] > 100
    shot = tmp_path / "overview.png"
    assert page.save_screenshot(str(shot))
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50                                        # text, bars, cards: not blank
    white = max(colours)[0] / (image.width * image.height)
    assert white < 0.9
    assert any(r > 180 and g < 60 and b < 60 for _, (r, g, b) in colours)    # the red bars of the errors


def _apart_kept(page) -> int:
    """Unverifiable and info flags the filters keep (their section is collapsed: counted by class)."""
    return page.execute_script(
        "return Array.from(document.querySelectorAll('#apart-list [data-finding]:not(.filtered-out)'))"
        ".reduce((a, e) => a + Number(e.getAttribute('data-n')), 0);")


@pytest.mark.parametrize("key", ["severity", "region", "year", "rule", "level"])
@pytest.mark.browser
@pytest.mark.e2e
def test_a_filter_shows_exactly_the_findings_it_names_and_the_overview_follows(page, flags, key):
    column = {"region": "province"}.get(key, key)
    review = flags[flags.severity.isin(["error", "warning"])]
    apart = flags[~flags.severity.isin(["error", "warning"])]
    page.find_element("id", "filter-reset").click()
    assert _shown_cards(page) == len(review) and _apart_kept(page) == len(apart)
    assert _stat(page, "severity-error") == 13
    value = "unverifiable" if key == "severity" else sorted(review[column].astype(str))[0]
    _select(page, key, value)
    expected = int((review[column].astype(str) == value).sum())
    assert expected != len(review)                     # the choice must change what is shown
    assert _shown_cards(page) == expected
    assert _apart_kept(page) == int((apart[column].astype(str) == value).sum())
    chosen = flags[flags[column].astype(str) == value]
    assert _stat(page, "severity-error") == int((chosen.severity == "error").sum())
    assert _stat(page, "severity-unverifiable") == int((chosen.severity == "unverifiable").sum())
    bars = page.execute_script(
        "return Array.from(document.querySelectorAll('svg[data-chart=\"rule\"] g.bar'))"
        ".reduce((a, g) => a + Number(g.querySelector('text.n').textContent), 0);")
    assert bars == int((chosen.severity == "error").sum())
    page.find_element("id", "filter-reset").click()
    assert _shown_cards(page) == len(review)


@pytest.mark.browser
@pytest.mark.e2e
def test_the_ranking_follows_the_year_and_level_filters(page, flags):
    page.find_element("id", "filter-reset").click()
    errors = flags[flags.severity == "error"]
    for key, value in (("year", "2023"), ("level", "county")):
        _select(page, key, value)
        want = errors[errors[key].astype(str) == value].groupby("office_id").size()
        shown = page.execute_script(
            "return Array.from(document.querySelectorAll('#top-offices tr[data-office-row]'))"
            ".filter(tr => !tr.hidden).map(tr => [tr.getAttribute('data-office-row'),"
            " Number(tr.querySelector('[data-n]').textContent)]);")
        assert dict(shown) == want.to_dict()
        assert [n for _, n in shown] == sorted(want.tolist(), reverse=True)
        page.find_element("id", "filter-reset").click()


@pytest.mark.browser
@pytest.mark.e2e
def test_every_file_with_an_error_is_on_the_page(page, samples_run):
    page.find_element("id", "filter-reset").click()
    every = pd.read_parquet(samples_run / "flags.parquet")
    for rid in sorted(set(every.loc[every.severity == "error", "report_id"])):
        assert page.find_elements("css selector", f'section.office tr[data-report="{rid}"]')


def _edit(page, card, code, value):
    box = page.find_element("css selector", f'#{card} tr[data-fix="{code}"] input.fix-value')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.clear()
    box.send_keys(value)


def _zhejiang_card(page, flags) -> str:
    f = flags[(flags.rule == "values.integer") & (flags.year == ZHEJIANG[1])]
    rid = f.report_id.item()
    return page.find_element("css selector", f'#evidence-list [data-report="{rid}"][data-rule="values.integer"]'
                             ).get_attribute("id")


@pytest.mark.browser
@pytest.mark.e2e
def test_copying_corrections_gives_the_changed_cells_once_keyed_by_office_and_year(page, flags):
    page.find_element("id", "filter-reset").click()
    button = page.find_element("css selector", 'button[data-copy="visible"]')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    assert page.find_element("id", "all-corrections").get_attribute("value").strip() == ",".join(CORRECTION_COLUMNS)
    card = _zhejiang_card(page, flags)
    _edit(page, card, "active.coercion.decisions", "2")
    page.find_element("css selector", f"#{card} input.fix-note").send_keys("原件为2")
    page.find_element("id", "fix-who").send_keys("王")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    rows = list(csv.reader(io.StringIO(page.find_element("id", "all-corrections").get_attribute("value"))))
    assert tuple(rows[0]) == CORRECTION_COLUMNS
    assert rows[1:] == [["", ZHEJIANG[0], str(ZHEJIANG[1]), "active", "coercion", "decisions", "2", "原件为2", "王"]]
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(page, 5).until(lambda _: button.text in ("已复制 copied", "请手动复制 copy by hand"))


@pytest.mark.browser
@pytest.mark.e2e
def test_a_correction_copied_from_a_card_fixes_every_form_and_raises_nothing_new(page, flags, samples_run, tmp_path):
    """The auditor corrects 2.5 to 2 in the card, copies, pastes into corrections.csv and runs
    again: every form of the report is corrected, its error is gone, nothing new is raised."""
    from pipeline.core.store import Workspace
    from pipeline.publish.datasets import publish
    page.find_element("id", "filter-reset").click()
    card = _zhejiang_card(page, flags)
    _edit(page, card, "active.coercion.decisions", "2")
    page.find_element("css selector", f'#{card} button[data-copy="{card.replace("f", "c-f", 1)}"]').click()
    text = page.find_element("id", "all-corrections").get_attribute("value")
    out = tmp_path / "out"
    shutil.copytree(samples_run, out)
    (out / "corrections.csv").write_text(text, encoding="utf-8")
    before = pd.read_parquet(out / "flags.parquet")
    publish(Workspace(out))
    cells, after = pd.read_parquet(out / "cells.parquet"), pd.read_parquet(out / "flags.parquet")
    reports = pd.read_parquet(out / "reports.parquet")
    forms = set(reports[(reports.office_id == ZHEJIANG[0]) & (reports.year == ZHEJIANG[1])].report_id)
    fixed = cells[cells.corrected]
    assert set(fixed.report_id) == forms and len(fixed) == 6 and set(fixed.value) == {2}
    review = ["error", "warning"]
    assert not (after.report_id.isin(forms) & (after.rule == "values.integer")).any()
    assert set(after[after.severity.isin(review)].flag) <= set(before[before.severity.isin(review)].flag)
    assert len(after[after.severity.isin(review)]) == len(before[before.severity.isin(review)]) - 6


@pytest.mark.browser
@pytest.mark.e2e
def test_the_same_cell_edited_in_two_cards_is_one_line(page):
    page.find_element("id", "filter-reset").click()
    keys = page.execute_script(
        "const seen = {}; for (const tr of document.querySelectorAll('tr[data-key]')) {"
        " const k = tr.getAttribute('data-key'); seen[k] = (seen[k] || 0) + 1; }"
        " return Object.keys(seen).filter(k => seen[k] > 1);")
    assert keys                                                    # the samples' balance errors share cells
    key = keys[0]
    first = page.find_element("css selector", f'tr[data-key="{key}"] input.fix-value')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", first)
    first.send_keys("1")
    values = page.execute_script(
        f"return Array.from(document.querySelectorAll('tr[data-key=\"{key}\"] input.fix-value')).map(i => i.value);")
    assert len(set(values)) == 1                                   # its other editors follow
    button = page.find_element("css selector", 'button[data-copy="visible"]')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    rows = list(csv.reader(io.StringIO(page.find_element("id", "all-corrections").get_attribute("value"))))
    office, year, code = key.split("|")
    mine = [r for r in rows[1:] if r[1] == office and r[2] == year and ".".join(r[3:6]) == code]
    assert len(mine) == 1
    page.execute_script(f"document.querySelectorAll('tr[data-key=\"{key}\"] input.fix-value')"
                        ".forEach(i => {{ i.value = i.defaultValue; }});")


@pytest.mark.browser
@pytest.mark.e2e
def test_offices_side_by_side_in_one_year(page, samples_run):
    from selenium.webdriver.support.ui import Select
    Select(page.find_element("id", "compare-year")).select_by_value("2021")
    ids = ["320102:人民政府", "320500:交通运输局", "510107:民政局"]
    for o in ids:
        box = page.find_element("css selector", f'#compare-offices input[value="{o}"]')
        page.execute_script("arguments[0].click();", box)
    head = page.execute_script("return Array.from(document.querySelectorAll('#compare-table thead th')).map(t => t.textContent);")
    assert len(head) == 4
    panel = pd.read_parquet(samples_run / "panel.parquet")
    row = page.execute_script(
        "const tr = Array.from(document.querySelectorAll('#compare-table tbody tr[title]'))"
        ".find(t => t.getAttribute('title') === 'requests.new.total');"
        " return Array.from(tr.querySelectorAll('td')).map(t => t.textContent);")
    want = [str(int(panel[(panel.office_id == o) & (panel.year == 2021)].requests__new__total.item())) for o in ids]
    assert sorted(row) == sorted(want)
    labels = page.execute_script("return Array.from(document.querySelectorAll('#compare-table tbody tr[title] th'))"
                                 ".map(t => t.textContent);")
    assert labels and not any("." in lab and lab.isascii() for lab in labels)
    saved = page.execute_async_script(
        "const done = arguments[arguments.length - 1]; const make = URL.createObjectURL;"
        "URL.createObjectURL = function (b) { URL.createObjectURL = make;"
        " b.arrayBuffer().then(a => done(Array.from(new Uint8Array(a)))); return make.call(URL, b); };"
        "document.getElementById('compare-csv').click();")
    text = bytes(saved).decode("utf-8")
    assert bytes(saved[:3]) == b"\xef\xbb\xbf"                       # a BOM: Excel reads it as UTF-8
    lines = list(csv.reader(io.StringIO(text[1:])))
    assert len(lines[0]) == 5 and any(line[1] == "requests.new.total" for line in lines)
    for o in ids:
        page.execute_script("arguments[0].click();", page.find_element("css selector", f'#compare-offices input[value="{o}"]'))


@pytest.mark.browser
@pytest.mark.e2e
def test_no_code_is_shown_where_a_label_exists(page):
    """What the auditor reads is labels: no rule id and no row or column code of the codebook
    in the page's visible text (codes stay in attributes and in the corrections lines)."""
    from pipeline.core.findings import catalogue
    from pipeline.formats import layout
    page.find_element("id", "filter-reset").click()
    page.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    text = page.execute_script("return document.body.innerText;")
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_.:]*[A-Za-z0-9_]", text))
    rules = set(catalogue()) & words
    codes = {c for t in layout.all_tables() for c in layout.rows_of(t, layout.LEGACY if t == layout.LEGACY else None)
             + layout.cols_of(t, layout.LEGACY if t == layout.LEGACY else None) if "_" in c} & words
    cells = {w for w in words if w.count(".") == 2 and w.split(".")[0] in layout.all_tables()}
    assert not rules and not codes and not cells, (rules, codes, cells)
    page.execute_script("document.querySelectorAll('details').forEach(d => d.open = false);")


@pytest.mark.browser
@pytest.mark.e2e
def test_unverifiable_and_info_are_apart_and_collapsed(page, flags):
    page.find_element("id", "filter-reset").click()
    box = page.find_element("id", "apart-box")
    assert box.get_attribute("open") is None
    assert not page.find_elements("css selector", '#evidence-list [data-severity="unverifiable"], '
                                                  '#evidence-list [data-severity="info"]')
    rows = page.find_elements("css selector", "#apart-list tr[data-finding]")
    assert rows and not any(r.is_displayed() for r in rows)
    apart = flags[flags.severity.isin(["unverifiable", "info"])]
    assert sum(int(r.get_attribute("data-n")) for r in rows) == len(apart)


@pytest.mark.browser
@pytest.mark.e2e
def test_printed_to_pdf_the_report_has_no_controls(page):
    """Chromium's print to PDF: the evidence without buttons, inputs and the filter bar."""
    import pypdfium2 as pdfium
    page.find_element("id", "filter-reset").click()
    pdf = base64.b64decode(page.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"])
    doc = pdfium.PdfDocument(pdf)
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "申请收支不平衡" in text and "错误与警告及其证据" in text
    for control in ("复制", "重置 reset", "筛选 filter", "更正为 correct to"):
        assert control not in text, control
    page.execute_script("document.body.classList.add('print-compare');")
    compare = pdfium.PdfDocument(base64.b64decode(page.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})["data"]))
    page.execute_script("document.body.classList.remove('print-compare');")
    assert len(compare) < len(doc)
    assert "机关对比" in compare[0].get_textpage().get_text_range()


@pytest.mark.browser
@pytest.mark.e2e
def test_on_a_phone_nothing_is_wider_than_the_screen_and_crops_stay_legible(phone):
    assert phone.execute_script("return window.innerWidth;") == 390
    assert phone.execute_script("return document.documentElement.scrollWidth;") <= 390
    bar = phone.find_element("id", "filters")
    assert bar.value_of_css_property("position") != "sticky"
    phone.execute_script("window.scrollTo(0, document.getElementById('evidence').offsetTop);")
    assert phone.execute_script("return document.getElementById('filters').getBoundingClientRect().bottom;") <= 0
    img = phone.find_element("css selector", "figure.crop img")
    natural = phone.execute_script("return arguments[0].naturalWidth;", img)
    shown = phone.execute_script("return arguments[0].getBoundingClientRect().width;", img)
    assert shown / natural * crops.RENDER_DPI / 72 >= 1.3          # a 9 pt digit at least 12 px high
    phone.execute_script("arguments[0].scrollIntoView(); arguments[0].closest('button').click();", img)
    layer = phone.find_element("id", "zoom")
    assert layer.is_displayed()
    big = phone.find_element("css selector", "#zoom img")
    assert phone.execute_script("return arguments[0].getBoundingClientRect().width;", big) > shown
    layer.click()
    assert not layer.is_displayed()
