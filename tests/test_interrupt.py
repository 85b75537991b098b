"""Stopping a run as a user does: Ctrl-C, a pipe closed early, an empty folder.

The Ctrl-C tests need files that take seconds each: copies of the real scan of raw/ (each OCR'd
in a worker, under the worker's memory limit), made different by a byte after %%EOF.
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from conftest import ROOT

pytestmark = pytest.mark.e2e

SCAN = ROOT / "raw" / "南京市玄武区人民政府_2022_scan.pdf"
TXT = ROOT / "raw" / "泗阳县市场监督管理局_2022.txt"


@pytest.fixture
def ogi():
    """Start `python -m pipeline ARGS…`; whatever the test's outcome, no run is left behind."""
    started = []

    def start(*args):
        started.append(subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        return started[-1]

    yield start
    for p in started:
        if p.poll() is None:
            p.kill()
            p.wait()


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans") / "in"
    folder.mkdir()
    data = SCAN.read_bytes()
    for k in range(3):
        (folder / f"scan_{k}.pdf").write_bytes(data + b"\n%" + str(k).encode() + b"\n")
    return folder


def _wait_for(predicate, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_ctrl_c_before_anything_finished_says_nothing_was_published(ogi, scans, tmp_path):
    out = tmp_path / "out"
    p = ogi("run", scans, "-o", out, "--workers", "1")
    assert _wait_for(lambda: (out / "work" / "ingest.json").exists(), 60)
    time.sleep(2)                                  # the worker is reading the first scan
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=60)
    assert p.returncode == 130, stderr
    assert "nothing was published" in stderr and "Traceback" not in stderr
    assert not (out / "reports.parquet").exists()


def test_ctrl_c_publishes_what_finished_and_marks_the_run_interrupted(ogi, scans, tmp_path):
    out = tmp_path / "out"
    p = ogi("run", scans, "-o", out, "--workers", "1")
    finished = lambda: list((out / "work" / "check").glob("*.json"))   # noqa: E731
    assert _wait_for(finished, 600), p.stderr.read() if p.poll() is not None else "no file finished"
    p.send_signal(signal.SIGINT)
    asked = time.monotonic()
    stdout, stderr = p.communicate(timeout=120)
    assert time.monotonic() - asked < 30             # the worker is stopped, not waited for
    assert p.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted:" in stderr and "finished and are published" in stderr, stderr
    reports = pd.read_parquet(out / "reports.parquet")
    assert len(reports) == 3
    done = reports[reports["status"] == "ok"]
    assert len(done) >= 1 and (done["n_cells"] > 100).all()     # the real scan, read by OCR in the worker
    rest = reports[reports["status"] != "ok"]
    assert all("interrupted" in e for e in rest["error"])
    cells = pd.read_parquet(out / "cells.parquet")
    assert set(cells["source"]) == set(done["source"])
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["interrupted"] is True and run["files"] == 3 and run["finished"] == len(done)


def test_a_pipe_closed_early_is_not_an_error(ogi, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TXT, folder / TXT.name)
    p = ogi("run", folder, "-o", tmp_path / "out")
    p.stdout.close()                 # the reader went away (ogi run … | head -1, head done)
    stderr = p.stderr.read()
    p.wait(timeout=300)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert p.returncode == 141
    assert (tmp_path / "out" / "reports.parquet").exists()
    shell = subprocess.run(f"{sys.executable} -m pipeline run '{folder}' -o '{tmp_path / 'out2'}' | head -1",
                           shell=True, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert shell.stdout.startswith("files: 1 · new 1") and "Traceback" not in shell.stderr, shell.stderr


def test_an_empty_folder_says_no_files_found(ogi, tmp_path):
    (tmp_path / "in").mkdir()
    p = ogi("run", tmp_path / "in", "-o", tmp_path / "out")
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 1
    assert "no files found" in stderr
    assert (tmp_path / "out" / "reports.parquet").exists()       # empty, with the schema
    assert json.loads((tmp_path / "out" / "run.json").read_text())["files"] == 0
