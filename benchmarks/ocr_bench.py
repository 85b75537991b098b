"""OCR cost: our OCR path and `ogi run` end to end against the bare engine, in CPU seconds.

    .venv/bin/python benchmarks/ocr_bench.py [SCAN.pdf …] [--dpi 200] [--threads 1] [--generated N]

For each scanned PDF (default: the shared corpus's real scan; `--generated N` adds the first N
generated reports' harsh scans, `samples.scan.write_harsh`), prints
- per page: the bare engine's CPU seconds on the page rendered at `--dpi` (RapidOCR's public call,
  same models and settings: det → cls → rec of every line), ours (`ocr_pdf_pages` on that page:
  render, detect, orient, grids, recognise, assign), and their ratio;
- per report: the bare engine's CPU seconds per page over all pages, `ogi run` end to end on the
  file alone (a fresh process: start-up, ingest, triage, OCR, segment, extract, check, publish;
  its worker processes included) per page, and the ratio (goal ≤ 0.6);
- with several reports, also one `ogi run` over all of them: the fresh process's start-up
  (Python, imports, model loading: ~2–3 CPU s) is paid once, as in a national run, and the ratio
  is the cost per report of such a run.

CPU time, not wall time: the machine may be shared and loaded, and CPU time is what the work
costs. Every figure of one report is measured in the same run, interleaved (the bare pass before
and after `ogi run`, averaged), so that load from other processes hits both alike. Both sides use
`--threads` onnxruntime threads (default 1: what `ogi run` gives each worker on a machine with as
many workers as cores).
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = Path(os.environ.get("OGI_CORPUS", ROOT.parent / "shared" / "corpus"))
SCAN = CORPUS / "real" / "淮安市洪泽区人民政府_2023_scan.pdf"
TEXT = CORPUS / "real" / "淮安市洪泽区人民政府_2023.pdf"
GOAL = 0.6


def children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cpu(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def end_to_end(paths: list, dpi: float, threads: int) -> float:
    """CPU seconds of `ogi run` on a folder holding only `paths` (copies: a link out of the input
    folder is not followed by default), in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        inp.mkdir()
        for path in paths:
            shutil.copy(path, inp / path.name)
        before = children_cpu()
        subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "-o", str(out), "--quiet",
                        "--workers", "1", "--ocr-threads", str(threads), "--ocr-dpi", f"{dpi:g}"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        return children_cpu() - before


def bench(path: Path, dpi: float, threads: int, bare, per_page: bool) -> tuple:
    from pipeline.readers.ocr import ocr_pdf_pages, render

    with render.open_pdf(path) as pdf:
        n_pages = len(pdf)
        images = [render.render_page(pdf, n, dpi)[0] for n in range(1, n_pages + 1)]
    print(f"{path.name}: {n_pages} pages at {dpi:g} dpi, {threads} thread(s)")
    if per_page:
        for n, img in enumerate(images, start=1):
            runs = [("bare", lambda: bare(img)), ("ours", lambda: ocr_pdf_pages(path, [n], dpi, threads))]
            t = {}
            for name, fn in (runs if n % 2 else runs[::-1]):
                t[name] = cpu(fn)
            print(f"  page {n}: bare engine {t['bare']:6.2f} CPU s, ours {t['ours']:6.2f} CPU s, "
                  f"ratio {t['ours'] / t['bare']:.2f}")
    bare_all = lambda: [bare(img) for img in images]      # noqa: E731
    before = cpu(bare_all)
    ours = end_to_end([path], dpi, threads)
    after = cpu(bare_all)
    engine_s = (before + after) / 2
    ratio = ours / engine_s
    print(f"  report: bare engine {engine_s / n_pages:5.2f} CPU s/page (passes {before:.1f} s, {after:.1f} s), "
          f"ogi run end to end {ours / n_pages:5.2f} CPU s/page, ratio {ratio:.2f} "
          f"(goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'NOT met'})")
    return engine_s, ours, n_pages


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scans", nargs="*", type=Path, help=f"scanned PDFs (default: {SCAN.name})")
    ap.add_argument("--dpi", type=float, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--generated", type=int, default=0, metavar="N",
                    help="also the harsh scans of the first N generated reports")
    ap.add_argument("--no-pages", action="store_true", help="only the per-report figures")
    args = ap.parse_args(argv)
    scans = list(args.scans) or ([SCAN] if SCAN.exists() else [])
    tmp = None
    if args.generated:
        from samples import content, scan
        tmp = Path(tempfile.mkdtemp(prefix="ocr_bench_"))
        for r in content.build_reports(0, args.generated):
            scans.append(scan.write_harsh(r, tmp / f"{r.stem}_scan_harsh.pdf"))
    if not scans:
        print(f"no scan at {SCAN}; set OGI_CORPUS, pass a PDF or --generated N")
        return 2

    from rapidocr import RapidOCR

    from pipeline.readers.ocr import engine, ocr_pdf_pages, render

    bare = RapidOCR(params=engine.engine_params(args.threads))   # same models and settings, public call
    with render.open_pdf(scans[0]) as pdf:
        warm = render.render_page(pdf, 1, args.dpi)[0]
    bare(warm)
    ocr_pdf_pages(scans[0], [1], args.dpi, args.threads)            # load our engine too
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    totals = [bench(p, args.dpi, args.threads, bare, not args.no_pages) for p in scans]
    if len(totals) > 1:
        e, o, n = (sum(t[k] for t in totals) for k in range(3))
        print(f"all {len(totals)} reports, {n} pages: bare engine {e / n:.2f} CPU s/page, ogi run "
              f"one file at a time {o / n:.2f} CPU s/page, ratio {o / e:.2f}")
        together = end_to_end(scans, args.dpi, args.threads)
        print(f"  one ogi run over all {len(totals)} (start-up paid once, as in a national run): "
              f"{together / n:.2f} CPU s/page, {together / len(totals):.1f} CPU s/report, "
              f"ratio {together / e:.2f} (goal ≤ {GOAL}: {'met' if together / e <= GOAL else 'NOT met'})")
    if TEXT.exists() and not args.scans:
        import pdfplumber

        from pipeline.readers.ocr import page_ocr_reason
        t = time.process_time()
        with pdfplumber.open(TEXT) as pdf:
            reasons = [page_ocr_reason(p) for p in pdf.pages]
        decide = time.process_time() - t
        print(f"page_ocr_reason on {TEXT.name}: {len(reasons)} pages decided in {decide:.3f} CPU s, "
              f"reasons {reasons}")
    if tmp is not None:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
