"""Pages per second of `ogi run` on text PDFs beside a bare pdfplumber pass over the same files.

    .venv/bin/python benchmarks/pipeline_bench.py [PDF_DIR] [--repeat N]

Without PDF_DIR it generates sample reports (PDF form) into a temporary folder and adds the
shared corpus's text PDF when it is there. The bare pass is what any pdfplumber user pays:
`extract_text` and `extract_tables` on every page. Both run in this process, one after the
other, so the ratio holds on a noisy shared machine where absolute figures do not.
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

from pipeline.runtime.run import run  # noqa: E402


def sample_pdfs(folder: Path) -> None:
    from samples import generate
    generate(folder, folder / "_truth", forms=("pdf",))
    shutil.rmtree(folder / "_truth", ignore_errors=True)
    real = ROOT.parent / "shared" / "corpus" / "real" / "淮安市洪泽区人民政府_2023.pdf"
    if real.exists():
        shutil.copy(real, folder / real.name)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, the best is kept")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = a.folder
        if folder is None:
            folder = tmp / "pdfs"
            folder.mkdir()
            sample_pdfs(folder)
        pdfs = sorted(folder.rglob("*.pdf"))
        pages = bare_pass(pdfs)   # warm the file cache and imports for both sides
        bare, one, both = [], [], []
        for _ in range(a.repeat):   # interleaved, so a burst of load elsewhere hits all three
            bare.append(timed(lambda: bare_pass(pdfs)))
            one.append(timed(lambda: run(folder, tmp / "out1", workers=1, force=True, progress=False)))
            both.append(timed(lambda: run(folder, tmp / "outN", workers=0, force=True, progress=False)))
        bare, one, both = min(bare), min(one), min(both)
    print(f"{len(pdfs)} text PDFs, {pages} pages (best of {a.repeat})")
    print(f"bare pdfplumber (extract_text + extract_tables): {pages / bare:7.1f} pages/s  {bare:6.2f} s")
    print(f"ogi run --workers 1                            : {pages / one:7.1f} pages/s  {one:6.2f} s"
          f"  ratio {one / bare:.2f}x the bare pass")
    print(f"ogi run (every core)                           : {pages / both:7.1f} pages/s  {both:6.2f} s"
          f"  ratio {both / bare:.2f}x the bare pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
