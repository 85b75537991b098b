"""Run stages over every catalogued file in isolated worker processes, then publish.

Each file is processed in a worker from a pebble process pool: a crash, a hang (per-file
timeout) or a bad file costs that file alone. Results already computed for the same content
and pipeline version are skipped.
"""
from __future__ import annotations

import sys
from collections import Counter
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from .dataset import check_dataset, update_catalogue
from .options import Options
from .publish import publish
from .stages import STAGES, process
from .store import Workspace


def catalogue(input_dir, ws: Workspace, exclude: tuple = ()) -> list:
    """Ingest one input folder or several into the output folder's catalogue (it grows: see
    pipeline.dataset)."""
    return update_catalogue(ws, input_dir, exclude)


def run_stages(ws: Workspace, entries: list, stages: tuple = STAGES) -> list:
    """Process every distinct file through `stages` with the workspace's options; returns one
    summary per file processed."""
    options = ws.options
    # a file of an earlier run that is gone from its folder keeps the results it had
    todo = [e for e in entries if not e.get("duplicate_of") and Path(e["path"]).exists()]
    if not options.force:
        todo = [e for e in todo if not all(ws.fresh(s, e) for s in stages)]
    if not todo:
        return []
    results = []
    _warm_up({e["detected_format"] for e in todo})
    bar = _bar(len(todo), options.progress)
    if options.worker_count == 1 and options.timeout <= 0:
        for e in todo:
            results.append(process(str(ws.out), e, stages, options))
            bar.update(1)
    else:
        results = _in_pool(ws, todo, stages, bar)
    bar.close()
    return results


def _in_pool(ws, todo, stages, bar) -> list:
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    options, results = ws.options, []
    timeout = options.timeout
    with ProcessPool(max_workers=min(options.worker_count, len(todo)), context=_context()) as pool:
        futures = [(e, pool.schedule(process, args=(str(ws.out), e, stages, options),
                                     timeout=timeout if timeout > 0 else None)) for e in todo]
        for entry, fut in futures:
            try:
                results.append(fut.result())
            except FutureTimeout:
                results.append(_record_failure(ws, entry, stages, f"timed out after {timeout:g} s"))
            except ProcessExpired as e:
                results.append(_record_failure(ws, entry, stages, f"the worker died (exit code {e.exitcode})"))
            except Exception as e:
                results.append(_record_failure(ws, entry, stages, f"{type(e).__name__}: {e}"))
            bar.update(1)
    return results


def _warm_up(formats: set) -> None:
    """Import the readers this run needs before the workers fork, so each starts ready."""
    from .readers import REGISTRY
    import importlib
    for fmt in formats:
        if fmt in REGISTRY:
            try:
                importlib.import_module(f"pipeline.readers.{REGISTRY[fmt]}")
            except ImportError:
                pass     # the worker will report it for the files that need it


def _context():
    """fork where the platform has it: workers start at once, with the modules already loaded."""
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def _record_failure(ws: Workspace, entry: dict, stages: tuple, why: str) -> dict:
    message = f"{stages[0]} failed: {why} while processing {entry['source']}"
    for stage in stages:
        ws.save(stage, entry, {"error": message})
    return {"report_id": entry["report_id"], "source": entry["source"], "ran": list(stages), "error": message}


def cross_year(ws: Workspace) -> dict:
    """The dataset checks over every report of the dataset: forms of one report against each
    other, then the cross-year checks on the canonical documents (pipeline.dataset)."""
    return check_dataset(ws)


def run(input_dir: Path, out: Path, options: Options = Options(), **changes) -> dict:
    """The whole pipeline: ingest, per-file stages, cross-year checks, publish. `input_dir` is
    one folder or a list of them; the output folder's dataset grows (pipeline.dataset).

    `changes` are Options fields to set on top of `options` (run(d, o, workers=1, progress=False))."""
    options = options.with_(**changes) if changes else options
    ws = Workspace(out, options)
    entries = catalogue(input_dir, ws, tuple(options.exclude))
    ran = run_stages(ws, entries, STAGES)
    cross_year(ws)
    paths = publish(ws)
    return {"entries": entries, "ran": ran, "paths": paths}


def _bar(total: int, enabled: bool):
    from tqdm import tqdm
    return tqdm(total=total, unit="file", desc="reports", disable=not enabled or None,
                file=sys.stderr, leave=False)


SHOWN = 20   # incomplete reports listed by name in the summary


def _read_share(r) -> str:
    import pandas as pd
    if pd.isna(r.cells_expected):
        return "its format and tables could not be read"
    return f"{int(r.cells_found)} of {int(r.cells_expected)} cells read"


def summary(out: Path) -> tuple:
    """(text, number of failed files) describing the published datasets."""
    import pandas as pd
    out = Path(out)
    reports = pd.read_parquet(out / "reports.parquet")
    cells = pd.read_parquet(out / "cells.parquet")
    flags = pd.read_parquet(out / "flags.parquet")
    status = Counter(reports["status"])
    failed = int(status.get("failed", 0))
    lines = [f"reports found: {len(reports)} · parsed: {len(reports) - failed} "
             f"(ok {status.get('ok', 0)}, partial {status.get('partial', 0)}) · failed: {failed}",
             f"cells extracted: {len(cells)} "
             f"(number {int((cells['kind'] == 'number').sum())}, blank {int((cells['kind'] == 'blank').sum())}, "
             f"na {int((cells['kind'] == 'na').sum())}, text {int((cells['kind'] == 'text').sum())})"]
    for sev in ("error", "warning", "unverifiable"):
        f = flags[flags["severity"] == sev]
        by_rule = ", ".join(f"{r} {n}" for r, n in Counter(f["rule"]).most_common())
        lines.append(f"flags {sev}: {len(f)}" + (f" ({by_rule})" if by_rule else ""))
    partial = reports[reports["status"] == "partial"]
    for r in partial.head(SHOWN).itertuples():
        lines.append(f"INCOMPLETE {r.source}: {_read_share(r)}")
    if len(partial) > SHOWN:
        lines.append(f"… and {len(partial) - SHOWN} more incomplete reports (status = 'partial' in reports.parquet)")
    if failed:
        for r in reports[reports["status"] == "failed"].itertuples():
            lines.append(f"FAILED {r.source}: {r.error}")
    lines.append("outputs: " + ", ".join(str(out / f"{n}.parquet") for n in ("reports", "sections", "cells", "flags",
                                                                         "panel")) + f", {out / 'ogi.duckdb'}")
    return "\n".join(lines), failed
