"""Hostile and broken inputs beside good reports in one `ogi run`: the run completes, every bad
file gets its own failed / not_a_report row with a readable sentence, every good file keeps all
its cells, and nothing outside the input folder is read.

"Nothing outside is read" is checked three ways: the kernel's inotify watch on the folder outside
(the canary's), which sees every open or listing by any process, C libraries included; an audit
hook in the `ogi` process and its forked workers, which records every Python-level open and
folder listing; and the outputs (work/*.json and the Parquet datasets), which must not hold the
canary's marker or a line of /etc/passwd.
"""
from __future__ import annotations

import csv
import ctypes
import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import hostile
import pandas as pd
import pytest
from conftest import ROOT, absent

RAW = ROOT / "raw"

AUDIT = r"""
import json, os, runpy, sys
_fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
_busy = []
def _hook(event, args):
    if _busy or event not in ("open", "os.listdir", "os.scandir") or not args:
        return
    path = args[0]
    if path is None or isinstance(path, int):
        return
    _busy.append(1)
    try:
        real = os.path.realpath(os.fsdecode(path))
        os.write(_fd, (json.dumps([real, event]) + "\n").encode())
    finally:
        _busy.pop()
sys.addaudithook(_hook)
sys.argv = ["ogi"] + sys.argv[2:]
runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
"""


