"""Run stages over every catalogued file in isolated worker processes, then publish.

Each file is processed in a worker process (a local pebble pool, or a Dask cluster with
`--dask`: pipeline.runtime.executors): a crash, a hang (per-file
timeout), a file that needs more memory than a worker may have (`max_memory`, an RLIMIT_DATA of
the worker) or a bad file costs that file alone. Results already computed for the same content
and pipeline version are skipped.

Ctrl-C stops the workers at once; what finished is published, `OUT/run.json` says the run was
interrupted, and `Interrupted` tells the caller how far it got. Every run writes `run.json`.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path

from pipeline.core.options import Options
from pipeline.core.store import Workspace, write_json
from pipeline.core.version import pipeline_version
from pipeline.dataset.checks import check_dataset
from pipeline.dataset.reports import Documents
from pipeline.ingest.catalogue import input_roots, update_catalogue
from pipeline.publish.datasets import publish
from pipeline.publish.schema import SCHEMA_VERSION
from pipeline.runtime.executors import Stopped as _Stopped
from pipeline.runtime.executors import executor_for, in_process, run_files, warm_up
from pipeline.runtime.progress import Progress
from pipeline.runtime.stages import STAGES
from pipeline.runtime.summary import Tally, previous_contents


class Interrupted(Exception):
    """The run was stopped by Ctrl-C (SIGINT). `published`: whether datasets were written."""

    def __init__(self, finished: int, total: int, published: bool, out: Path):
        super().__init__(f"interrupted after {finished} of {total} files")
        self.finished, self.total, self.published, self.out = finished, total, published, Path(out)

    def sentence(self) -> str:
        if self.published:
            return (f"interrupted: {self.finished} of {self.total} file(s) finished and are published in "
                    f"{self.out} (run.json says interrupted); run the same command again to process the rest")
        earlier = " (the datasets there are from an earlier run)" if (self.out / "reports.parquet").exists() else ""
        return f"interrupted before any file finished: nothing was published in {self.out}{earlier}"


def catalogue(input_dir, ws: Workspace, exclude: tuple = (), follow_external: bool = False) -> list:
    """Ingest one input folder or several into the output folder's catalogue (it grows: see
    pipeline.dataset.checks)."""
    return update_catalogue(ws, input_dir, exclude, follow_external)


def run_stages(ws: Workspace, entries: list, stages: tuple = STAGES) -> list:
    """Process every distinct file through `stages` with the workspace's options; returns one
    summary per file processed. Entries ingest did not open (links, pipes) have nothing to run.
    Where the files run is the executor's business (pipeline.runtime.executors)."""
    options = ws.options
    # a file of an earlier run that is gone from its folder keeps the results it had
    # (entries ingest did not open have an error and nothing to run)
    todo = [e for e in entries if not e.get("duplicate_of") and not e.get("error") and Path(e["path"]).exists()]
    if not options.force:
        todo = [e for e in todo if not all(ws.fresh(s, e) for s in stages)]
    if not todo:
        return []
    warm_up({e["detected_format"] for e in todo})
    bar = Progress(len(todo), options.progress, stages[0] if len(stages) == 1 else "reports")
    try:
        if options.worker_count == 1 and options.timeout <= 0 and not options.dask:
            return in_process(ws, todo, stages, bar)
        return run_files(executor_for(ws, stages, len(todo)), todo, bar)
    finally:
        bar.close()


def dataset_level(ws: Workspace) -> Documents:
    """The dataset level over every report of the dataset: the reviewer's corrections applied
    (once), then the dataset checks — forms of one report against each other, the cross-year
    checks on the canonical documents (pipeline.dataset.checks). Returns the documents, which
    publish takes its contents from."""
    docs = Documents(ws)
    check_dataset(docs)
    return docs


def run(input_dir: Path, out: Path, options: Options = Options(), **changes) -> dict:
    """The whole pipeline: ingest, per-file stages, cross-year checks, publish. `input_dir` is
    one folder or a list of them; the output folder's dataset grows (pipeline.dataset.checks).

    `changes` are Options fields to set on top of `options` (run(d, o, workers=1, progress=False)).
    Raises `Interrupted` on Ctrl-C, after publishing what finished (if anything did)."""
    options = options.with_(**changes) if changes else options
    ws = Workspace(out, options)
    entries = []
    previous = previous_contents(ws.catalogue()) if ws.catalogue_path.exists() else {}
    try:
        entries = catalogue(input_dir, ws, tuple(options.exclude), options.follow_external_links)
        ran = run_stages(ws, entries, STAGES)
    except (KeyboardInterrupt, _Stopped) as stop:
        finished = stop.finished if isinstance(stop, _Stopped) else 0
        total = stop.total if isinstance(stop, _Stopped) else len(entries)
        done = sum(1 for e in entries if e.get("error") or e.get("duplicate_of") or ws.fresh(STAGES[-1], e))
        published = False
        if entries and done:
            with _no_interrupt():
                publish(ws, interrupted=True, dataset_checked=True, docs=dataset_level(ws))
                _write_run(ws, entries, interrupted=True)
            published = True
        raise Interrupted(finished, total, published, out) from None
    with _no_interrupt():
        paths = publish(ws, dataset_checked=True, docs=dataset_level(ws))
        _write_run(ws, entries, interrupted=False)
    tally = Tally.of(entries, previous, {r["report_id"] for r in ran}, set(input_roots(input_dir)))
    return {"entries": entries, "ran": ran, "paths": paths, "tally": tally}


def _write_run(ws: Workspace, entries: list, interrupted: bool) -> None:
    """OUT/run.json: what the last run was, and whether it was interrupted."""
    finished = sum(1 for e in entries if e.get("error") or e.get("duplicate_of") or ws.fresh(STAGES[-1], e))
    write_json(ws.out / "run.json", {"interrupted": interrupted, "files": len(entries), "finished": finished,
                                     "pipeline_version": pipeline_version(), "schema_version": SCHEMA_VERSION})


@contextlib.contextmanager
def _no_interrupt():
    """Hold Ctrl-C while the datasets are written, so they are never left half from one run and
    half from another; a Ctrl-C that came meanwhile is raised afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *a: caught.append(a))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
