"""The generated sample reports in raw/: every form of every report, scored against the numbers
the generator put in, and the cross-year flags it expects."""
from __future__ import annotations

import csv
import filecmp
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import need_soffice

from pipeline.outputs.score import score
from pipeline.runtime.run import run
from samples import generate

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
TRUTH = RAW / "truth"


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
    # once per office-year, on the canonical document; the other forms carry none
    assert set(errors["report_id"]) <= set(reports[reports["canonical"]]["report_id"])
    assert not errors.duplicated(["flag", "report_id"]).any()
    pairs = {}
    for r in reports[reports["canonical"]].itertuples():
        if (r.office, r.year) in expected:
            pairs[(r.office, r.year)] = set(errors[errors["report_id"] == r.report_id]["flag"])
    assert pairs == expected
    assert len(errors) == sum(len(v) for v in expected.values())


def test_cross_year_message_names_both_years(samples_run):
    flags = pd.read_parquet(samples_run / "flags.parquet")
    f = flags[flags["flag"] == "cross_year.in_force@normative_docs"].iloc[0]
    assert f["severity"] == "error" and "2022" in f["message_zh"] and "in force in its 2022 report" in f["message_en"]


def truth_for(folder: Path, renamed: dict) -> Path:
    """A truth folder for converted copies: {new file name: the raw/ file it was made from}."""
    (folder / "cells").mkdir(parents=True)
    with open(TRUTH / "reports.csv", encoding="utf-8") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    out = [{**rows[src], "file": new} for new, src in renamed.items()]
    with open(folder / "reports.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    for new, src in renamed.items():
        shutil.copy(TRUTH / "cells" / f"{src}.csv", folder / "cells" / f"{new}.csv")
    return folder


def test_a_doc_made_by_libreoffice_reads_like_its_docx(tmp_path):
    exe = need_soffice()
    name = "南京市玄武区人民政府_2021"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(RAW / f"{name}.docx", src / f"{name}.docx")
    inp = tmp_path / "in"
    subprocess.run([exe, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "doc", "--outdir", str(inp), str(src / f"{name}.docx")],
                   check=True, capture_output=True, timeout=180)
    truth = truth_for(tmp_path / "truth", {f"{name}.doc": f"{name}.docx"})
    out = tmp_path / "out"
    run(inp, out, workers=1, progress=False)
    reports = pd.read_parquet(out / "reports.parquet")
    assert reports["detected_format"].tolist() == ["doc"]
    [s] = score(out, truth)
    assert s.perfect, s.problems


def test_ofd_made_from_the_sample_pdfs_reads_exactly(tmp_path):
    from pdf_to_ofd import pdf_to_ofd
    inp = tmp_path / "in"
    inp.mkdir()
    renamed = {}
    for stem in ("南京市玄武区人民政府_2021", "合肥市包河区人民政府_2019", "成都市武侯区民政局_2021"):
        pdf_to_ofd(RAW / f"{stem}.pdf", inp / f"{stem}.ofd", title=stem)
        renamed[f"{stem}.ofd"] = f"{stem}.pdf"
    truth = truth_for(tmp_path / "truth", renamed)
    out = tmp_path / "out"
    run(inp, out, workers=2, progress=False)
    assert set(pd.read_parquet(out / "reports.parquet")["detected_format"]) == {"ofd"}
    scores = score(out, truth)
    assert len(scores) == 3 and all(s.perfect for s in scores), [s.problems for s in scores]
