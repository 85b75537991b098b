"""Each per-file stage's cache stamp covers the code and data that stage reads, and nothing else:
editing a rule re-runs extract and check, never the readers; editing the audit report or the
export re-runs nothing; editing a reader re-runs everything. Proved on a copy of the code."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from pipeline.core.version import STAGES, stage_files

SAMPLE = ROOT / "raw" / "南京市玄武区人民政府_2021.txt"


@pytest.mark.unit
def test_the_stages_read_what_they_should():
    files = {s: set(stage_files(s)) for s in STAGES}
    assert "data/rules.csv" not in files["parse"] | files["segment"]      # rules never re-read a file
    assert "data/rules.csv" in files["check"]
    assert "data/narrative.csv" in files["check"] and "data/narrative.csv" not in files["extract"]
    assert "readers/pdf.py" in files["parse"] and "readers/ocr/pages.py" in files["parse"]
    assert not any(f.startswith("readers/") for f in files["check"])
    for s in STAGES:       # what only reads the published datasets or talks to the user is in no stamp
        assert not any(f.startswith(("outputs/", "runtime/", "publish/", "dataset/")) or f == "cli.py"
                       for f in files[s]), s
        assert {"core/model.py", "core/findings.py", "data/__init__.py"} <= files[s], s


@pytest.fixture()
def code(tmp_path):
    """A copy of the package, run from a fresh interpreter, with one report to read."""
    shutil.copytree(ROOT / "pipeline", tmp_path / "code" / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLE, tmp_path / "in" / SAMPLE.name)
    return tmp_path


def _run(base: Path) -> dict:
    """`ogi run` with the copied code; {stage: mtime_ns of the report's result}."""
    env = {**os.environ, "PYTHONPATH": str(base / "code")}
    probe = subprocess.run([sys.executable, "-c", "import pipeline; print(pipeline.__file__)"], env=env,
                           cwd=base / "code", capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(base / "code")), probe.stdout
    subprocess.run([sys.executable, "-m", "pipeline", "run", str(base / "in"), "-o", str(base / "out"),
                    "--workers", "1", "--timeout", "0"], env=env, cwd=base / "code", check=True,
                   capture_output=True)
    return {s: next((base / "out" / "work" / s).glob("*.json")).stat().st_mtime_ns for s in STAGES}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.e2e
def test_a_rule_edit_reruns_extract_and_check_only(code):
    first = _run(code)
    assert _run(code) == first                                     # nothing changed: nothing re-run
    _edit(code / "code/pipeline/data/rules.csv", "应等于 总计 + 结转下年度", "应当等于 总计 + 结转下年度")
    after = _run(code)
    assert {s for s in STAGES if after[s] != first[s]} == {"extract", "check"}


@pytest.mark.e2e
def test_editing_the_outputs_reruns_nothing(code):
    first = _run(code)
    _edit(code / "code/pipeline/outputs/report/style.css", "{", "{ /* edited */", )
    _edit(code / "code/pipeline/outputs/export.py", '"""', '"""Edited. ')
    assert _run(code) == first


@pytest.mark.e2e
def test_a_reader_edit_reruns_every_stage(code):
    first = _run(code)
    _edit(code / "code/pipeline/readers/text.py", '"""', '"""Edited. ')
    after = _run(code)
    assert all(after[s] != first[s] for s in STAGES)
