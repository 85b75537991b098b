"""Where the per-file stages run: in this process, in a local pool of worker processes, or on a
Dask cluster. One file is one task everywhere, with the same guarantees:

    isolation   each file runs in a process of its own (a pebble pool's worker): a crash, a
                hang past the time limit (--timeout) or a file that needs more memory than a
                worker may have (--max-memory, an RLIMIT_DATA) costs that file alone; its
                failure is recorded in the work folder as the stage results would have been
    results     go through the work folder (OUT/work), which every process writes; the caller
                runs the dataset checks and publish afterwards, so the outputs are the same
                byte for byte whichever executor ran the files
    Ctrl-C      sets a flag; the loop stops the workers (a Dask cluster: cancels the tasks and
                stops the running ones) and raises `Stopped`, and what finished is published

    in_process  workers=1 with no time limit: the files one after the other in this process
    LocalPool   a pebble ProcessPool of --workers processes on this machine
    DaskCluster --dask local (a LocalCluster of --workers processes) or --dask tcp://host:8786
                (an existing scheduler): each Dask worker keeps a pebble pool of its own, of
                one process per worker thread, and runs each file in it, so a Dask task is
                isolated and timed exactly as a local one (docs/deployment.md)

`run_files` is the one loop over the tasks of any pooled executor: submit every file, collect
results as they complete (the progress bar moves then), turn a failed task into a failure record
(`settle`), and stop everything on Ctrl-C.
"""
from __future__ import annotations

import contextlib
import importlib
import signal
import threading
import time
import uuid
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures import wait
from pathlib import Path

from pipeline.core.failures import Failure, Kind
from pipeline.core.options import MB, Options
from pipeline.core.store import Workspace, write_json
from pipeline.core.version import pipeline_version
from pipeline.runtime.stages import process

POLL = 0.25            # seconds between looks at the Ctrl-C flag while waiting for a file


class Stopped(KeyboardInterrupt):
    """Ctrl-C while the files ran, with the number of files that finished."""

    def __init__(self, finished: int, total: int):
        self.finished, self.total = finished, total


class ClusterError(RuntimeError):
    """The Dask cluster cannot run this pipeline as asked (a worker that does not see the
    folders, another pipeline version, workers that may not start processes): a sentence."""


# -- what every executor shares ------------------------------------------------------------------

def settle(ws: Workspace, entry: dict, stages: tuple, result) -> tuple:
    """(summary, ok) of one file's task: `result()` gives the summary `process` returned, or
    raises how the task ended; a timeout, a dead worker or an exception becomes the file's
    failure record in the work folder (`record_failure`), so it costs this file only."""
    from pebble.common import ProcessExpired
    options = ws.options
    try:
        return result(), True
    except FutureTimeout:
        kind, why = Kind.TIMEOUT, f"timed out after {options.timeout:g} s (the time limit per file, --timeout)"
    except ProcessExpired as e:
        kind, why = Kind.WORKER_DIED, died(e.exitcode, options)
    except Exception as e:
        kind, why = Kind.BUG, f"{type(e).__name__}: {e}"
    return record_failure(ws, entry, stages, Failure(kind, f"{stages[0]} failed: {why}")), False


def record_failure(ws: Workspace, entry: dict, stages: tuple, failure: Failure) -> dict:
    """Every stage's result of the file is the failure (a failure that depends on the machine, not
    on the file, is tried again by the next run: pipeline.core.failures.RETRIED)."""
    for stage in stages:
        ws.save(stage, entry, failure)
    return {"report_id": entry["report_id"], "source": entry["source"], "ran": list(stages), "error": failure.message}


def died(exitcode, options: Options) -> str:
    """A worker process that ended while reading a file, as a sentence."""
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


def worker_init(max_memory_mb: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the pool), and the memory the
    worker may allocate is bounded, so a file that would exhaust the machine fails alone.

    RLIMIT_DATA, not RLIMIT_AS: it counts what the process allocates (heap, anonymous maps) but
    not the read-only mappings of the OCR models and libraries, nor reserved address space, which
    onnxruntime and the threads' stacks inflate (an OCR worker has ~2 GB of address space for
    ~1.2 GB of data)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
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


