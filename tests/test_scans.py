"""Scanned reports end to end: OCR'd pages give the same cells as text reports, and no wrong
number goes out without a low-confidence flag on it — also on harsh scans (150 dpi, JPEG quality
40–60, skew up to 2°, pages upside down or sideways, one in the middle of table 三).
`benchmarks/scan_accuracy.py` measures the same over many more generated reports."""
from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest
from conftest import ROOT, TRUTH, need_engine, need_font

from pipeline.outputs.score import score
from pipeline.runtime.run import run

pytestmark = [pytest.mark.ocr, pytest.mark.e2e]

need_engine()
SCAN = "淮安市洪泽区人民政府_2023_scan.pdf"
RAW_TRUTH = ROOT / "raw" / "truth"
GENERATED = ("合肥市包河区人民政府_2019", "成都市武侯区民政局_2021", "泗阳县市场监督管理局_2022",
             "重庆市渝中区人民政府_2023")


def unflagged_wrong_numbers(out, truth_dir, source) -> list:
    """Cells whose number differs from the truth and carry no low-confidence mark."""
    with open(truth_dir / "cells" / f"{source}.csv", encoding="utf-8") as f:
        truth = {(r["table"], r["row"], r["col"]): r for r in csv.DictReader(f)}
    cells = pd.read_parquet(out / "cells.parquet")
    bad = []
    for c in cells[cells["source"] == source].itertuples():
        t = truth.get((c.table_code, c.row_code, c.col_code))
        if t is None or c.kind != "number" or c.low_confidence:
            continue
        if t["kind"] != "number" or abs(float(t["value"]) - c.value) > 1e-6:
            bad.append((c.table_code, c.row_code, c.col_code, c.raw, t["kind"], t["value"], c.ocr_confidence))
    return bad


# The real scan is scored against its truth with the rest of the corpus (test_real_corpus.py, on
# the session's run of the whole corpus); here, what is particular to a scan.

def test_real_scan_matches_the_truth_of_its_text_pdf(whole_corpus):
    [s] = score(whole_corpus, TRUTH, only={SCAN})
    assert s.cells_total == 186 and s.cells_right == s.cells_total, s.problems
    assert s.flags_ok, s.problems                       # the same two review_litigation flags
    assert unflagged_wrong_numbers(whole_corpus, TRUTH, SCAN) == []


def test_reports_say_which_pages_were_ocrd(whole_corpus):
    r = pd.read_parquet(whole_corpus / "reports.parquet").set_index("source").loc[SCAN]
    assert list(r["ocr_pages"]) == [1, 2, 3, 4, 5]
    cells = pd.read_parquet(whole_corpus / "cells.parquet")
    assert cells[cells["source"] == SCAN]["ocr_confidence"].notna().all()


@pytest.fixture(scope="module")
def generated_scans(tmp_path_factory):
    from samples import generate
    need_font()
    made = tmp_path_factory.mktemp("gen_scans")
    truth = tmp_path_factory.mktemp("gen_scans_truth")
    generate(made, truth, forms=("scan",))
    inp = tmp_path_factory.mktemp("gen_scans_in")
    for stem in GENERATED:
        shutil.copy(made / f"{stem}_scan.pdf", inp / f"{stem}_scan.pdf")
    out = tmp_path_factory.mktemp("gen_scans_out")
    run(inp, out, workers=2, progress=False)
    return out, truth


def test_generated_scans_read_at_least_995_percent(generated_scans):
    out, truth = generated_scans
    scores = score(out, truth)
    assert len(scores) == len(GENERATED)
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    assert right / total >= 0.995, [(s.file, s.problems[:5]) for s in scores]
    assert all(s.format_ok and s.office_ok and s.year_ok for s in scores)


def test_generated_scans_never_give_an_unflagged_wrong_number(generated_scans):
    out, truth = generated_scans
    for stem in GENERATED:
        assert unflagged_wrong_numbers(out, truth, f"{stem}_scan.pdf") == [], stem


