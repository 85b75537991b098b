"""`ogi report`: the audit report of the samples' dataset, checked as a file and in a real
headless Chromium (selenium; the browser tests skip when chromium or chromedriver is absent)."""
from __future__ import annotations

import base64
import csv
import io
import re

import browser
import pandas as pd
import pytest
from conftest import ROOT, absent

from pipeline.cli import main
from pipeline.outputs.report import build_report, crops, load
from pipeline.outputs.report.evidence import CORRECTION_COLUMNS, code_of


@pytest.fixture(scope="module")
def audit_html(samples_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("audit") / "audit.html"
    assert main(["report", str(samples_run), "-o", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def flags(samples_run):
    return pd.read_parquet(samples_run / "flags.parquet").merge(
        pd.read_parquet(samples_run / "reports.parquet")[["report_id", "province", "year"]], on="report_id")


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


@pytest.mark.unit
def test_a_folder_without_a_dataset_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "a.html")]) == 2
    err = capsys.readouterr().err
    assert "holds no dataset" in err and "ogi run" in err
    assert not (tmp_path / "a.html").exists()


@pytest.mark.e2e
def test_every_error_has_a_card_with_its_correction_lines(samples_run, audit_html, flags):
    text = audit_html.read_text(encoding="utf-8")
    errors = flags[flags.severity == "error"]
    cards = re.findall(r'<article class="finding-card error"[^>]*data-report="([0-9a-f]+)"', text)
    assert sorted(cards) == sorted(errors.report_id)
    lines = re.findall(r'<textarea id="c-f\d+" class="corr" rows="\d+">([^<]*)</textarea>', text)
    rows = [r for block in lines for r in csv.reader(io.StringIO(block.replace("&quot;", '"')))]
    assert rows and all(len(r) == len(CORRECTION_COLUMNS) for r in rows)
    cells = pd.read_parquet(samples_run / "cells.parquet")
    known = {(r.report_id, r.table_code, r.row_code, r.col_code) for r in cells.itertuples()}
    assert all((r[0], r[3], r[4], r[5]) in known for r in rows if r[6] != "")


@pytest.mark.e2e
def test_every_office_has_its_section_and_the_year_over_year_marks_exactly_the_changes(samples_run, audit_html):
    from lxml import html as lhtml

    from pipeline.formats import layout
    from pipeline.outputs.report.parts import office_anchor
    doc = lhtml.fromstring(audit_html.read_bytes())
    reports = pd.read_parquet(samples_run / "reports.parquet")
    offices = sorted(set(reports.office_id.dropna()))
    assert sorted(doc.xpath('//section[@class="office"]/@id')) == sorted(office_anchor(o) for o in offices)
    panel = pd.read_parquet(samples_run / "panel.parquet")
    office, a, b = "320102:人民政府", 2022, 2023
    rows = panel[panel.office_id == office].set_index("year")
    assert rows.loc[a, "format_version"] == rows.loc[b, "format_version"] == "2021"
    differ = [f"{t}__{r}__{c}" for t, r, c in sorted(layout.cells_of("2021"))
              if not (pd.isna(rows.loc[a, f"{t}__{r}__{c}"]) and pd.isna(rows.loc[b, f"{t}__{r}__{c}"]))
              and not rows.loc[a, f"{t}__{r}__{c}"] == rows.loc[b, f"{t}__{r}__{c}"]]
    pair = doc.xpath(f'//*[@id="yoy-{office_anchor(office)}"]/div[@data-pair="{a}-{b}"]')[0]
    assert len(pair.xpath('.//td[contains(@class, "changed")]')) == 2 * len(differ) > 0


