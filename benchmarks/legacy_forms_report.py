"""Per-form figures on generated reports from before 2019 (format `legacy`): cells right, cells
reported missing, wrong cells, reports ok / partial, and ok ≠ complete, for every form the
generator writes a legacy report in (the sibling of benchmarks/forms_report.py).

    .venv/bin/python benchmarks/legacy_forms_report.py [--legacy N] [--seed S] [--forms F …] [--keep DIR]

It generates `legacy` reports (samples.legacy_plan: the fixed set — a zone's 管委会, a county
become a district, the State Council's form, text-only reports, every deliberate inconsistency —
then offices of the gazetteer) in each form, with the later (2019+) reports of the offices that go
on, runs the pipeline once over all of them and scores every file against its truth. The legacy
reports and the later ones are counted apart. For each form it also says how many reports are
text-only (their cells are the figures the text states) and how many flags were expected and
raised (within the report; for a partial report a flag whose row was not read cannot be raised),
and over the run how the cross-year 历年累计 breaks were found (cross_year.cumulative).
"""
from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from benchmarks.forms_report import form_of, generated_run  # noqa: E402
from pipeline.outputs.score import score  # noqa: E402
from samples import FORMS, _writers  # noqa: E402

LEGACY_FORMS = ("pdf", "docx", "html", "html_word", "txt", "md", "txt_crawl", "md_converted")


def figures(out: Path, truth: Path, forms: tuple) -> dict:
    """{(form, 'legacy' | 'later'): Counter} over the run in `out`."""
    suffixes = {f: _writers()[f][0] for f in forms}
    reports = pd.read_parquet(out / "reports.parquet")
    reports["file"] = reports["source"].map(lambda s: Path(s).name)
    status = dict(zip(reports["file"], reports["status"]))
    with open(truth / "reports.csv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    per = defaultdict(Counter)
    for s in score(out, truth):
        t = rows[s.file]
        c = per[(form_of(s.file, suffixes), "legacy" if t["format"] == "legacy" else "later")]
        c["reports"] += 1
        c["cells"] += s.cells_total
        c["right"] += s.cells_right
        c["missing"] += sum(p.endswith(" missing") for p in s.problems)
        c["wrong"] += sum("≠" in p and not p.startswith(("flags", "office", "year", "format")) for p in s.problems)
        c[status.get(s.file, "absent")] += 1
        c["text_only"] += "statistics" not in t["sections"].split() and t["format"] == "legacy"
        c["flags_expected"] += len([x for x in t["flags"].split(";") if x])
        c["flags_exact"] += s.flags_ok
        if (status.get(s.file) == "ok") != (s.found and s.cells_right == s.cells_total):
            c["ok_not_complete"] += 1
    return per


def cross_year(out: Path, truth: Path) -> Counter:
    """cross_year.cumulative breaks the truth lists, and how many the run raised."""
    flags = pd.read_parquet(out / "flags.parquet")
    reports = pd.read_parquet(out / "reports.parquet")
    raised = flags[(flags["rule"] == "cross_year.cumulative") & (flags["severity"] == "error")]
    raised = raised.merge(reports[["report_id", "office_id", "year"]], on="report_id")
    c = Counter()
    with open(truth / "cross_year.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            want = [x for x in r["flags"].split(";") if x.startswith("cross_year.cumulative")]
            c["pairs"] += 1
            c["breaks_expected"] += len(want)
    c["breaks_raised"] = len(raised)
    return c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--legacy", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--forms", nargs="+", default=list(LEGACY_FORMS), choices=FORMS)
    ap.add_argument("--keep", type=Path, help="generate and run here, and keep it")
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args(argv)
    base = a.keep or Path(tempfile.mkdtemp(prefix="legacy_forms_"))
    try:
        made, ran = generated_run(base, a.forms, a.seed, a.workers, count=0, legacy=a.legacy)
        print(f"{a.legacy} legacy reports, seed {a.seed}, in {len(a.forms)} forms; generated in {made:.0f} s, "
              f"pipeline {ran:.0f} s")
        per = figures(base / "out", base / "truth", tuple(a.forms))
        print(f"{'form':14} {'':7} {'reports':>7} {'cells right':>20} {'missing':>8} {'wrong':>6} {'ok':>4} "
              f"{'partial':>7} {'ok≠complete':>11} {'text-only':>9} {'flags exact':>11}")
        for kind in ("legacy", "later"):
            for form in a.forms:
                c = per.get((form, kind))
                if not c:
                    continue
                share = c["right"] / c["cells"] if c["cells"] else 0.0
                print(f"{form:14} {kind:7} {c['reports']:>7} {c['right']:>9}/{c['cells']:<6} {share:6.2%} "
                      f"{c['missing']:>8} {c['wrong']:>6} {c['ok']:>4} {c['partial']:>7} {c['ok_not_complete']:>11} "
                      f"{c['text_only']:>9} {c['flags_exact']:>5}/{c['reports']:<5}")
        total = Counter()
        for (form, kind), c in per.items():
            if kind == "legacy":
                total.update(c)
        print(f"all legacy: {total['right']}/{total['cells']} cells ({total['right'] / max(1, total['cells']):.2%}), "
              f"{total['wrong']} wrong, {total['ok_not_complete']} ok≠complete")
        print("cross-year: " + ", ".join(f"{k} {v}" for k, v in sorted(cross_year(base / "out", base / "truth").items())))
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
