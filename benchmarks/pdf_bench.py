"""Pages per second of the PDF reader's two engines beside a bare pdfplumber pass.

    .venv/bin/python benchmarks/pdf_bench.py [PDF ...] [--count N] [--repeat N]

Without PDFs it reads the text PDFs of raw/ (scans left out: OCR would swamp the figures),
the shared corpus's text PDF when it is there, and N freshly generated sample reports (PDF
form, seed 11), at least 200 pages in all. Three readers, interleaved round by round in one
process over the same pages so that a burst of load elsewhere hits all three alike:

- bare: what any pdfplumber user pays, `extract_text` + `extract_tables` on every page;
- pdfplumber: `pipeline.readers.pdf.read(path, Options(pdf_engine="pdfplumber"))`, the reference path;
- fast: `pipeline.readers.pdf.read(path, Options(pdf_engine="fast"))`, pdfium for the page objects.

Each figure is the best round of --repeat, in CPU time of this process (pages per second of
one core: on a shared machine other processes' load stretches wall time but not CPU time) and
in wall time beside it. The goal of issue 12 is fast/bare ≤ 0.25 in time.
Benchmarks print figures; tests never assert timings.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from baseline import bare_pdfplumber as bare_pass  # noqa: E402

from pipeline.core.options import Options  # noqa: E402
from pipeline.readers import pdf as pdf_reader  # noqa: E402

CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "real" / "淮安市洪泽区人民政府_2023.pdf"


def reader_pass(pdfs: list, engine: str) -> int:
    pages = 0
    for p in pdfs:
        doc = pdf_reader.read(p, Options(pdf_engine=engine))
        if engine == "fast" and doc.findings:
            print(f"  note: {p.name}: {[f.message_en for f in doc.findings]}")
        pages += doc.pages
    return pages


def sample_pdfs(folder: Path, count: int) -> list:
    from samples import generate
    generate(folder, folder / "_truth", forms=("pdf",), count=count, seed=11)
    shutil.rmtree(folder / "_truth", ignore_errors=True)
    return sorted(folder.glob("*.pdf"))


def default_pdfs(tmp: Path, count: int) -> list:
    pdfs = sorted(p for p in (ROOT / "raw").glob("*.pdf") if not p.stem.endswith("_scan"))
    if CORPUS_PDF.exists():
        pdfs.append(CORPUS_PDF)
    folder = tmp / "generated"
    folder.mkdir()
    return pdfs + sample_pdfs(folder, count)


def timed(fn) -> tuple:
    """(CPU seconds of this process, wall seconds) that fn takes."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--count", type=int, default=40, help="generated reports (about 4 pages each)")
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the best of each is kept")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = a.pdfs or default_pdfs(Path(tmp), a.count)
        pages = bare_pass(pdfs)                     # warm the file cache and the imports
        assert reader_pass(pdfs, "fast") == pages
        times = {"bare": [], "pdfplumber": [], "fast": []}
        for _ in range(a.repeat):
            times["bare"].append(timed(lambda: bare_pass(pdfs)))
            times["pdfplumber"].append(timed(lambda: reader_pass(pdfs, "pdfplumber")))
            times["fast"].append(timed(lambda: reader_pass(pdfs, "fast")))
    cpu = {k: min(c for c, _ in v) for k, v in times.items()}
    wall = {k: min(w for _, w in v) for k, v in times.items()}
    print(f"{len(pdfs)} text PDFs, {pages} pages, best of {a.repeat} interleaved rounds")
    labels = {"bare": "bare pdfplumber (extract_text + extract_tables)",
              "pdfplumber": "reader, engine='pdfplumber' (reference)",
              "fast": "reader, engine='fast' (pdfium objects)"}
    print(f"{'':48s}  {'CPU time':>22s}   {'wall time':>22s}")
    for k, label in labels.items():
        print(f"{label:48s}: {pages / cpu[k]:7.1f} pages/s {cpu[k]:6.2f} s"
              f"   {pages / wall[k]:7.1f} pages/s {wall[k]:6.2f} s")
    print(f"fast / bare = {cpu['fast'] / cpu['bare']:.3f} in CPU time, "
          f"{wall['fast'] / wall['bare']:.3f} in wall time (goal ≤ 0.25); "
          f"fast / pdfplumber path = {cpu['fast'] / cpu['pdfplumber']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