@pytest.mark.unit
def test_help_says_what_the_report_holds(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "corrections.csv" in out and "no network" in out


@pytest.mark.unit
def test_a_files_region_is_its_province_or_that_of_its_division_code():
    from pipeline.outputs.report.data import UNKNOWN_REGION, region_of
    assert region_of({"province": "浙江省", "division_code": "330000"}) == "浙江省"
    assert region_of({"province": None, "division_code": "320102"}) == "江苏省"
    assert region_of({"province": "", "division_code": "000000"}) == UNKNOWN_REGION


@pytest.mark.unit
def test_a_line_chart_does_not_join_across_a_missing_year():
    from pipeline.outputs.report.charts import line_chart
    svg = line_chart([(2019, 1.0), (2020, 2.0), (2021, None), (2022, 4.0)], "t")
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert all(f">{y}<" in svg for y in (2019, 2020, 2021, 2022))


# ---- crops land on the cells they name ------------------------------------------------------------

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
    assert crop.width <= crops.MAX_WIDTH_PX
    assert _ink_inside_outline(_decode(crop)) > 10


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

@pytest.fixture(scope="module")
def page(audit_html):
    why = browser.available()
    if why:
        absent(why)
    d = browser.driver()
    d.get(browser.file_url(audit_html))
    yield d
    d.quit()


def _select(page, key, value):
    from selenium.webdriver.support.ui import Select
    Select(page.find_element("id", f"filter-{key}")).select_by_value(value)


def _shown_cards(page) -> int:
    return page.execute_script(
        "return Array.from(document.querySelectorAll('#evidence-list [data-finding]'))"
        ".filter(e => e.offsetParent !== null).length;")


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
    assert all(n.startswith(("data:", "file:")) for n in names), names


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


@pytest.mark.parametrize("key", ["severity", "region", "year", "rule"])
@pytest.mark.browser
@pytest.mark.e2e
def test_a_filter_shows_exactly_the_findings_it_names(page, flags, key):
    column = {"region": "province"}.get(key, key)
    review = flags[flags.severity.isin(["error", "warning"])]
    apart = flags[~flags.severity.isin(["error", "warning"])]
    page.find_element("id", "filter-reset").click()
    assert _shown_cards(page) == len(review) and _apart_kept(page) == len(apart)
    value = "unverifiable" if key == "severity" else sorted(review[column].astype(str))[0]
    _select(page, key, value)
    expected = int((review[column].astype(str) == value).sum())
    assert expected != len(review)                     # the choice must change what is shown
    assert _shown_cards(page) == expected
    assert _apart_kept(page) == int((apart[column].astype(str) == value).sum())
    page.find_element("id", "filter-reset").click()
    assert _shown_cards(page) == len(review)


@pytest.mark.browser
@pytest.mark.e2e
def test_every_file_with_an_error_is_on_the_page(page, flags):
    page.find_element("id", "filter-reset").click()
    for rid in sorted(set(flags.loc[flags.severity == "error", "report_id"])):
        card = page.find_element("css selector", f'#evidence-list [data-report="{rid}"][data-severity="error"]')
        assert card.is_displayed()
        assert page.find_elements("css selector", f'section.office tr[data-report="{rid}"]')


@pytest.mark.browser
@pytest.mark.e2e
def test_the_year_over_year_picker_shows_one_pair_of_years(page):
    from selenium.webdriver.support.ui import Select
    select = next(s for s in page.find_elements("css selector", "select[data-yoy]")
                  if len(s.find_elements("tag name", "option")) > 1)
    box = page.find_element("id", select.get_attribute("data-yoy"))
    page.execute_script("arguments[0].closest('details').open = true; arguments[0].scrollIntoView();", select)
    first = select.find_elements("tag name", "option")[0].get_attribute("value")
    Select(select).select_by_value(first)
    shown = [d.get_attribute("data-pair") for d in box.find_elements("css selector", "[data-pair]") if d.is_displayed()]
    assert shown == [first]
    assert box.find_elements("css selector", f'[data-pair="{first}"] td.changed')


@pytest.mark.browser
@pytest.mark.e2e
def test_copying_the_visible_corrections_fills_one_line_per_cell(page):
    page.find_element("id", "filter-reset").click()
    _select(page, "severity", "error")
    button = page.find_element("css selector", 'button[data-copy="visible"]')
    page.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    text = page.find_element("id", "all-corrections").get_attribute("value")
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CORRECTION_COLUMNS
    cells = page.execute_script(
        "return Array.from(document.querySelectorAll('#evidence-list [data-finding]'))"
        ".filter(e => e.offsetParent !== null).map(e => e.querySelectorAll('li').length)"
        ".reduce((a, b) => a + b, 0);")
    assert len(rows) - 1 == cells > 0
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(page, 5).until(lambda _: button.text in ("已复制 copied", "请手动复制 copy by hand"))


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
