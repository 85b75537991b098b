"""How well OCR reads generated reports: harsh scans, and web pages whose tables are pictures.

    .venv/bin/python benchmarks/scan_accuracy.py [--count 24] [--forms scan_harsh html_img mht]
                                                [--seed 0] [--workers 2] [--keep DIR]

Generates `--count` reports in each form (`samples`: the same truth as every other form), runs
`ogi run` over them and prints, per form: cells right / total over the reports, the share,
wrong numbers without a low-confidence flag (the goal: none), reports not `ok`, and the pages
OCR could not orient (`ocr.unoriented_page`); for the harsh scans also how many had the page
where table 三 continues turned. A measurement, not a test: 24 harsh scans take minutes.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--forms", nargs="+", default=["scan_harsh"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="write the reports and outputs here (default: a temporary folder)")
    args = ap.parse_args(argv)

    import pandas as pd
    from test_scans import unflagged_wrong_numbers

    from pipeline.outputs.score import score
    from pipeline.runtime.run import run
    from samples import content, generate, scan

    base = args.keep or Path(tempfile.mkdtemp(prefix="scan_accuracy_"))
    inp, truth, out = base / "in", base / "truth", base / "out"
    t = time.perf_counter()
    paths = generate(inp, truth, forms=tuple(args.forms), count=args.count, seed=args.seed,
                     workers=args.workers)
    print(f"generated {len(paths)} files in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    run(inp, out, workers=args.workers, progress=False, force=True)
    print(f"ogi run: {time.perf_counter() - t:.0f} s wall")
    scores = {s.file: s for s in score(out, truth)}
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    flags = pd.read_parquet(out / "flags.parquet")
    suffixes = {"scan_harsh": "_scan_harsh.pdf", "html_img": "_img.html", "mht": ".mht",
                "scan": "_scan.pdf", "scan_tif": "_scan.tif", "scan_png": "_scan.zip"}
    for form in args.forms:
        files = [p.name for p in paths if p.name.endswith(suffixes.get(form, form))]
        right = sum(scores[f].cells_right for f in files if f in scores)
        total = sum(scores[f].cells_total for f in files if f in scores)
        wrong = {f: unflagged_wrong_numbers(out, truth, f) for f in files}
        status = Counter(reports.loc[files, "status"])
        ids = set(reports.loc[files, "report_id"])
        unoriented = flags[(flags["rule"] == "ocr.unoriented_page") & flags["report_id"].isin(ids)]
        images = flags[(flags["rule"] == "ocr.table_image") & flags["report_id"].isin(ids)]
        print(f"{form}: {len(files)} reports, cells right {right} / {total} = {right / max(total, 1):.4%}; "
              f"unflagged wrong numbers {sum(len(v) for v in wrong.values())}; status {dict(status)}; "
              f"unoriented pages {len(unoriented)}" + (f"; table pictures reported {len(images)}" if len(images) else ""))
        if form == "scan_harsh":
            mids = 0
            for r in content.build_reports(args.seed, args.count):
                h = scan.harsh_params(r)
                mids += h.mid_table
            print(f"  of which the page where table 三 continues was turned in {mids}")
        for f in files:
            s = scores.get(f)
            if s is None or s.cells_right < s.cells_total or wrong[f]:
                print(f"  {f}: {s.cells_right if s else 0}/{s.cells_total if s else '?'} "
                      f"{(s.problems[:4] if s else '')} unflagged {wrong[f][:3]}")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
