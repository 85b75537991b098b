"""The files on a Dask cluster started as an administrator starts one (docs/deployment.md): a
`dask scheduler` and two `dask worker` processes of their own, reached over TCP. The outputs are
the same bytes as the local pool's, and a worker killed in the middle of a run costs nothing: its
file goes to the other worker."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, absent, need_module

from pipeline.runtime.run import run

distributed = need_module("distributed")
psutil = need_module("psutil")

RAW = ROOT / "raw"
SCAN = RAW / "南京市玄武区人民政府_2022_scan.pdf"
FILES = ["苏州市交通运输局_2021.pdf", "苏州市交通运输局_2021.html", "苏州市交通运输局_2021.txt",
         "苏州市交通运输局_2020.pdf", "泗阳县市场监督管理局_2022.pdf", "合肥市包河区人民政府_2019.docx"]
DATASETS = ("reports", "sections", "cells", "flags", "panel")
DASK = Path(sys.executable).with_name("dask")


class Cluster:
    """A scheduler and `workers` worker processes on this machine, each in a process group of its
    own (as on separate machines), sharing this machine's filesystem."""

    def __init__(self, base: Path, workers: int = 2):
        self.base, self.file = base, base / "scheduler.json"
        self.env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}     # as docs/deployment.md says
        self.scheduler = self._start("scheduler", "--scheduler-file", str(self.file), "--host", "127.0.0.1",
                                     "--port", "0", "--dashboard-address", ":0")
        self._wait(lambda: self.file.exists(), "the scheduler's file")
        self.workers = [self._start("worker", "--scheduler-file", str(self.file), "--host", "127.0.0.1",
                                    "--nworkers", "1", "--nthreads", "1", "--no-dashboard")
                        for _ in range(workers)]
        self._wait(lambda: len(self.info()["workers"]) == workers, f"{workers} workers")

    def _start(self, role: str, *args) -> subprocess.Popen:
        log = open(self.base / f"{role}-{time.monotonic_ns()}.log", "w")
        return subprocess.Popen([str(DASK), role, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=self.base)

    def info(self) -> dict:
        with distributed.Client(scheduler_file=str(self.file), timeout="20s") as client:
            return client.scheduler_info()

    @property
    def address(self) -> str:
        import json
        return json.loads(self.file.read_text())["address"]

    def _wait(self, done, what: str, limit: float = 90) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                if done():
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the cluster did not start: no {what} after {limit:g} s")

    def close(self) -> None:
        for p in self.workers + [self.scheduler]:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.workers + [self.scheduler]:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


@pytest.fixture()
def cluster(tmp_path):
    if not DASK.exists():
        absent(f"the dask command is not installed beside {sys.executable} (pip install 'ogi[dask]')")
    c = Cluster(tmp_path)
    try:
        yield c
    finally:
        c.close()


def _folder(tmp_path: Path, scans: int = 0) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in FILES:
        shutil.copy(RAW / name, folder / name)
    for k in range(scans):          # made different by a byte after %%EOF
        (folder / f"scan_{k}.pdf").write_bytes(SCAN.read_bytes() + b"\n%" + str(k).encode() + b"\n")
    return folder


def _same_outputs(a: Path, b: Path) -> None:
    for name in DATASETS:
        pd.testing.assert_frame_equal(pd.read_parquet(a / f"{name}.parquet"), pd.read_parquet(b / f"{name}.parquet"))
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name


@pytest.mark.e2e
def test_a_cluster_over_tcp_writes_the_same_bytes_as_the_local_pool(cluster, tmp_path):
    folder = _folder(tmp_path)
    run(folder, tmp_path / "local", workers=1, progress=False)
    assert cluster.address.startswith("tcp://127.0.0.1:")
    run(folder, tmp_path / "tcp", dask=cluster.address, progress=False)
    reports = pd.read_parquet(tmp_path / "tcp" / "reports.parquet")
    assert (reports["status"] == "ok").all() and len(reports) == len(FILES)
    _same_outputs(tmp_path / "local", tmp_path / "tcp")


def _kill_a_busy_worker(cluster: Cluster, killed: list, stop: threading.Event) -> None:
    """SIGKILL the whole process group of the first `dask worker` whose file process has been
    busy for a second and a half (a scan being OCR'd): the machine is lost."""
    busy_since = {}
    while not stop.is_set() and not killed:
        for w in cluster.workers:
            try:
                files = [p for p in psutil.Process(w.pid).children(recursive=True)]
                working = sum(p.cpu_percent(interval=0.2) for p in files) > 50
            except psutil.Error:
                continue
            if not working:
                busy_since.pop(w.pid, None)
            elif time.monotonic() - busy_since.setdefault(w.pid, time.monotonic()) > 1.5:
                os.killpg(w.pid, signal.SIGKILL)
                killed.append(w.pid)
                return
        time.sleep(0.1)


@pytest.mark.ocr
def test_a_worker_killed_in_the_middle_of_a_run_costs_nothing(cluster, tmp_path):
    folder = _folder(tmp_path, scans=1)
    killed, stop = [], threading.Event()
    killer = threading.Thread(target=_kill_a_busy_worker, args=(cluster, killed, stop), daemon=True)
    killer.start()
    try:
        run(folder, tmp_path / "tcp", dask=cluster.address, progress=False)
    finally:
        stop.set()
        killer.join(5)
    assert killed, "no worker was seen busy with a file"
    run(folder, tmp_path / "local", workers=1, progress=False)
    reports = pd.read_parquet(tmp_path / "tcp" / "reports.parquet")
    assert (reports["status"] == "ok").all(), reports[["source", "status", "error"]]
    _same_outputs(tmp_path / "local", tmp_path / "tcp")
