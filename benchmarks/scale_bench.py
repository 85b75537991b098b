"""Throughput and memory of `ogi run` at scale, and what a national year would take.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 300 1000 3000] [--data /tmp/ogi_scale]
                                               [--scans 3] [--configs w1 w2 dask2]

For each size N: N generated files — text PDFs and web pages of (N - scans) / 2 reports, and
`--scans` scanned PDFs (4 pages each, OCR'd). A national collection has about a third of its
pages scanned; here the scans are few (3 per size by default, whatever N), because each costs
~3 CPU-s a page and would otherwise be the whole benchmark. Their cost is measured apart (the
scans alone, one worker, one OCR thread) and the projection weighs text and scanned pages by the
national shares, not by this mix.

Each configuration runs in a fresh process, on a fresh output folder:
    w1     the local pool, 1 worker          w2     the local pool, 2 workers
    dask2  a Dask LocalCluster of 2 workers (--dask local --workers 2)
and prints files/s and pages/s of the per-file stages (ingest, the dataset checks and publish
are timed apart), the CPU seconds the workers spent, and the peak RSS of the parent process
(RUSAGE_SELF, which includes publish) and of the largest worker process (RUSAGE_CHILDREN: the
largest descendant that ended, i.e. a file's process or a Dask worker).

The files are generated once into --data (the generator caches nothing: 3,000 files take ~5
minutes) and reused; each size's folder holds hard links to the first files of that pool, so
the smaller sizes are subsets of the larger. Generation is not part of any figure.

The projection: a national year of 10⁵ reports, 6×10⁵ pages, a third of them scanned, on a
32-core cluster: CPU seconds = text pages × measured CPU-s per text page + scanned pages ×
measured CPU-s per scanned page, spread over 32 cores at the parallel efficiency measured here
(w2 against w1); memory per worker from the measured peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONFIGS = {"w1": {"workers": 1}, "w2": {"workers": 2}, "dask2": {"workers": 2, "dask": "local"}}
NATION = {"reports": 100_000, "pages": 600_000, "scanned_share": 1 / 3, "cores": 32}
SEED, SCAN_SEED = 7, 8


# -- the files -----------------------------------------------------------------------------------

def generate_pool(data: Path, reports: int, scans: int) -> None:
    """Text PDFs and web pages of `reports` reports, and `scans` scanned reports, once."""
    pool, scan_pool = data / "pool", data / "pool_scan"
    have = len({p.stem for p in pool.glob("*.pdf")}) if pool.is_dir() else 0
    if have < reports:
        shutil.rmtree(pool, ignore_errors=True)
        _generate(pool, data / "pool_truth", ("pdf", "html"), reports, SEED)
    if (len(list(scan_pool.glob("*.pdf"))) if scan_pool.is_dir() else 0) < scans:
        shutil.rmtree(scan_pool, ignore_errors=True)
        _generate(scan_pool, data / "pool_scan_truth", ("scan",), scans, SCAN_SEED)


def _generate(out: Path, truth: Path, forms: tuple, count: int, seed: int) -> None:
    print(f"generating {count} report(s) as {', '.join(forms)} into {out} (not timed) …", flush=True)
    subprocess.run([sys.executable, "-m", "samples", str(out), "--truth", str(truth), "--forms", *forms,
                    "--count", str(count), "--seed", str(seed), "--workers", "2"], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def size_folder(data: Path, size: int, scans: int) -> Path:
    """`size` files: the first (size - scans) / 2 reports of the pool as PDF and web page, and
    the first `scans` scans, as hard links (a symbolic link out of the folder is not read)."""
    folder = data / f"size_{size}"
    stems = sorted({p.stem for p in (data / "pool").glob("*.pdf")})[: (size - scans) // 2]
    files = [data / "pool" / f"{s}.{ext}" for s in stems for ext in ("pdf", "html")]
    files += sorted((data / "pool_scan").glob("*.pdf"))[:scans]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for f in files:
        os.link(f, folder / f.name)
    return folder


# -- one measured run (in a fresh process) -------------------------------------------------------

def measured_run(folder: str, out: str, changes: dict) -> dict:
    """ogi run, stage by stage, with the time, CPU and peak memory of each part."""
    from pipeline.core.options import Options
    from pipeline.core.store import Workspace
    from pipeline.dataset.checks import check_dataset
    from pipeline.publish.datasets import publish
    from pipeline.runtime.run import catalogue, run_stages
    from pipeline.runtime.stages import STAGES
    ws = Workspace(Path(out), Options(progress=False, **changes))
    t0 = time.perf_counter()
    entries = catalogue(Path(folder), ws)
    t1 = time.perf_counter()
    run_stages(ws, entries, STAGES)
    t2 = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    check_dataset(ws)
    t3 = time.perf_counter()
    publish(ws)
    t4 = time.perf_counter()
    me = resource.getrusage(resource.RUSAGE_SELF)
    import pyarrow.parquet as pq
    reports = pq.read_table(Path(out) / "reports.parquet", columns=["pages", "ocr_pages", "status"]).to_pylist()
    return {"files": len(entries), "ingest_s": t1 - t0, "stages_s": t2 - t1, "dataset_s": t3 - t2,
            "publish_s": t4 - t3, "worker_cpu_s": children.ru_utime + children.ru_stime,
            "parent_cpu_s": me.ru_utime + me.ru_stime,
            "parent_rss_mb": me.ru_maxrss / 1024, "worker_rss_mb": children.ru_maxrss / 1024,
            "pages": sum(r["pages"] or 0 for r in reports),
            "ocr_pages": sum(len(r["ocr_pages"] or []) for r in reports),
            "failed": sum(r["status"] == "failed" for r in reports)}


def in_fresh_process(folder: Path, out: Path, changes: dict) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    code = ("import json, sys; sys.path.insert(0, %r); sys.path.insert(0, %r); import scale_bench as b; "
            "print('RESULT ' + json.dumps(b.measured_run(%r, %r, json.loads(%r))))"
            % (str(ROOT), str(ROOT / "benchmarks"), str(folder), str(out), json.dumps(changes)))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
    if p.returncode or not lines:
        raise RuntimeError(f"the measured run failed:\n{p.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT "):])


# -- figures -------------------------------------------------------------------------------------

def line(name: str, r: dict) -> str:
    s = r["stages_s"]
    return (f"  {name:6} {r['files']:5} files {r['pages']:6} pages ({r['ocr_pages']} OCR'd): stages {s:7.1f} s → "
            f"{r['files'] / s:6.2f} files/s {r['pages'] / s:6.2f} pages/s · worker CPU {r['worker_cpu_s']:7.1f} s · "
            f"ingest {r['ingest_s']:.1f} s, dataset checks {r['dataset_s']:.1f} s, publish {r['publish_s']:.1f} s · "
            f"peak RSS parent {r['parent_rss_mb']:.0f} MB, largest worker {r['worker_rss_mb']:.0f} MB"
            + (f" · {r['failed']} failed" if r["failed"] else ""))


def per_page_costs(full: dict, scans: dict) -> dict:
    """CPU-s per scanned page (the scans alone) and per text page (the one-worker run minus the
    scans' share), and the largest worker seen."""
    scan_page = scans["worker_cpu_s"] / max(1, scans["ocr_pages"])
    text_pages = full["pages"] - full["ocr_pages"]
    text_cpu = full["worker_cpu_s"] - scan_page * full["ocr_pages"]
    return {"scan_page": scan_page, "text_page": max(text_cpu, 0.0) / max(1, text_pages)}


def projection(costs: dict, efficiency, worker_mb: float, parent_mb: float) -> str:
    n = NATION
    scanned = n["pages"] * n["scanned_share"]
    text = n["pages"] - scanned
    cpu = text * costs["text_page"] + scanned * costs["scan_page"]
    ideal = cpu / n["cores"] / 3600
    measured = "" if efficiency is None else (
        f"; {cpu / (n['cores'] * efficiency) / 3600:.1f} hours at the parallel efficiency measured here "
        f"({efficiency:.0%}, 2 workers against 1 in wall time, on a shared machine)")
    return "\n".join([
        f"projection: a national year, {n['reports']:,} reports, {n['pages']:,} pages ({scanned:,.0f} scanned), "
        f"on a {n['cores']}-core cluster (32 workers of one thread, one file each at a time):",
        f"  text pages    {text:>9,.0f} × {costs['text_page']:.3f} CPU-s = {text * costs['text_page'] / 3600:7.1f} CPU-h",
        f"  scanned pages {scanned:>9,.0f} × {costs['scan_page']:.3f} CPU-s = "
        f"{scanned * costs['scan_page'] / 3600:7.1f} CPU-h",
        f"  = {cpu / 3600:.1f} CPU-h: {ideal:.1f} hours on {n['cores']} cores if the files share them perfectly "
        f"(they are independent tasks){measured}",
        f"  memory: ~{worker_mb:,.0f} MB per worker process (peak measured; OCR workers), so "
        f"{n['cores'] * worker_mb / 1024:.0f} GB for 32; the client (dataset checks, publish) peaked at "
        f"{parent_mb:,.0f} MB here"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000])
    ap.add_argument("--data", type=Path, default=Path("/tmp/ogi_scale"), help="where the files are generated once")
    ap.add_argument("--scans", type=int, default=3, help="scanned files in each size (4 pages each)")
    ap.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    a = ap.parse_args(argv)
    generate_pool(a.data, (max(a.sizes) + 1) // 2, a.scans)
    costs = efficiency = None
    peaks = {"worker": 0.0, "parent": 0.0}
    for size in a.sizes:
        folder = size_folder(a.data, size, a.scans)
        print(f"size {size}: {len(list(folder.iterdir()))} files ({a.scans} scanned) in {folder}", flush=True)
        results = {}
        for name in a.configs:
            results[name] = in_fresh_process(folder, a.data / f"out_{size}_{name}", CONFIGS[name])
            print(line(name, results[name]), flush=True)
            peaks["worker"] = max(peaks["worker"], results[name]["worker_rss_mb"])
            peaks["parent"] = max(peaks["parent"], results[name]["parent_rss_mb"])
        scan_folder = a.data / f"scans_{size}"
        shutil.rmtree(scan_folder, ignore_errors=True)
        scan_folder.mkdir()
        for f in sorted(folder.glob("*_scan.pdf")) or sorted((a.data / "pool_scan").glob("*.pdf"))[: a.scans]:
            os.link(f, scan_folder / f.name)
        scans = in_fresh_process(scan_folder, a.data / f"out_{size}_scans", {"workers": 1, "ocr_threads": 1})
        print(line("scans", scans), flush=True)
        # CPU per page does not depend on the number of workers: the one-worker run if there is one
        costs = per_page_costs(results.get("w1") or next(iter(results.values())), scans)
        print(f"  per page: text {costs['text_page']:.3f} CPU-s, scanned {costs['scan_page']:.3f} CPU-s "
              f"(one OCR thread)", flush=True)
        if {"w1", "w2"} <= set(results):
            efficiency = results["w1"]["stages_s"] / results["w2"]["stages_s"] / 2
    if costs:
        print(projection(costs, None if efficiency is None else min(efficiency, 1.0), peaks["worker"],
                         peaks["parent"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