@pytest.fixture(scope="module")
def image_forms(tmp_path_factory):
    """One report as a multi-page TIFF, another as a folder of page PNGs (from the PNG zip)."""
    import zipfile

    from samples import content, scan
    need_font()
    reports = {r.stem: r for r in content.build_reports(seed=0)}
    inp = tmp_path_factory.mktemp("images_in")
    scan.write_tif(reports["合肥市包河区人民政府_2019"], inp / "合肥市包河区人民政府_2019_scan.tif")
    z = scan.write_png_zip(reports["南京市玄武区人民政府_2022"], tmp_path_factory.mktemp("zip") / "p.zip")
    folder = inp / "南京市玄武区人民政府_2022_pages"
    with zipfile.ZipFile(z) as zf:
        zf.extractall(folder)
    out = tmp_path_factory.mktemp("images_out")
    run(inp, out, workers=2, progress=False)
    truth = tmp_path_factory.mktemp("images_truth")
    (truth / "cells").mkdir()
    with open(RAW_TRUTH / "reports.csv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    made = {"合肥市包河区人民政府_2019_scan.tif": "合肥市包河区人民政府_2019.pdf",
            "南京市玄武区人民政府_2022_pages": "南京市玄武区人民政府_2022.pdf"}
    with open(truth / "reports.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows["合肥市包河区人民政府_2019.pdf"]))
        w.writeheader()
        for new, src in made.items():
            w.writerow({**rows[src], "file": new})
            shutil.copy(RAW_TRUTH / "cells" / f"{src}.csv", truth / "cells" / f"{new}.csv")
    return out, truth


def test_tiff_and_a_folder_of_pages_are_reports(image_forms):
    out, truth = image_forms
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    assert set(reports.index) == {"合肥市包河区人民政府_2019_scan.tif", "南京市玄武区人民政府_2022_pages"}
    assert (reports["detected_format"] == "image").all()
    assert all(len(p) == n for p, n in zip(reports["ocr_pages"], reports["pages"]))
    scores = score(out, truth)
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    assert right / total >= 0.995, [(s.file, s.problems[:5]) for s in scores]
    for s in scores:
        assert unflagged_wrong_numbers(out, truth, s.file) == []


HARSH = ("南京市玄武区人民政府_2021", "合肥市包河区人民政府_2019")   # 180° and 90° mid-table pages


@pytest.fixture(scope="module")
def harsh_scans(tmp_path_factory):
    """Two harsh scans whose page where table 三 continues is turned (180°, 90°), with their
    truth written as `samples.generate` writes it."""
    from samples import content, pdf, scan
    from samples import truth as T
    need_font()
    inp, truth = tmp_path_factory.mktemp("harsh_in"), tmp_path_factory.mktemp("harsh_truth")
    text = tmp_path_factory.mktemp("harsh_text")
    (truth / "cells").mkdir()
    reports = {r.stem: r for r in content.build_reports(0) if r.stem in HARSH}
    rows, turned = [], {}
    for stem, r in reports.items():
        r.flags = T.within_report_flags(r.cells)
        name = f"{stem}_scan_harsh.pdf"
        scan.write_harsh(r, inp / name)
        text_pdf = pdf.write(r, text / f"{stem}.pdf")
        turned[stem] = scan.turned_pages(r, text_pdf)
        assert scan.continuation_page(r, text_pdf) in turned[stem]   # table 三 goes on on a turned page
        rows.append(T.report_row(name, r))
        T.write_cells(truth / "cells" / f"{name}.csv", r)
    T.write_reports(truth / "reports.csv", rows)
    out = tmp_path_factory.mktemp("harsh_out")
    run(inp, out, workers=2, progress=False)
    return out, truth, turned


def test_harsh_scans_with_turned_pages_mid_table(harsh_scans):
    out, truth, turned = harsh_scans
    assert {d for t in turned.values() for d in t.values()} >= {90, 180}
    scores = score(out, truth)
    assert len(scores) == len(HARSH)
    right = sum(s.cells_right for s in scores)
    total = sum(s.cells_total for s in scores)
    assert right / total >= 0.995, [(s.file, s.problems[:5]) for s in scores]
    assert all(s.format_ok and s.office_ok and s.year_ok for s in scores)
    for stem in HARSH:
        assert unflagged_wrong_numbers(out, truth, f"{stem}_scan_harsh.pdf") == [], stem
    reports = pd.read_parquet(out / "reports.parquet")
    assert (reports["status"] == "ok").all(), reports[["source", "status"]]