class Inotify:
    """Every open, read or listing of the files and folders watched, by any process."""
    EVENTS = 0x01 | 0x20            # IN_ACCESS | IN_OPEN

    def __init__(self, paths):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK)
        if self.fd < 0:
            absent("inotify is not available")
        self.names = {}
        for p in paths:
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(p), self.EVENTS)
            assert wd >= 0, p
            self.names[wd] = str(p)

    def events(self) -> list:
        out = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            k = 0
            while k < len(data):
                wd, mask, _, n = struct.unpack_from("iIII", data, k)
                name = data[k + 16: k + 16 + n].rstrip(b"\0").decode("utf-8", "replace")
                out.append((os.path.join(self.names.get(wd, "?"), name), mask))
                k += 16 + n
        os.close(self.fd)
        return out


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    folder, outside, out = base / "in", base / "outside", base / "out"
    made = hostile.write(folder, outside)
    beside = hostile.sibling(folder)
    watch = Inotify([outside, outside / "dir", beside, beside / "dir"])
    log = base / "audit.jsonl"
    p = subprocess.run([sys.executable, "-c", AUDIT, str(log), "run", str(folder), "-o", str(out), "--workers", "2"],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    touched = watch.events()
    opens = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    reports = pd.read_parquet(out / "reports.parquet")
    return {"base": base, "in": folder, "outside": outside, "out": out, "made": made, "proc": p,
            "touched": touched, "opens": opens, "reports": reports.set_index("source"),
            "cells": pd.read_parquet(out / "cells.parquet"), "flags": pd.read_parquet(out / "flags.parquet")}


@pytest.mark.unit
def test_the_kinds_are_many_and_each_is_written():
    assert len(hostile.KINDS) >= 30
    assert len({k.name for k in hostile.KINDS}) == len(hostile.KINDS)
    assert {k.outcome for k in hostile.KINDS} == {"failed", "not_a_report", "extracted"}


@pytest.mark.e2e
def test_the_run_completes_and_every_file_has_its_row(hostile_run):
    p, reports = hostile_run["proc"], hostile_run["reports"]
    assert p.returncode == 1, p.stderr[-3000:]          # files failed: said, not crashed
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout
    assert "reports: " in p.stdout and "file(s) failed" in p.stderr
    assert set(reports.index) == set(hostile_run["made"])
    assert set(hostile_run["made"].values()) >= set(hostile.KINDS)   # every kind was written


BAD = [k for k in hostile.KINDS if k.outcome != "extracted"]
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@pytest.mark.parametrize("kind", BAD, ids=lambda k: k.name)
@pytest.mark.e2e
def test_every_bad_file_gets_its_row_and_a_readable_sentence(hostile_run, kind):
    reports = hostile_run["reports"]
    sources = [s for s, k in hostile_run["made"].items() if k is kind]
    assert sources
    for source in sources:
        row = reports.loc[source]
        assert row["status"] == kind.outcome, (source, row["status"], row["error"])
        error = row["error"]
        assert isinstance(error, str) and len(error) >= 20, (source, error)
        assert not CONTROL.search(error) and "Traceback" not in error and 'File "' not in error, error
        assert kind.error.lower() in error.lower(), (source, error)
        assert row["n_cells"] == 0


@pytest.mark.e2e
def test_a_non_report_says_what_was_found_instead(hostile_run):
    reports, flags = hostile_run["reports"], hostile_run["flags"]
    garden = reports.loc["pdf/garden_club.pdf"]
    assert "1 table of 3 × 4 cells" in garden["error"] and "3 lines of text" in garden["error"]
    assert "nothing" in reports.loc["word/empty.docx", "error"]
    readme = flags[flags["source"] == "README.txt"]
    assert list(readme["rule"]) == ["structure.not_a_report"]        # not ten warnings
    assert readme.iloc[0]["found"].startswith("3 lines of text")


GOOD = [k for k in hostile.KINDS if k.outcome == "extracted"] + [hostile.Kind("good", "extracted", "")]


def truth_cells(sample: str) -> dict:
    with open(RAW / "truth" / "cells" / f"{sample}.csv", encoding="utf-8") as f:
        return {(r["table"], r["row"], r["col"]): (r["kind"], float(r["value"]) if r["value"] else None)
                for r in csv.DictReader(f)}


@pytest.mark.parametrize("kind", GOOD, ids=lambda k: k.name)
@pytest.mark.e2e
def test_every_good_file_keeps_all_its_cells(hostile_run, kind):
    reports, cells = hostile_run["reports"], hostile_run["cells"]
    made = [(s, k) for s, k in hostile_run["made"].items() if k.name == kind.name]
    assert made
    for source, k in made:
        row = reports.loc[source]
        assert row["status"] == "ok", (source, row["status"], row["error"])
        if isinstance(row["duplicate_of"], str):       # the copy's row names the first; cells once
            assert row["n_cells"] == 0 and reports.loc[row["duplicate_of"], "status"] == "ok"
            continue
        want = truth_cells(k.like)
        mine = cells[cells["source"] == source]
        got = {(c.table_code, c.row_code, c.col_code): (c.kind, None if pd.isna(c.value) else c.value)
               for c in mine.itertuples()}
        assert len(got) == len(want) == row["n_cells"], (source, len(got), len(want))
        wrong = {code: (got.get(code), v) for code, v in want.items() if got.get(code) != v}
        assert not wrong, (source, list(wrong.items())[:5])


def within(path: str, folder) -> bool:
    """`path` is `folder` or lies in it (by path parts: in_secret/ is not within in/)."""
    p, f = Path(path), Path(folder).resolve()
    return p == f or f in p.parents


@pytest.mark.e2e
def test_nothing_outside_the_input_folder_is_read(hostile_run):
    base, folder, out = hostile_run["base"], hostile_run["in"], hostile_run["out"]
    assert hostile_run["touched"] == []          # inotify: no process opened or listed the canaries' folders
    strays = [(p, e) for p, e in hostile_run["opens"]
              if (within(p, base) and not within(p, folder) and not within(p, out)) or p == "/etc/passwd"]
    assert hostile_run["opens"] and not strays, strays[:10]
    markers = (hostile.MARKER, "root:x:0:0")
    for path in out.rglob("*"):
        if path.suffix == ".json":
            text = path.read_text(encoding="utf-8")
            assert not any(m in text for m in markers), path
    for name in ("reports", "sections", "cells", "flags"):
        frame = pd.read_parquet(out / f"{name}.parquet")
        text = frame.astype(str).to_csv()
        assert not any(m in text for m in markers), name


@pytest.mark.unit
def test_a_folder_named_like_the_input_folder_is_outside_it(tmp_path):
    """in_secret/ beside in/ starts with the same characters but is another folder: a link into
    it, relative or absolute, to a file or a folder, is refused as outside (path containment, not
    a string prefix); a link within in/ is read."""
    from pipeline.ingest.files import ingest
    folder = tmp_path / "in"
    beside = hostile.sibling(folder)
    (beside / "dir").mkdir(parents=True)
    (beside / "secret.txt").write_text(hostile.MARKER, encoding="utf-8")
    (beside / "dir" / "secret.txt").write_text(hostile.MARKER, encoding="utf-8")
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "mine.txt").write_text("本机关2022年政府信息公开工作年度报告", encoding="utf-8")
    os.symlink(beside / "secret.txt", folder / "absolute.txt")
    os.symlink(os.path.join("..", beside.name, "secret.txt"), folder / "relative.txt")
    os.symlink(beside / "dir", folder / "dir_link")
    os.symlink(folder / "sub" / "mine.txt", folder / "inside.txt")
    entries = {e["source"]: e for e in ingest(folder)}
    for name in ("absolute.txt", "relative.txt", "dir_link"):
        assert "outside the input folder" in (entries[name].get("error") or ""), entries[name]
        assert entries[name]["detected_format"] == "skipped"
    assert not entries["inside.txt"].get("error") and entries["inside.txt"]["detected_format"] == "txt"
    assert not any("secret" in source for source in entries)


