"""Run stages over every catalogued file in isolated worker processes, then publish.

Each file is processed in a worker from a pebble process pool: a crash, a hang (per-file
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
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from .dataset import check_dataset, input_root, update_catalogue
from .options import MB, Options
from .progress import Progress
from .publish import publish
from .schema import SCHEMA_VERSION
from .stages import STAGES, process
from .store import Workspace, write_json
from .summary import Tally, previous_contents
from .version import pipeline_version


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
    pipeline.dataset)."""
    return update_catalogue(ws, input_dir, exclude, follow_external)


class _Stopped(KeyboardInterrupt):
    """KeyboardInterrupt inside run_stages, with the number of files that finished."""

    def __init__(self, finished: int, total: int):
        self.finished, self.total = finished, total


def run_stages(ws: Workspace, entries: list, stages: tuple = STAGES) -> list:
    """Process every distinct file through `stages` with the workspace's options; returns one
    summary per file processed. Entries ingest did not open (links, pipes) have nothing to run."""
    options = ws.options
    # a file of an earlier run that is gone from its folder keeps the results it had
    # (entries ingest did not open have an error and nothing to run)
    todo = [e for e in entries if not e.get("duplicate_of") and not e.get("error") and Path(e["path"]).exists()]
    if not options.force:
        todo = [e for e in todo if not all(ws.fresh(s, e) for s in stages)]
    if not todo:
        return []
    results = []
    _warm_up({e["detected_format"] for e in todo})
    bar = Progress(len(todo), options.progress, stages[0] if len(stages) == 1 else "reports")
    try:
        if options.worker_count == 1 and options.timeout <= 0:
            try:
                for e in todo:
                    bar.start(e)
                    results.append(process(str(ws.out), e, stages, options))
                    bar.done(e)
            except KeyboardInterrupt:
                raise _Stopped(len(results), len(todo)) from None
        else:
            results = _in_pool(ws, todo, stages, bar)
    finally:
        bar.close()
    return results


def _in_pool(ws, todo, stages, bar) -> list:
    """The files in a pool of worker processes. Ctrl-C only sets a flag here (an exception raised
    at an arbitrary point could leave the pool's locks held); the loop sees it within a moment,
    stops the workers and raises _Stopped."""
    from concurrent.futures import wait
    from pebble import ProcessPool
    from pebble.common import ProcessExpired

    options, results = ws.options, []
    timeout = options.timeout
    with _ctrl_c_sets_a_flag() as stop:
        pool = ProcessPool(max_workers=min(options.worker_count, len(todo)), context=_context(),
                           initializer=_worker_init, initargs=(options.max_memory,))
        futures = [(e, pool.schedule(process, args=(str(ws.out), e, stages, options),
                                     timeout=timeout if timeout > 0 else None)) for e in todo]
        for entry, fut in futures:
            while not stop.is_set() and not wait([fut], timeout=0.25).done:
                pass
            if stop.is_set():
                pool.stop()             # terminate the workers now; pending files are not started
                with contextlib.suppress(Exception):
                    pool.join(timeout=30)
                finished = sum(1 for _, f in futures if f.done() and not f.cancelled() and f.exception() is None)
                raise _Stopped(finished, len(todo))
            try:
                results.append(fut.result())
            except FutureTimeout:
                results.append(_record_failure(ws, entry, stages, f"timed out after {timeout:g} s (the time "
                                                                  "limit per file, --timeout)"))
            except ProcessExpired as e:
                results.append(_record_failure(ws, entry, stages, _died(e.exitcode, options), retry=True))
            except Exception as e:
                results.append(_record_failure(ws, entry, stages, f"{type(e).__name__}: {e}"))
            bar.done(entry)
        pool.close()
        pool.join()
    return results


@contextlib.contextmanager
def _ctrl_c_sets_a_flag():
    """An Event that SIGINT sets, instead of raising KeyboardInterrupt (main thread only)."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda *a: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_init(max_memory_mb: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the pool), and the memory the
    worker may allocate is bounded, so a file that would exhaust the machine fails alone.

    RLIMIT_DATA, not RLIMIT_AS: it counts what the process allocates (heap, anonymous maps) but
    not the read-only mappings of the OCR models and libraries, nor reserved address space, which
    onnxruntime and the threads' stacks inflate (an OCR worker has ~2 GB of address space for
    ~1.2 GB of data)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if max_memory_mb:
        try:
            import resource
            # on top of what the forked worker already holds (the parent's heap, shared copy-on-write
            # and counted again here): a run started from a big process gets the same room per file
            limit = int(max_memory_mb) * MB + _data_size()
            soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
        except (ImportError, ValueError, OSError):
            pass            # no such limit on this platform: the run goes on without it


def _data_size() -> int:
    """Bytes of this process's data segment as RLIMIT_DATA counts them (Linux), else 0."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _died(exitcode, options: Options) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        how = f"was killed by {name}"
    else:
        how = f"exited with code {exitcode}"
    memory = f" (a worker may use {options.max_memory:,} MB, --max-memory)" if options.max_memory else ""
    return (f"the worker process reading the file {how}; a file that needs more memory than a worker "
            f"may have ends so{memory}")


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


def _record_failure(ws: Workspace, entry: dict, stages: tuple, why: str, retry: bool = False) -> dict:
    message = f"{stages[0]} failed: {why}"
    for stage in stages:
        ws.save(stage, entry, {**({"retry": True} if retry else {}), "error": message})
    return {"report_id": entry["report_id"], "source": entry["source"], "ran": list(stages), "error": message}


def cross_year(ws: Workspace) -> dict:
    """The dataset checks over every report of the dataset: forms of one report against each
    other, then the cross-year checks on the canonical documents (pipeline.dataset)."""
    return check_dataset(ws)


def run(input_dir: Path, out: Path, options: Options = Options(), **changes) -> dict:
    """The whole pipeline: ingest, per-file stages, cross-year checks, publish. `input_dir` is
    one folder or a list of them; the output folder's dataset grows (pipeline.dataset).

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
                cross_year(ws)
                publish(ws, interrupted=True)
                _write_run(ws, entries, interrupted=True)
            published = True
        raise Interrupted(finished, total, published, out) from None
    with _no_interrupt():
        cross_year(ws)
        paths = publish(ws)
        _write_run(ws, entries, interrupted=False)
    tally = Tally.of(entries, previous, {r["report_id"] for r in ran}, _roots(input_dir))
    return {"entries": entries, "ran": ran, "paths": paths, "tally": tally}


def _roots(inputs) -> set:
    inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
    return {input_root(p) for p in inputs}


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
