"""Image-only scans of generated reports (`samples.scan`): stable bytes, no text layer,
the text PDF's page size, skew and dpi in the stated ranges, and truth rows like any other form.

pdfium draws the text PDF's Chinese only with a CJK system font (Debian: fonts-wqy-microhei);
without one the scans are skipped, and `scan.write` must refuse rather than drop the Chinese.
"""
from __future__ import annotations

import csv
import io
import zipfile

import numpy as np
import pdfplumber
import pytest
from PIL import Image

from pipeline.ingest.sniff import sniff
from samples import content, generate, scan

needs_font = pytest.mark.usefixtures("cjk_font")     # rendering the pages needs a CJK font (conftest)


def _seed_at_150_dpi() -> int:
    """A seed whose first report is scanned at 150 dpi: the smallest, fastest scan."""
    return next(s for s in range(100) if scan.params(content.build_reports(s, 1)[0]).dpi == 150)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """One report as its text PDF and in the three scan forms, through `generate`."""
    out, truth = tmp_path_factory.mktemp("scan_out"), tmp_path_factory.mktemp("scan_truth")
    seed = _seed_at_150_dpi()
    paths = generate(out, truth, forms=("pdf", "scan", "scan_tif", "scan_png"), count=1, seed=seed)
    report = content.build_reports(seed, 1)[0]
    return report, {p.name[len(report.stem):]: p for p in paths}, truth


def _skew(im: Image.Image) -> float:
    """The rotation (degrees, counter-clockwise) that the page's text lines show: undoing it
    makes the rows' ink profile sharpest."""
    im = im.reduce(4)
    def sharpness(a):
        ink = 255 - np.asarray(im.rotate(-a, resample=Image.Resampling.BILINEAR, fillcolor=255), dtype=np.float32)
        return float(np.square(np.diff(ink.sum(axis=1))).sum())
    return max(np.arange(-1.5, 1.51, 0.1), key=sharpness)


@pytest.mark.unit
def test_params_in_range():
    for seed in range(3):
        for r in content.build_reports(seed):
            p = scan.params(r)
            assert 150 <= p.dpi <= 300
            assert scan.ANGLE_RANGE[0] <= abs(p.angle) <= scan.ANGLE_RANGE[1]
            assert p == scan.params(r)


@pytest.mark.unit
def test_missing_cjk_font_is_an_error_naming_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(scan, "cjk_font_available", lambda: False)
    report = content.build_reports(0, 1)[0]
    with pytest.raises(scan.MissingCJKFont, match="fonts-wqy-microhei"):
        scan.write(report, tmp_path / "x_scan.pdf")
    assert not (tmp_path / "x_scan.pdf").exists()


@needs_font
@pytest.mark.e2e
def test_same_report_same_bytes(scanned, tmp_path):
    report, files, _ = scanned
    again = scan.write(report, tmp_path / files["_scan.pdf"].name)
    assert again.read_bytes() == files["_scan.pdf"].read_bytes()
    assert b"CreationDate" not in again.read_bytes()


@needs_font
@pytest.mark.e2e
def test_scan_pdf_is_images_only_at_the_text_pdfs_page_size(scanned):
    report, files, _ = scanned
    p = scan.params(report)
    with pdfplumber.open(files[".pdf"]) as text, pdfplumber.open(files["_scan.pdf"]) as img:
        assert len(img.pages) == len(text.pages)
        for tp, ip in zip(text.pages, img.pages):
            assert ip.chars == [] and ip.extract_text() == ""
            assert abs(ip.width - tp.width) < 0.01 and abs(ip.height - tp.height) < 0.01
            [im] = ip.images
            assert abs(im["srcsize"][0] / (ip.width / 72) - p.dpi) < 1
        page = Image.open(io.BytesIO(img.pages[0].images[0]["stream"].get_rawdata()))
    assert page.mode == "L"
    assert abs(_skew(page) - p.angle) <= 0.15
    assert sniff(files["_scan.pdf"]) == "pdf"


@needs_font
@pytest.mark.e2e
def test_tif_and_png_zip_record_the_dpi(scanned):
    report, files, _ = scanned
    p = scan.params(report)
    with pdfplumber.open(files[".pdf"]) as text:
        n = len(text.pages)
    with Image.open(files["_scan.tif"]) as tif:
        assert tif.n_frames == n and tif.mode == "L"
        assert tuple(round(d) for d in tif.info["dpi"]) == (p.dpi, p.dpi)
    with zipfile.ZipFile(files["_scan.zip"]) as z:
        names = z.namelist()
        assert names == [f"{report.stem}_scan_p{k}.png" for k in range(1, n + 1)]
        with Image.open(io.BytesIO(z.read(names[0]))) as png:
            assert png.mode == "L" and round(png.info["dpi"][0]) == p.dpi
    assert sniff(files["_scan.zip"]) == "image"


