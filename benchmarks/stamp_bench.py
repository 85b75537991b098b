"""What a one-row rule change costs a re-run: the cache stamp per stage at work.

    .venv/bin/python benchmarks/stamp_bench.py [SCAN.pdf …] [--runs 3]

On a copy of the pipeline's code (so the repository is never edited), for a folder holding the
scanned report(s) (default: the shared corpus's real scan):

1. `ogi run` from nothing: every page OCR'd (the first run);
2. `ogi run` again, unchanged: every stage up to date;
3. one row of data/rules.csv changed (a rule's wording), then `ogi run` again: the parse results
   (the OCR) are reused, extract, check and publish run again.

Prints each run's wall and CPU seconds (its worker processes included), the ratio of the re-run
after the rule change to the first run (goal: under 0.2), and which stages rewrote their results.
Each figure is the median of `--runs` repetitions, every repetition from a fresh work folder.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("OGI_CORPUS", ROOT.parent / "shared" / "corpus"))
SCAN = CORPUS / "real" / "淮安市洪泽区人民政府_2023_scan.pdf"
STAGES = ("parse", "segment", "extract", "check")
RULE_BEFORE, RULE_AFTER = "应等于 总计 + 结转下年度", "应当等于 总计 + 结转下年度"
GOAL = 0.2


def ogi_run(code: Path, inp: Path, out: Path) -> tuple:
    """(wall, CPU) seconds of `ogi run` with the copied code, in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(inp), "-o", str(out), "--workers", "1"],
                   cwd=code, env={**os.environ, "PYTHONPATH": str(code)}, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def stamps(out: Path) -> dict:
    return {s: sorted(p.stat().st_mtime_ns for p in (out / "work" / s).glob("*.json")) for s in STAGES}


def once(scans: list, tmp: Path) -> dict:
    code = tmp / "code"
    shutil.copytree(ROOT / "pipeline", code / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    inp, out = tmp / "in", tmp / "out"
    inp.mkdir()
    for scan in scans:
        shutil.copy(scan, inp / scan.name)
    first = ogi_run(code, inp, out)
    written = stamps(out)
    unchanged = ogi_run(code, inp, out)
    rules = code / "pipeline" / "data" / "rules.csv"
    rules.write_text(rules.read_text(encoding="utf-8").replace(RULE_BEFORE, RULE_AFTER, 1), encoding="utf-8")
    after_rule = ogi_run(code, inp, out)
    rerun = [s for s, t in stamps(out).items() if t != written[s]]
    return {"first": first, "unchanged": unchanged, "after_rule": after_rule, "rerun": rerun}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scans", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    scans = a.scans or [SCAN]
    missing = [s for s in scans if not s.exists()]
    if missing:
        print(f"not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    results = []
    for _ in range(a.runs):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(once(scans, Path(tmp)))
    med = {k: (statistics.median(r[k][0] for r in results), statistics.median(r[k][1] for r in results))
           for k in ("first", "unchanged", "after_rule")}
    print(f"scanned report(s): {', '.join(s.name for s in scans)}; {a.runs} repetition(s), medians")
    for k, label in (("first", "first run (OCR)"), ("unchanged", "re-run, nothing changed"),
                     ("after_rule", "re-run after one rules.csv row changed")):
        print(f"  {label:<40} wall {med[k][0]:6.2f} s   CPU {med[k][1]:6.2f} s")
    ratio_wall, ratio_cpu = med["after_rule"][0] / med["first"][0], med["after_rule"][1] / med["first"][1]
    print(f"  re-run after the rule change / first run: wall {ratio_wall:.3f}, CPU {ratio_cpu:.3f} (goal < {GOAL})")
    print(f"  stages that rewrote their results after the rule change: {', '.join(results[-1]['rerun']) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
