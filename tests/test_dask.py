"""The files on a Dask cluster (`--dask local`): the same outputs, byte for byte, as the local
pool, and the same isolation: a file that hangs past the time limit or whose process is killed
costs that file alone."""
from __future__ import annotations

import shutil
import threading
import time

import pandas as pd
import pytest
from conftest import ROOT, need_module

from pipeline.core.options import Options
from pipeline.core.store import STAGES
from pipeline.runtime.run import run

need_module("distributed", "running on a Dask cluster")

RAW = ROOT / "raw"
SCAN = RAW / "南京市玄武区人民政府_2022_scan.pdf"
MIXED = ["苏州市交通运输局_2021.pdf", "苏州市交通运输局_2021.html", "苏州市交通运输局_2021.docx",
         "苏州市交通运输局_2021.md", "苏州市交通运输局_2021.txt", "苏州市交通运输局_2020.pdf",
         "泗阳县市场监督管理局_2022.pdf", "合肥市包河区人民政府_2019.html"]
DATASETS = ("reports", "sections", "cells", "flags", "panel")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Ten files: forms of one report (PDF, web page, Word, Markdown, text), its previous year,
    two other offices, a duplicate and a file that is no PDF."""
    folder = tmp_path_factory.mktemp("mixed") / "in"
    folder.mkdir()
    for name in MIXED:
        shutil.copy(RAW / name, folder / name)
    shutil.copy(RAW / MIXED[0], folder / "苏州市交通运输局_2021_copy.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%garbage that is no PDF at all\n")
    return folder


@pytest.mark.e2e
def test_dask_writes_the_same_bytes_as_the_local_pool(mixed, tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    run(mixed, local, workers=1, progress=False)
    run(mixed, dask, workers=2, dask="local", progress=False)
    reports = pd.read_parquet(dask / "reports.parquet").set_index("source")
    assert reports.loc["broken.pdf", "status"] == "failed"
    assert reports.loc["苏州市交通运输局_2021_copy.pdf", "duplicate_of"] == MIXED[0]
    assert (reports.drop(index="broken.pdf")["status"] == "ok").all()
    for name in DATASETS:
        a, b = pd.read_parquet(local / f"{name}.parquet"), pd.read_parquet(dask / f"{name}.parquet")
        pd.testing.assert_frame_equal(a, b)
        assert (local / f"{name}.parquet").read_bytes() == (dask / f"{name}.parquet").read_bytes(), name


def _kill_the_first_busy_file_process(killed: list, stop: threading.Event) -> None:
    """Kill (SIGKILL, as the OOM killer would) the first process of a Dask worker seen working
    on a file for a second and a half: a scan being OCR'd (the scans are the first two files)."""
    import psutil
    me, busy_since = psutil.Process(), {}
    while not stop.is_set() and not killed:
        for child in [c for w in _children(me) for c in _children(w)]:
            try:
                before = child.cpu_times().user
                time.sleep(0.3)
                if child.cpu_times().user - before < 0.01:
                    busy_since.pop(child.pid, None)
                    continue
                if time.monotonic() - busy_since.setdefault(child.pid, time.monotonic()) > 1.5:
                    child.kill()
                    killed.append(child.pid)
                    return
            except psutil.Error:
                pass
        time.sleep(0.1)


def _children(process) -> list:
    try:
        return process.children()
    except Exception:
        return []


@pytest.mark.e2e
def test_a_hang_and_a_crash_under_dask_cost_their_files_only(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    data = SCAN.read_bytes()
    for k in range(2):          # two scans, made different by a byte after %%EOF: each takes ≥ 10 s (4 pages OCR'd)
        (folder / f"scan_{k}.pdf").write_bytes(data + b"\n%" + str(k).encode() + b"\n")
    shutil.copy(RAW / "泗阳县市场监督管理局_2022.txt", folder / "z_good.txt")     # after the scans
    killed, stop = [], threading.Event()
    killer = threading.Thread(target=_kill_the_first_busy_file_process, args=(killed, stop), daemon=True)
    killer.start()
    started = time.monotonic()
    try:
        run(folder, tmp_path / "out", workers=2, dask="local", timeout=6, progress=False)
    finally:
        stop.set()
        killer.join(5)
    assert time.monotonic() - started < 80
    assert killed, "no file's process was found busy"
    reports = pd.read_parquet(tmp_path / "out" / "reports.parquet").set_index("source")
    assert reports.loc["z_good.txt", "status"] == "ok"
    errors = sorted(reports.loc[[f"scan_{k}.pdf" for k in range(2)], "error"])
    assert all(reports.loc[f"scan_{k}.pdf", "status"] == "failed" for k in range(2))
    assert any("was killed by SIGKILL" in e for e in errors), errors
    assert any("timed out after 6 s" in e for e in errors), errors


@pytest.mark.unit
def test_the_executor_is_no_part_of_any_cache_key():
    for stage in STAGES:
        assert Options(dask="tcp://scheduler:8786").cache_key(stage, STAGES) == Options().cache_key(stage, STAGES)


@pytest.mark.e2e
def test_ctrl_c_under_dask_cancels_the_tasks_and_publishes_what_finished(tmp_path):
    import json
    import signal
    import subprocess
    import sys
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    shutil.copy(RAW / "泗阳县市场监督管理局_2022.txt", folder / "a_good.txt")     # first: done in seconds
    data = SCAN.read_bytes()
    for k in range(2):
        (folder / f"scan_{k}.pdf").write_bytes(data + b"\n%" + str(k).encode() + b"\n")
    p = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(folder), "-o", str(out), "--dask", "local",
                          "--workers", "2"], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not list((out / "work" / "check").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        asked = time.monotonic()
        stdout, stderr = p.communicate(timeout=90)
    finally:
        if p.poll() is None:
            p.kill()
    assert time.monotonic() - asked < 45                 # the running scans are stopped, not waited for
    assert p.returncode == 130 and "Traceback" not in stderr, stderr
    assert "interrupted:" in stderr and "finished and are published" in stderr, stderr
    reports = pd.read_parquet(out / "reports.parquet").set_index("source")
    assert reports.loc["a_good.txt", "status"] == "ok"
    for k in range(2):              # not a failure of the file: "not processed", and the next run does it
        assert "interrupted" in reports.loc[f"scan_{k}.pdf", "error"]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["finished"] == 1
