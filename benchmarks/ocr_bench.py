"""OCR throughput: our `ocr_pdf_pages` against the bare engine, and what the triage saves.

    .venv/bin/python benchmarks/ocr_bench.py [--scan PDF] [--text PDF] [--pages 1,2,3] [--dpi 200]

Prints pages/second of `ocr_pdf_pages` (render + read + straighten + grids + cells) and of
RapidOCR called directly on the same rendered images with the same models and settings, and the
ratio of their times (goal: ours ≤ 1.2× the engine's). Each page is timed both ways back to back,
alternating which goes first, so load from other processes on the machine hits both alike. Then
times `page_ocr_reason` over every page of the text PDF against what OCR of those pages would
have cost at the measured rate.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("OGI_CORPUS", ROOT.parent / "shared" / "corpus"))
SCAN = CORPUS / "real" / "淮安市洪泽区人民政府_2023_scan.pdf"
TEXT = CORPUS / "real" / "淮安市洪泽区人民政府_2023.pdf"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scan", type=Path, default=SCAN)
    ap.add_argument("--text", type=Path, default=TEXT)
    ap.add_argument("--pages", default="", help="1-based pages of the scan (default: all)")
    ap.add_argument("--dpi", type=float, default=200)
    args = ap.parse_args(argv)
    if not args.scan.exists():
        print(f"no scan at {args.scan}; set OGI_CORPUS or pass --scan")
        return 2

    import pdfplumber
    from rapidocr import RapidOCR

    from pipeline.ocr import engine, ocr_pdf_pages, page_ocr_reason, render

    with render.open_pdf(args.scan) as pdf:
        n_pages = len(pdf)
        pages = [int(p) for p in args.pages.split(",") if p] or list(range(1, n_pages + 1))
        images = {n: render.render_page(pdf, n, args.dpi)[0] for n in pages}

    bare = RapidOCR(params=engine.engine_params())   # same models, same settings, public call
    warm = images[pages[0]]
    bare(warm)
    ocr_pdf_pages(args.scan, pages[:1], dpi=args.dpi)  # load our engine instance too

    ours_t = bare_t = 0.0
    for k, n in enumerate(pages):
        runs = [("ours", lambda: ocr_pdf_pages(args.scan, [n], dpi=args.dpi)),
                ("bare", lambda: bare(images[n]))]
        for name, fn in (runs if k % 2 == 0 else runs[::-1]):
            t = time.perf_counter()
            fn()
            dt = time.perf_counter() - t
            if name == "ours":
                ours_t += dt
            else:
                bare_t += dt
        print(f"  page {n}: ours {ours_t:7.2f} s cumulative, engine {bare_t:7.2f} s cumulative")

    n = len(pages)
    print(f"pages: {n} at {args.dpi:g} dpi   (load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores)")
    print(f"ocr_pdf_pages : {n / ours_t:6.3f} pages/s  ({ours_t / n:5.2f} s/page, incl. render)")
    print(f"bare engine   : {n / bare_t:6.3f} pages/s  ({bare_t / n:5.2f} s/page)")
    ratio = ours_t / bare_t
    print(f"ratio ours/engine time: {ratio:.3f}  (goal ≤ 1.2: {'met' if ratio <= 1.2 else 'NOT met'})")

    if args.text.exists():
        t = time.perf_counter()
        with pdfplumber.open(args.text) as pdf:
            reasons = [page_ocr_reason(p) for p in pdf.pages]
        decide = time.perf_counter() - t
        would = len(reasons) * ours_t / n
        print(f"page_ocr_reason on {args.text.name}: {len(reasons)} pages decided in "
              f"{decide:.3f} s ({decide / len(reasons) * 1000:.1f} ms/page, incl. opening), "
              f"reasons {reasons}")
        print(f"OCR of those pages would take ≈ {would:.1f} s: triage saves ≈ {would - decide:.1f} s "
              f"({would / max(decide, 1e-9):.0f}× faster than OCR'ing)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
