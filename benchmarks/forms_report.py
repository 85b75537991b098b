"""Per-form figures on generated reports: cells right, cells reported missing, wrong cells, and
reports ok / partial, for the messy forms (converter Markdown, crawler text) beside clean ones.

    .venv/bin/python benchmarks/forms_report.py [--count N] [--seed S] [--forms F …] [--keep DIR]

It generates `count` reports (the fixed set first, then gazetteer offices) in each form, runs the
pipeline once over all of them and scores every file against its truth:

- right: truth cells read with the same kind and value; missing: truth cells the output does
  not have (the pipeline reported them: a report missing cells is `partial`); wrong: cells
  present with another kind or value (must be 0).
- ok ⇔ complete: a report must be `ok` exactly when every truth cell was read.
- missing cells are split by whether the report carries one of the generator's deliberate
  defects (a wrong 总计 …, samples/content.py DEFECTS), which make some cells unreadable by
  design.

For the converter Markdown it counts the defects drawn (samples.md_converted.drawn); for the
crawler text, the variants drawn (samples.txt_crawl.drawn) and, of the rows whose run-together
values read several ways, how many the dataset decided (another form of the report, the office's
neighbouring years: pipeline.dataset.decide) and how many stay reported. Run it with
`--forms txt_crawl` to see the crawler copies decided by their neighbouring years alone.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from pipeline.outputs.score import score  # noqa: E402
from pipeline.runtime.run import run  # noqa: E402
from samples import FORMS, _writers, content, generate  # noqa: E402

MESSY = ("md_converted", "txt_crawl")


def form_of(name: str, suffixes: dict) -> str:
    """The form a generated file name is in (the longest matching suffix)."""
    return max((f for f, s in suffixes.items() if name.endswith(s)), key=lambda f: len(suffixes[f]))


def figures(out: Path, truth: Path, forms: tuple, defective: set) -> dict:
    """{form: Counter of the figures} over the run in `out`."""
    suffixes = {f: _writers()[f][0] for f in forms}
    reports = pd.read_parquet(out / "reports.parquet")
    reports["file"] = reports["source"].map(lambda s: Path(s).name)
    status = dict(zip(reports["file"], reports["status"]))
    per = defaultdict(Counter)
    for s in score(out, truth):
        form = form_of(s.file, suffixes)
        c = per[form]
        missing = [p for p in s.problems if p.endswith(" missing")]
        wrong = [p for p in s.problems if ("≠" in p and not p.startswith(("flags", "office", "year", "format")))]
        c["reports"] += 1
        c["cells"] += s.cells_total
        c["right"] += s.cells_right
        c["missing"] += len(missing)
        c["wrong"] += len(wrong)
        stem = s.file[: -len(suffixes[form])]
        if stem in defective:
            c["missing_in_defect_reports"] += len(missing)
        c[status.get(s.file, "absent")] += 1
        complete = s.found and s.cells_right == s.cells_total
        if (status.get(s.file) == "ok") != complete:
            c["ok_but_incomplete" if status.get(s.file) == "ok" else "complete_but_not_ok"] += 1
    return per


# which table each deliberate defect of samples/content.py breaks
DEFECT_TABLE = {"review_total": "review_litigation", "granted_total_off": "requests",
                "grand_total_col": "requests", "carried_forward_off": "requests",
                "negative_cell": "requests", "fractional": "active"}


def crawl_rows(out: Path, reports: list) -> Counter:
    """Rows of the crawler copies whose run-together values read several ways: per table, how
    many the dataset decided (by another form of the report, by the office's neighbouring
    years) and how many were left open (reported with their run as printed), the open ones
    apart for reports whose deliberate defect breaks that table."""
    broken = {(r.stem, DEFECT_TABLE[d]) for r in reports for d in r.spec.defects}
    flags = pd.read_parquet(out / "flags.parquet")
    flags = flags[flags["source"].str.endswith("_crawl.txt")]
    c = Counter()
    for f in flags.itertuples():
        table = f.location.split(".")[0]
        if f.rule == "extract.decided":
            c[f"{table}_decided_by_{'form' if f.stage == 'forms' else 'years'}"] += 1
        elif f.rule == "extract.unplaced":
            stem = f.source[: -len("_crawl.txt")]
            c[f"{table}_open{'_in_defect_reports' if (stem, table) in broken else ''}"] += 1
            if "(as printed: " not in f.message_en:
                c[f"{table}_open_without_its_run"] += 1
    return c


def generated_run(base: Path, forms: tuple, seed: int, workers=None, **counts) -> tuple:
    """Generate reports (`counts`: count=, legacy= of samples.generate) in `forms` under
    base/in with their truth in base/truth, run the pipeline into base/out; (seconds to
    generate, seconds to run)."""
    shutil.rmtree(base / "in", ignore_errors=True)
    shutil.rmtree(base / "out", ignore_errors=True)
    t = time.perf_counter()
    generate(base / "in", base / "truth", forms=tuple(forms), seed=seed, workers=1, **counts)
    made = time.perf_counter() - t
    t = time.perf_counter()
    run(base / "in", base / "out", workers=workers, progress=False)
    return made, time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--forms", nargs="+", default=list(MESSY) + ["txt", "md", "html"], choices=FORMS)
    ap.add_argument("--keep", type=Path, help="generate and run here, and keep it")
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args(argv)
    base = a.keep or Path(tempfile.mkdtemp(prefix="forms_"))
    try:
        made, ran = generated_run(base, a.forms, a.seed, a.workers, count=a.count)
        reports = content.build_reports(a.seed, a.count)
        defective = {r.stem for r in reports if r.spec.defects}
        print(f"{a.count} reports, seed {a.seed} ({len(defective)} with a deliberate defect); "
              f"generated in {made:.0f} s, pipeline {ran:.0f} s")
        per = figures(base / "out", base / "truth", tuple(a.forms), defective)
        print(f"{'form':14} {'cells right':>20} {'missing':>8} {'(defect rep.)':>13} {'wrong':>6} "
              f"{'ok':>4} {'partial':>7} {'ok≠complete':>11}")
        for form in a.forms:
            c = per[form]
            share = c["right"] / c["cells"] if c["cells"] else 0.0
            print(f"{form:14} {c['right']:>9}/{c['cells']:<6} {share:6.2%} {c['missing']:>8} "
                  f"{c['missing_in_defect_reports']:>13} {c['wrong']:>6} {c['ok']:>4} {c['partial']:>7} "
                  f"{c['ok_but_incomplete'] + c['complete_but_not_ok']:>11}")
        if "md_converted" in a.forms:
            from samples import md_converted
            kinds, reps = Counter(), Counter()
            for r in reports:
                got = md_converted.drawn(r)
                kinds.update(got)
                reps.update(k for k, v in got.items() if v)
            print("\nmd_converted defects: kind — reports with it — occurrences")
            for k in sorted(kinds):
                print(f"  {k:36} {reps[k]:>5} {kinds[k]:>6}")
        if "txt_crawl" in a.forms:
            from samples import txt_crawl
            kinds = Counter()
            for r in reports:
                kinds.update(txt_crawl.drawn(r))
            print("\ntxt_crawl variants: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
            rows = crawl_rows(base / "out", reports)
            print("txt_crawl rows that read several ways: " + ", ".join(f"{k} {v}" for k, v in sorted(rows.items())))
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
