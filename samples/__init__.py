"""Sample reports with known numbers: the official 2019 and 2021 layouts filled in, written as
PDF, text, DOCX, HTML (clean and Word-exported) and Markdown, and on request as image-only scans
(PDF, TIFF, zip of PNGs, harsh PDF scans), as saved web pages whose tables are pictures (.html
with its _files/ folder, .mht) and in the messy forms of converters and crawlers
(`md_converted`, `txt_crawl`), with ground truth in exactly the shared corpus's format.

    generate(out_dir, truth_dir)            -> the written report paths
    python -m samples OUT_DIR --truth TRUTH_DIR [--forms pdf md …] [--seed N] [--count N] [--legacy N] [--workers N]

Modules: `layouts` (the forms as data), `content` (the fixed offices, numbers, how they are
written, prose), `gazetteer`, `offices` and `plan` (the offices and years beyond the fixed set),
`truth` (flags and truth files), and one writer per form (`pdf`, `text`, `docx`, `html`,
`markdown`, `scan`, `html_images`, `md_converted`, `txt_crawl`). Reports from before 2019
(`--legacy N`): `legacy` (their tables, numbers, prose and flags), `legacy_plan` (which offices
and years, the offices that span 2019), and their own crawler text and converter Markdown
(`legacy_crawl`, `legacy_md`); the other writers draw them as any report. Every form of one
report has the same truth; the same seed gives the same bytes.

It is a package of its own, outside the pipeline it tests, and needs reportlab (the `samples`
extra: pip install 'ogi[samples]').
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Optional, Sequence

from . import content, truth

DEFAULT_FORMS = ("pdf", "txt", "docx", "html", "html_word", "md")
# Scans are written only on request (--forms scan): they are large, slow to make and need a CJK
# system font for pdfium; see `scan`.
SCAN_FORMS = ("scan", "scan_tif", "scan_png", "scan_harsh")
# Web pages whose tables are pictures, also on request: drawing the pictures needs the CJK font.
IMAGE_PAGE_FORMS = ("html_img", "mht")
# The messy forms real reports also come in, written only on request: a PDF-to-Markdown
# converter's output and a site archive's plain-text copy (`md_converted`, `txt_crawl`).
MESSY_FORMS = ("md_converted", "txt_crawl")
FORMS = DEFAULT_FORMS + SCAN_FORMS + IMAGE_PAGE_FORMS + MESSY_FORMS


def _writers() -> dict:
    """form -> (file name suffix, writer); imported lazily so that `content` alone stays light."""
    from . import docx, html, html_images, markdown, md_converted, pdf, scan, text, txt_crawl
    return {
        "pdf": (".pdf", pdf.write),
        "txt": (".txt", text.write),
        "docx": (".docx", docx.write),
        "html": (".html", html.write_clean),
        "html_word": ("_word.html", html.write_word),
        "md": (".md", markdown.write),
        "scan": ("_scan.pdf", scan.write),
        "scan_tif": ("_scan.tif", scan.write_tif),
        "scan_png": ("_scan.zip", scan.write_png_zip),
        "scan_harsh": ("_scan_harsh.pdf", scan.write_harsh),
        "html_img": ("_img.html", html_images.write_saved_page),
        "mht": (".mht", html_images.write_mht),
        "md_converted": ("_conv.md", md_converted.write),
        "txt_crawl": ("_crawl.txt", txt_crawl.write),
    }


def _legacy_writers() -> dict:
    """form -> writer of a legacy report where it differs from the national forms' (the crawler's
    run-together text: samples.legacy_crawl; the converter's Markdown is md_converted's, which
    hands a legacy report to samples.legacy_md)."""
    from . import legacy_crawl
    return {"txt_crawl": legacy_crawl.write}


def _write_forms(job: tuple) -> list:
    """Write one report in each of its forms; returns the paths. A unit of work for a worker:
    every writer draws only from the report's own random streams, so where it runs changes no
    byte."""
    report, forms, out_dir = job
    writers = _writers()
    own = _legacy_writers() if report.format == "legacy" else {}
    paths = []
    for form in forms:
        suffix, write = writers[form]
        write = own.get(form, write)
        path = out_dir / f"{report.stem}{suffix}"
        write(report, path)
        paths.append(path)
    return paths


PARALLEL_FROM = 50     # reports; fewer are written in this process (starting workers costs a second)


def generate(out_dir, truth_dir, forms: Sequence[str] = DEFAULT_FORMS, count: Optional[int] = None,
             seed: int = 0, workers: Optional[int] = None, legacy: int = 0) -> list:
    """Write `count` reports (default: the fixed set of 12) in each of `forms` to `out_dir`, and
    their truth to `truth_dir` (reports.csv, cells/<file>.csv, cross_year.csv; with legacy reports
    also offices.csv: the files of each office across its names and formats).

    `legacy` more reports from before 2019 (samples.legacy_plan: a fixed set, then offices of the
    gazetteer), each office's later reports (2019 on) with them where its series goes on.

    `workers` processes write the files (default: every core when there are PARALLEL_FROM
    reports or more, else this process alone); the bytes are the same either way. Workers are
    spawned, so a script calling this with workers needs the usual `if __name__ == "__main__":`.
    Returns the written report paths, in order: report by report, form by form.
    """
    writers = _writers()
    unknown = [f for f in forms if f not in writers]
    if unknown:
        raise ValueError(f"unknown form(s) {unknown}; known: {sorted(writers)}")
    out_dir, truth_dir = Path(out_dir), Path(truth_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (truth_dir / "cells").mkdir(parents=True, exist_ok=True)
    reports = content.build_reports(seed, count)
    if legacy:
        from . import legacy_plan
        reports += legacy_plan.build(seed, legacy)
    for r in reports:
        r.flags = truth.within_report_flags(r.cells) if r.format != "legacy" else _legacy_flags(r)
    if workers is None:
        workers = (os.cpu_count() or 1) if len(reports) >= PARALLEL_FROM else 1
    jobs = [(r, tuple(forms), out_dir) for r in reports]
    if workers > 1 and len(reports) > 1:
        # spawn, not fork: the caller may hold threads (OCR engines, thread pools) a fork would copy
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            written = list(pool.map(_write_forms, jobs, chunksize=8))
    else:
        written = [_write_forms(j) for j in jobs]
    paths, rows, series = [], [], []
    for r, report_paths in zip(reports, written):
        for path in report_paths:
            paths.append(path)
            rows.append(truth.report_row(path.name, r))
            truth.write_cells(truth_dir / "cells" / f"{path.name}.csv", r)
            if r.series:
                series.append({"series": r.series, "file": path.name})
    truth.write_reports(truth_dir / "reports.csv", rows)
    truth.write_cross_year(truth_dir / "cross_year.csv", truth.cross_year_rows(reports))
    if series:
        truth.write_series(truth_dir / "offices.csv", series)
    return paths


def _legacy_flags(report) -> list:
    from . import legacy
    return legacy.within_flags(report.cells)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Command line: python -m samples OUT_DIR --truth TRUTH_DIR [options]."""
    ap = argparse.ArgumentParser(prog="python -m samples",
                                 description="Generate sample annual reports with known truth.")
    ap.add_argument("out_dir", help="where the report files go")
    ap.add_argument("--truth", required=True, help="where reports.csv, cells/ and cross_year.csv go")
    ap.add_argument("--forms", nargs="+", default=list(DEFAULT_FORMS), choices=list(FORMS),
                    help="forms to write (default: all but the scans " + ", ".join(SCAN_FORMS)
                         + ", the pages with table pictures " + ", ".join(IMAGE_PAGE_FORMS)
                         + " and the messy forms " + ", ".join(MESSY_FORMS) + ")")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=None,
                    help=f"number of reports (default: the fixed set of {len(content.CORE)}; beyond it, "
                         "offices of the gazetteer, a few consecutive years each)")
    ap.add_argument("--workers", type=int, default=None,
                    help=f"processes writing files (default: every core from {PARALLEL_FROM} reports on)")
    ap.add_argument("--legacy", type=int, default=0,
                    help="also this many reports from before 2019 (provincial tables, the State Council's form, "
                         "text-only reports), with the later reports of the offices that go on after 2019")
    a = ap.parse_args(argv)
    try:
        paths = generate(a.out_dir, a.truth, forms=a.forms, count=a.count, seed=a.seed, workers=a.workers,
                         legacy=a.legacy)
    except ValueError as e:            # a count the gazetteer cannot give, a negative count
        ap.error(str(e))
    print(f"wrote {len(paths)} files to {a.out_dir}, truth to {a.truth}")
    return 0