def _die_with_parent() -> None:
    """A file's process never outlives the process that started it (Linux: PR_SET_PDEATHSIG):
    a Dask worker stopped or killed while a file runs takes the file's process with it, instead
    of leaving an orphan that OCRs on."""
    try:
        import ctypes
        import os
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)           # PR_SET_PDEATHSIG
        if os.getppid() == 1:                   # the parent ended before the call: go too
            os._exit(1)
    except (OSError, AttributeError):
        pass                                    # another platform: no such guarantee there


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


def warm_up(formats: set) -> None:
    """Import the readers the files need before worker processes fork, so each starts ready."""
    from pipeline.readers import REGISTRY
    for fmt in formats:
        if fmt in REGISTRY:
            try:
                importlib.import_module(f"pipeline.readers.{REGISTRY[fmt]}")
            except ImportError:
                pass     # the worker will report it for the files that need it


def fork_context():
    """fork where the platform has it: workers start at once, with the modules already loaded."""
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


def new_pool(size: int, max_memory: int):
    """A pebble pool whose workers are bounded as `worker_init` says."""
    from pebble import ProcessPool
    return ProcessPool(max_workers=size, context=fork_context(), initializer=worker_init,
                       initargs=(max_memory,))


@contextlib.contextmanager
def ctrl_c_sets_a_flag():
    """An Event that SIGINT sets, instead of raising KeyboardInterrupt (main thread only): an
    exception raised at an arbitrary point could leave a pool's or a client's locks held."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = signal.signal(signal.SIGINT, lambda *a: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


# -- the executors -------------------------------------------------------------------------------

def in_process(ws: Workspace, todo: list, stages: tuple, bar) -> list:
    """The files one after the other in this process (workers=1, no time limit): nothing to
    isolate them, nothing started; Ctrl-C stops at once."""
    results = []
    try:
        for e in todo:
            bar.start(e)
            results.append(process(str(ws.out), e, stages, ws.options))
            bar.done(e)
    except KeyboardInterrupt:
        raise Stopped(len(results), len(todo)) from None
    return results


class LocalPool:
    """A pebble pool of worker processes on this machine (forked: they inherit the loaded modules)."""

    def __init__(self, ws: Workspace, stages: tuple, files: int):
        self.ws, self.stages = ws, stages
        self.size = min(ws.options.worker_count, files)

    def __enter__(self):
        self.pool = new_pool(self.size, self.ws.options.max_memory)
        return self

    def submit(self, entry: dict):
        timeout = self.ws.options.timeout
        return self.pool.schedule(process, args=(str(self.ws.out), entry, self.stages, self.ws.options),
                                  timeout=timeout if timeout > 0 else None)

    def wait(self, futures: list, timeout: float) -> set:
        from concurrent.futures import FIRST_COMPLETED
        return wait(futures, timeout=timeout, return_when=FIRST_COMPLETED).done

    def result(self, entry: dict, future) -> tuple:
        return settle(self.ws, entry, self.stages, future.result)

    def stop(self) -> None:
        """Terminate the workers now; files not started are not started."""
        self.pool.stop()
        with contextlib.suppress(Exception):
            self.pool.join(timeout=30)

    def __exit__(self, kind, value, tb):
        if kind is None:
            self.pool.close()
            self.pool.join()
        else:
            self.stop()
        return False


def run_files(executor, todo: list, bar) -> list:
    """Every file of `todo` as a task of `executor`; the summaries in the order of `todo`.
    Results are taken as tasks complete; Ctrl-C stops the executor and raises `Stopped`."""
    results, finished = [None] * len(todo), 0
    with ctrl_c_sets_a_flag() as stop, executor:
        pending = {executor.submit(e): i for i, e in enumerate(todo)}
        while pending:
            done = () if stop.is_set() else executor.wait(list(pending), POLL)
            if stop.is_set():
                executor.stop()
                raise Stopped(finished, len(todo))
            for future in done:
                i = pending.pop(future)
                results[i], ok = executor.result(todo[i], future)
                finished += ok
                bar.done(todo[i])
    return results


def executor_for(ws: Workspace, stages: tuple, files: int):
    """The pooled executor the options ask for: a Dask cluster (--dask) or a local pool."""
    if ws.options.dask:
        return DaskCluster(ws, stages, ws.options.dask)
    return LocalPool(ws, stages, files)


# -- Dask ----------------------------------------------------------------------------------------

class DaskCluster:
    """Each file a Dask task on `address` ("local": a LocalCluster of --workers processes here;
    else a scheduler's address, tcp://host:8786). The tasks read the input files by their
    absolute paths and write the work folder, so both must be on a filesystem every worker
    mounts at the same path (docs/deployment.md); this is checked before any task starts."""

    def __init__(self, ws: Workspace, stages: tuple, address: str):
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ClusterError("--dask needs dask's distributed package: pip install 'dask[distributed]'") from None
        self.ws, self.stages, self.address = ws, stages, address
        self.out = str(Path(ws.out).resolve())
        self.token = uuid.uuid4().hex[:12]
        self.cluster = self.client = self.completed = None
        self.futures = []

    def __enter__(self):
        import dask
        from distributed import Client, LocalCluster
        self._config = dask.config.set({"distributed.worker.daemon": False})   # workers may start processes
        self._config.__enter__()
        try:
            if self.address == "local":
                import logging
                self.cluster = LocalCluster(n_workers=self.ws.options.worker_count, threads_per_worker=1,
                                            processes=True, dashboard_address=":0",   # any free port
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout="30s")
            self._check_workers()
            self.client.register_plugin(StopPoolsOnClose(), name="ogi-stop-pools")
        except BaseException:
            self._close()
            raise
        return self

    def _check_workers(self) -> None:
        """Every worker connected now sees the output folder, runs this pipeline version and may
        start processes; else a ClusterError says which worker and what to do."""
        probe = Path(self.out) / "work" / f".dask-probe-{self.token}"
        write_json(probe, {"token": self.token})
        try:
            seen = self.client.run(worker_facts, str(probe))
        finally:
            probe.unlink(missing_ok=True)
        problems = []
        for worker, facts in sorted(seen.items()):
            if not facts["sees_output"]:
                problems.append(f"{worker} does not see the output folder {self.out}")
            if facts["pipeline_version"] != pipeline_version():
                problems.append(f"{worker} runs pipeline {facts['pipeline_version']}, this run {pipeline_version()}")
            if facts["daemon"]:
                problems.append(f"{worker} may not start processes (start it with "
                                "DASK_DISTRIBUTED__WORKER__DAEMON=False)")
        if problems:
            raise ClusterError("the Dask cluster cannot run these files: " + "; ".join(problems)
                               + ". The input and output folders must be on a filesystem every worker mounts "
                               "at the same path, with the same pipeline installed (docs/deployment.md)")

    def submit(self, entry: dict):
        from distributed import as_completed
        future = self.client.submit(on_dask_worker, self.out, entry, self.stages, self.ws.options, self.token,
                                    key=f"ogi-{entry['report_id']}-{self.token}", pure=False, retries=0)
        self.futures.append(future)
        if self.completed is None:
            self.completed = as_completed([future])
        else:
            self.completed.add(future)
        return future

    def wait(self, futures: list, timeout: float) -> set:
        """The tasks that completed since the last look (each once), waiting up to `timeout` for
        one. Not distributed.wait: called every POLL seconds over thousands of futures, it leaves
        a waiter per future behind each time, and the client's memory grows by gigabytes."""
        done = self.completed.next_batch(block=False) if self.completed.has_ready() else []
        if not done:
            time.sleep(timeout)
            done = self.completed.next_batch(block=False) if self.completed.has_ready() else []
        return set(done)

    def result(self, entry: dict, future) -> tuple:
        # the worker settled timeouts and crashes itself; what reaches here is a task that could
        # not run at all (its Dask worker died: KilledWorker), recorded the same way
        return settle(self.ws, entry, self.stages, future.result)

    def stop(self) -> None:
        """Cancel the tasks not started and stop the running ones (their workers see the run's
        stop event within a second and kill the file's process)."""
        with contextlib.suppress(OSError):
            stop_path(self.out, self.token).touch()
        with contextlib.suppress(Exception):
            self.client.cancel([f for f in self.futures if not f.done()])

    def _close(self) -> None:
        for thing in (self.client, self.cluster):
            if thing is not None:
                with contextlib.suppress(Exception):
                    thing.close()
        with contextlib.suppress(OSError):
            stop_path(self.out, self.token).unlink(missing_ok=True)
        self._config.__exit__(None, None, None)

    def __exit__(self, kind, value, tb):
        if kind is not None:
            self.stop()
        self._close()
        return False


def _stop_pools() -> None:
    _CLOSING.set()
    with _POOLS_LOCK:
        for pool in _POOLS.values():
            with contextlib.suppress(Exception):
                pool.stop()
                pool.join(timeout=10)
        _POOLS.clear()


def _plugin_base():
    try:
        from distributed import WorkerPlugin
        return WorkerPlugin
    except ImportError:
        return object


class StopPoolsOnClose(_plugin_base()):
    """Stops a Dask worker's file processes when the worker closes: a multiprocessing child (the
    worker) exits without running atexit, and would otherwise wait for them until its nanny
    kills it."""

    def teardown(self, worker) -> None:
        _stop_pools()


def stop_path(out: str, token: str) -> Path:
    """The file whose presence tells a run's tasks it was stopped (Ctrl-C). A file in the shared
    work folder, not a Dask Event: each worker looks once a second at no cost to the scheduler,
    and no worker needs a client of its own (one left at the worker's exit prints a traceback)."""
    return Path(out) / "work" / f".dask-stop-{token}"


def worker_facts(probe: str, dask_worker=None) -> dict:
    """What `DaskCluster._check_workers` asks of each worker."""
    import multiprocessing
    return {"sees_output": Path(probe).is_file(), "pipeline_version": pipeline_version(),
            "daemon": bool(multiprocessing.current_process().daemon)}


_POOLS: dict = {}
_POOLS_LOCK = threading.Lock()
_CLOSING = threading.Event()      # this worker is closing: its file processes are being stopped


def _worker_pool(max_memory: int):
    """This Dask worker's pebble pool (one process per worker thread), made on its first file and
    reused: a file's process is started once, not per file; one that crashed or timed out is
    replaced by pebble. Stopped when the worker exits."""
    with _POOLS_LOCK:
        pool = _POOLS.get(max_memory)
        if pool is None or not pool.active:
            import atexit

            from distributed import get_worker
            try:
                size = max(1, int(get_worker().state.nthreads))
            except (ValueError, AttributeError):
                size = 1
            pool = _POOLS[max_memory] = new_pool(size, max_memory)
            atexit.register(pool.stop)
        return pool


def on_dask_worker(out: str, entry: dict, stages: tuple, options: Options, token: str) -> dict:
    """One file on a Dask worker: `process` in the worker's pool, with the run's time limit and
    memory bound; a timeout or a crash becomes the file's failure record, as in a local pool."""
    ws = Workspace(Path(out), options)
    if not (Path(out) / "work").is_dir():
        raise ClusterError(f"this worker does not see the output folder {out} (docs/deployment.md)")
    warm_up({entry["detected_format"]})
    timeout = options.timeout
    future = _worker_pool(options.max_memory).schedule(process, args=(out, entry, stages, options),
                                                        timeout=timeout if timeout > 0 else None)
    stop = _stop_flag(out, token)
    while not wait([future], timeout=1.0).done:
        if stop():
            future.cancel()              # kills the file's process; the run publishes without it
            break
    if stop() or _CLOSING.is_set() or future.cancelled():
        # the run was stopped, or this worker is closing and stopped the file's process: the file
        # was not finished, which is no failure of the file (nothing is recorded; it runs next time)
        return {"report_id": entry["report_id"], "source": entry["source"], "ran": [],
                "error": "cancelled: the run was interrupted"}
    return settle(ws, entry, stages, future.result)[0]


def _stop_flag(out: str, token: str):
    """A function telling whether the run that started this task was stopped (Ctrl-C)."""
    path = stop_path(out, token)
    return path.exists
