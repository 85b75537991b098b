"""Peak memory of the dataset checks and publish over 200, 800, 3,000 … reports.

    .venv/bin/python benchmarks/publish_memory.py OUT [--sizes 200 800 3000] [--src DIR]

OUT is an output folder a run has filled (e.g. one of benchmarks/scale_bench.py). Its reports
are cloned into workspaces of each size without processing anything again: each clone gets a
new report_id, source and office (`office_id#k`), so the clones are other offices with the same
years, and the groups and cross-year comparisons are as many as in a real dataset of that
size. Then `check_dataset` and `publish` run in a fresh process, and its peak RSS (RUSAGE_SELF
ru_maxrss; publish runs in the parent, no worker is involved) is printed with the time taken.

--src runs another checkout's pipeline on the same workspaces (e.g. the code before publish
streamed), so both are measured on the same data.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("parse", "segment", "extract", "check")


def clone(out: Path, target: Path, size: int) -> int:
    """A workspace of `size` catalogue entries cloned from `out`'s; returns the reports."""
    catalogue = json.loads((out / "work" / "ingest.json").read_text(encoding="utf-8"))
    base = [e for e in catalogue["files"] if not e.get("error")]
    shutil.rmtree(target, ignore_errors=True)
    for stage in STAGES:
        (target / "work" / stage).mkdir(parents=True)
    entries, k = [], 0
    while len(entries) < size:
        for e in base[: size - len(entries)]:
            entries.append(_clone_entry(out, target, e, k))
        k += 1
    catalogue["files"] = entries
    (target / "work" / "ingest.json").write_text(json.dumps(catalogue, ensure_ascii=False), encoding="utf-8")
    return len(entries)


def _clone_entry(out: Path, target: Path, e: dict, k: int) -> dict:
    sha = hashlib.sha256(f"{e['sha256']}/{k}".encode()).hexdigest()
    new = {**e, "sha256": sha, "report_id": sha[:16], "source": f"clone{k}/{e['source']}",
           "duplicate_of": f"clone{k}/{e['duplicate_of']}" if e.get("duplicate_of") else None}
    for stage in STAGES:
        src = out / "work" / stage / f"{e['report_id']}.json"
        dst = target / "work" / stage / f"{new['report_id']}.json"
        if not src.exists() or dst.exists():
            continue
        if stage == "extract":
            data = json.loads(src.read_text(encoding="utf-8"))
            meta = data.get("meta") or {}
            for key in ("office_id", "office"):
                if meta.get(key):
                    meta[key] = f"{meta[key]}#{k}"
            data["report_id"], data["sha256"] = new["report_id"], new["sha256"]
            dst.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        else:
            os.link(src, dst)
    return new


MEASURE = """
import json, resource, sys, time
sys.path.insert(0, {src!r})
from pipeline.dataset.checks import check_dataset
from pipeline.publish.datasets import publish
from pipeline.core.store import Workspace
ws = Workspace({out!r})
t = time.perf_counter(); check_dataset(ws); t1 = time.perf_counter(); publish(ws); t2 = time.perf_counter()
print("RESULT " + json.dumps({{"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                              "checks_s": t1 - t, "publish_s": t2 - t1}}))
"""


def measure(src: Path, out: Path) -> dict:
    p = subprocess.run([sys.executable, "-c", MEASURE.format(src=str(src), out=str(out))], capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(src)})
    lines = [l for l in p.stdout.splitlines() if l.startswith("RESULT ")]
    if p.returncode or not lines:
        raise RuntimeError(p.stderr[-3000:])
    return json.loads(lines[-1][len("RESULT "):])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="an output folder a run has filled")
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 800, 3000])
    ap.add_argument("--src", type=Path, nargs="+", default=[ROOT], help="checkouts of the pipeline to measure")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ogi_publish_memory"))
    a = ap.parse_args(argv)
    first = {}
    for size in a.sizes:
        target = a.work / f"n{size}"
        n = clone(a.out, target, size)
        for src in a.src:
            r = measure(src, target)
            base = first.setdefault(str(src), r["rss_mb"])
            print(f"{n:6} reports  {src}: peak RSS {r['rss_mb']:6.0f} MB ({r['rss_mb'] / base:4.2f}× the "
                  f"smallest) · dataset checks {r['checks_s']:5.1f} s · publish {r['publish_s']:5.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