@needs_font
@pytest.mark.e2e
def test_every_scan_form_gets_the_reports_truth(scanned):
    report, files, truth = scanned
    with open(truth / "reports.csv", encoding="utf-8", newline="") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    pdf_row = rows[files[".pdf"].name]
    for suffix in ("_scan.pdf", "_scan.tif", "_scan.zip"):
        name = files[suffix].name
        assert {**rows[name], "file": ""} == {**pdf_row, "file": ""}
        cells = (truth / "cells" / f"{name}.csv").read_bytes()
        assert cells == (truth / "cells" / f"{files['.pdf'].name}.csv").read_bytes()


@pytest.mark.unit
def test_harsh_params_in_range():
    reports = [r for seed in range(3) for r in content.build_reports(seed)]
    ps = [scan.harsh_params(r) for r in reports]
    for h in ps:
        assert h.scan.dpi == scan.HARSH_DPI == 150
        assert abs(h.scan.angle) <= scan.HARSH_ANGLE and 40 <= h.scan.quality <= 60
        assert h.turns in (1, 2) and len(h.degrees) == h.turns and set(h.degrees) <= {90, 180, 270}
    assert any(h.mid_table for h in ps) and not all(h.mid_table for h in ps)


@needs_font
@pytest.mark.e2e
def test_harsh_scan_turns_its_sheets_and_keeps_the_truth(tmp_path):
    """A harsh scan: stable bytes, image-only, each turned sheet turned in the PDF (a sideways one
    is a landscape page), and the same truth row as the report's text PDF."""
    report = next(r for r in content.build_reports(0) if r.stem == "合肥市包河区人民政府_2019")
    paths = generate(tmp_path / "out", tmp_path / "truth", forms=("pdf", "scan_harsh"), count=3)
    harsh = next(p for p in paths if p.name == f"{report.stem}_scan_harsh.pdf")
    text = next(p for p in paths if p.name == f"{report.stem}.pdf")
    assert scan.write_harsh(report, tmp_path / harsh.name).read_bytes() == harsh.read_bytes()
    turned = scan.turned_pages(report, text)
    assert turned == {scan.continuation_page(report, text): 90}
    with pdfplumber.open(text) as t, pdfplumber.open(harsh) as h:
        assert len(h.pages) == len(t.pages)
        for n, (tp, hp) in enumerate(zip(t.pages, h.pages), start=1):
            assert hp.chars == []
            size = (hp.width, hp.height) if turned.get(n, 0) in (0, 180) else (hp.height, hp.width)
            assert abs(size[0] - tp.width) < 1 and abs(size[1] - tp.height) < 1, n
    with open(tmp_path / "truth" / "reports.csv", encoding="utf-8", newline="") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    assert {**rows[harsh.name], "file": ""} == {**rows[text.name], "file": ""}


@needs_font
@pytest.mark.e2e
def test_pages_with_table_pictures(tmp_path):
    """The saved page refers to its three pictures by relative src inside <stem>_files/; the .mht
    holds the same page and the pictures as parts at the addresses the page gives; same bytes."""
    import email
    import re
    from urllib.parse import unquote

    from samples import html_images

    report = content.build_reports(0, 1)[0]
    page = html_images.write_saved_page(report, tmp_path / f"{report.stem}_img.html")
    srcs = [s for s in re.findall(r'<img src="([^"]+)"', page.read_text(encoding="utf-8"))
            if s != "/images/logo.png"]                              # the portal's logo, in the header
    assert len(srcs) == 3 and all(s.startswith("./") for s in srcs)
    files = sorted(p.name for p in (tmp_path / f"{report.stem}_img_files").iterdir())
    assert sorted(unquote(s).split("/")[-1] for s in srcs) == files
    assert sniff(page) == "html"
    single = html_images.write_mht(report, tmp_path / f"{report.stem}.mht")
    again = html_images.write_mht(report, tmp_path / "again.mht")
    assert single.read_bytes() == again.read_bytes() and sniff(single) == "mht"
    msg = email.message_from_bytes(single.read_bytes())
    parts = [p for p in msg.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in parts][0] == "text/html"
    html = parts[0].get_payload(decode=True).decode("utf-8")
    pictures = [s for s in re.findall(r'<img src="([^"]+)"', html) if s != "/images/logo.png"]
    assert sorted(pictures) == sorted(p["Content-Location"] for p in parts[1:])
    assert {p.get_content_type() for p in parts[1:]} <= {"image/png", "image/jpeg"}
