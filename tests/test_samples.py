"""The generated sample reports in raw/: every form of every report, scored against the numbers
the generator put in, and the cross-year flags it expects."""
from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pandas as pd
import pytest

from pipeline.generator import generate
from pipeline.run import run
from pipeline.score import score

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
TRUTH = RAW / "truth"


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples_out")
    run(RAW, out, workers=2, progress=False, exclude=("*_scan.*",))
    return out


def test_raw_is_what_the_generator_writes(tmp_path):
    generate(tmp_path / "raw", tmp_path / "truth")
    made = sorted(p.name for p in (tmp_path / "raw").iterdir())
    assert made == sorted(p.name for p in RAW.iterdir() if p.is_file() and "_scan" not in p.name)
    for name in made:
        assert filecmp.cmp(tmp_path / "raw" / name, RAW / name, shallow=False), name


def test_every_generated_form_is_read_exactly(samples_run):
    scores = score(samples_run, TRUTH)
    assert len(scores) >= 72
    forms = {Path(s.file).suffix for s in scores}
    assert {".pdf", ".txt", ".docx", ".html", ".md"} <= forms
    wrong = [(s.file, s.problems[:3]) for s in scores if not s.perfect]
    assert wrong == []


def test_cross_year_flags_fire_as_generated(samples_run):
    with open(TRUTH / "cross_year.csv", encoding="utf-8") as f:
        expected = {(r["office"], int(r["year"])): {x for x in r["flags"].split(";") if x}
                    for r in csv.DictReader(f)}
    assert any(expected.values()) and not all(expected.values())   # both kinds of pair
    flags = pd.read_parquet(samples_run / "flags.parquet")
    reports = pd.read_parquet(samples_run / "reports.parquet")
    errors = flags[flags["rule"].str.startswith("cross_year.") & (flags["severity"] == "error")]
    for r in reports.itertuples():
        if (r.office, r.year) not in expected:
            continue
        have = set(errors[errors["report_id"] == r.report_id]["flag"])
        assert have == expected[(r.office, r.year)], r.source


def test_cross_year_message_names_both_years(samples_run):
    flags = pd.read_parquet(samples_run / "flags.parquet")
    f = flags[flags["flag"] == "cross_year.in_force@normative_docs"].iloc[0]
    assert f["severity"] == "error" and "2022" in f["message_zh"] and "in_force@-1" in f["message_en"]


def test_a_doc_made_by_libreoffice_reads_like_its_docx(tmp_path):
    from pipeline.readers.legacy_word import find_soffice
    import shutil
    import subprocess
    exe = find_soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    name = "南京市玄武区人民政府_2021"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(RAW / f"{name}.docx", src / f"{name}.docx")
    inp = tmp_path / "in"
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "doc", "--outdir", str(inp), str(src / f"{name}.docx")],
                   check=True, capture_output=True, timeout=180)
    truth = tmp_path / "truth"
    (truth / "cells").mkdir(parents=True)
    with open(TRUTH / "reports.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["file"] == f"{name}.docx"]
    rows[0]["file"] = f"{name}.doc"
    with open(truth / "reports.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    shutil.copy(TRUTH / "cells" / f"{name}.docx.csv", truth / "cells" / f"{name}.doc.csv")
    out = tmp_path / "out"
    run(inp, out, workers=1, progress=False)
    reports = pd.read_parquet(out / "reports.parquet")
    assert reports["detected_format"].tolist() == ["doc"]
    [s] = score(out, truth)
    assert s.perfect, s.problems