@pytest.mark.e2e
def test_links_outside_are_read_only_when_asked(tmp_path):
    from pipeline.runtime.run import run
    folder, outside = tmp_path / "in", tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    sample = "泗阳县市场监督管理局_2022.txt"
    (outside / sample).write_bytes((RAW / sample).read_bytes())
    os.symlink(outside / sample, folder / "report.txt")
    run(folder, tmp_path / "out1", workers=1, progress=False)
    row = pd.read_parquet(tmp_path / "out1" / "reports.parquet").iloc[0]
    assert row["status"] == "failed" and "outside the input folder" in row["error"]
    assert "--follow-external-links" in row["error"]
    run(folder, tmp_path / "out2", workers=1, progress=False, follow_external_links=True)
    row = pd.read_parquet(tmp_path / "out2" / "reports.parquet").iloc[0]
    assert row["status"] == "ok" and row["n_cells"] == len(truth_cells(sample))


@pytest.mark.e2e
def test_the_canary_sees_a_file_that_is_read(tmp_path):
    """The checks above can fail: following the links on purpose trips all three."""
    folder, outside, out = tmp_path / "in", tmp_path / "outside", tmp_path / "out"
    beside = hostile.sibling(folder)
    (outside / "dir").mkdir(parents=True)
    (outside / "canary.txt").write_text(hostile.MARKER, encoding="utf-8")
    (outside / "dir" / "secret.txt").write_text(hostile.MARKER, encoding="utf-8")
    beside.mkdir()
    (beside / "secret.txt").write_text(hostile.MARKER, encoding="utf-8")
    folder.mkdir()
    os.symlink(outside / "canary.txt", folder / "passwd.txt")
    os.symlink(outside / "dir", folder / "outside_dir")
    os.symlink(beside / "secret.txt", folder / "sibling.txt")
    watch = Inotify([outside, outside / "dir", beside])
    log = tmp_path / "audit.jsonl"
    subprocess.run([sys.executable, "-c", AUDIT, str(log), "run", str(folder), "-o", str(out), "--workers", "1",
                    "--follow-external-links"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert {p for p, _ in watch.events()} >= {str(outside / "canary.txt"), str(outside / "dir" / "secret.txt"),
                                              str(beside / "secret.txt")}
    opened = {p for p, _ in (json.loads(line) for line in log.read_text(encoding="utf-8").splitlines())}
    assert str((outside / "canary.txt").resolve()) in opened
    assert [p for p in opened if not within(p, folder) and within(p, beside)]
    assert any(hostile.MARKER in p.read_text(encoding="utf-8") for p in (out / "work" / "parse").glob("*.json"))


@pytest.mark.e2e
def test_a_file_over_a_limit_is_read_again_under_a_higher_one(tmp_path):
    """Limits are not part of the cache key: raising one redoes the files that failed on it and
    nothing else."""
    from pipeline.runtime.run import run
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    (folder / "three_pages.pdf").write_bytes(hostile.many_pages_pdf(3))
    sample = "泗阳县市场监督管理局_2022.txt"
    (folder / sample).write_bytes((RAW / sample).read_bytes())
    run(folder, out, workers=1, progress=False, max_pages=2)
    row = pd.read_parquet(out / "reports.parquet").set_index("source").loc["three_pages.pdf"]
    assert row["status"] == "failed" and row["error"] == "the PDF has 3 pages; the limit is 2 (--max-pages)"
    assert run(folder, out, workers=1, progress=False, max_pages=2)["ran"][0]["source"] == "three_pages.pdf"
    again = run(folder, out, workers=1, progress=False, max_pages=5)
    assert [r["source"] for r in again["ran"]] == ["three_pages.pdf"]
    assert pd.read_parquet(out / "reports.parquet").set_index("source").loc["three_pages.pdf", "status"] == "not_a_report"
